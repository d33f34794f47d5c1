/**
 * Shapes of what the archive stores and returns, as zod schemas (jsonb columns are untyped: rows are
 * validated when written and when read back) and the TypeScript types derived from them.
 */
import { z } from 'zod';
import { ActionMessage } from '../../shared/protocol.ts';
import type { LoggedInjection, TeamWorkflow } from '../../shared/game/types.ts';
import type { IncidentSpec, LoggedAction, MatchSummary } from '../../shared/sim/types.ts';
import { INCIDENT_KINDS } from '../../shared/sim/incidents/registry.ts';
import type { StoredMatchSettings } from './schema.ts';

const finite = z.number();

/** {@link StoredMatchSettings}: sim seconds per tick, match length (sim seconds), sim seconds per real second. */
export const MatchSettingsSchema = z.object({
  tickSeconds: finite.positive(),
  durationSeconds: finite.nonnegative(),
  timeDilation: finite.positive(),
  mode: z.literal('redblue').optional(),
}) satisfies z.ZodType<StoredMatchSettings>;

/** One entry of the replay log ({@link LoggedAction}); the action is the room protocol's `ActionMessage`. */
export const LoggedActionSchema = z.object({
  tick: z.number().int().nonnegative(),
  player: z.string().min(1),
  action: ActionMessage,
}) satisfies z.ZodType<LoggedAction>;

/** An incident spec as started ({@link IncidentSpec}): kind from the registry, `at` in sim seconds, params as written. */
export const IncidentSpecSchema = z.object({
  id: z.string().min(1),
  type: z.enum(INCIDENT_KINDS),
  at: finite.nonnegative(),
  target: z.string(),
  params: z.record(z.string(), z.union([finite, z.string(), z.boolean(), z.array(z.string())])),
  title: z.string().optional(),
}) satisfies z.ZodType<IncidentSpec>;

/**
 * One runtime injection of the replay log ({@link LoggedInjection}): at tick `tick` (ticks), before
 * `actions[logIndex]`, trainer `player` injected `spec`.
 */
export const LoggedInjectionSchema = z.object({
  tick: z.number().int().nonnegative(),
  player: z.string().min(1),
  logIndex: z.number().int().nonnegative(),
  spec: IncidentSpecSchema,
}) satisfies z.ZodType<LoggedInjection>;

/**
 * The injections list as stored and as given to `saveMatchResult`: missing (a record built before
 * injections were archived) means none.
 */
export const InjectionsSchema = z.array(LoggedInjectionSchema).default([]);

/** {@link MatchSummary}. Unknown keys are kept (`loose`) so newer summaries survive a round trip. */
export const MatchSummarySchema = z
  .object({
    scenarioId: z.string(),
    seed: finite,
    durationSeconds: finite,
    ticks: z.number().int(),
    stateHash: z.string(),
    slo: z
      .object({
        availability: finite,
        latency: finite,
        errorBudgetRemaining: finite,
        latencyErrorBudgetRemaining: finite,
      })
      .loose(),
    score: finite,
    scoreBreakdown: z.record(z.string(), finite),
    incidents: z.array(
      z
        .object({
          id: z.string(),
          type: z.enum(INCIDENT_KINDS),
          startedAt: finite.nullable(),
          mitigatedAt: finite.nullable(),
        })
        .loose(),
    ),
    actions: z.number().int(),
  })
  .loose() satisfies z.ZodType<MatchSummary>;

/**
 * Who a player was, for ratings (server/db/ratings.ts, docs/ratings.md): `account` (joined with an
 * account's session token: rated under the account's username), `guest` (a guest token or no token:
 * rated as `guest:NAME`, never merged with an account), `bot` (a server bot seat: never rated).
 */
export const PlayerKindSchema = z.enum(['account', 'guest', 'bot']);
export type PlayerKind = z.output<typeof PlayerKindSchema>;

/**
 * One player of a match: display name (unique within the match), team id, score, number of actions.
 * `kind` and `watcher` are given by the room for ratings only (not stored in `match_players`): an
 * absent `kind` is resolved from the accounts table when the result is saved; `watcher` (a spectator or
 * a trainer) is never rated.
 */
export const MatchPlayerSchema = z.object({
  name: z.string().min(1),
  team: z.string().min(1),
  score: finite,
  actions: z.number().int().nonnegative(),
  kind: PlayerKindSchema.optional(),
  watcher: z.literal(true).optional(),
});

const simSecond = z.number().finite().nonnegative();
const who = z.string().min(1).max(200);

/**
 * A team's incident workflow as archived ({@link TeamWorkflow}; sim seconds): what the players did with
 * their pages, incidents, status updates, hints, follow-ups and postmortem answers.
 */
export const WorkflowRecordSchema: z.ZodType<TeamWorkflow> = z.object({
  pages: z.array(z.object({ id: z.string().min(1), alert: z.string().min(1), firedAt: simSecond, ackedAt: simSecond.nullable(), ackedBy: who.nullable() })).max(10_000),
  declared: z.array(z.object({ id: z.string().min(1), severity: z.enum(['SEV1', 'SEV2', 'SEV3']), summary: z.string().max(2000), declaredAt: simSecond, declaredBy: who, mitigatedAt: simSecond.nullable(), resolvedAt: simSecond.nullable() })).max(10_000),
  updates: z.array(z.object({ t: simSecond, by: who, text: z.string().max(4000) })).max(10_000),
  hints: z.array(z.object({ t: simSecond, by: who, incident: z.string().min(1) })).max(10_000),
  answers: z.array(z.object({ incident: z.string().min(1), by: who, choice: z.string().min(1), correct: z.boolean() })).max(10_000),
  followups: z.array(z.object({ id: z.string().min(1), t: simSecond, by: who, text: z.string().max(4000) })).max(10_000).optional(),
});

