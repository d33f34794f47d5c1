/**
 * The match loop, once: "for each tick, apply the actions due at this tick (`submit`), then `advance`".
 * The CLI (`server/cli/headless.ts`), replay of a stored match ({@link replayMatch}) and the tests'
 * {@link runMatch} all run {@link playMatch}; the room runs the same `submit`/`advance` from its clock.
 *
 * Replay rule ({@link LoggedAction}): an action logged at tick k was applied while the team's
 * `sim.tick === k`, i.e. after step k and before step k + 1; replay submits it at that same point.
 *
 * May import: shared/sim, ./match.ts, ./types.ts.
 */
import { hashValue } from '../sim/hash.ts';
import type { LoggedAction, SimInput, SimState } from '../sim/types.ts';
import { advance, createMatch, inject, join, playerByName, submit } from './match.ts';
import { DEFAULT_TEAM_ID, type LoggedInjection, type Match } from './types.ts';

/** Options of {@link playMatch}. */
export interface PlayOptions {
  /** Ticks to advance at most (default: until the match ends). */
  ticks?: number;
  /** Called before each tick (`advance`): submit the actions due now. */
  beforeTick?: (match: Match) => void;
  /** Called after each tick. */
  afterTick?: (match: Match) => void;
}

/**
 * Runs `match` tick by tick: `beforeTick`, `advance`, `afterTick`, until it ends, `opts.ticks` ticks
 * ran, or it is no longer `running` (a callback paused it). Returns the number of ticks advanced.
 * @throws TeamStepError from `advance`.
 */
export function playMatch(match: Match, opts: PlayOptions = {}): number {
  let ticks = 0;
  while ((opts.ticks === undefined || ticks < opts.ticks) && match.phase === 'running') {
    opts.beforeTick?.(match);
    if (match.phase !== 'running') break;
    const ended = advance(match);
    ticks++;
    opts.afterTick?.(match);
    if (ended) break;
  }
  return ticks;
}

/** One team's stored log, as {@link replayMatch} takes it. */
export interface TeamLog {
  team: string;
  log: readonly LoggedAction[];
  /** The team's runtime injections (`TeamState.injections`; default none). */
  injections?: readonly LoggedInjection[];
}

/** One tick's replay items of a team, in live order: actions (by log position) and injections. */
type DueItem = { kind: 'action'; entry: LoggedAction } | { kind: 'inject'; entry: LoggedInjection };

/** Options of {@link replayMatch}. */
export interface ReplayOptions {
  /** Ticks to replay (default: the whole match, ceil(durationSeconds / tickSeconds)). */
  ticks?: number;
  /** Sees the match after each tick. */
  onTick?: (match: Match) => void;
  /**
   * Start the scenario's scheduled incidents (default true). False for a red-vs-blue team's record:
   * live, its schedule never started (the attacks are its logged injections).
   */
  scheduled?: boolean;
}

/**
 * Rebuilds a match from its input and each team's log by the live path: `createMatch`, `join` every
 * player named in the logs (to the team whose action log names them; a trainer who only injected, to
 * the first team they injected into, as a trainer), then for each tick `submit` the actions and
 * `inject` the injections logged at that tick (per team, in live order: see {@link LoggedInjection})
 * and `advance`. Its {@link matchHash} (and each
 * team's `stateHash`) equals the live match's. An entry the match refuses on replay (only a log that
 * was not produced live can do that) is not logged again: compare the logs' lengths to detect it.
 * Unlike the old shared/sim `runMatch`, ticks past the end of the match are not stepped.
 *
 * @throws Error for a log of a team not in `teams`, or a name that appears in two teams' logs.
 */
