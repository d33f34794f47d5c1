/**
 * Draws the top band: the control plane (etcd members with the Raft leader marked and the quorum state,
 * kube-apiserver / kube-scheduler / kube-controller-manager badges, the kube-system line: Pods Running per
 * owner, `TeamView.system`) and the SLO panel (availability
 * gauge against its target, error-budget bar, latency SLI, burn rate, paging state).
 *
 * Quorum = floor(n/2) + 1 healthy members (E server/etcdserver/util.go; kubernetes-behaviour.md §6).
 */
import type { TeamView } from '../../../shared/protocol.ts';
import type { ClusterLayout } from '../view/layout.ts';
import { PALETTE, toCss } from '../view/podStatus.ts';
import { budgetStyle, burnRateFigure, gaugeScale } from '../view/slo.ts';
import { formatPercent } from '../view/format.ts';
import { THEME, type Painter } from './theme.ts';
import { fitSize, monoCharWidth } from './textPool.ts';
import { truncate } from '../view/layout.ts';
import { systemLine } from '../view/system.ts';

/** `text` cut with `…` to what fits in `width` px at font `size` (monospace estimate). */
function fitWidth(text: string, width: number, size: number): string {
  return truncate(text, Math.floor(width / monoCharWidth(size)));
}

/** `kube-controller-manager` -> `controller-manager`: the badges are narrow. */
function componentLabel(name: string): string {
  return name.replace(/^kube-/, '');
}

export function drawControlPlane(p: Painter, layout: ClusterLayout, team: TeamView, selectedEtcd: string | null): void {
  const { g, texts } = p;
  const cp = layout.controlPlane;
  g.fillStyle(THEME.panel, 1).fillRoundedRect(cp.x, cp.y, cp.w, cp.h, 6);
  g.lineStyle(1, THEME.panelBorder, 1).strokeRoundedRect(cp.x, cp.y, cp.w, cp.h, 6);
  texts.put('cp:title', cp.x + 10, cp.y + 6, 'CONTROL PLANE · etcd', { size: 11, color: THEME.muted, bold: true });

  for (const box of layout.etcd) {
    const m = team.etcd.find((e) => e.name === box.name);
    const healthy = m?.healthy ?? false;
    const fill = healthy ? PALETTE.bluishGreen : PALETTE.vermillion;
    g.fillStyle(fill, 1).fillCircle(box.x, box.y, box.r);
    if (m?.leader) g.lineStyle(3, PALETTE.yellow, 1).strokeCircle(box.x, box.y, box.r + 3);
    if (selectedEtcd === box.name) g.lineStyle(2, THEME.selection, 1).strokeCircle(box.x, box.y, box.r + 6);
    const mark = !healthy ? '✖' : m?.leader ? 'L' : '';
    if (mark) texts.put(`etcd:${box.name}:mark`, box.x, box.y, mark, { size: 13, color: healthy ? '#111111' : '#ffffff', bold: true, originX: 0.5, originY: 0.5 });
    texts.put(`etcd:${box.name}:name`, box.x, box.y + box.r + 4, box.name.replace(/^etcd-?/, '#'), { size: 10, color: healthy ? THEME.muted : THEME.bad, originX: 0.5 });
  }
  const healthyCount = team.etcd.filter((m) => m.healthy).length;
  const total = team.etcd.length;
  const lastEtcd = layout.etcd[layout.etcd.length - 1];
  const qx = lastEtcd ? lastEtcd.x + lastEtcd.r + 14 : layout.quorum.x;
  const quorumText = team.etcdQuorum ? `quorum OK ${healthyCount}/${total}` : `NO QUORUM ${healthyCount}/${total}`;
  // The quorum and leader lines stop short of the component chips on the right; when even the quorum
  // line doesn't fit there (narrow canvases) both go on one line under the etcd members.
  const leader = team.etcd.find((m) => m.leader)?.name;
  const leaderText = leader ? `leader ${leader}` : 'no leader';
  const chipsX = layout.components[0]?.rect.x ?? cp.x + cp.w;
  const textW = chipsX - qx - 6;
  const quorumStyle = { color: team.etcdQuorum ? THEME.good : THEME.bad, bold: true };
  if (quorumText.length * monoCharWidth(9) <= textW) {
    texts.put('etcd:quorum', qx, cp.y + 32, quorumText, { size: fitSize(quorumText, textW, 12, 9), ...quorumStyle });
    texts.put('etcd:leader', qx, cp.y + 50, fitWidth(leaderText, textW, 10), { size: 10, color: leader ? THEME.muted : THEME.bad });
  } else {
    const line = `${quorumText} · ${leaderText}`;
    texts.put('etcd:quorum', cp.x + 10, cp.y + 74, fitWidth(line, chipsX - cp.x - 16, 9), { size: 9, ...quorumStyle });
    texts.put('etcd:leader', cp.x + 10, cp.y + 74, '', { size: 9, color: THEME.muted });
  }
  // kube-system's Pods per owner (the room counts the healthy ones; unhealthy ones also get tiles).
  const system = systemLine(team);
  const wide = quorumText.length * monoCharWidth(9) <= textW;
  texts.put('cp:system', cp.x + 10, cp.y + (wide ? 76 : 84), fitWidth(system.text, chipsX - cp.x - 16, wide ? 9 : 8), { size: wide ? 9 : 8, color: system.healthy ? THEME.muted : THEME.bad, bold: !system.healthy });

  for (const c of layout.components) {
    const comp = team.components.find((x) => x.name === c.name);
    const ok = comp?.healthy ?? false;
    const r = c.rect;
    g.fillStyle(ok ? 0x17352b : 0x3d1e14, 1).fillRoundedRect(r.x, r.y, r.w, r.h, 4);
    g.lineStyle(1, ok ? PALETTE.bluishGreen : PALETTE.vermillion, 1).strokeRoundedRect(r.x, r.y, r.w, r.h, 4);
    texts.put(`comp:${c.name}`, r.x + 6, r.y + r.h / 2, `${ok ? '●' : '✖'} ${componentLabel(c.name)}`, {
      size: 11,
      color: ok ? THEME.text : '#ffd2c2',
      originY: 0.5,
    });
  }
}

