/**
 * Where everything sits on the cluster map: control plane band (etcd members, components) and SLO panel
 * on top, availability zones as columns of node cards holding pod tiles in the middle, a Services strip
 * at the bottom. Pure and deterministic: the same view and size give the same layout; zones, nodes, pods
 * and Services are placed sorted by name (never by map insertion order).
 *
 * Units: CSS pixels of the canvas, origin top-left.
 */
import type { PodView, TeamView } from '../../../shared/protocol.ts';

/** An axis-aligned rectangle, CSS pixels: top-left corner, width, height. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A pod tile: the pod's key in `TeamView.pods` (`namespace/name`) and where it is drawn. */
export interface PodBox {
  name: string;
  rect: Rect;
}

/** A node card (or the lane of unscheduled pods, `name` ''), with its pod tiles. */
export interface NodeBox {
  name: string;
  zone: string;
  rect: Rect;
  /** Pod tiles shown, sorted by pod name. */
  pods: PodBox[];
  /** Pods that did not fit (drawn as a `+N` badge). */
  hidden: number;
}

/** A zone column (`topology.kubernetes.io/zone`) with its node cards. */
export interface ZoneBox {
  /** Zone name; `''` for the lane of pods that have no node yet. */
  name: string;
  rect: Rect;
  nodes: NodeBox[];
}

/** An etcd member's circle in the control-plane band. */
export interface EtcdBox {
  name: string;
  /** Circle centre and radius. */
  x: number;
  y: number;
  r: number;
}

/** Everything {@link layoutCluster} places, in CSS pixels. */
export interface ClusterLayout {
  /** Canvas size used (at least 240 x 240). */
  width: number;
  height: number;
  /** The control-plane band (etcd members, components). */
  controlPlane: Rect;
  etcd: EtcdBox[];
  /** Anchor (left, top) of the quorum text under the etcd members. */
  quorum: { x: number; y: number };
  /** kube-apiserver, kube-scheduler, kube-controller-manager chips. */
  components: { name: string; rect: Rect }[];
  /** SLO panel: the availability gauge and the error-budget bar area. */
  slo: { panel: Rect; gauge: Rect; budget: Rect };
  zones: ZoneBox[];
  /** Pending pods without a node (or on a node that is gone), or null when there are none. */
  unscheduled: NodeBox | null;
  /**
   * Service chips, sorted by name: as many as fit in the Services strip, which takes at most about a
   * third of the canvas height ({@link LAYOUT}.servicesMaxShare). Chips are `compact` (one line: name
   * and ready endpoints) when full-height ones would not fit.
   */
  services: { name: string; rect: Rect }[];
  /** True when the chips are one line high (no figures line). */
  servicesCompact: boolean;
  /** Services that did not fit in the strip (the title says so). */
  servicesHidden: number;
  /** Title line of the Services strip (empty rect when there are no Services). */
  servicesTitle: Rect;
  /**
   * Pod tile size used everywhere (uniform so tiles compare at a glance). `compact` tiles (when named
   * tiles of at least tileMinW x tileMinH would hide pods) are small squares showing the status glyph
   * only; the name is in the context panel and `kubectl get pods`.
   */
  tile: { w: number; h: number; compact: boolean };
}

/** Spacing constants (px). */
export const LAYOUT = {
  pad: 8,
  gap: 6,
  topH: 92,
  zoneHeaderH: 18,
  nodeHeaderH: 34,
  chipW: 150,
  chipH: 36,
  chipCompactH: 20,
  servicesMaxShare: 0.3,
  servicesTitleH: 16,
  tileMinW: 58,
  tileMaxW: 150,
  tileMinH: 24,
  tileMaxH: 34,
  nodeMinH: 84,
  compactTile: 18,
  compactGap: 3,
} as const;

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Tile size for `count` tiles in an `innerW` x `innerH` area: among the column counts whose tiles
 * stay at least tileMinW x tileMinH, the one with the largest tile (width capped at tileMaxW, height at
 * tileMaxH), so names get room before tiles get tall. When nothing fits, the smallest tiles.
 */
