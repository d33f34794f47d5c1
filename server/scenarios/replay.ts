/**
 * Re-simulating a stored match (the record `GET /api/matches/:id` returns): `gameday replay` and
 * `GET /api/matches/:id/postmortem` both run {@link replayRecord}. Scenario + seed + settings + the
 * attributed action log + runtime injections go through shared/game `replayMatch` (the loop the room
 * and `gameday sim` run); the result holds the replayed state hash beside the stored one.
 *
 * May import: shared/game, ./index.ts (scenarios), server/db/records.ts (the archived record's schemas), zod.
 */
import { z } from 'zod';
import { getTeam, inject, playerByName, playMatch, postmortemMarkdown, replayMatch, submit, teamSummary, TimelineRecorder, TEAM_IDS, type Match, type TimelineEntry } from '../../shared/game/index.ts';
import { incidentModule } from '../../shared/sim/incidents/registry.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { WorkflowRecordSchema } from '../db/records.ts';
import { resolveSimInput } from './index.ts';

/** A stored match that can't be replayed (its scenario changed, its log doesn't apply). */
export class ReplayError extends Error {
  override name = 'ReplayError';
}

/** What a stored match must hold to be replayed (the `GET /api/matches/:id` body; extra keys ignored). */
export const ReplayRecord = z.object({
  id: z.string().min(1),
  scenarioId: z.string().min(1),
  seed: z.number().int().nonnegative(),
  settings: z.object({ tickSeconds: z.number().positive(), durationSeconds: z.number().nonnegative(), timeDilation: z.number().positive(), mode: z.literal('redblue').optional() }),
  actions: z.array(z.object({ tick: z.number().int().nonnegative(), player: z.string().min(1), action: z.unknown() })),
  injections: z.array(z.object({ tick: z.number().int().nonnegative(), player: z.string().min(1), logIndex: z.number().int().nonnegative(), spec: z.unknown() })).default([]),
  summary: z.looseObject({ stateHash: z.string().min(1), score: z.number(), ticks: z.number().int().nonnegative().optional(), durationSeconds: z.number().nonnegative().optional() }),
  players: z.array(z.object({ name: z.string(), team: z.string() })).default([]),
  /** The team's workflow as archived (null or absent: not kept); the postmortem uses it over the replay's. */
  workflow: WorkflowRecordSchema.nullable().default(null),
});
export type ReplayRecord = z.infer<typeof ReplayRecord>;

/**
 * Ticks to replay: `summary.ticks` for a match a trainer ended early (`control` op `end`, issue 10:
 * its summary's sim seconds fall short of the settings' length), else the whole match (no option).
 */
function ticksOption(record: ReplayRecord): { ticks?: number } {
  const { ticks, durationSeconds } = record.summary;
  return ticks !== undefined && durationSeconds !== undefined && durationSeconds < record.settings.durationSeconds ? { ticks } : {};
}

/** The result `--json` prints. Hashes: 16 hex digits (shared/sim `stateHash`). */
export interface ReplayResult {
  matchId: string;
  scenarioId: string;
  seed: number;
  /** The team whose log was replayed (archived records hold one team each). */
  team: string;
  /** Ticks re-simulated. */
  ticks: number;
  stateHash: string;
  storedStateHash: string;
  /** `stateHash === storedStateHash`. */
  matches: boolean;
  score: number;
  storedScore: number;
  /** The team's postmortem (Markdown), when asked for. Not printed by `--json`. */
  postmortem?: string;
}

/**
 * The team an archived record belongs to: the id's `-<team>` suffix (multi-team matches archive one
 * record per team, `MATCH-red`), else the players' team when they agree, else the default team.
 */
function recordTeam(r: ReplayRecord): string {
  for (const team of TEAM_IDS) if (r.id.endsWith(`-${team}`)) return team;
  const teams = new Set(r.players.map((p) => p.team));
  if (teams.size === 1) return [...teams][0]!;
  return TEAM_IDS[0];
}

/**
 * Re-simulates `record`; with `postmortem`, also writes the team's postmortem (Markdown).
 * @throws ReplayError when its log doesn't replay; ScenarioError when its scenario can't be loaded.
 */
