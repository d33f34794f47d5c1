/**
 * The one place where the benchmarks call code whose signatures are moving (server/rooms projection and
 * Schema, the sim's write entry points). When `projectTeam`, the room state, the game layer or the write
 * path change, adapt the functions below and nothing else in bench/.
 *
 * What a room does per patch, done in-process the way @colyseus/core does it: the room's state is
 * handed to the room's own serializer (server/rooms/serializer.ts `MatchSerializer`, the subclass of
 * @colyseus/core's `SchemaSerializer` that MatchRoom's `setSerializer` puts in its place; `reset(state)`,
 * as Room's `state` setter does), a join gets
 * `getFullState(client)` (the ROOM_STATE frame), and each patch is `onBeforePatch` (projection) then
 * `applyPatches(clients)` (one `encoder.encode()` of the changes shared by every client, one view
 * pass per StateView, then `discardChanges()`). The room's creator joins before the first
 * patch, so (as on the wire) its first patch repeats the whole state: the changes made since the state
 * was created. Clients are stand-ins that count the frames the serializer hands them (the bytes a
 * WebSocket would carry, protocol code included).
 *
 * May import server/rooms, shared/sim and @colyseus/core, @colyseus/schema.
 */
import { ClientState, type Client, type SchemaSerializer } from '@colyseus/core';
import { StateView, type Schema } from '@colyseus/schema';
import { applyAction, markDirty, step } from '../shared/sim/index.ts';
import type { SimAction, SimState } from '../shared/sim/types.ts';
import { isTerminating } from '../shared/sim/podutil.ts';
import { MatchStateSchema, PlayerSchema, type TeamSchema } from '../server/rooms/schema.ts';
import { projectTeam } from '../server/rooms/projection.ts';
import { createRoomTeam } from '../server/rooms/team.ts';
import { MatchSerializer } from '../server/rooms/serializer.ts';
import { TeamViews, registerTeam } from '../server/rooms/views.ts';
import { scoreOf, type ScoredTeam } from '../shared/game/score.ts';

/** Room-level fields a match shows (MatchRoom's onCreate sets the same ones). */
export interface RoomInfo {
  matchId: string;
  scenarioId: string;
  title: string;
  durationSeconds: number;
  /** Sim seconds per real second. */
  timeDilation: number;
}

/** A stand-in for a connected client: the frames the serializer sent it, in bytes. */
export interface BenchClient {
  client: Client;
  /** Byte length of each ROOM_STATE_PATCH frame received. */
  patches: number[];
}

/** A match room reduced to what costs CPU and bytes: state, serializer, one team, clients. */
export interface BenchRoom {
  state: MatchStateSchema;
  team: TeamSchema;
  sim: SimState;
  serializer: SchemaSerializer<Schema>;
  clients: BenchClient[];
  /** The same clients as @colyseus/core `Client`s, in join order: what `Room` hands `applyPatches` (its `clients` list, not a copy per patch). */
  roomClients: Client[];
  /** The per-client StateViews, as the room keeps them (server/rooms/views.ts). */
  views: TeamViews;
  /** The team as the game layer scores it (its cluster, no actions), kept like a Match's team. */
  scored: ScoredTeam;
}

/** One sim tick alone (`step`): `defaultStepMs` is the sim's own cost, the yardstick of `defaultRoomMs`. */
export function stepSim(sim: SimState): void {
  step(sim);
}

/** Copy the sim into the team's Schema, as the room's `onBeforePatch` does for a dirty team. */
export function projectRoom(room: BenchRoom): void {
  // As the room does: the game layer's score of the team (`scoreOf`; no actions in the bench), then the projection.
  projectTeam(room.team, room.sim, { score: scoreOf(room.scored) });
  room.views.refresh();
  room.state.t = room.sim.t;
}

/**
 * A room for `sim` with the team `blue` projected and no client yet; nothing encoded yet (the creator
 * joins before the first patch).
 */