export function drawSlo(p: Painter, layout: ClusterLayout, team: TeamView): void {
  const { g, texts } = p;
  const { panel, gauge, budget } = layout.slo;
  const slo = team.slo;
  g.fillStyle(THEME.panel, 1).fillRoundedRect(panel.x, panel.y, panel.w, panel.h, 6);
  g.lineStyle(1, slo.paging ? PALETTE.vermillion : THEME.panelBorder, slo.paging ? 2 : 1).strokeRoundedRect(panel.x, panel.y, panel.w, panel.h, 6);

  // Availability gauge: a half dial, red below the SLO target, green above; the needle is the SLI.
  const scale = gaugeScale(slo.availability, slo.availabilityTarget);
  const cx = gauge.x + gauge.w / 2;
  const cy = gauge.y + gauge.h - 22;
  const radius = Math.min(gauge.w / 2 - 8, gauge.h - 40);
  const angle = (f: number): number => Math.PI + f * Math.PI;
  g.lineStyle(9, PALETTE.vermillion, 0.9);
  g.beginPath().arc(cx, cy, radius, angle(0), angle(scale.target)).strokePath();
  g.lineStyle(9, PALETTE.bluishGreen, 0.9);
  g.beginPath().arc(cx, cy, radius, angle(scale.target), angle(1)).strokePath();
  const a = angle(scale.value);
  g.lineStyle(3, 0xffffff, 1).lineBetween(cx, cy, cx + Math.cos(a) * (radius + 2), cy + Math.sin(a) * (radius + 2));
  g.fillStyle(0xffffff, 1).fillCircle(cx, cy, 4);
  texts.put('slo:avail', cx, cy + 6, formatPercent(slo.availability), { size: 13, bold: true, color: scale.meets ? THEME.good : THEME.bad, originX: 0.5 });
  const availLabel = gauge.w >= 140 ? `availability · SLO ${formatPercent(slo.availabilityTarget)}` : `SLO ${formatPercent(slo.availabilityTarget)}`;
  texts.put('slo:avail-label', cx, gauge.y, availLabel, { size: fitSize(availLabel, gauge.w, 10, 8), color: THEME.muted, originX: 0.5 });

  // Error budget bar and the latency SLI.
  const bs = budgetStyle(slo.errorBudgetRemaining);
  const budgetSize = fitSize(bs.text, budget.w, 12, 9);
  texts.put('slo:budget-text', budget.x, budget.y + 2, fitWidth(bs.text, budget.w, budgetSize), { size: budgetSize, bold: true, color: toCss(bs.color) });
  const barY = budget.y + 20;
  const barW = Math.max(10, budget.w - 4);
  g.fillStyle(THEME.barTrack, 1).fillRoundedRect(budget.x, barY, barW, 12, 3);
  if (bs.fraction > 0) g.fillStyle(bs.color, 1).fillRoundedRect(budget.x, barY, Math.max(4, barW * bs.fraction), 12, 3);
  const latOk = slo.latency >= slo.latencyTarget;
  const latency = `latency ${formatPercent(slo.latency)} ≤ ${Math.round(slo.latencyThresholdMs)} ms (SLO ${formatPercent(slo.latencyTarget)})`;
  const latencySize = fitSize(latency, budget.w, 10, 8);
  texts.put('slo:latency', budget.x, barY + 20, fitWidth(latency, budget.w, latencySize), {
    size: latencySize,
    color: latOk ? THEME.muted : THEME.bad,
  });
  const figure = burnRateFigure(slo.burnRate);
  const burnBad = figure.level === 'warn';
  const burn = `burn rate ${figure.text}${slo.paging ? '   ⚠ PAGING' : ''}`;
  const burnSize = fitSize(burn, budget.w, 10, 8);
  texts.put('slo:burn', budget.x, barY + 36, fitWidth(burn, budget.w, burnSize), {
    size: burnSize,
    bold: slo.paging,
    color: slo.paging ? THEME.bad : burnBad ? THEME.warn : THEME.muted,
  });
}