export function replayRecord(record: ReplayRecord, opts: { postmortem?: boolean; scenarioTitle?: string } = {}): ReplayResult {
  const { input, title } = resolveSimInput({ scenario: record.scenarioId, seed: record.seed, durationSeconds: record.settings.durationSeconds });
  if (input.settings.tickSeconds !== record.settings.tickSeconds) {
    throw new ReplayError(`match ${record.id} ran with ${record.settings.tickSeconds} s ticks but scenario ${record.scenarioId} now has ${input.settings.tickSeconds} s ticks`);
  }
  const team = recordTeam(record);
  let ticks = 0;
  let match;
  const recorder = opts.postmortem ? new TimelineRecorder(team) : null;
  try {
    match = replayMatch(input, [team], [{ team, log: record.actions as never, injections: record.injections as never }], {
      ...ticksOption(record),
      scheduled: record.settings.mode !== 'redblue',
      onTick: (m) => {
        ticks++;
        recorder?.observe(m);
      },
    });
  } catch (e) {
    throw new ReplayError(`match ${record.id} does not replay: ${(e as Error).message}`);
  }
  // The replay re-fires the pages but not what the players did with them (the archive does not hold
  // the workflow requests): the archived workflow is what the team did live, so the workflow's score
  // terms (docs/scoring.md) and the postmortem's follow-ups come from it.
  if (record.workflow) getTeam(match, team).workflow = structuredClone(record.workflow);
  const summary = teamSummary(match, team);
  return {
    matchId: record.id,
    scenarioId: record.scenarioId,
    seed: record.seed,
    team,
    ticks,
    stateHash: summary.stateHash,
    storedStateHash: record.summary.stateHash,
    matches: summary.stateHash === record.summary.stateHash,
    score: summary.score,
    storedScore: record.summary.score,
    ...(recorder
      ? {
          postmortem: postmortemMarkdown(match, team, recorder.entries(match), {
            matchId: record.id,
            scenarioTitle: opts.scenarioTitle ?? title,
            players: record.players.map((p) => p.name).sort(),
          }),
        }
      : {}),
  };
}


/** What {@link postmortemInWorker} resolves to. */
export type PostmortemResult = { ok: true; markdown: string; matches: boolean } | { ok: false; error: string };

/**
 * Writes the postmortem of `record` (a {@link ReplayRecord}, e.g. what `getMatch` returns: validated in
 * the worker) by re-simulating it in a worker thread (./replay-worker.ts).
 * Resolves, never rejects: a failure comes back as `{ ok: false, error }`.
 */
export async function postmortemInWorker(record: unknown): Promise<PostmortemResult> {
  const { Worker } = await import('node:worker_threads');
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./replay-worker.ts', import.meta.url), { workerData: { record: JSON.parse(JSON.stringify(record)) as unknown } });
    let settled = false;
    const done = (r: PostmortemResult): void => {
      if (settled) return;
      settled = true;
      resolve(r);
      void worker.terminate();
    };
    worker.once('message', (m: PostmortemResult) => done(m));
    worker.once('error', (e) => done({ ok: false, error: e.message }));
    worker.once('exit', (code) => done({ ok: false, error: `replay worker exited with code ${code}` }));
  });
}

// ---------------------------------------------------------------------------------------------------
// Replay viewer: a re-simulated match with periodic snapshots (GET /api/matches/:id/replay).
// ---------------------------------------------------------------------------------------------------

/** Sim seconds between two points of a {@link ReplayTimeline}'s `samples`. */
export const REPLAY_SAMPLE_SECONDS = 10;
/** Sim seconds between two stored snapshots of a {@link PreparedReplay}: seeking re-simulates at most this much. */
export const REPLAY_SNAPSHOT_SECONDS = 60;

/** One point of the SLI / error-budget curves, after the tick ending at sim second `t`. Fractions 0..1. */
export interface ReplaySample {
  /** Sim seconds since match start. */
  t: number;
  /** Availability SLI (good / total requests over the SLO window), 0..1. */
  availability: number;
  /** Latency SLI (requests under the threshold / total), 0..1. */
  latency: number;
  /** Availability error budget remaining, 0..1 (SRE Workbook ch. 2). */
  budget: number;
  /** Latency error budget remaining, 0..1. */
  latencyBudget: number;
  /** Availability burn rate over the fastest page tier's short window (1 = spending the budget exactly over the SLO window; SRE Workbook ch. 5). */
  burnRate: number;
}

