/**
 * Saving a finished match: builds the {@link MatchRecord} (everything needed to replay it plus the
 * summary and players) and hands it to the archive, retrying once. A failure is logged and reported
 * as `false`, never thrown: a database hiccup must not crash the room or the players' debrief.
 *
 * May import server/db and shared/sim and shared/game types.
 */
import type { Logger } from 'pino';
import type { Database } from '../db/index.ts';
import { saveMatchResult, type MatchRecord } from '../db/repository.ts';
import type { LoggedInjection, MatchMode } from '../../shared/game/types.ts';
import type { LoggedAction, MatchSummary, SimSettings } from '../../shared/sim/types.ts';

/** Delay before the one retry of a failed save, real milliseconds. */
export const SAVE_RETRY_DELAY_MS = 1_000;

/** What the room knows about one team at the end of a match. */
export interface TeamResult {
  /** Archive id of this team's record (the match id while there is one team per match). */
  id: string;
  scenarioId: string;
  settings: SimSettings;
  /** Sim seconds per real second when the match ended. */
  timeDilation: number;
  actions: LoggedAction[];
  /** The team's runtime injections (`TeamState.injections`), in order; default none. */
  injections?: LoggedInjection[];
  /** The match's mode; only `redblue` is stored (its schedule never starts: see StoredMatchSettings). */
  mode?: MatchMode;
  summary: MatchSummary;
  startedAt: Date;
  endedAt: Date;
  /** Everyone who played for the team (also players who left early); score = team score. */
  players: { name: string; actions: number }[];
  team: string;
  /** Issue 10: the workshop the match was played in (absent outside workshops). */
  workshopId?: string;
  /** Issue 10: the shared/game match id every team's record of this match shares (`matches.match_group`). */
  matchGroup?: string;
}

/** Build the archive record of one team's match. */
export function toMatchRecord(r: TeamResult): MatchRecord {
  return {
    id: r.id,
    scenarioId: r.scenarioId,
    seed: r.settings.seed,
    settings: { tickSeconds: r.settings.tickSeconds, durationSeconds: r.settings.durationSeconds, timeDilation: r.timeDilation, ...(r.mode === 'redblue' ? { mode: 'redblue' as const } : {}) },
    actions: r.actions,
    injections: r.injections ?? [],
    summary: r.summary,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    players: r.players.map((p) => ({ name: p.name, team: r.team, score: r.summary.score, actions: p.actions })),
  };
}

/**
 * Save with one retry after {@link SAVE_RETRY_DELAY_MS}. Saving is idempotent on the id, so a retry
 * after a save that did land but timed out is harmless.
 *
 * @returns true when saved; false after two failures (both logged at `error`).
 */
export async function saveWithRetry(db: Database, record: MatchRecord, log: Logger, retryDelayMs = SAVE_RETRY_DELAY_MS): Promise<boolean> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      await saveMatchResult(db, record);
      log.info({ matchId: record.id, score: record.summary.score, actions: record.actions.length, injections: record.injections.length }, 'match result saved');
      return true;
    } catch (err) {
      log.error({ err, matchId: record.id, attempt }, attempt === 1 ? 'saving match result failed; retrying once' : 'saving match result failed; giving up');
      if (attempt === 1) await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    }
  }
  return false;
}
