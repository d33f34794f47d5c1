/**
 * The authorization matrix (issue 10): six actors against every trainer action and every team action,
 * over the room (real Colyseus clients) and over HTTP (the workshop routes and the team's Kubernetes
 * API with each player's own token). One row per (actor, action): only the right actors succeed, the
 * others get a clear refusal (a `reply` with `ok: false` and its reason, or an HTTP 401 / 403 JSON).
 *
 * Team actions: the lobby's `ready`, a console command, a structured action, a workflow update (each
 * on the actor's own team: spectators and the spectating trainer watch), and a Kubernetes API write to
 * team blue's cluster (only blue's players). Trainer actions: every `control` op, `bot`, the lobby's
 * `start`, joining with `trainer: true`, and the workshop HTTP routes.
 *
 * Actors, all in one workshop's room (race, 2 teams, teams placed by the server):
 * - `guest`: a guest token (`POST /api/session/guest`), on team blue;
 * - `player`: a registered account, team blue (the team the team actions are about);
 * - `otherTeam`: a registered account on team red;
 * - `spectator`: an anonymous spectator (no token);
 * - `trainer`: this workshop's trainer (account `coach`);
 * - `otherTrainer`: a trainer account who runs another workshop; here they can only be a player (red).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import type { CredentialsMessage, ReplyMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { ask, nextMessage, signIn, startTestServer, waitFor } from './helpers.ts';

const ACTORS = ['guest', 'player', 'otherTeam', 'spectator', 'trainer', 'otherTrainer'] as const;
type Actor = (typeof ACTORS)[number];

let server: RunningServer;
/** Session tokens over HTTP (the anonymous spectator has none). */
const tokens = new Map<Actor, string | undefined>();
const rooms = new Map<Actor, Room>();
/** Each actor's Kubernetes API token (the room's `credentials`). */
const k8sTokens = new Map<Actor, string>();
let matchId = '';
let workshop: { id: string; code: string; roomId: string };
let rivalWorkshop: { id: string };
const extraRooms: Room[] = [];

/** The outcome of one attempt: allowed or refused, with what the actor saw. */
interface Outcome {
  ok: boolean;
  detail: string;
}

async function http(method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: { error?: string } & Record<string, unknown>; text: string }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // SVG, CSV, Markdown
  }
  return { status: res.status, body: parsed, text };
}

/** An HTTP attempt: allowed = not 401/403 (a 409 "not now" is an allowed actor hearing "later"); refused = 401/403 with a JSON error. */
async function httpOutcome(method: string, path: string, actor: Actor, body?: unknown): Promise<Outcome> {
  const res = await http(method, path, tokens.get(actor), body);
  if (res.status === 401 || res.status === 403) {
    expect(res.body.error, `${method} ${path} by ${actor}: a refusal says why`).toEqual(expect.any(String));
    return { ok: false, detail: `${res.status} ${res.body.error}` };
  }
  return { ok: res.status < 500, detail: `${res.status}` };
}

/** A room attempt: the reply. */
async function roomOutcome(actor: Actor, type: string, message: Record<string, unknown>): Promise<Outcome> {
  const room = rooms.get(actor)!;
  const reply: ReplyMessage = await ask(room, type, { id: `${type}-${actor}-${Math.random().toString(36).slice(2, 8)}`, ...message });
  if (!reply.ok) expect(reply.error, `${type} by ${actor}: a refusal says why`).toEqual(expect.any(String));
  return { ok: reply.ok, detail: reply.ok ? (reply.output ?? '') : (reply.error ?? '') };
}

