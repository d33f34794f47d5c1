/**
 * server/rooms/serializer.ts: the room's `MatchSerializer` sends every client the same bytes as
 * @colyseus/core's `SchemaSerializer`. Two copies of one match (same scenarios and seeds, same
 * clients, same events) run side by side, one per serializer, and every frame each client receives
 * is compared: players of two teams and a trainer, a join mid-match (a view with pending changes), a
 * client still joining, a client without a view, focus changes in a cluster over the Pod limit, a
 * move to another team, a leave, and a patch that outgrows the encoder's 16 KB buffer (a late
 * joiner's first patch of the 540-Pod big-fleet cluster). The frames also decode, with the SDK's
 * decoder, into the state the server projected.
 */
import { describe, expect, it } from 'vitest';
import { ClientState, SchemaSerializer, type Client } from '@colyseus/core';
import { Encoder, Reflection, type StateView } from '@colyseus/schema';
import { applyAction, createSim, step } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { MatchStateSchema, TeamSchema } from '../../server/rooms/schema.ts';
import { projectTeam } from '../../server/rooms/projection.ts';
import { TeamViews, registerTeam } from '../../server/rooms/views.ts';
import { MatchSerializer } from '../../server/rooms/serializer.ts';
import { snapshotState } from '../../client/src/view/stateMirror.ts';

/** A stand-in client: what the serializer hands its transport, copied. */
interface Stub {
  sessionId: string;
  state: number;
  view?: StateView;
  frames: Uint8Array[];
  raw(data: Uint8Array): void;
}

interface Copy {
  state: MatchStateSchema;
  serializer: SchemaSerializer<MatchStateSchema>;
  teams: Map<string, { schema: TeamSchema; sim: SimState }>;
  views: TeamViews;
  clients: Stub[];
}

function copy(serializer: SchemaSerializer<MatchStateSchema>, allPodsLimit: number): Copy {
  const state = new MatchStateSchema();
  serializer.reset(state);
  const teams = new Map<string, { schema: TeamSchema; sim: SimState }>();
  const sims: [string, SimState][] = [
    ['blue', createSim(resolveSimInput({ scenario: 'online-boutique', seed: 3 }).input)],
    ['red', createSim({ ...resolveSimInput({ scenario: 'big-fleet', seed: 4 }).input, kubeSystem: false })],
  ];
  for (const [id, sim] of sims) {
    const schema = new TeamSchema();
    schema.id = id;
    registerTeam(state, id, schema);
    projectTeam(schema, sim, { score: 0 });
    teams.set(id, { schema, sim });
  }
  state.phase = 'running';
  return { state, serializer, teams, views: new TeamViews((id) => teams.get(id), allPodsLimit), clients: [] };
}

function stub(sessionId: string): Stub {
  const s: Stub = {
    sessionId,
    state: ClientState.JOINED,
    frames: [],
    raw(data: Uint8Array) {
      s.frames.push(Uint8Array.from(data));
    },
  };
  return s;
}

function join(c: Copy, sessionId: string, teams: string[] | null): Stub {
  const client = stub(sessionId);
  if (teams !== null) c.views.attach(client, teams);
  client.frames.push(Uint8Array.from(c.serializer.getFullState(client as unknown as Client)));
  c.clients.push(client);
  return client;
}

/** Projection and view refresh, as the room's onBeforePatch. */
function project(c: Copy, score: number): void {
  let t = 0;
  for (const team of c.teams.values()) {
    projectTeam(team.schema, team.sim, { score });
    t = Math.max(t, team.sim.t);
  }
  c.views.refresh();
  c.state.t = t;
}

/** True when the patch about to go out is one MatchSerializer encodes itself (see its file comment). */
function lean(c: Copy): boolean {
  return c.clients.every((x) => x.state !== ClientState.JOINED || (x.view !== undefined && x.view.changes.size === 0));
}

const session = (c: Copy, id: string) => c.clients.find((x) => x.sessionId === id)!;