/** An incident of the replayed match, revealed (the match is over). Times: sim seconds; null = never. */
export interface ReplayIncident {
  id: string;
  type: string;
  title: string;
  startedAt: number | null;
  mitigatedAt: number | null;
}

/** One action or injection of the replayed match's log. `t` = its tick * tickSeconds (sim seconds). */
export interface ReplayAction {
  t: number;
  kind: 'action' | 'injection';
  player: string;
  /** What was done, as the kubectl command a player would type (or the injection). */
  text: string;
}

/** What `GET /api/matches/:id/replay` returns: the whole match as curves and marks. */
export interface ReplayTimeline {
  matchId: string;
  scenarioId: string;
  scenarioTitle: string;
  team: string;
  seed: number;
  /** Sim seconds per tick. */
  tickSeconds: number;
  /** Sim seconds the match was set to last. */
  durationSeconds: number;
  /** Sim second of the last tick replayed (the last moment `?t=` can show). */
  endT: number;
  /** Seconds between two samples ({@link REPLAY_SAMPLE_SECONDS}). */
  sampleSeconds: number;
  samples: ReplaySample[];
  incidents: ReplayIncident[];
  actions: ReplayAction[];
  /** The postmortem timeline (alerts, incidents, actions), ordered by time. */
  events: TimelineEntry[];
  /** Replayed final state hash, the stored (live) one, and whether they agree. */
  stateHash: string;
  storedStateHash: string;
  matches: boolean;
  score: number;
}

/** What `GET /api/matches/:id/replay?t=` returns: the team at one moment, in the room's wire shape. */
export interface ReplayFrame {
  matchId: string;
  team: string;
  /** Sim seconds of the moment shown (`?t=` floored to a tick, at most `endT`). */
  t: number;
  /** The team's cluster state hash at `t` (16 hex digits; at `endT` it equals the final one). */
  stateHash: string;
  /**
   * A room-state-shaped object (`{ t, phase, durationSeconds, teams: { [team]: TeamSchema JSON }, teamDetail: { [team]: TeamDetailSchema JSON } }`)
   * from server/rooms/projection.ts `projectTeam` (phase `ended`: causes shown), readable by the client's `snapshotState`.
   */
  state: Record<string, unknown>;
}

/** Actions and injections due at each tick, in live order (the rule of shared/game `replayMatch`). */
type Due = Map<number, ({ kind: 'action'; player: string; action: unknown } | { kind: 'inject'; player: string; spec: Record<string, unknown> })[]>;

function dueOf(record: ReplayRecord): Due {
  const due: Due = new Map();
  const push = (tick: number, item: Due extends Map<number, (infer I)[]> ? I : never): void => {
    let list = due.get(tick);
    if (!list) due.set(tick, (list = []));
    list.push(item);
  };
  let next = 0;
  const inj = record.injections;
  record.actions.forEach((a, i) => {
    while (next < inj.length && inj[next]!.logIndex <= i) {
      const e = inj[next++]!;
      push(e.tick, { kind: 'inject', player: e.player, spec: e.spec as Record<string, unknown> });
    }
    push(a.tick, { kind: 'action', player: a.player, action: a.action });
  });
  while (next < inj.length) {
    const e = inj[next++]!;
    push(e.tick, { kind: 'inject', player: e.player, spec: e.spec as Record<string, unknown> });
  }
  return due;
}

/**
 * A stored match re-simulated once, kept with a snapshot every {@link REPLAY_SNAPSHOT_SECONDS} so
 * {@link PreparedReplay.matchAt} re-simulates at most that much. Snapshots are `structuredClone`s of
 * the whole {@link Match} (plain data). Built by {@link prepareReplay}.
 */
export interface PreparedReplay {
  timeline: ReplayTimeline;
  /**
   * The match after the tick ending at sim second `t` (floored to a tick, clamped to 0..endT), before the actions
   * logged at that tick (as a player saw it then). A fresh copy: the caller may keep it.
   */
  matchAt(t: number): Match;
}

