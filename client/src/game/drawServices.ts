/**
 * Draws the Services strip: per Service its request rate, failed share, p99 latency and ready
 * endpoints. The left edge colour and a glyph rate the error share (ok < 1 %, warning < 5 %, bad).
 */
import type { TeamView } from '../../../shared/protocol.ts';
import type { ClusterLayout } from '../view/layout.ts';
import { truncate } from '../view/layout.ts';
import { PALETTE } from '../view/podStatus.ts';
import { serviceHealth } from '../view/slo.ts';
import { formatMs, formatPercent, formatRate } from '../view/format.ts';
import { THEME, type Painter } from './theme.ts';
import { monoCharWidth } from './textPool.ts';

export function drawServices(p: Painter, layout: ClusterLayout, team: TeamView, selectedService: string | null): void {
  const { g, texts } = p;
  if (layout.services.length === 0) return;
  const t = layout.servicesTitle;
  const more = layout.servicesHidden > 0 ? ` · +${layout.servicesHidden} more (kubectl get svc)` : '';
  const heading = `${layout.servicesCompact ? 'SERVICES · ready endpoints' : 'SERVICES · requests/s · errors · p99 · ready endpoints'}${more}`;
  texts.put('svc:title', t.x + 2, t.y + 1, truncate(heading, Math.floor(t.w / monoCharWidth(10))), { size: 10, bold: true, color: THEME.muted });
  for (const s of layout.services) {
    const svc = team.services.get(s.name);
    if (!svc) continue;
    const r = s.rect;
    const health = serviceHealth(svc.errorRate, svc.readyEndpoints, svc.totalEndpoints);
    const color = health === 'ok' ? PALETTE.bluishGreen : health === 'warn' ? PALETTE.orange : PALETTE.vermillion;
    g.fillStyle(THEME.panel, 1).fillRoundedRect(r.x, r.y, r.w, r.h, 4);
    g.fillStyle(color, 1).fillRect(r.x, r.y, 4, r.h);
    g.lineStyle(selectedService === s.name ? 2 : 1, selectedService === s.name ? THEME.selection : THEME.panelBorder, 1).strokeRoundedRect(r.x, r.y, r.w, r.h, 4);
    const chars = Math.floor((r.w - 14) / monoCharWidth(11));
    const eps = `${svc.readyEndpoints}/${svc.totalEndpoints}`;
    const glyph = health === 'ok' ? '' : health === 'warn' ? '▲ ' : '✖ ';
    texts.put(`svc:${s.name}:name`, r.x + 9, r.y + 3, truncate(`${glyph}${svc.name}`, chars - eps.length - 1), { size: 11, bold: true, color: THEME.text });
    texts.put(`svc:${s.name}:eps`, r.x + r.w - 6, r.y + 3, eps, { size: 11, color: svc.readyEndpoints < svc.totalEndpoints ? THEME.warn : THEME.muted, originX: 1 });
    if (layout.servicesCompact) continue;
    const figures = `${formatRate(svc.rps)} ${formatPercent(svc.errorRate, 1)} ${formatMs(svc.p99Ms)}`;
    texts.put(`svc:${s.name}:figures`, r.x + 9, r.y + 18, truncate(figures, Math.floor((r.w - 14) / monoCharWidth(10))), {
      size: 10,
      color: health === 'ok' ? THEME.muted : health === 'warn' ? THEME.warn : THEME.bad,
    });
  }
}