function tileFor(count: number, innerW: number, innerH: number): { w: number; h: number } {
  const { gap, tileMinW, tileMaxW, tileMinH, tileMaxH } = LAYOUT;
  const n = Math.max(1, count);
  let best: { w: number; h: number } | null = null;
  for (let cols = 1; cols <= n; cols++) {
    const w = Math.min(tileMaxW, Math.floor((innerW - gap * (cols - 1)) / cols));
    if (w < tileMinW) break;
    const rows = Math.ceil(n / cols);
    const h = Math.min(tileMaxH, Math.floor((innerH - gap * (rows - 1)) / rows));
    if (h < tileMinH) continue;
    if (!best || w * h > best.w * best.h) best = { w, h };
  }
  return best ?? { w: tileMinW, h: tileMinH };
}

/** How many tiles of `tile` (spaced `gap`) fit in a node card of `nodeW` x `nodeH`. */
function tileCapacity(nodeW: number, nodeH: number, tile: { w: number; h: number }, gap: number): number {
  const innerW = nodeW - 2 * LAYOUT.gap;
  const innerH = nodeH - LAYOUT.nodeHeaderH - LAYOUT.gap;
  return Math.max(0, Math.floor((innerW + gap) / (tile.w + gap))) * Math.max(0, Math.floor((innerH + gap) / (tile.h + gap)));
}

function placePods(names: string[], rect: Rect, tile: { w: number; h: number; compact: boolean }): { pods: PodBox[]; hidden: number } {
  const gap = tile.compact ? LAYOUT.compactGap : LAYOUT.gap;
  const inner = { x: rect.x + LAYOUT.gap, y: rect.y + LAYOUT.nodeHeaderH, w: rect.w - 2 * LAYOUT.gap, h: rect.h - LAYOUT.nodeHeaderH - LAYOUT.gap };
  // A card narrower than one tile shows none (its pods are counted, `hidden`).
  const cols = inner.w < tile.w ? 0 : Math.max(1, Math.floor((inner.w + gap) / (tile.w + gap)));
  const rows = Math.max(0, Math.floor((inner.h + gap) / (tile.h + gap)));
  const capacity = cols * rows;
  const shown = names.length > capacity ? Math.max(0, capacity - 1) : names.length; // keep a slot for "+N"
  const pods: PodBox[] = [];
  for (let i = 0; i < shown; i++) {
    const name = names[i] as string;
    const c = i % cols;
    const r = Math.floor(i / cols);
    pods.push({ name, rect: { x: inner.x + c * (tile.w + gap), y: inner.y + r * (tile.h + gap), w: tile.w, h: tile.h } });
  }
  return { pods, hidden: names.length - shown };
}

/**
 * Lay out one team's cluster on a canvas of `width` x `height` CSS pixels.
 *
 * @param view the team's projected state (nodes, pods, etcd, components, Services).
 * @param width canvas width, px (layouts below ~480 px get cramped but stay valid).
 * @param height canvas height, px.
 * @returns rectangles for every drawable thing; pods are grouped by node, nodes by zone.
 */
