import { describe, expect, it } from 'vitest';
import { hitTest, layoutCluster, podShortName, truncate, type ClusterLayout, type Rect } from '../../client/src/view/layout.ts';
import { boutiqueTeam, key, pod, reversedInsertion } from './fixtures.ts';

/** Canvas size left for the map at a 1280x800 window (header, sidebar, console and legend taken). */
const W = 950;
const H = 500;

const within = (inner: Rect, outer: Rect): boolean =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w + 0.001 && inner.y + inner.h <= outer.y + outer.h + 0.001;
const overlap = (a: Rect, b: Rect): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function allPods(layout: ClusterLayout) {
  return [...layout.zones.flatMap((z) => z.nodes), ...(layout.unscheduled ? [layout.unscheduled] : [])].flatMap((n) => n.pods.map((p) => ({ ...p, node: n })));
}

describe('layoutCluster', () => {
  it('draws the Online Boutique cluster at 1280x800 with every pod inside its own node card', () => {
    const team = boutiqueTeam();
    const layout = layoutCluster(team, W, H);
    expect(layout.zones.map((z) => z.name)).toEqual(['europe-west1-b', 'europe-west1-c', 'europe-west1-d']);
    expect(layout.zones.map((z) => z.nodes.length)).toEqual([2, 2, 2]);
    const placed = allPods(layout);
    expect(placed).toHaveLength(team.pods.size);
    expect(new Set(placed.map((p) => p.name)).size).toBe(team.pods.size);
    for (const p of placed) {
      expect(team.pods.get(p.name)?.node).toBe(p.node.name);
      expect(within(p.rect, p.node.rect), p.name).toBe(true);
    }
    expect(layout.unscheduled).toBeNull();
    // Readable tiles: at least ~58 x 24 px.
    expect(layout.tile.w).toBeGreaterThanOrEqual(58);
    expect(layout.tile.h).toBeGreaterThanOrEqual(24);
  });

  it('keeps everything on the canvas and nothing overlapping', () => {
    const layout = layoutCluster(boutiqueTeam(), W, H);
    const canvas = { x: 0, y: 0, w: W, h: H };
    const cards = layout.zones.flatMap((z) => z.nodes.map((n) => n.rect));
    const blocks = [layout.controlPlane, layout.slo.panel, ...layout.zones.map((z) => z.rect), ...layout.services.map((s) => s.rect)];
    for (const r of [...blocks, ...cards]) expect(within(r, canvas)).toBe(true);
    for (let i = 0; i < cards.length; i++) for (let j = i + 1; j < cards.length; j++) expect(overlap(cards[i] as Rect, cards[j] as Rect)).toBe(false);
    const tiles = allPods(layout).map((p) => p.rect);
    for (let i = 0; i < tiles.length; i++) for (let j = i + 1; j < tiles.length; j++) expect(overlap(tiles[i] as Rect, tiles[j] as Rect)).toBe(false);
    const chips = layout.services.map((s) => s.rect);
    for (const c of chips) for (const z of layout.zones) expect(overlap(c, z.rect)).toBe(false);
    expect(layout.services.map((s) => s.name)).toEqual([...boutiqueTeam().services.keys()].sort());
  });

  it('keeps the Services strip to about a third of a small canvas (800x600 window): compact chips, the rest counted', () => {
    const team = boutiqueTeam();
    const [w, h] = [550, 370];
    const layout = layoutCluster(team, w, h);
    const strip = h - layout.servicesTitle.y;
    expect(strip).toBeLessThanOrEqual(Math.floor(h * 0.3) + 8);
    expect(layout.servicesCompact).toBe(true);
    expect(layout.services.length + layout.servicesHidden).toBe(team.services.size);
    for (const s of layout.services) expect(within(s.rect, { x: 0, y: 0, w, h })).toBe(true);
    // The zones keep the room: every Node card is at least tall enough for its header and one tile row.
    for (const n of layout.zones.flatMap((z) => z.nodes)) expect(n.rect.h).toBeGreaterThanOrEqual(34 + layout.tile.h);
    expect(allPods(layout).length).toBe(team.pods.size);
    // At 1280x800 nothing changes: full chips, all shown.
    const big = layoutCluster(team, W, H);
    expect(big.servicesCompact).toBe(false);
    expect(big.servicesHidden).toBe(0);
  });

  it('shows ~80 pods at 1280x720 as compact status-glyph tiles rather than hiding them behind "+N more"', () => {
    const team = boutiqueTeam();
    const nodes = [...team.nodes.keys()];
    for (let i = 0; i < 64; i++) {
      const p = pod(`frontend-abc-${String(i).padStart(2, '0')}`, nodes[i % nodes.length]!, 'frontend');
      team.pods.set(key(p.name), p);
    }
    const layout = layoutCluster(team, W, 430);
    expect(layout.tile.compact).toBe(true);
    const placed = allPods(layout);
    expect(placed).toHaveLength(team.pods.size);
    for (const p of placed) expect(within(p.rect, p.node.rect), p.name).toBe(true);
    const few = layoutCluster(boutiqueTeam(), W, 430);
    expect(few.tile.compact).toBe(false);
  });

  it('is deterministic: map insertion order does not move anything', () => {
    const team = boutiqueTeam();
    expect(layoutCluster(reversedInsertion(team), W, H)).toEqual(layoutCluster(team, W, H));
    const names = allPods(layoutCluster(team, W, H))
      .filter((p) => p.node.name === 'worker-1')
      .map((p) => p.name);
    expect(names).toEqual([...names].sort());
  });

  it('shrinks tiles when a node holds many pods and counts the ones that do not fit', () => {
    const team = boutiqueTeam();
    for (let i = 0; i < 60; i++) team.pods.set(`load-${String(i).padStart(2, '0')}`, pod(`load-${String(i).padStart(2, '0')}`, 'worker-1', 'load'));
    const normal = layoutCluster(boutiqueTeam(), W, H);
    const crowded = layoutCluster(team, W, H);
    expect(crowded.tile.h).toBeLessThanOrEqual(normal.tile.h);
    const w1 = crowded.zones.flatMap((z) => z.nodes).find((n) => n.name === 'worker-1');
    expect(w1).toBeDefined();
    if (!w1) return;
    for (const p of w1.pods) expect(within(p.rect, w1.rect)).toBe(true);
    const onNode = [...team.pods.values()].filter((p) => p.node === 'worker-1').length;
    expect(w1.pods.length + w1.hidden).toBe(onNode);
    expect(w1.hidden).toBeGreaterThan(0);
  });

  it('puts pods without a node in a Pending lane', () => {
    const team = boutiqueTeam();
    team.pods.set('frontend-6b8c9d7f5-zzzzz', pod('frontend-6b8c9d7f5-zzzzz', '', 'frontend', { status: 'Pending', ready: false }));
    const layout = layoutCluster(team, W, H);
    expect(layout.unscheduled?.pods.map((p) => p.name)).toEqual(['frontend-6b8c9d7f5-zzzzz']);
    expect(layout.zones).toHaveLength(3);
    const lane = layout.unscheduled?.rect as Rect;
    for (const z of layout.zones) expect(overlap(lane, z.rect)).toBe(false);
  });

  it('stays valid on a small canvas', () => {
    const layout = layoutCluster(boutiqueTeam(), 500, 320);
    for (const p of allPods(layout)) expect(within(p.rect, p.node.rect)).toBe(true);
    expect(allPods(layout).length + layout.zones.flatMap((z) => z.nodes).reduce((n, x) => n + x.hidden, 0)).toBe(boutiqueTeam().pods.size);
  });
});