export function replayMatch(input: SimInput, teams: readonly string[], logs: readonly TeamLog[], opts: ReplayOptions = {}): Match {
  const match = createMatch({ input, teams });
  if (opts.scheduled === false) for (const t of match.teams) t.schedule = [];
  const due = new Map<string, Map<number, DueItem[]>>();
  const sorted = [...logs].sort((a, b) => (a.team < b.team ? -1 : a.team > b.team ? 1 : 0));
  for (const { team, log } of sorted) {
    if (!match.teams.some((t) => t.id === team)) throw new Error(`log of team "${team}", which is not in this match (teams: ${[...teams].sort().join(', ')})`);
    for (const entry of log) {
      if (!playerByName(match, entry.player)) {
        const seat = join(match, { name: entry.player, team });
        if (!seat.ok) throw new Error(`replay: ${seat.error}`);
      } else if (playerByName(match, entry.player)!.team !== team) {
        throw new Error(`replay: "${entry.player}" appears in the logs of teams ${playerByName(match, entry.player)!.team} and ${team}`);
      }
    }
  }
  // Trainers may inject into any team: seat the ones who never acted with the first team they injected into.
  for (const { team, injections } of sorted) {
    for (const entry of injections ?? []) {
      const known = playerByName(match, entry.player);
      if (known) known.trainer = true;
      else {
        const seat = join(match, { name: entry.player, team, trainer: true });
        if (!seat.ok) throw new Error(`replay: ${seat.error}`);
      }
    }
  }
  for (const { team, log, injections } of sorted) {
    let byTick = due.get(team);
    if (!byTick) due.set(team, (byTick = new Map()));
    const pending = [...(injections ?? [])];
    let next = 0;
    const push = (tick: number, item: DueItem): void => {
      let list = byTick.get(tick);
      if (!list) byTick.set(tick, (list = []));
      list.push(item);
    };
    log.forEach((entry, i) => {
      // Injections logged before action i (by position, then in their own order) come first.
      while (next < pending.length && pending[next]!.logIndex <= i) push(pending[next]!.tick, { kind: 'inject', entry: pending[next++]! });
      push(entry.tick, { kind: 'action', entry });
    });
    while (next < pending.length) push(pending[next]!.tick, { kind: 'inject', entry: pending[next++]! });
  }
  playMatch(match, {
    ticks: opts.ticks,
    beforeTick: (m) => {
      for (const team of m.teams) {
        for (const item of due.get(team.id)?.get(team.sim.tick) ?? []) {
          const id = playerByName(m, item.entry.player)!.id;
          if (item.kind === 'action') submit(m, id, item.entry.action);
          else {
            const { spec } = item.entry;
            inject(m, id, team.id, { type: spec.type, target: spec.target, params: spec.params, id: spec.id, ...(spec.title !== undefined ? { title: spec.title } : {}) });
          }
        }
      }
    },
    afterTick: opts.onTick,
  });
  return match;
}

/**
 * A one-team match ({@link DEFAULT_TEAM_ID}) replayed from `actions`: {@link replayMatch} with one log.
 * `opts.ticks` defaults to the whole match; `onTick` sees the team's cluster (and the match, e.g. for
 * `teamScore(match, DEFAULT_TEAM_ID)`) after each tick.
 */
export function runMatch(
  input: SimInput,
  actions: readonly LoggedAction[],
  opts: { ticks?: number; onTick?: (sim: SimState, match: Match) => void } = {},
): Match {
  const onTick = opts.onTick;
  return replayMatch(input, [DEFAULT_TEAM_ID], [{ team: DEFAULT_TEAM_ID, log: actions }], {
    ticks: opts.ticks,
    onTick: onTick ? (m) => onTick(m.teams[0]!.sim, m) : undefined,
  });
}

/**
 * Canonical hash of what a replay must reproduce: every team's cluster, log, score inputs,
 * schedule and injections (16 hex digits, FNV-1a 64 of canonical JSON), and in a red-vs-blue match its
 * chaos state (budgets, cooldowns, half, attacks; left out when there is none, so the hash of every
 * other match is unchanged). The roster and the phase are left out: a log
 * records who acted, not who watched or who was a trainer.
 */
export function matchHash(match: Match): string {
  const chaos = match.chaos ?? null;
  return chaos === null ? hashValue(match.teams) : hashValue({ teams: match.teams, chaos });
}
