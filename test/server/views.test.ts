/**
 * Per-team StateViews (server/rooms/views.ts) with the real Encoder and Reflection decoder, as the
 * room and the SDK use them: two teams with different clusters, a player of each and a trainer. A
 * player of one team never receives the other team's objects (checked on the decoded state and on
 * the bytes); the trainer sees both. In a large cluster (a low Pod limit here) only the focused
 * Node's, Deployment's or Service's detail and Pods are sent, while every Node and Deployment summary
 * carries its Pod counts.
 */
import { describe, expect, it } from 'vitest';
import { Encoder, Reflection, type Decoder, type StateView } from '@colyseus/schema';
import { applyAction, createSim, podDisplayStatus, step } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { MatchStateSchema, TeamSchema } from '../../server/rooms/schema.ts';
import { projectTeam, teamDetailOf } from '../../server/rooms/projection.ts';
import { TeamViews, registerTeam, type ViewClient } from '../../server/rooms/views.ts';
import { snapshotState } from '../../client/src/view/stateMirror.ts';

interface Match {
  state: MatchStateSchema;
  teams: Map<string, { schema: TeamSchema; sim: SimState }>;
  encoder: Encoder;
  views: TeamViews;
}

function match(allPodsLimit?: number): Match {
  const state = new MatchStateSchema();
  const teams = new Map<string, { schema: TeamSchema; sim: SimState }>();
  const sims: [string, SimState][] = [
    // kube-system off: these clusters stand for small ones (guestbook's 6 Pods below a limit of 8).
    ['blue', createSim({ ...resolveSimInput({ scenario: 'guestbook', seed: 11 }).input, kubeSystem: false })],
    ['red', createSim({ ...resolveSimInput({ scenario: 'online-boutique', seed: 12 }).input, kubeSystem: false })],
  ];
  for (const [id, sim] of sims) {
    const schema = new TeamSchema();
    schema.id = id;
    registerTeam(state, id, schema);
    projectTeam(schema, sim, { score: 0 });
    teams.set(id, { schema, sim });
  }
  const encoder = new Encoder(state);
  return { state, teams, encoder, views: new TeamViews((id) => teams.get(id), allPodsLimit) };
}

/** A connected client: its view, decoder and every byte it received. */
interface Seat extends ViewClient {
  decoder: Decoder;
  received: Uint8Array[];
}

function join(m: Match, sessionId: string, teams: string[]): Seat {
  const client: ViewClient = { sessionId };
  m.views.attach(client, teams);
  const decoder = Reflection.decode(Reflection.encode(m.encoder));
  const it = { offset: 0 };
  m.encoder.encodeAll(it);
  const bytes = m.encoder.encodeAllView(client.view as StateView, it.offset, it).slice();
  decoder.decode(bytes);
  return { ...client, view: client.view, decoder, received: [bytes] };
}

/** One tick of both clusters, projection, view refresh, and a patch to every seat. */
function tick(m: Match, seats: Seat[], n = 1): void {
  for (let i = 0; i < n; i++) for (const t of m.teams.values()) step(t.sim);
  patch(m, seats);
}
function patch(m: Match, seats: Seat[]): void {
  for (const t of m.teams.values()) projectTeam(t.schema, t.sim, { score: 1 });
  m.views.refresh();
  const it = { offset: 0 };
  m.encoder.encode(it);
  const shared = it.offset;
  for (const seat of seats) {
    const bytes = m.encoder.encodeView(seat.view as StateView, shared, { offset: shared }).slice();
    seat.received.push(bytes);
    seat.decoder.decode(bytes);
  }
  m.encoder.discardChanges();
}

const seen = (seat: Seat) => snapshotState(seat.decoder.state);
const bytesOf = (seat: Seat) => Buffer.concat(seat.received).toString('latin1');
const podsOnNode = (sim: SimState, node: string) => Object.keys(sim.pods).filter((k) => sim.pods[k]!.spec.nodeName === node).sort();