/** A Kubernetes API write to team blue's cluster with the actor's own token (`kubectl scale`). */
async function k8sScaleBlue(actor: Actor): Promise<Outcome> {
  const res = await fetch(`${server.url}/k8s/${matchId}/blue/apis/apps/v1/namespaces/default/deployments/frontend/scale`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${k8sTokens.get(actor)}`, 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ spec: { replicas: 3 } }),
  });
  const body = (await res.json()) as { message?: string; kind?: string };
  if (!res.ok) expect(body.message, `k8s write by ${actor}: a Status says why`).toEqual(expect.any(String));
  return { ok: res.ok, detail: `${res.status} ${body.message ?? ''}` };
}

/** One action of the matrix: who may do it, how it is tried, what a refusal must say. */
interface Action {
  name: string;
  allowed: readonly Actor[];
  attempt(actor: Actor): Promise<Outcome>;
  /** A pattern every refusal of a seated actor matches (room actions). */
  refusal?: RegExp;
  /** Run after an allowed attempt (undo it for the next rows). */
  undo?(actor: Actor): Promise<void>;
}

const POD_KILL = 'apiVersion: chaos-mesh.org/v1alpha1\nkind: PodChaos\nmetadata: { name: frontend-kill }\nspec:\n  action: pod-kill\n  mode: one\n  selector: { labelSelectors: { tier: frontend } }\n';
const TRAINER_ONLY: readonly Actor[] = ['trainer'];
const ANY_TRAINER: readonly Actor[] = ['trainer', 'otherTrainer'];
const WORKSHOP_TRAINER_REFUSAL = /only this workshop's trainer \(coach\) may/;

beforeAll(async () => {
  server = await startTestServer({ TRAINER_USERS: 'coach,rival' });
  tokens.set('trainer', await signIn(server.url, 'coach'));
  tokens.set('otherTrainer', await signIn(server.url, 'rival'));
  tokens.set('player', await signIn(server.url, 'pat'));
  tokens.set('otherTeam', await signIn(server.url, 'olly'));
  const guest = await http('POST', '/api/session/guest', undefined, { name: 'Gus' });
  tokens.set('guest', guest.body.token as string);
  tokens.set('spectator', undefined);
  const created = await http('POST', '/api/workshops', tokens.get('trainer'), { title: 'Matrix', scenarios: ['guestbook'], teams: 2, mode: 'race', durationSeconds: 3600, timeDilation: 1 });
  expect(created.status).toBe(201);
  workshop = created.body as unknown as typeof workshop;
  const rival = await http('POST', '/api/workshops', tokens.get('otherTrainer'), { title: 'Rival', scenarios: ['guestbook'], teams: 2, mode: 'race' });
  expect(rival.status).toBe(201);
  rivalWorkshop = rival.body as unknown as typeof rivalWorkshop;
  // Join order decides the balanced teams: pat blue, olly red, Gus blue, rival red.
  const seat = async (actor: Actor, options: Record<string, unknown>) => {
    const room = await new Client(server.url).joinById(workshop.roomId, { workshop: workshop.code, ...options });
    rooms.set(actor, room);
    const cred = await nextMessage<CredentialsMessage>(room, 'credentials');
    k8sTokens.set(actor, cred.token);
    matchId = cred.matchId;
  };
  await seat('trainer', { name: 'coach', token: tokens.get('trainer'), trainer: true });
  await seat('player', { name: 'pat', token: tokens.get('player') });
  await seat('otherTeam', { name: 'olly', token: tokens.get('otherTeam') });
  await seat('guest', { name: 'Gus', token: tokens.get('guest') });
  await seat('otherTrainer', { name: 'rival', token: tokens.get('otherTrainer') });
  await seat('spectator', { name: 'sam', spectator: true });
  const players = () => [...((rooms.get('trainer')!.state as unknown as { players: Map<string, { name: string; team: string; spectator: boolean; trainer: boolean }> }).players.values())];
  await waitFor(() => players().length === 6, 'six seats');
  const teamOf = (name: string) => players().find((p) => p.name === name)!.team;
  expect({ pat: teamOf('pat'), gus: teamOf('Gus'), olly: teamOf('olly'), rival: teamOf('rival') }).toEqual({ pat: 'blue', gus: 'blue', olly: 'red', rival: 'red' });
});

afterAll(async () => {
  await Promise.all([...rooms.values(), ...extraRooms].map((room) => Promise.race([room.leave().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000))])));
  await server?.close();
});

/** Every (actor, action) row of `actions`, in order: each action's allowed actors last (so refusals see the state before it). */
function matrix(title: string, actions: () => Action[]): void {
  describe(title, () => {
    for (const action of actions()) {
      const order = [...ACTORS].sort((a, b) => Number(action.allowed.includes(a)) - Number(action.allowed.includes(b)));
      for (const actor of order) {
        const allowed = action.allowed.includes(actor);
        it(`${action.name} by ${actor}: ${allowed ? 'allowed' : 'refused'}`, async () => {
          const outcome = await action.attempt(actor);
          expect(outcome.ok, `${action.name} by ${actor}: ${outcome.detail}`).toBe(allowed);
          if (!allowed && action.refusal) expect(outcome.detail).toMatch(action.refusal);
          if (allowed) await action.undo?.(actor);
        });
      }
    }
  });
}

describe('joining as a trainer', () => {
  for (const actor of ACTORS) {
    const allowed = actor === 'trainer';
    it(`join with trainer: true by ${actor}: ${allowed ? 'allowed' : 'refused'}`, async () => {
      if (allowed) {
        const me = [...((rooms.get('trainer')!.state as unknown as { players: Map<string, { name: string; trainer: boolean }> }).players.values())].find((p) => p.name === 'coach');
        expect(me).toMatchObject({ trainer: true });
        return;
      }
      const name = { guest: 'Gus2', player: 'pat', otherTeam: 'olly', spectator: 'sam2', otherTrainer: 'rival' }[actor];
      await expect(new Client(server.url).joinById(workshop.roomId, { workshop: workshop.code, name, trainer: true, ...(tokens.get(actor) ? { token: tokens.get(actor) } : {}) })).rejects.toThrow(
        actor === 'otherTrainer' ? /only this workshop's trainer \(coach\) may join it as its trainer/ : /trainer rights need a signed-in account with the trainer flag/,
      );
    });
  }
});

matrix('in the lobby (room)', () => [
  { name: 'control move', allowed: TRAINER_ONLY, refusal: WORKSHOP_TRAINER_REFUSAL, attempt: (a) => roomOutcome(a, 'control', { op: 'move', player: 'Gus', team: 'blue' }) },
  { name: 'bot seat', allowed: TRAINER_ONLY, refusal: WORKSHOP_TRAINER_REFUSAL, attempt: (a) => roomOutcome(a, 'bot', { team: 'red', level: 'idle' }) },
  { name: 'control speed (lobby)', allowed: TRAINER_ONLY, refusal: WORKSHOP_TRAINER_REFUSAL, attempt: (a) => roomOutcome(a, 'control', { op: 'speed', timeDilation: 1 }) },
  { name: 'lobby team (auto teams: the trainer places players)', allowed: [], attempt: (a) => roomOutcome(a, 'lobby', { op: 'team', value: 'red' }) },
  { name: 'lobby ready (players only)', allowed: ['guest', 'player', 'otherTeam', 'otherTrainer'], attempt: (a) => roomOutcome(a, 'lobby', { op: 'ready', value: true }) },
  { name: 'lobby start', allowed: TRAINER_ONLY, refusal: WORKSHOP_TRAINER_REFUSAL, attempt: (a) => roomOutcome(a, 'lobby', { op: 'start', value: true }) },
]);

matrix('while the match runs (room and Kubernetes API)', () => [
  {
    name: 'control pause',
    allowed: TRAINER_ONLY,
    refusal: WORKSHOP_TRAINER_REFUSAL,
    attempt: (a) => roomOutcome(a, 'control', { op: 'pause' }),
    undo: async (a) => expect((await roomOutcome(a, 'control', { op: 'resume' })).ok).toBe(true),
  },
  { name: 'control resume', allowed: TRAINER_ONLY, refusal: WORKSHOP_TRAINER_REFUSAL, attempt: (a) => roomOutcome(a, 'control', { op: 'resume' }) },
  { name: 'control speed', allowed: TRAINER_ONLY, refusal: WORKSHOP_TRAINER_REFUSAL, attempt: (a) => roomOutcome(a, 'control', { op: 'speed', timeDilation: 1 }) },
  { name: 'control inject now', allowed: TRAINER_ONLY, refusal: WORKSHOP_TRAINER_REFUSAL, attempt: (a) => roomOutcome(a, 'control', { op: 'inject', team: 'red', incident: { type: 'bad-rollout', target: 'frontend', id: `now-${a.toLowerCase()}` } }) },
  { name: 'control inject timed', allowed: TRAINER_ONLY, refusal: WORKSHOP_TRAINER_REFUSAL, attempt: (a) => roomOutcome(a, 'control', { op: 'inject', team: 'red', atSeconds: 3000, incident: { type: 'bad-rollout', target: 'frontend', id: `later-${a.toLowerCase()}` } }) },
  { name: 'control inject chaos manifest', allowed: TRAINER_ONLY, refusal: WORKSHOP_TRAINER_REFUSAL, attempt: (a) => roomOutcome(a, 'control', { op: 'inject', team: 'red', manifest: POD_KILL }) },
  { name: 'control message', allowed: TRAINER_ONLY, refusal: WORKSHOP_TRAINER_REFUSAL, attempt: (a) => roomOutcome(a, 'control', { op: 'message', team: 'red', text: `from ${a}` }) },
  { name: 'control move (live: refused by the phase for everyone)', allowed: [], attempt: (a) => roomOutcome(a, 'control', { op: 'move', player: 'Gus', team: 'red' }) },
  { name: 'bot seat', allowed: TRAINER_ONLY, refusal: WORKSHOP_TRAINER_REFUSAL, attempt: (a) => roomOutcome(a, 'bot', { team: 'red', level: 'idle' }) },
  // Team actions: a console command changes the actor's own team's cluster (players only; a
  // spectator and the spectating trainer watch).
  { name: 'console command (own team)', allowed: ['guest', 'player', 'otherTeam', 'otherTrainer'], attempt: (a) => roomOutcome(a, 'kubectl', { command: 'kubectl scale deployment/frontend --replicas=2' }) },
  { name: 'structured action (own team)', allowed: ['guest', 'player', 'otherTeam', 'otherTrainer'], attempt: (a) => roomOutcome(a, 'action', { action: { type: 'scaleDeployment', deployment: 'frontend', replicas: 3 } }) },
  { name: 'workflow status update (own team)', allowed: ['guest', 'player', 'otherTeam', 'otherTrainer'], attempt: (a) => roomOutcome(a, 'workflow', { op: 'update', text: `update from ${a}` }) },
  { name: 'Kubernetes API write to team blue', allowed: ['guest', 'player'], attempt: (a) => k8sScaleBlue(a) },
]);

matrix('workshop HTTP routes', () => [
  { name: 'POST /api/workshops (create)', allowed: ANY_TRAINER, attempt: (a) => httpOutcome('POST', '/api/workshops', a, { scenarios: ['guestbook'], teams: 1, mode: 'coop' }) },
  { name: 'GET /api/workshops/:id', allowed: TRAINER_ONLY, attempt: (a) => httpOutcome('GET', `/api/workshops/${workshop.id}`, a) },
  { name: 'GET /api/workshops/:id/qr.svg', allowed: TRAINER_ONLY, attempt: (a) => httpOutcome('GET', `/api/workshops/${workshop.id}/qr.svg`, a) },
  { name: 'POST /api/workshops/:id/next', allowed: TRAINER_ONLY, attempt: (a) => httpOutcome('POST', `/api/workshops/${workshop.id}/next`, a) },
  { name: 'GET /api/workshops/:id/debrief', allowed: TRAINER_ONLY, attempt: (a) => httpOutcome('GET', `/api/workshops/${workshop.id}/debrief`, a) },
  { name: 'GET /api/workshops/:id/debrief?format=csv', allowed: TRAINER_ONLY, attempt: (a) => httpOutcome('GET', `/api/workshops/${workshop.id}/debrief?format=csv`, a) },
  { name: 'GET /api/workshops/:id/postmortems.md', allowed: TRAINER_ONLY, attempt: (a) => httpOutcome('GET', `/api/workshops/${workshop.id}/postmortems.md`, a) },
  { name: "GET /api/workshops/:id of the other trainer's workshop", allowed: ['otherTrainer'], attempt: (a) => httpOutcome('GET', `/api/workshops/${rivalWorkshop.id}`, a) },
  {
    name: 'GET /api/workshops (only your own)',
    allowed: ANY_TRAINER,
    attempt: async (a) => {
      const res = await http('GET', '/api/workshops', tokens.get(a));
      if (res.status !== 200) return { ok: false, detail: `${res.status} ${res.body.error}` };
      const ids = (JSON.parse(res.text) as { id: string }[]).map((w) => w.id);
      expect(ids.includes(workshop.id)).toBe(a === 'trainer');
      expect(ids.includes(rivalWorkshop.id)).toBe(a === 'otherTrainer');
      return { ok: true, detail: '200' };
    },
  },
  { name: 'GET /api/workshops/by-code/:code (public)', allowed: ACTORS, attempt: (a) => httpOutcome('GET', `/api/workshops/by-code/${workshop.code}`, a) },
]);

matrix('the end (room)', () => [{ name: 'control end', allowed: TRAINER_ONLY, refusal: WORKSHOP_TRAINER_REFUSAL, attempt: (a) => roomOutcome(a, 'control', { op: 'end' }) }]);

describe('outside workshops', () => {
  it("only the trainer account that runs a room may act as its trainer: another trainer account is refused at join and its controls refused", async () => {
    const coachRoom = await new Client(server.url).create('match', { name: 'coach', trainer: true, token: tokens.get('trainer'), seed: 1, scenario: 'guestbook' });
    extraRooms.push(coachRoom);
    await expect(new Client(server.url).joinById(coachRoom.roomId, { name: 'rival', trainer: true, token: tokens.get('otherTrainer') })).rejects.toThrow(/this match is run by trainer coach: only they may join it as its trainer/);
    const rivalRoom = await new Client(server.url).joinById(coachRoom.roomId, { name: 'rival', token: tokens.get('otherTrainer') });
    extraRooms.push(rivalRoom);
    expect(await ask(rivalRoom, 'control', { id: 'r1', op: 'pause' })).toMatchObject({ ok: false, error: 'only a trainer may pause, resume or change the speed (join with trainer: true)' });
    expect(await ask(rivalRoom, 'control', { id: 'r2', op: 'end' })).toMatchObject({ ok: false });
    expect(await ask(coachRoom, 'control', { id: 'c1', op: 'pause' })).toMatchObject({ ok: true });
    // A workshop code does not open an ordinary room.
    await expect(new Client(server.url).joinById(coachRoom.roomId, { name: 'x', workshop: workshop.code })).rejects.toThrow(/not a workshop room/);
  });
});