export function createBenchRoom(sim: SimState, info: RoomInfo): BenchRoom {
  const state = new MatchStateSchema();
  const serializer = new MatchSerializer<Schema>();
  serializer.reset(state as unknown as Schema);
  const team = createRoomTeam('blue').schema;
  registerTeam(state, 'blue', team);
  const views = new TeamViews((id) => (id === 'blue' ? { schema: team, sim } : undefined));
  const scored: ScoredTeam = { sim, log: [], score: { actions: 0, actionCost: 0 } };
  const room: BenchRoom = { state, team, sim, serializer, clients: [], roomClients: [], views, scored };
  projectRoom(room);
  Object.assign(state, {
    matchId: info.matchId,
    scenarioId: info.scenarioId,
    scenarioTitle: info.title,
    phase: 'running',
    t: sim.t,
    durationSeconds: info.durationSeconds,
    timeDilation: info.timeDilation,
  });
  return room;
}

/**
 * Seat a player (as MatchRoom's onJoin does) and send it the full state.
 * @returns the ROOM_STATE frame's byte length (the join snapshot).
 */
export function joinClient(room: BenchRoom, name: string): number {
  const sessionId = `bench${String(room.clients.length).padStart(4, '0')}`; // 9 characters, like Colyseus' session ids
  const bench: BenchClient = { client: undefined as unknown as Client, patches: [] };
  const stub = {
    sessionId,
    state: ClientState.JOINED,
    view: undefined as StateView | undefined,
    raw(data: Uint8Array) {
      bench.patches.push(data.byteLength);
    },
  };
  bench.client = stub as unknown as Client;
  room.views.attach(stub, ['blue']); // as MatchRoom's onJoin: a player's view holds its own team
  room.state.players.set(sessionId, new PlayerSchema({ name, team: 'blue', trainer: false, connected: true, actions: 0 }));
  const full = room.serializer.getFullState(bench.client);
  room.clients.push(bench);
  room.roomClients.push(bench.client);
  return full.byteLength;
}

/**
 * One patch as the room sends it: the serializer's `applyPatches` over the joined clients.
 * @returns bytes sent to the first client by this patch (0 when nothing changed: no frame is sent).
 */
export function broadcastPatch(room: BenchRoom): number {
  const first = room.clients[0];
  const before = first?.patches.length ?? 0;
  room.serializer.applyPatches(room.roomClients);
  if (!first || first.patches.length === before) return 0;
  return first.patches[first.patches.length - 1]!;
}

/** A player action (setImage for the rollout), applied between ticks. @throws if the sim refuses it. */
export function simAction(sim: SimState, action: SimAction): void {
  const result = applyAction(sim, 'bench', action);
  if (!result.ok) throw new Error(`bench action ${action.type} refused: ${result.error}`);
}

/** The node-failure incident's "break": the Node's kubelet stops heartbeating. */
export function failNode(sim: SimState, node: string): void {
  const n = sim.nodes[node];
  if (!n) throw new Error(`bench: node ${node} not found`);
  n.sim.kubeletUp = false;
  markDirty(sim, 'nodes', node);
}

/** Keys of the Pods bound to `node` that are not terminating (an O(Pods) scan: call outside timings). */
export function livePodsOn(sim: SimState, node: string): string[] {
  return Object.keys(sim.pods)
    .filter((k) => sim.pods[k]!.spec.nodeName === node && !isTerminating(sim.pods[k]!))
    .sort();
}

/** How many of `keys` are still Pods that are not terminating. */
export function countLive(sim: SimState, keys: readonly string[]): number {
  let n = 0;
  for (const k of keys) {
    const pod = sim.pods[k];
    if (pod && !isTerminating(pod)) n++;
  }
  return n;
}

/** How many of `keys` are Pods that are Ready. */
export function countReady(sim: SimState, keys: readonly string[]): number {
  let n = 0;
  for (const k of keys) if (sim.pods[k]?.sim.ready) n++;
  return n;
}

/** Pod count of the sim. */
export function podCount(sim: SimState): number {
  return Object.keys(sim.pods).length;
}

/**
 * True when Deployment `key`'s rollout is complete: every replica updated and available, no old ones,
 * status observed for the current generation (the DeploymentComplete test of controllers/deployment.ts).
 */
export function rolloutComplete(sim: SimState, key: string): boolean {
  const d = sim.deployments[key];
  if (!d) return true;
  const s = d.status;
  const replicas = d.spec.replicas;
  return s.updatedReplicas === replicas && s.availableReplicas === replicas && s.replicas === replicas && s.observedGeneration >= d.metadata.generation;
}
