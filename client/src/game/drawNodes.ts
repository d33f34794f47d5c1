/**
 * Draws availability zones as columns of Node cards (name, status, cordon marker, CPU and memory
 * request bars) holding pod tiles (colour + short status label + shape marker + restart count, and a
 * memory bar against the limit for pods that have one), plus the lane of Pending pods without a node.
 * Failure tiles carry their status glyph (✖ OOMKilled, ↻ CrashLoopBackOff, ...). When named tiles
 * would hide pods, every pod is a compact square showing its status glyph (layout `tile.compact`).
 *
 * Node STATUS strings are kubectl's (`Ready`, `NotReady`, `Unknown`, `,SchedulingDisabled` when
 * cordoned; kubernetes-behaviour.md §3).
 */
import type { NodeView, PodView, TeamView } from '../../../shared/protocol.ts';
import type { ClusterLayout, NodeBox, Rect } from '../view/layout.ts';
import { podShortName, truncate } from '../view/layout.ts';
import { PALETTE, podStatusStyle, statusTally, toCss } from '../view/podStatus.ts';
import { laneTitle } from '../view/system.ts';
import { THEME, type Painter } from './theme.ts';
import { monoCharWidth } from './textPool.ts';

function usageColor(fraction: number): number {
  return fraction >= 0.9 ? PALETTE.vermillion : fraction >= 0.7 ? PALETTE.orange : PALETTE.skyBlue;
}

/** A usage bar with its label (`cpu 42%`); on narrow cards the label shrinks to `c42%`. */
function bar(p: Painter, key: string, x: number, y: number, w: number, label: string, fraction: number): void {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const narrow = w < 70;
  const text = narrow ? `${label[0]}${Math.round(f * 100)}%` : `${label} ${Math.round(f * 100)}%`;
  p.texts.put(`${key}:label`, x, y - 1, text, { size: 10, color: THEME.muted });
  const bx = x + monoCharWidth(10) * (narrow ? 5 : 9);
  const bw = Math.max(8, w - (bx - x));
  p.g.fillStyle(THEME.barTrack, 1).fillRect(bx, y + 2, bw, 7);
  if (f > 0) p.g.fillStyle(usageColor(f), 1).fillRect(bx, y + 2, Math.max(2, bw * f), 7);
}

function drawNodeCard(p: Painter, box: NodeBox, node: NodeView, selected: boolean): void {
  const { g, texts } = p;
  const r = box.rect;
  const notReady = !node.ready;
  g.fillStyle(THEME.node, 1).fillRoundedRect(r.x, r.y, r.w, r.h, 5);
  if (node.unschedulable) {
    // Cordoned: hatch the header so it reads as "closed" without relying on colour.
    g.lineStyle(1, PALETTE.orange, 0.35);
    for (let x = r.x - 30; x < r.x + r.w; x += 10) g.lineBetween(Math.max(r.x, x), r.y + Math.max(0, r.x - x), Math.min(r.x + r.w, x + 30), r.y + Math.min(30, r.x + r.w - x));
  }
  const border = selected ? THEME.selection : notReady ? PALETTE.vermillion : node.unschedulable ? PALETTE.orange : THEME.nodeBorder;
  g.lineStyle(selected || notReady ? 2 : 1, border, 1).strokeRoundedRect(r.x, r.y, r.w, r.h, 5);

  if (r.w < 60) {
    // Too narrow for words (dozens of Nodes in a zone): the status glyph only; the name and figures
    // are in the context panel (click) and `kubectl get nodes`.
    const glyph = !node.ready ? '✖' : node.unschedulable ? '⊘' : '●';
    texts.put(`node:${box.name}:name`, r.x + r.w / 2, r.y + 4, glyph, { size: 11, bold: true, color: notReady ? THEME.bad : node.unschedulable ? THEME.warn : THEME.good, originX: 0.5 });
    return;
  }
  const status = node.ready ? (node.unschedulable ? 'Ready · cordoned' : 'Ready') : node.status.split(',')[0] || 'NotReady';
  // Narrow cards keep the name readable: a Ready Node shows its glyph only (the border and the
  // context panel say the rest); a Node in trouble always says so in words.
  const narrowCard = r.w < 150;
  const statusText = narrowCard && node.ready && !node.unschedulable ? '●' : narrowCard && node.ready ? '● cordoned' : `${node.ready ? '●' : '✖'} ${status}`;
  const nameSize = narrowCard ? 11 : 12;
  const nameChars = Math.floor((r.w - 16) / monoCharWidth(nameSize)) - statusText.length - 1;
  texts.put(`node:${box.name}:name`, r.x + 7, r.y + 4, truncate(box.name, Math.max(6, nameChars)), { size: nameSize, bold: true, color: THEME.text });
  texts.put(`node:${box.name}:status`, r.x + r.w - 7, r.y + 4, statusText, {
    size: 11,
    bold: notReady || node.unschedulable,
    color: notReady ? THEME.bad : node.unschedulable ? THEME.warn : THEME.good,
    originX: 1,
  });
  const half = (r.w - 21) / 2;
  bar(p, `node:${box.name}:cpu`, r.x + 7, r.y + 19, half, 'cpu', node.cpuAllocatable ? node.cpuRequested / node.cpuAllocatable : 0);
  bar(p, `node:${box.name}:mem`, r.x + 14 + half, r.y + 19, half, 'mem', node.memAllocatable ? node.memRequested / node.memAllocatable : 0);
}

