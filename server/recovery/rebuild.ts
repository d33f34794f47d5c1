/**
 * Rebuilding a live match from its journal by deterministic re-simulation: the scenario + seed +
 * settings give `createMatch`; the latest snapshot (when there is one) replaces the ticks before it;
 * then each journal entry is applied through the same shared/game calls the room made live (`join`,
 * `submit`, `inject`, `control`, the lobby's `setTeam` / `setRole` / `setReady` / `beginMatch`, `applyWorkflow`) at the match tick it was accepted at, `advance` running the ticks in
 * between (an entry accepted inside a tick the room ran in slices: after that tick's first `slice`
 * teams' steps, shared/game `advanceSlice`, as live); last, the match advances to the journal's durable tick (the tick of its last commit). The
 * result has the live match's `matchHash` at that tick.
 *
 * May import shared/game, shared/sim types, server/scenarios, server/db (types and journal schemas).
 */
import {
  advance,
  advanceSlice,
  beginMatch,
  applyWorkflow,
  attack,
  control,
  createMatch,
  getTeam,
  inject,
  join,
  leave,
  matchHash,
  playerByName,
  setReady,
  setRole,
  setTeam,
  submit,
  type Match,
  type TickCursor,
  type WorkflowRequest,
} from '../../shared/game/index.ts';
import type { SimInput } from '../../shared/sim/types.ts';
import { resolveSimInput } from '../scenarios/index.ts';
import type { JournalEntry, JournalRecord, LiveMatchRow, SnapshotRecord } from '../db/journal.ts';

/** A rebuilt match and what the room keeps beside it. */
export interface RebuiltMatch {
  match: Match;
  input: SimInput;
  title: string;
  /** Seat token hashes (sha256 hex) by player name, from the journal's `join` entries. */
  seatTokens: Map<string, string>;
  /** Sim seconds per real second: the setup's, or the last `control speed` entry's. */
  timeDilation: number;
  /** The match tick (ticks) it was rebuilt to. */
  tick: number;
  /** True when the rebuild started from the snapshot (false: from tick 0). */
  fromSnapshot: boolean;
  /** Issue 10: the trainer's timed injections planned and not started yet (`timedInject` entries). */
  pending: JournalEntry[];
}

/** Thrown when the journal does not replay (an entry refused, a snapshot with the wrong hash). */
export class RebuildError extends Error {
  constructor(matchId: string, message: string) {
    super(`cannot rebuild match ${matchId}: ${message}`);
    this.name = 'RebuildError';
  }
}

/** The match tick: the furthest team's `sim.tick` (teams step together; a finished team stops). */
export function matchTick(match: Match): number {
  let tick = 0;
  for (const team of match.teams) tick = Math.max(tick, team.sim.tick);
  return tick;
}

/**
 * Rebuilds `row`'s match from `entries` (seq order, all of them) and `snapshot` (or null). Every
 * player comes back not present (they rejoin). O(ticks since the snapshot + entries).
 *
 * @throws RebuildError when an entry is refused on replay, the match cannot reach an entry's tick
 *   (it ended or is paused before it), or the snapshot's hash or tick does not match its contents;
 *   ScenarioError when the scenario no longer loads.
 */