export function layoutCluster(view: TeamView, width: number, height: number): ClusterLayout {
  const { pad, gap, topH, zoneHeaderH, chipW, chipH, servicesTitleH, nodeMinH } = LAYOUT;
  const W = Math.max(240, width);
  const H = Math.max(240, height);

  // Top band: control plane (left ~60 %), SLO panel (right).
  const cpW = Math.floor((W - 3 * pad) * 0.6);
  const controlPlane: Rect = { x: pad, y: pad, w: cpW, h: topH };
  const etcdNames = view.etcd.map((m) => m.name);
  const r = 13;
  const etcd: EtcdBox[] = etcdNames.map((name, i) => ({ name, x: controlPlane.x + 24 + i * 46, y: controlPlane.y + 40, r }));
  const quorum = { x: controlPlane.x + 10, y: controlPlane.y + 64 };
  const compW = Math.min(190, Math.max(120, Math.floor(cpW * 0.42)));
  const components = view.components.map((c, i) => ({
    name: c.name,
    rect: { x: controlPlane.x + cpW - compW - gap, y: controlPlane.y + 22 + i * 23, w: compW, h: 20 },
  }));
  const sloPanel: Rect = { x: controlPlane.x + cpW + pad, y: pad, w: W - cpW - 3 * pad, h: topH };
  const gaugeW = Math.min(150, Math.floor(sloPanel.w * 0.42));
  const slo = {
    panel: sloPanel,
    gauge: { x: sloPanel.x + gap, y: sloPanel.y + gap, w: gaugeW, h: topH - 2 * gap },
    budget: { x: sloPanel.x + gaugeW + 2 * gap, y: sloPanel.y + gap, w: sloPanel.w - gaugeW - 3 * gap, h: topH - 2 * gap },
  };

  // Bottom band: Services strip, wrapped into rows of chips, at most ~30 % of the height: compact
  // one-line chips when full ones don't fit, and then only the chips that fit (`servicesHidden`).
  const serviceNames = [...view.services.keys()].sort(byName);
  const chipCols = Math.max(1, Math.floor((W - 2 * pad + gap) / (chipW + gap)));
  const maxServicesH = Math.max(servicesTitleH + LAYOUT.chipCompactH + gap, Math.floor(H * LAYOUT.servicesMaxShare));
  const rowsNeeded = Math.ceil(serviceNames.length / chipCols);
  const fullFits = servicesTitleH + rowsNeeded * (chipH + gap) <= maxServicesH;
  const servicesCompact = !fullFits;
  const rowH = servicesCompact ? LAYOUT.chipCompactH : chipH;
  const rowsFit = Math.max(1, Math.floor((maxServicesH - servicesTitleH) / (rowH + gap)));
  const chipRows = Math.min(rowsNeeded, rowsFit);
  const capacity = chipRows * chipCols;
  const shownServices = serviceNames.length > capacity ? serviceNames.slice(0, capacity) : serviceNames;
  const servicesHidden = serviceNames.length - shownServices.length;
  const realChipW = serviceNames.length ? Math.floor((W - 2 * pad - gap * (chipCols - 1)) / chipCols) : 0;
  const servicesH = chipRows ? servicesTitleH + chipRows * (rowH + gap) : 0;
  const servicesTop = H - pad - servicesH;
  const servicesTitle: Rect = { x: pad, y: servicesTop, w: serviceNames.length ? W - 2 * pad : 0, h: chipRows ? servicesTitleH : 0 };
  const services = shownServices.map((name, i) => ({
    name,
    rect: {
      x: pad + (i % chipCols) * (realChipW + gap),
      y: servicesTop + servicesTitleH + Math.floor(i / chipCols) * (rowH + gap),
      w: realChipW,
      h: rowH,
    },
  }));

  // Middle: zones as columns; an extra "unscheduled" column when some pods have no (known) node.
  const podsByNode = new Map<string, string[]>();
  const unscheduledPods: string[] = [];
  const podNames = [...view.pods.keys()].sort(byName);
  for (const name of podNames) {
    const p = view.pods.get(name) as PodView;
    if (p.node && view.nodes.has(p.node)) {
      const list = podsByNode.get(p.node) ?? [];
      list.push(name);
      podsByNode.set(p.node, list);
    } else {
      unscheduledPods.push(name);
    }
  }
  const zonesByName = new Map<string, string[]>();
  for (const nodeName of [...view.nodes.keys()].sort(byName)) {
    const zone = view.nodes.get(nodeName)?.zone || 'default';
    zonesByName.set(zone, [...(zonesByName.get(zone) ?? []), nodeName]);
  }
  const zoneNames = [...zonesByName.keys()].sort(byName);
  const columns = zoneNames.length + (unscheduledPods.length ? 1 : 0);
  const midTop = pad + topH + pad;
  const midH = Math.max(60, servicesTop - pad - midTop);
  const colW = columns ? Math.floor((W - pad * (columns + 1)) / columns) : 0;

  // Uniform node-card geometry: the zone with the most nodes decides the node height (grid when tall).
  const maxNodes = Math.max(1, ...zoneNames.map((z) => zonesByName.get(z)?.length ?? 0));
  const zoneInnerH = midH - zoneHeaderH;
  const maxRows = Math.max(1, Math.floor((zoneInnerH + gap) / (nodeMinH + gap)));
  const nodeCols = Math.ceil(maxNodes / maxRows);
  const nodeRows = Math.ceil(maxNodes / nodeCols);
  const nodeW = Math.floor((colW - 2 * gap - gap * (nodeCols - 1)) / nodeCols);
  const nodeH = Math.floor((zoneInnerH - gap - gap * (nodeRows - 1)) / nodeRows);
  const maxPods = Math.max(1, ...[...podsByNode.values()].map((l) => l.length));
  const fit = tileFor(maxPods, nodeW - 2 * gap, nodeH - LAYOUT.nodeHeaderH - gap);
  // Named tiles that would hide pods give way to compact glyph tiles when those show more of them.
  const square = { w: LAYOUT.compactTile, h: LAYOUT.compactTile };
  const namedCapacity = tileCapacity(nodeW, nodeH, fit, gap);
  const useCompact = namedCapacity < maxPods && tileCapacity(nodeW, nodeH, square, LAYOUT.compactGap) > namedCapacity;
  const tile = useCompact ? { ...square, compact: true } : { ...fit, compact: false };

  const zones: ZoneBox[] = zoneNames.map((zone, zi) => {
    const rect: Rect = { x: pad + zi * (colW + pad), y: midTop, w: colW, h: midH };
    const nodes = (zonesByName.get(zone) ?? []).map((name, ni): NodeBox => {
      const c = ni % nodeCols;
      const rr = Math.floor(ni / nodeCols);
      const nodeRect: Rect = { x: rect.x + gap + c * (nodeW + gap), y: rect.y + zoneHeaderH + rr * (nodeH + gap), w: nodeW, h: nodeH };
      return { name, zone, rect: nodeRect, ...placePods(podsByNode.get(name) ?? [], nodeRect, tile) };
    });
    return { name: zone, rect, nodes };
  });

  let unscheduled: NodeBox | null = null;
  if (unscheduledPods.length) {
    const x = pad + zoneNames.length * (colW + pad);
    const rect: Rect = { x: x + gap, y: midTop + zoneHeaderH, w: colW - 2 * gap, h: midH - zoneHeaderH - gap };
    unscheduled = { name: '', zone: '', rect, ...placePods(unscheduledPods, rect, tile) };
  }

  return { width: W, height: H, controlPlane, etcd, quorum, components, slo, zones, unscheduled, services, servicesCompact, servicesHidden, servicesTitle, tile };
}