function drawPodTile(p: Painter, rect: Rect, pod: PodView, selected: boolean, compact: boolean): void {
  const { g, texts } = p;
  const st = podStatusStyle(pod.status, pod.ready);
  const { x, y, w, h } = rect;
  const hollow = st.marker === 'hollow';
  g.fillStyle(st.fill, hollow ? 0.22 : 1).fillRoundedRect(x, y, w, h, 3);
  if (hollow) g.lineStyle(2, st.fill, 1).strokeRoundedRect(x + 1, y + 1, w - 2, h - 2, 3);
  if (st.marker === 'stripes') {
    g.lineStyle(2, 0x000000, 0.25);
    for (let o = -h; o < w; o += 8) g.lineBetween(x + Math.max(0, o), y + Math.max(0, -o), x + Math.min(w, o + h), y + Math.min(h, w - o));
  }
  if (selected) g.lineStyle(2, THEME.selection, 1).strokeRoundedRect(x - 2, y - 2, w + 4, h + 4, 4);
  const textColor = hollow ? THEME.text : toCss(st.textColor);
  if (compact) {
    // A compact tile is its status glyph (● ◔ ◌ ✖ ↻ ! ...): never colour alone.
    texts.put(`pod:${pod.name}:name`, x + w / 2, y + h / 2, st.marker === 'bang' ? '!' : st.glyph, { size: 11, bold: true, color: textColor, originX: 0.5, originY: 0.5 });
    return;
  }
  // Failures carry their own glyph in the corner (✖ OOMKilled / Error, ↻ CrashLoopBackOff, ⏏ Evicted),
  // so two failure states never differ by colour only, even when the status line doesn't fit.
  if (st.marker === 'cross') texts.put(`pod:${pod.name}:mark`, x + w - 3, y + 1, st.glyph, { size: 10, bold: true, color: '#ffffff', originX: 1 });
  if (st.marker === 'bang') g.fillStyle(0x111111, 0.9).fillTriangle(x + w - 12, y + 11, x + w - 3, y + 11, x + w - 7.5, y + 2);

  const size = h >= 30 ? 10 : 9;
  const chars = Math.floor((w - 8) / monoCharWidth(size));
  const restarts = pod.restarts > 0 ? ` ↻${pod.restarts}` : '';
  texts.put(`pod:${pod.name}:name`, x + 4, y + 2, truncate(podShortName(pod), chars - (st.marker === 'none' || st.marker === 'hollow' ? 0 : 2)), { size, color: textColor });
  if (h >= 26) texts.put(`pod:${pod.name}:status`, x + 4, y + h / 2 + 1, truncate(`${st.short}${restarts}`, chars), { size, bold: true, color: textColor });

  // Memory against the limit (a leak shows the bar creeping towards the limit before OOMKilled).
  if (pod.memLimitMiB > 0) {
    const f = Math.min(1, pod.memoryMiB / pod.memLimitMiB);
    g.fillStyle(0x000000, 0.45).fillRect(x + 2, y + h - 4, w - 4, 3);
    g.fillStyle(f >= 0.85 ? 0xffffff : 0xdddddd, 1).fillRect(x + 2, y + h - 4, (w - 4) * f, 3);
  }
}