describe('per-team StateViews', () => {
  it('a client of one team never receives the other team; a trainer sees both', () => {
    const m = match();
    const blue = join(m, 'b1', ['blue']);
    const red = join(m, 'r1', ['red']);
    const trainer = join(m, 't1', ['blue', 'red']);
    const seats = [blue, red, trainer];
    const blueSim = m.teams.get('blue')!.sim;
    const redSim = m.teams.get('red')!.sim;
    for (let i = 0; i < 40; i++) {
      if (i === 10) applyAction(redSim, 'r', { type: 'scaleDeployment', deployment: 'frontend', replicas: 6 });
      if (i === 12) applyAction(blueSim, 'b', { type: 'scaleDeployment', deployment: 'frontend', replicas: 4 });
      tick(m, seats);
      expect([...seen(blue).teams.keys()]).toEqual(['blue']);
      expect([...seen(red).teams.keys()]).toEqual(['red']);
      expect([...seen(trainer).teams.keys()]).toEqual(['blue', 'red']);
    }
    expect([...seen(blue).teams.get('blue')!.pods.keys()]).toEqual(Object.keys(blueSim.pods).sort());
    expect([...seen(red).teams.get('red')!.pods.keys()]).toEqual(Object.keys(redSim.pods).sort());
    expect(seen(trainer).teams.get('red')!.pods.size).toBe(Object.keys(redSim.pods).length);
    expect(seen(trainer).teams.get('blue')!.deployments.get('default/frontend')?.replicas).toBe(4);
    // Not one of red's Pod or Node names ever reached the blue player's socket (and the reverse).
    const blueBytes = bytesOf(blue);
    const redBytes = bytesOf(red);
    for (const k of Object.keys(redSim.pods)) expect(blueBytes).not.toContain(redSim.pods[k]!.metadata.name);
    const redOnlyNodes = Object.keys(redSim.nodes).filter((n) => !(n in blueSim.nodes));
    expect(redOnlyNodes.length).toBeGreaterThan(0);
    for (const n of redOnlyNodes) expect(blueBytes).not.toContain(n);
    for (const k of Object.keys(blueSim.pods)) expect(redBytes).not.toContain(blueSim.pods[k]!.metadata.name);
    expect(bytesOf(trainer)).toContain(Object.values(redSim.pods)[0]!.metadata.name);
  });

  it('in a large cluster sends the Pods of the focused Node, Deployment or Service only, and counts for all', () => {
    const m = match(10);
    const player = join(m, 'r1', ['red']);
    const small = join(m, 'b1', ['blue']);
    const seats = [player, small];
    const sim = m.teams.get('red')!.sim;
    tick(m, seats, 5);
    const red = () => seen(player).teams.get('red')!;
    expect(Object.keys(sim.pods).length).toBeGreaterThan(10);
    expect(red().pods.size).toBe(0);
    // The overview needs no Pod detail: every Pod is counted on its Node and its Deployment.
    const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
    const bound = Object.values(sim.pods).filter((p) => p.spec.nodeName).length;
    expect([...red().nodes.values()].reduce((n, node) => n + total(node.podsByStatus), 0)).toBe(bound);
    expect(total(red().deployments.get('default/frontend')!.podsByStatus)).toBe(sim.deployments['default/frontend']!.status.replicas);
    // Below the limit (blue: guestbook), every Pod as before.
    expect(seen(small).teams.get('blue')!.pods.size).toBe(Object.keys(m.teams.get('blue')!.sim.pods).length);

    const node = Object.keys(sim.nodes).sort().find((n) => podsOnNode(sim, n).length > 0)!;
    m.views.focus(player, { kind: 'Node', key: node });
    patch(m, seats);
    expect([...red().pods.keys()]).toEqual(podsOnNode(sim, node));
    expect(red().pods.get(podsOnNode(sim, node)[0]!)?.node).toBe(node);
    // The focused Node's detail arrives; the other Nodes stay summaries (name and counts).
    const other = Object.keys(sim.nodes).sort().find((n) => n !== node)!;
    expect(red().nodes.get(node)).toMatchObject({ name: node, cpuAllocatable: sim.nodes[node]!.sim.cpuAllocatableMilli, status: 'Ready', ready: true });
    expect(red().nodes.get(other)).toMatchObject({ name: other, cpuAllocatable: 0, status: '' });
    expect(total(red().nodes.get(other)!.podsByStatus)).toBe(podsOnNode(sim, other).length);

    // New Pods that land on the focused Node follow; others do not arrive.
    applyAction(sim, 'r', { type: 'scaleDeployment', deployment: 'frontend', replicas: 12 });
    tick(m, seats, 8);
    expect([...red().pods.keys()]).toEqual(podsOnNode(sim, node));

    m.views.focus(player, { kind: 'Deployment', key: 'default/frontend' });
    patch(m, seats);
    const frontend = Object.keys(sim.pods).filter((k) => sim.pods[k]!.metadata.name.startsWith('frontend-')).sort();
    expect([...red().pods.keys()]).toEqual(frontend);
    expect(red().deployments.get('default/frontend')?.replicas).toBe(12);
    expect(red().nodes.get(node)?.cpuAllocatable).toBe(0);

    m.views.focus(player, { kind: 'Service', key: 'default/cartservice' });
    patch(m, seats);
    const endpoints = sim.endpoints['default/cartservice']!.endpoints.map((e) => `default/${e.targetRef.name}`).sort();
    expect(endpoints.length).toBeGreaterThan(0);
    expect([...red().pods.keys()]).toEqual(endpoints);
    expect(red().services.get('default/cartservice')?.totalEndpoints).toBe(endpoints.length);
    expect(red().deployments.get('default/frontend')?.replicas).toBe(0);

    m.views.focus(player, null);
    patch(m, seats);
    expect(red().pods.size).toBe(0);
  });

  it('in a large cluster writes Pod entries only for the Pods some client looks at (issue 12)', () => {
    const m = match(10);
    const player = join(m, 'r1', ['red']);
    const { schema, sim } = m.teams.get('red')!;
    tick(m, [player], 2);
    const before = new Set(teamDetailOf(schema).pods.keys());
    applyAction(sim, 'r', { type: 'scaleDeployment', deployment: 'frontend', replicas: 12 });
    tick(m, [player], 8);
    // The new Pods cost no entry on the server (nobody looks at them), yet they are counted.
    const fresh = Object.keys(sim.pods).filter((k) => !before.has(k)).sort();
    expect(fresh.length).toBeGreaterThan(0);
    for (const k of fresh) expect(teamDetailOf(schema).pods.has(k)).toBe(false);
    const red = () => seen(player).teams.get('red')!;
    const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
    expect(total(red().deployments.get('default/frontend')!.podsByStatus)).toBe(12);
    // Looking at the Deployment writes and sends its Pods, as fresh as the sim.
    m.views.focus(player, { kind: 'Deployment', key: 'default/frontend' });
    patch(m, [player]);
    const frontend = Object.keys(sim.pods).filter((k) => sim.pods[k]!.metadata.name.startsWith('frontend-')).sort();
    expect([...red().pods.keys()]).toEqual(frontend);
    for (const k of frontend) expect(red().pods.get(k)?.status).toBe(podDisplayStatus(sim.pods[k]!, sim.t));
    tick(m, [player], 3);
    for (const k of frontend) expect(red().pods.get(k)?.status).toBe(podDisplayStatus(sim.pods[k]!, sim.t));
  });

  it('follows a cluster growing past the limit and shrinking back', () => {
    const m = match(8);
    const player = join(m, 'b1', ['blue']);
    const sim = m.teams.get('blue')!.sim;
    const blue = () => seen(player).teams.get('blue')!;
    tick(m, [player]);
    expect(Object.keys(sim.pods).length).toBeLessThanOrEqual(8);
    expect(blue().pods.size).toBe(Object.keys(sim.pods).length);
    expect(blue().nodes.get('node-a1')?.cpuAllocatable).toBeGreaterThan(0);

    applyAction(sim, 'b', { type: 'scaleDeployment', deployment: 'frontend', replicas: 8 });
    tick(m, [player], 3);
    expect(Object.keys(sim.pods).length).toBeGreaterThan(8);
    expect(blue().pods.size).toBe(0);
    expect(blue().nodes.get('node-a1')?.cpuAllocatable).toBe(0);
    m.views.focus(player, { kind: 'Node', key: 'node-a1' });
    patch(m, [player]);
    expect([...blue().pods.keys()]).toEqual(podsOnNode(sim, 'node-a1'));
    expect(blue().nodes.get('node-a1')?.cpuAllocatable).toBeGreaterThan(0);

    applyAction(sim, 'b', { type: 'scaleDeployment', deployment: 'frontend', replicas: 1 });
    for (let i = 0; i < 60 && Object.keys(sim.pods).length > 8; i++) tick(m, [player]);
    tick(m, [player]);
    expect(Object.keys(sim.pods).length).toBeLessThanOrEqual(8);
    expect([...blue().pods.keys()]).toEqual(Object.keys(sim.pods).sort());
    expect(blue().deployments.get('default/frontend')?.replicas).toBe(1);
  });
});