/** Runs both copies through the same match and events; returns them and the lean patches' count. */
function play(allPodsLimit: number): { library: Copy; ours: Copy; lean: number; leanOver16k: number } {
  const library = copy(new SchemaSerializer<MatchStateSchema>(), allPodsLimit);
  const ours = copy(new MatchSerializer<MatchStateSchema>(), allPodsLimit);
  const both = [library, ours];
  for (const c of both) {
    join(c, 'p-blue', ['blue']); // the creator joins before the first patch
    join(c, 'p-red', ['red']);
  }
  let leanPatches = 0;
  let leanOver16k = 0;
  for (let i = 0; i < 240; i++) {
    for (const c of both) {
      const blue = c.teams.get('blue')!.sim;
      const red = c.teams.get('red')!.sim;
      if (i === 30) applyAction(blue, 'p', { type: 'scaleDeployment', deployment: 'frontend', replicas: 4 });
      if (i === 40) join(c, 'trainer', ['blue', 'red']);
      if (i === 50) join(c, 'no-view', null);
      if (i === 60) session(c, 'no-view').state = ClientState.LEAVING;
      if (i === 61) c.clients.splice(c.clients.indexOf(session(c, 'no-view')), 1);
      if (i === 70) c.views.focus(session(c, 'p-red'), { kind: 'Deployment', key: 'default/cache' });
      if (i === 90) {
        const late = stub('joining');
        late.state = ClientState.JOINING;
        c.clients.push(late);
      }
      if (i === 95) {
        const late = session(c, 'joining');
        c.views.attach(late, ['red']);
        late.frames.push(Uint8Array.from(c.serializer.getFullState(late as unknown as Client)));
        late.state = ClientState.JOINED;
      }
      if (i === 120) c.views.retarget(session(c, 'p-blue'), ['red']);
      if (i === 150) applyAction(red, 'p', { type: 'scaleDeployment', deployment: 'cache', replicas: 70 });
      if (i === 160) c.views.retarget(session(c, 'p-blue'), ['blue']);
      // ~200 new Pods in one tick, to a client subscribed to every Pod: a patch over 16 KB.
      if (i === 170) applyAction(blue, 'p', { type: 'scaleDeployment', deployment: 'frontend', replicas: 200 });
      if (i === 200) {
        const gone = session(c, 'trainer');
        c.views.detach(gone);
        c.clients.splice(c.clients.indexOf(gone), 1);
      }
      if (i % 3 !== 2) {
        step(blue);
        step(red);
      }
      project(c, 1000 - i);
    }
    const sent = session(ours, 'p-blue').frames.length;
    const wasLean = lean(ours);
    for (const c of both) c.serializer.applyPatches(c.clients as unknown as Client[]);
    if (wasLean) leanPatches++;
    if (wasLean && (session(ours, 'p-blue').frames[sent]?.byteLength ?? 0) > 16 * 1024) leanOver16k++;
  }
  return { library, ours, lean: leanPatches, leanOver16k };
}

describe('MatchSerializer', () => {
  it.each([
    ['the default 16 KB buffer', 16 * 1024],
    ['a 64-byte buffer (every kind of patch outgrows it)', 64],
  ])('sends every client the bytes SchemaSerializer sends, with %s', (_, size) => {
    const warn = console.warn;
    const bufferSize = Encoder.BUFFER_SIZE;
    console.warn = () => {}; // the encoder's "buffer overflow" note when a patch outgrows its buffer
    Encoder.BUFFER_SIZE = size;
    try {
      const { library, ours, lean: leanPatches, leanOver16k } = play(300);
      // Most patches took the lean path (one over 16 KB); every frame is the library's.
      expect(leanPatches).toBeGreaterThan(150);
      expect(leanOver16k).toBeGreaterThan(0);
      const ids = library.clients.map((x) => x.sessionId);
      expect(ours.clients.map((x) => x.sessionId)).toEqual(ids);
      expect(ids).toEqual(['p-blue', 'p-red', 'joining']);
      for (const id of ids) {
        const a = session(library, id).frames;
        const b = session(ours, id).frames;
        expect(b.length).toBe(a.length);
        for (let k = 0; k < a.length; k++) expect(Buffer.from(b[k]!).equals(Buffer.from(a[k]!)), `${id} frame ${k}`).toBe(true);
      }

      // What the SDK's decoder makes of our frames is what the server projected.
      const encoder = (ours.serializer as unknown as { encoder: Encoder }).encoder;
      const seen = (id: string) => {
        const decoder = Reflection.decode(Reflection.encode(encoder));
        for (const frame of session(ours, id).frames) decoder.decode(frame.subarray(1));
        return snapshotState(decoder.state);
      };
      const server = snapshotState(ours.state);
      const blue = seen('p-blue');
      expect(blue.t).toBe(ours.teams.get('blue')!.sim.t);
      expect([...blue.teams.keys()]).toEqual(['blue']);
      expect(blue.teams.get('blue')!.slo).toEqual(server.teams.get('blue')!.slo);
      expect(blue.teams.get('blue')!.score).toBe(1000 - 239);
      expect([...blue.teams.get('blue')!.pods.keys()]).toEqual([...server.teams.get('blue')!.pods.keys()]);
      expect(blue.teams.get('blue')!.pods.size).toBeGreaterThan(200);
      expect([...seen('joining').teams.keys()]).toEqual(['red']);
      const red = seen('p-red').teams.get('red')!;
      expect(red.deployments.get('default/cache')?.replicas).toBe(70);
      expect(red.pods.size).toBe(70); // the focused Deployment's Pods only
    } finally {
      console.warn = warn;
      Encoder.BUFFER_SIZE = bufferSize;
    }
  });
});