function drawPods(p: Painter, box: NodeBox, team: TeamView, selectedPod: string | null, compact: boolean, byNode: () => Map<string, PodView[]>): number {
  let drawn = 0;
  for (const pb of box.pods) {
    const pod = team.pods.get(pb.name);
    if (!pod) continue;
    drawPodTile(p, pb.rect, pod, selectedPod === pb.name, compact);
    drawn++;
  }
  if (box.hidden > 0) {
    const last = box.pods[box.pods.length - 1];
    const r = box.rect;
    const x = last ? last.rect.x + last.rect.w + 6 : r.x + 8;
    const y = last ? last.rect.y : r.y + 36;
    if (r.w < 60 && box.pods.length === 0) {
      p.texts.put(`more:${box.name || 'unscheduled'}`, r.x + r.w / 2, r.y + 22, `${box.hidden}`, { size: 10, bold: true, color: THEME.muted, originX: 0.5 });
      // The Pods are only counted here: their failures still show, as glyph + count per status.
      const lines = statusTally(byNode().get(box.name) ?? []);
      const room = Math.max(0, Math.floor((r.h - 40) / 13));
      lines.slice(0, room).forEach((l, i) => {
        const more = i === room - 1 && lines.length > room;
        p.texts.put(`tally:${box.name}:${i}`, r.x + r.w / 2, r.y + 37 + i * 13, more ? '…' : `${l.glyph}${l.count}`, {
          size: 10,
          bold: true,
          color: l.severity === 'error' ? THEME.bad : l.severity === 'warning' ? THEME.warn : THEME.text,
          originX: 0.5,
        });
      });
    } else p.texts.put(`more:${box.name || 'unscheduled'}`, x, y + 2, `+${box.hidden} more`, { size: 10, bold: true, color: THEME.muted });
  }
  return drawn;
}

/**
 * Draw zones, nodes and pods. Returns how many pod tiles were drawn.
 */
export function drawZones(p: Painter, layout: ClusterLayout, team: TeamView, selected: { kind: string; name: string } | null): number {
  const { g, texts } = p;
  const selPod = selected?.kind === 'pod' ? selected.name : null;
  const selNode = selected?.kind === 'node' ? selected.name : null;
  let drawn = 0;
  let podsByNode: Map<string, PodView[]> | null = null;
  const byNode = (): Map<string, PodView[]> => {
    if (!podsByNode) {
      podsByNode = new Map();
      for (const pod of team.pods.values()) {
        const list = podsByNode.get(pod.node);
        if (list) list.push(pod);
        else podsByNode.set(pod.node, [pod]);
      }
    }
    return podsByNode;
  };
  for (const zone of layout.zones) {
    const r = zone.rect;
    g.fillStyle(THEME.zone, 1).fillRoundedRect(r.x, r.y, r.w, r.h, 6);
    g.lineStyle(1, THEME.panelBorder, 0.8).strokeRoundedRect(r.x, r.y, r.w, r.h, 6);
    texts.put(`zone:${zone.name}`, r.x + 8, r.y + 3, `ZONE ${zone.name}`, { size: 10, bold: true, color: THEME.muted });
    for (const box of zone.nodes) {
      const node = team.nodes.get(box.name);
      if (!node) continue;
      drawNodeCard(p, box, node, selNode === box.name);
      drawn += drawPods(p, box, team, selPod, layout.tile.compact, byNode);
    }
  }
  if (layout.unscheduled) {
    const r = layout.unscheduled.rect;
    g.fillStyle(0x2a2410, 1).fillRoundedRect(r.x, r.y, r.w, r.h, 5);
    g.lineStyle(1, PALETTE.yellow, 0.6).strokeRoundedRect(r.x, r.y, r.w, r.h, 5);
    const lane = laneTitle(layout.unscheduled.pods.flatMap((t) => team.pods.get(t.name) ?? []));
    texts.put('zone:unscheduled', r.x + 7, r.y + 5, lane.title, { size: 12, bold: true, color: '#f0e442' });
    texts.put('zone:unscheduled:hint', r.x + 7, r.y + 20, lane.hint, { size: 10, color: THEME.muted });
    drawn += drawPods(p, layout.unscheduled, team, selPod, layout.tile.compact, byNode);
  }
  return drawn;
}