/** What a click on the map selects. */
export type MapTarget =
  | { kind: 'pod'; name: string }
  | { kind: 'node'; name: string }
  | { kind: 'etcd'; name: string }
  | { kind: 'component'; name: string }
  | { kind: 'service'; name: string };

function inside(rect: Rect, x: number, y: number): boolean {
  return x >= rect.x && x < rect.x + rect.w && y >= rect.y && y < rect.y + rect.h;
}

/**
 * The topmost thing at (x, y): a pod tile wins over the node card under it.
 *
 * @returns the target, or null for empty space.
 */
export function hitTest(layout: ClusterLayout, x: number, y: number): MapTarget | null {
  const nodes = [...layout.zones.flatMap((z) => z.nodes), ...(layout.unscheduled ? [layout.unscheduled] : [])];
  for (const n of nodes) {
    for (const p of n.pods) if (inside(p.rect, x, y)) return { kind: 'pod', name: p.name };
  }
  for (const n of nodes) if (n.name && inside(n.rect, x, y)) return { kind: 'node', name: n.name };
  for (const e of layout.etcd) if ((x - e.x) ** 2 + (y - e.y) ** 2 <= (e.r + 3) ** 2) return { kind: 'etcd', name: e.name };
  for (const c of layout.components) if (inside(c.rect, x, y)) return { kind: 'component', name: c.name };
  for (const s of layout.services) if (inside(s.rect, x, y)) return { kind: 'service', name: s.name };
  return null;
}

/**
 * Cut `text` to at most `maxChars` characters, ending with `…` when cut.
 */
export function truncate(text: string, maxChars: number): string {
  if (maxChars <= 0) return '';
  if (text.length <= maxChars) return text;
  return maxChars === 1 ? '…' : `${text.slice(0, maxChars - 1)}…`;
}

/**
 * A pod's short name for a tile: the Deployment name plus the pod's random suffix
 * (`frontend-7d9f8c6b5-x2k4q` -> `frontend-x2k4q`), or the pod name when it has no Deployment.
 */
export function podShortName(pod: Pick<PodView, 'name' | 'deployment'>): string {
  if (pod.deployment && pod.name.startsWith(`${pod.deployment}-`)) {
    const suffix = pod.name.slice(pod.name.lastIndexOf('-') + 1);
    return `${pod.deployment}-${suffix}`;
  }
  return pod.name;
}