/**
 * Re-simulates `record` (as {@link replayRecord}) and records its curves, incidents, actions and snapshots.
 * About a second of CPU per simulated hour (run it in a worker: server/scenarios/replay-view-worker.ts).
 * @throws ReplayError when its log doesn't replay; ScenarioError when its scenario can't be loaded.
 */
export function prepareReplay(record: ReplayRecord): PreparedReplay {
  const { input, title } = resolveSimInput({ scenario: record.scenarioId, seed: record.seed, durationSeconds: record.settings.durationSeconds });
  if (input.settings.tickSeconds !== record.settings.tickSeconds) {
    throw new ReplayError(`match ${record.id} ran with ${record.settings.tickSeconds} s ticks but scenario ${record.scenarioId} now has ${input.settings.tickSeconds} s ticks`);
  }
  const team = recordTeam(record);
  const tickSeconds = input.settings.tickSeconds;
  const logs = [{ team, log: record.actions as never, injections: record.injections as never }];
  let initial: Match;
  try {
    initial = replayMatch(input, [team], logs, { ticks: 0, scheduled: record.settings.mode !== 'redblue' });
  } catch (e) {
    throw new ReplayError(`match ${record.id} does not replay: ${(e as Error).message}`);
  }
  const snapshots: { tick: number; match: Match }[] = [{ tick: 0, match: structuredClone(initial) }];
  const samples: ReplaySample[] = [];
  const recorder = new TimelineRecorder(team);
  const snapEvery = Math.max(1, Math.round(REPLAY_SNAPSHOT_SECONDS / tickSeconds));
  const sampleEvery = Math.max(1, Math.round(REPLAY_SAMPLE_SECONDS / tickSeconds));
  const due = dueOf(record);
  let match: Match;
  try {
    match = replayMatch(input, [team], logs, {
      ...ticksOption(record),
      scheduled: record.settings.mode !== 'redblue',
      onTick: (m) => {
        recorder.observe(m);
        const sim = getTeam(m, team).sim;
        if (sim.tick % sampleEvery === 0) samples.push(sampleOf(sim));
        if (sim.tick % snapEvery === 0) snapshots.push({ tick: sim.tick, match: structuredClone(m) });
      },
    });
  } catch (e) {
    throw new ReplayError(`match ${record.id} does not replay: ${(e as Error).message}`);
  }
  const final = getTeam(match, team);
  if (samples.at(-1)?.t !== final.sim.t) samples.push(sampleOf(final.sim));
  const endTick = final.sim.tick;
  if (snapshots.at(-1)!.tick !== endTick) snapshots.push({ tick: endTick, match: structuredClone(match) });
  const summary = teamSummary(match, team);
  const events = recorder.entries(match);
  const timeline: ReplayTimeline = {
    matchId: record.id,
    scenarioId: record.scenarioId,
    scenarioTitle: title,
    team,
    seed: record.seed,
    tickSeconds,
    durationSeconds: record.settings.durationSeconds,
    endT: final.sim.t,
    sampleSeconds: sampleEvery * tickSeconds,
    samples,
    incidents: final.sim.incidents
      .filter((i) => i.startedAt !== null)
      .map((i) => ({ id: i.spec.id, type: i.spec.type, title: i.spec.title ?? incidentModule(i.spec.type).title(i.spec), startedAt: i.startedAt, mitigatedAt: i.mitigatedAt }))
      .sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    actions: events
      .filter((e) => e.kind === 'action' || e.kind === 'injection')
      .map((e) => ({ t: e.t, kind: e.kind as 'action' | 'injection', player: e.player ?? '', text: e.text })),
    events,
    stateHash: summary.stateHash,
    storedStateHash: record.summary.stateHash,
    matches: summary.stateHash === record.summary.stateHash,
    score: summary.score,
  };
  const matchAt = (t: number): Match => {
    const target = Math.max(0, Math.min(endTick, Math.floor(t / tickSeconds + 1e-9)));
    let base = snapshots[0]!;
    for (const s of snapshots) if (s.tick <= target) base = s;
    const m = structuredClone(base.match);
    playMatch(m, {
      ticks: target - base.tick,
      beforeTick: (mm) => {
        const ts = getTeam(mm, team);
        for (const item of due.get(ts.sim.tick) ?? []) {
          const id = playerByName(mm, item.player)!.id;
          if (item.kind === 'action') submit(mm, id, item.action as never);
          else {
            const spec = item.spec as { type: never; target: never; params: never; id: never; title?: string };
            inject(mm, id, team, { type: spec.type, target: spec.target, params: spec.params, id: spec.id, ...(spec.title !== undefined ? { title: spec.title } : {}) });
          }
        }
      },
    });
    return m;
  };
  return { timeline, matchAt };
}