describe('hitTest', () => {
  const team = boutiqueTeam();
  const layout = layoutCluster(team, W, H);
  const centre = (r: Rect): [number, number] => [r.x + r.w / 2, r.y + r.h / 2];

  it('selects the pod under the pointer before the node card around it', () => {
    const p = allPods(layout)[0];
    expect(p).toBeDefined();
    if (!p) return;
    expect(hitTest(layout, ...centre(p.rect))).toEqual({ kind: 'pod', name: p.name });
    expect(hitTest(layout, p.node.rect.x + 4, p.node.rect.y + 4)).toEqual({ kind: 'node', name: p.node.name });
  });

  it('selects etcd members, components and Services, and nothing in empty space', () => {
    const e = layout.etcd[1];
    expect(e && hitTest(layout, e.x + 2, e.y - 2)).toEqual({ kind: 'etcd', name: 'etcd-1' });
    const c = layout.components[0];
    expect(c && hitTest(layout, ...centre(c.rect))).toEqual({ kind: 'component', name: 'kube-apiserver' });
    const s = layout.services.find((x) => x.name === key('frontend'));
    expect(s && hitTest(layout, ...centre(s.rect))).toEqual({ kind: 'service', name: key('frontend') });
    expect(hitTest(layout, 1, 1)).toBeNull();
  });
});

describe('labels', () => {
  it('shortens pod names to Deployment + suffix and truncates with an ellipsis', () => {
    expect(podShortName({ name: 'frontend-7d9f8c6b5-x2k4q', deployment: 'frontend' })).toBe('frontend-x2k4q');
    expect(podShortName({ name: 'standalone', deployment: '' })).toBe('standalone');
    expect(truncate('checkoutservice', 8)).toBe('checkou…');
    expect(truncate('cart', 8)).toBe('cart');
    expect(truncate('cart', 0)).toBe('');
  });
});

describe('layoutCluster at an 800 px wide window (issue 9)', () => {
  it('keeps the control-plane and SLO panels side by side, apart and on the canvas', () => {
    // 800x600 window: the map gets ~550x370 (240 px sidebar); 800x720 gives it a little more height.
    for (const [w, h] of [[550, 370], [550, 490], [500, 320]] as const) {
      const layout = layoutCluster(boutiqueTeam(), w, h);
      const canvas = { x: 0, y: 0, w, h };
      expect(within(layout.controlPlane, canvas), `${w}x${h} control plane`).toBe(true);
      expect(within(layout.slo.panel, canvas), `${w}x${h} SLO panel`).toBe(true);
      expect(overlap(layout.controlPlane, layout.slo.panel), `${w}x${h}`).toBe(false);
      expect(within(layout.slo.gauge, layout.slo.panel)).toBe(true);
      expect(within(layout.slo.budget, layout.slo.panel)).toBe(true);
      for (const c of layout.components) expect(within(c.rect, layout.controlPlane), c.name).toBe(true);
    }
  });
});