/** A finished match as saved and read back (see {@link MatchRecord}). */
export const MatchRecordSchema = z
  .object({
    /** UUID. */
    id: z.string().min(1),
    scenarioId: z.string().min(1),
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    settings: MatchSettingsSchema,
    actions: z.array(LoggedActionSchema),
    injections: InjectionsSchema,
    summary: MatchSummarySchema,
    workflow: WorkflowRecordSchema.nullable().optional(),
    startedAt: z.date(),
    endedAt: z.date(),
    players: z.array(MatchPlayerSchema),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.players.forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: ['players', i, 'name'], message: `duplicate player name "${p.name}"` });
      seen.add(p.name);
    });
    r.injections.forEach((inj, i) => {
      if (inj.logIndex > r.actions.length) ctx.addIssue({ code: 'custom', path: ['injections', i, 'logIndex'], message: `logIndex ${inj.logIndex} is past the ${r.actions.length} actions` });
      const prev = r.injections[i - 1];
      if (prev && (inj.tick < prev.tick || inj.logIndex < prev.logIndex)) ctx.addIssue({ code: 'custom', path: ['injections', i], message: 'injections must be in order (tick and logIndex never decrease)' });
    });
  });

/**
 * A finished match: everything needed to replay it (`scenarioId`, `seed`, `settings`, `actions`,
 * `injections`) plus its {@link MatchSummary} and players. Times are wall-clock `Date`s. Replay:
 * shared/game `replayMatch(input, [team], [{ team, log: actions, injections }])`, `team` = the players' team.
 */
export interface MatchRecord {
  id: string;
  scenarioId: string;
  seed: number;
  settings: StoredMatchSettings;
  actions: LoggedAction[];
  /** Incidents trainers injected at run time, in order (`[]` for records archived before these were kept). */
  injections: LoggedInjection[];
  summary: MatchSummary;
  /** The team's workflow at the end (pages, declared incidents, updates, hints, follow-ups, answers); null when not kept (older records). */
  workflow: TeamWorkflow | null;
  startedAt: Date;
  endedAt: Date;
  /** `kind` and `watcher`: only on records given to the save (ratings); never read back. */
  players: { name: string; team: string; score: number; actions: number; kind?: PlayerKind; watcher?: true }[];
}

/** What `saveMatchResult` accepts: a {@link MatchRecord} whose `injections` (= none) and `workflow` (= not kept) may be left out. */
export type MatchRecordInput = Omit<MatchRecord, 'injections' | 'workflow'> & { injections?: LoggedInjection[]; workflow?: TeamWorkflow | null };

/**
 * Every team's record of one match (a race of 3 teams: 3 records), saved with the rating update in
 * one transaction by `saveMatchGroup` (server/db/ratings.ts). `matchGroup` is the shared/game match id
 * (the room's `matchId`); `workshopId` the workshop it was played in (absent outside workshops).
 */
export const MatchGroupSchema = z
  .object({
    matchGroup: z.string().min(1).max(200),
    workshopId: z.string().min(1).max(200).nullable().optional(),
    records: z.array(MatchRecordSchema).min(1).max(8),
  })
  .superRefine((g, ctx) => {
    const ids = new Set<string>();
    const names = new Set<string>();
    g.records.forEach((r, i) => {
      if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path: ['records', i, 'id'], message: `duplicate record id "${r.id}"` });
      ids.add(r.id);
      if (r.scenarioId !== g.records[0]!.scenarioId) ctx.addIssue({ code: 'custom', path: ['records', i, 'scenarioId'], message: 'every team of a match plays the same scenario' });
      r.players.forEach((p, j) => {
        if (names.has(p.name)) ctx.addIssue({ code: 'custom', path: ['records', i, 'players', j, 'name'], message: `player "${p.name}" is on two teams` });
        names.add(p.name);
      });
    });
  });

/** What `saveMatchGroup` accepts (records' `injections` may be left out). */
export interface MatchGroupInput {
  matchGroup: string;
  workshopId?: string | null;
  records: MatchRecordInput[];
}

/** A row of {@link listMatches}: `endedAt` is an ISO 8601 string, `players` sorted by name. */
export interface MatchListItem {
  id: string;
  scenarioId: string;
  score: number;
  /** Availability SLI over the match, fraction 0..1. */
  availability: number;
  /** Availability error budget remaining, fraction. */
  errorBudgetRemaining: number;
  endedAt: string;
  players: string[];
}

/** A row of {@link leaderboard}: `rank` starts at 1; `lastPlayedAt` is an ISO 8601 string. */
export interface LeaderboardEntry {
  rank: number;
  player: string;
  bestScore: number;
  matches: number;
  lastPlayedAt: string;
}

/** Formats zod issues as `path: message; path: message`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