function sampleOf(sim: SimState): ReplaySample {
  const r4 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 10_000) / 10_000 : 0);
  const { availability, latency } = sim.slos;
  const pages = sim.alertTiers.filter((tier) => tier.severity === 'page').sort((a, b) => a.longWindowSeconds - b.longWindowSeconds || (a.name < b.name ? -1 : 1));
  const burn = pages[0] === undefined ? 0 : (availability.burnRates[pages[0].name]?.short ?? 0);
  return {
    t: sim.t,
    availability: r4(availability.sli),
    latency: r4(latency.sli),
    budget: r4(availability.errorBudgetRemaining),
    latencyBudget: r4(latency.errorBudgetRemaining),
    burnRate: r4(burn),
  };
}

/** What {@link ReplayViewer} resolves to. */
export type ReplayViewResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * The main thread's handle on the replay viewer's worker (./replay-view-worker.ts): one long-lived
 * worker (started on first use, `unref`'d) that keeps recent re-simulated matches, so a timeline and
 * then many `?t=` seeks cost one re-simulation. Requests are answered in order. Never rejects: a
 * failure (bad record, log that doesn't replay, worker crash) comes back as `{ ok: false, error }`.
 */
export class ReplayViewer {
  #worker: import('node:worker_threads').Worker | null = null;
  #next = 1;
  readonly #pending = new Map<number, (r: { ok: boolean; error?: string; timeline?: ReplayTimeline; frame?: ReplayFrame }) => void>();

  async #send(msg: Record<string, unknown>): Promise<{ ok: boolean; error?: string; timeline?: ReplayTimeline; frame?: ReplayFrame }> {
    if (!this.#worker) {
      const { Worker } = await import('node:worker_threads');
      const worker = new Worker(new URL('./replay-view-worker.ts', import.meta.url));
      worker.unref();
      worker.on('message', (m: { id: number; ok: boolean }) => {
        const done = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        done?.(m);
      });
      const fail = (error: string): void => {
        if (this.#worker === worker) this.#worker = null;
        for (const done of this.#pending.values()) done({ ok: false, error });
        this.#pending.clear();
      };
      worker.on('error', (e) => fail(e.message));
      worker.on('exit', (code) => fail(`replay worker exited with code ${code}`));
      this.#worker = worker;
    }
    const id = this.#next++;
    const worker = this.#worker;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      worker.postMessage({ ...msg, id });
    });
  }

  /** The timeline of `record` (a {@link ReplayRecord}, validated in the worker). */
  async timeline(record: unknown): Promise<ReplayViewResult<ReplayTimeline>> {
    const r = await this.#send({ kind: 'timeline', record: JSON.parse(JSON.stringify(record)) as unknown });
    return r.ok && r.timeline ? { ok: true, value: r.timeline } : { ok: false, error: r.error ?? 'no timeline' };
  }

  /** The team of `record` at sim second `t` (floored to a tick, clamped to the match). */
  async frame(record: unknown, t: number): Promise<ReplayViewResult<ReplayFrame>> {
    const r = await this.#send({ kind: 'frame', record: JSON.parse(JSON.stringify(record)) as unknown, t });
    return r.ok && r.frame ? { ok: true, value: r.frame } : { ok: false, error: r.error ?? 'no frame' };
  }

  /** Stops the worker (pending requests fail). */
  async close(): Promise<void> {
    const w = this.#worker;
    this.#worker = null;
    if (w) await w.terminate();
  }
}
