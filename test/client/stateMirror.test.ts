/**
 * The StateMirror against the real thing: the server's Schema (server/rooms/schema.ts) encoded with
 * @colyseus/schema's Encoder for a player's StateView (server/rooms/views.ts: the team and all its
 * Pods) and decoded through Reflection, as the SDK does in the browser.
 */
import { describe, expect, it } from 'vitest';
import { Decoder, Encoder, Reflection, StateView } from '@colyseus/schema';
import { EtcdMemberSchema, MatchStateSchema, NodeDetailSchema, PlayerSchema, PodSchema, TeamDetailSchema, TeamSchema } from '../../server/rooms/schema.ts';
import { StateMirror, snapshotState, teamOf } from '../../client/src/view/stateMirror.ts';

function serverState() {
  const state = new MatchStateSchema();
  state.matchId = 'm-1';
  state.scenarioId = 'online-boutique';
  state.scenarioTitle = 'Online Boutique';
  state.t = 754;
  state.durationSeconds = 3600;
  const team = new TeamSchema();
  team.id = 'blue';
  const teamDetail = new TeamDetailSchema();
  for (const name of ['worker-2', 'worker-1']) {
    team.nodes.set(name, ''); // the summary: its Pod counts (none here)
    const d = new NodeDetailSchema();
    d.zone = 'zone-a';
    d.status = 'Ready';
    d.ready = true;
    teamDetail.nodes.set(name, d);
  }
  const p = new PodSchema();
  p.name = 'frontend-abc-x1';
  p.node = 'worker-1';
  p.deployment = 'frontend';
  p.status = 'Running';
  p.ready = true;
  teamDetail.pods.set(`default/${p.name}`, p);
  for (const [name, leader] of [['etcd-0', true], ['etcd-1', false], ['etcd-2', false]] as const) {
    const m = new EtcdMemberSchema();
    m.name = name;
    m.healthy = true;
    m.leader = leader;
    team.etcd.push(m);
  }
  team.slo.availability = 0.9987;
  team.slo.availabilityTarget = 0.995;
  team.slo.errorBudgetRemaining = 0.74;
  state.teams.set('blue', team);
  state.teamDetail.set('blue', teamDetail);
  const player = new PlayerSchema();
  player.name = 'ada';
  player.team = 'blue';
  state.players.set('session-1', player);
  return { state, team, pods: teamDetail, pod: p };
}

/** A player's StateView (made once the Encoder exists): the team and all its Pods and detail (a small cluster). */
function playerView(team: TeamSchema, detail: TeamDetailSchema): StateView {
  const view = new StateView();
  view.add(team);
  view.add(detail);
  for (const map of [detail.pods, detail.nodes, detail.deployments, detail.services]) view.subscribe(map);
  return view;
}

/** What the encoder sends to the client whose StateView is `view`. */
function clientOf(encoder: Encoder, view: StateView): Decoder {
  const decoder = Reflection.decode(Reflection.encode(encoder));
  const it = { offset: 0 };
  encoder.encodeAll(it);
  decoder.decode(encoder.encodeAllView(view, it.offset, it));
  return decoder;
}

function patchOf(encoder: Encoder, view: StateView): Uint8Array {
  const it = { offset: 0 };
  encoder.encode(it);
  return encoder.encodeView(view, it.offset, it);
}

describe('StateMirror', () => {
  it('turns the decoded Schema state into a plain MatchStateView', () => {
    const served = serverState();
    const encoder = new Encoder(served.state);
    const decoder = clientOf(encoder, playerView(served.team, served.pods));
    const view = snapshotState(decoder.state);
    expect(view.scenarioTitle).toBe('Online Boutique');
    expect(view.t).toBe(754);
    expect(view.phase).toBe('running');
    const team = teamOf(view, 'session-1');
    expect(team?.id).toBe('blue');
    expect([...(team?.nodes.keys() ?? [])]).toEqual(['worker-1', 'worker-2']);
    expect(team?.pods.get('default/frontend-abc-x1')).toMatchObject({ node: 'worker-1', deployment: 'frontend', status: 'Running', ready: true, restarts: 0 });
    expect(team?.etcd.map((m) => [m.name, m.leader])).toEqual([
      ['etcd-0', true],
      ['etcd-1', false],
      ['etcd-2', false],
    ]);
    expect(team?.etcdQuorum).toBe(true);
    expect(team?.slo.errorBudgetRemaining).toBeCloseTo(0.74);
    expect(team?.pods).toBeInstanceOf(Map);
    expect(view.players.get('session-1')).toEqual({ name: 'ada', team: 'blue', trainer: false, connected: true, actions: 0, id: '', role: '', spectator: false, ready: false, bot: false });
  });

  it('follows patches: a pod turning OOMKilled, a new pod, a removed node', () => {
    const { state, team, pods, pod } = serverState();
    const encoder = new Encoder(state);
    const view = playerView(team, pods);
    const decoder = clientOf(encoder, view);
    encoder.discardChanges();
    const mirror = new StateMirror();
    const seen: number[] = [];
    mirror.subscribe((v) => seen.push(v.teams.get('blue')?.pods.size ?? -1));
    const before = mirror.update(decoder.state);

    pod.status = 'OOMKilled';
    pod.restarts = 3;
    const extra = new PodSchema();
    extra.name = 'frontend-abc-x2';
    extra.status = 'Pending';
    pods.pods.set(`default/${extra.name}`, extra);
    team.nodes.delete('worker-2');
    pods.nodes.delete('worker-2');
    decoder.decode(patchOf(encoder, view));
    encoder.discardChanges();
    const after = mirror.update(decoder.state);

    expect(before.teams.get('blue')?.pods.get('default/frontend-abc-x1')?.status).toBe('Running');
    expect(after.teams.get('blue')?.pods.get('default/frontend-abc-x1')).toMatchObject({ status: 'OOMKilled', restarts: 3 });
    expect(after.teams.get('blue')?.pods.get('default/frontend-abc-x2')?.node).toBe('');
    expect([...(after.teams.get('blue')?.nodes.keys() ?? [])]).toEqual(['worker-1']);
    expect(seen).toEqual([1, 2]);
    expect(mirror.version).toBe(2);
    expect(mirror.team('session-1')?.id).toBe('blue');
  });

  it('fills neutral defaults for missing fields and picks a team for unknown sessions', () => {
    const view = snapshotState({ teams: { red: { nodes: {} }, blue: { nodes: { n1: { name: 'n1' } } } }, phase: 'bogus' });
    expect(view.phase).toBe('running');
    expect(view.teams.get('blue')?.nodes.get('n1')).toMatchObject({ ready: false, cpuAllocatable: 0, status: '' });
    expect(view.teams.get('red')?.slo.errorBudgetRemaining).toBe(1);
    expect(teamOf(view, 'nobody')?.id).toBe('blue');
    expect(snapshotState(null).teams.size).toBe(0);
    expect(new StateMirror().team('x')).toBeUndefined();
  });
});