export function rebuildMatch(row: LiveMatchRow, entries: readonly JournalRecord[], snapshot: SnapshotRecord | null): RebuiltMatch {
  const fail = (message: string): never => {
    throw new RebuildError(row.matchId, message);
  };
  const { setup } = row;
  const resolved = resolveSimInput({ scenario: setup.scenario ?? undefined, seed: row.seed, durationSeconds: setup.durationSeconds ?? undefined });
  const input = resolved.input;
  const seatTokens = new Map<string, string>();
  let timeDilation = setup.timeDilation;

  let match: Match;
  let from = 0;
  if (snapshot) {
    match = JSON.parse(snapshot.state) as Match;
    const hash = matchHash(match);
    if (hash !== snapshot.hash) fail(`snapshot at seq ${snapshot.seq} hashes to ${hash}, stored ${snapshot.hash}`);
    if (matchTick(match) !== snapshot.tick) fail(`snapshot at seq ${snapshot.seq} is at tick ${matchTick(match)}, stored ${snapshot.tick}`);
    from = snapshot.seq;
  } else {
    match = createMatch({ input, teams: setup.teams, ...(setup.settings ? { settings: setup.settings, ...(setup.settings.mode === 'redblue' ? { redTeam: resolved.redTeam } : {}) } : {}) });
  }

  // A tick the room ran in slices is replayed in the same slices where an entry was accepted inside it
  // (the entry's `slice`: after that many teams' steps, shared/game `advanceSlice`).
  const cursor: TickCursor = { next: 0 };
  const closeTick = (): void => {
    if (cursor.next !== 0) advanceSlice(match, cursor, () => true);
  };
  const advanceTo = (tick: number, what: string): void => {
    closeTick();
    while (matchTick(match) < tick) {
      if (match.phase !== 'running') fail(`the match is ${match.phase} at tick ${matchTick(match)}, before ${what} at tick ${tick}`);
      advance(match);
    }
  };
  /** Reaches `tick` open after its first `slice` teams' steps (`slice` undefined: the whole tick). */
  const reach = (tick: number, slice: number | undefined, what: string): void => {
    if (slice === undefined) return advanceTo(tick, what);
    if (cursor.next === 0 || matchTick(match) !== tick) {
      advanceTo(tick - 1, what);
      if (matchTick(match) !== tick - 1 || match.phase !== 'running') fail(`the match is ${match.phase} at tick ${matchTick(match)}, before ${what} in tick ${tick}`);
    }
    if (cursor.next < slice) advanceSlice(match, cursor, () => cursor.next < slice);
    if (cursor.next !== slice) fail(`${what}: tick ${tick} cannot stop after ${slice} teams' steps (at ${cursor.next})`);
  };

  let pending: JournalEntry[] = [];
  for (const rec of entries) {
    const e = rec.entry;
    // A timed injection is the room's plan, not the match's: it enters the match as its `inject` entry.
    if (e.kind === 'timedInject') {
      pending.push(e);
      continue;
    }
    if (e.kind === 'inject') pending = pending.filter((p) => !(p.kind === 'timedInject' && p.team === e.team && p.incident.id === e.spec.id));
    // Entries before the snapshot are in it; only what the room keeps outside the match is collected.
    if (e.kind === 'join' && e.tokenHash !== null && !seatTokens.has(e.name)) seatTokens.set(e.name, e.tokenHash);
    if (e.kind === 'control' && e.op === 'speed' && e.timeDilation !== undefined) timeDilation = e.timeDilation;
    if (rec.seq < from) continue;
    const what = `journal entry ${rec.seq} (${e.kind})`;
    reach(rec.tick, rec.slice, what);
    if (e.kind === 'join') {
      const seat = join(match, { name: e.name, team: e.team, trainer: e.trainer, ...(e.role !== undefined ? { role: e.role } : {}), spectator: e.spectator === true, bot: e.bot === true });
      if (!seat.ok) fail(`${what}: ${seat.error}`);
      else leave(match, seat.player.id);
      continue;
    }
    const player = playerByName(match, e.player);
    if (!player) {
      fail(`${what}: player "${e.player}" never joined`);
      continue;
    }
    if (e.kind === 'action') {
      const result = submit(match, player.id, e.action, e.team);
      if (!result.ok) fail(`${what}: ${result.error}`);
    } else if (e.kind === 'workflow') {
      const { id: _id, ...request } = e.request;
      const result = applyWorkflow(match, player.id, request as WorkflowRequest);
      if (!result.ok) fail(`${what}: ${result.error}`);
    } else if (e.kind === 'inject') {
      const { spec } = e;
      const result = inject(match, player.id, e.team, { type: spec.type, target: spec.target, params: spec.params, id: spec.id, ...(spec.title !== undefined ? { title: spec.title } : {}) });
      if (!result.ok) fail(`${what}: ${result.error}`);
    } else if (e.kind === 'lobby') {
      // The same lobby calls the room made (shared/game/lobby.ts); a start was checked when accepted.
      const result =
        e.op === 'team' ? setTeam(match, player.id, e.value) : e.op === 'role' ? setRole(match, player.id, e.value) : e.op === 'ready' ? setReady(match, player.id, e.value) : (beginMatch(match), { ok: true as const });
      if (!result.ok) fail(`${what}: ${result.error}`);
    } else if (e.kind === 'chaos') {
      // Red vs blue: the same attack at the same tick (target as resolved live).
      const result = attack(match, player.id, { kind: e.attack.kind, target: e.attack.target });
      if (!result.ok) fail(`${what}: ${result.error}`);
    } else {
      const result = control(match, player.id, e.op);
      if (!result.ok) fail(`${what}: ${result.error}`);
    }
  }
  advanceTo(row.durableTick, `the durable tick`);
  for (const p of match.players) p.present = false;
  // Teams must exist as the setup says (a snapshot of another match would fail here).
  for (const id of setup.teams) getTeam(match, id);
  return { match, input, title: resolved.title, seatTokens, timeDilation, tick: matchTick(match), fromSnapshot: snapshot !== null, pending };
}
