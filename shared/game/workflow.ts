/**
 * The incident workflow of a team (issue 8): the pager, acknowledgement, declared incidents with a
 * severity, status updates, hints and the postmortem question. Google SRE Book ch. 14 ("Managing
 * Incidents": the incident commander declares and drives an incident, communications keeps
 * stakeholders informed, planning files the follow-ups: action items, bugs, handoffs) and SRE Workbook ch. 5 (a page is the multi-window, multi-burn-rate alert
 * that fires at page severity) and ch. 9 (incident response: acknowledge, mitigate, resolve).
 *
 * Pure and deterministic: every function reads and mutates the plain-JSON {@link Match} /
 * {@link TeamState} it is given; no clock but the team's sim time (`sim.t`, sim seconds).
 *
 * What players see of an incident while the match runs is its neutral label (`incident-1`, ... in
 * start order, {@link visibleIncidents}), never its kind, id or title: those are revealed when the
 * match has ended (the debrief) or when the team bought a hint for that incident ({@link isRevealed}).
 *
 * May import: shared/sim (public API), ./types.ts.
 */
import { INCIDENT_KINDS, incidentCatalog, incidentTitle } from '../sim/index.ts';
import { fnv1a64 } from '../sim/hash.ts';
import type { IncidentState, SimState } from '../sim/types.ts';
import type { Match, MatchPlayer, PlayerRole, Severity, TeamState, TeamWorkflow } from './types.ts';

/** Every {@link Severity}, most severe first. */
export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3'] as const satisfies readonly Severity[];

/** Distractors offered beside the real root cause in the postmortem question (fewer when the catalog is small). */
export const POSTMORTEM_DISTRACTORS = 3;

/** Refusal texts of {@link applyWorkflow} (the room sends them as `reply.error`). */
export const WORKFLOW_ERRORS = {
  notAPlayer: 'you are not a player in this match',
  spectator: 'spectators watch: they cannot page, declare or post updates',
  lobby: 'the match has not started yet',
  ended: 'the match has ended: only the postmortem question can be answered now',
  notEnded: 'the postmortem question is asked when the match has ended',
  noPage: 'no page to acknowledge',
  noDeclared: 'no declared incident to resolve: declare one first',
} as const;

/** An empty workflow (a new team's). */
export function emptyWorkflow(): TeamWorkflow {
  return { pages: [], declared: [], updates: [], hints: [], answers: [] };
}

// ---------------------------------------------------------------------------------------------------
// The pager
// ---------------------------------------------------------------------------------------------------

/**
 * Records the pages of one team after a tick: every firing page-severity burn-rate alert
 * (`sim.alerts`, SRE Workbook ch. 5 multi-window, multi-burn-rate tiers) whose episode (`alert.since`,
 * the sim second it started firing) has no {@link PageRecord} yet gets one, `page-N` in firing order
 * (alerts in `sim.alerts` order within a tick). Idempotent: calling it twice in a tick adds nothing.
 * O(alerts x pages of the same alert).
 */
export function recordPages(team: TeamState): void {
  const wf = team.workflow;
  for (const a of team.sim.alerts) {
    if (!a.firing || a.severity !== 'page') continue;
    if (wf.pages.some((p) => p.alert === a.id && p.firedAt === a.since)) continue;
    wf.pages.push({ id: `page-${wf.pages.length + 1}`, alert: a.id, firedAt: a.since, ackedAt: null, ackedBy: null });
  }
}

// ---------------------------------------------------------------------------------------------------
// What players see of incidents
// ---------------------------------------------------------------------------------------------------

/** An incident players have seen strike, with its neutral label. */
export interface LabelledIncident {
  /** `incident-N`: N = its rank in (startedAt, position in `sim.incidents`) order among started incidents. */
  label: string;
  incident: IncidentState;
}

/**
 * The incidents that started in `sim` (active or mitigated; scheduled ones are not shown), in
 * (startedAt, position) order, each with its label `incident-N` (N from 1). Labels are stable: an
 * incident starting later has a later (or equal, then a later position) start, so it is appended.
 */
export function visibleIncidents(sim: Pick<SimState, 'incidents'>): LabelledIncident[] {
  const started: { inc: IncidentState; i: number }[] = [];
  sim.incidents.forEach((inc, i) => {
    if (inc.status === 'active' || inc.status === 'mitigated') started.push({ inc, i });
  });
  started.sort((a, b) => (a.inc.startedAt ?? 0) - (b.inc.startedAt ?? 0) || a.i - b.i);
  return started.map(({ inc }, n) => ({ label: `incident-${n + 1}`, incident: inc }));
}

/** The incident labelled `label` in `team`'s cluster, or undefined. */
export function incidentByLabel(team: TeamState, label: string): IncidentState | undefined {
  return visibleIncidents(team.sim).find((v) => v.label === label)?.incident;
}

/**
 * True when players of `team` may see the cause (kind, id, title) of the cluster incident `incidentId`:
 * the match has ended (the debrief) or the team bought a hint for it.
 */
export function isRevealed(phase: Match['phase'], team: Pick<TeamState, 'workflow'>, incidentId: string): boolean {
  return phase === 'ended' || team.workflow.hints.some((h) => h.incident === incidentId);
}

// ---------------------------------------------------------------------------------------------------
// The postmortem question
// ---------------------------------------------------------------------------------------------------

/** One option of the root-cause question: an incident kind and its catalog title (`Bad rollout of <deployment>`). */
export interface PostmortemOption {
  /** Incident kind (the answer's `choice`). */
  id: string;
  text: string;
}

/**
 * The root-cause options for one incident: its real kind plus up to {@link POSTMORTEM_DISTRACTORS}
 * other kinds of the catalog, chosen deterministically (the kinds ordered by FNV-1a of
 * `seed/incident id/kind`, ties by kind), then sorted by kind so the position gives nothing away.
 * Same cluster seed and incident, same options.
 */
export function postmortemOptions(seed: number, incident: Pick<IncidentState, 'spec'>): PostmortemOption[] {
  const real = incident.spec.type;
  const others = INCIDENT_KINDS.filter((k) => k !== real)
    .map((k) => ({ k, h: fnv1a64(`${seed}/${incident.spec.id}/${k}`) }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .slice(0, POSTMORTEM_DISTRACTORS)
    .map((x) => x.k);
  const titles = catalogTitles();
  return [real, ...others]
    .sort()
    .map((k) => ({ id: k, text: titles.get(k) ?? k }));
}

/** Catalog titles by kind (computed once: the catalog is static). */
let titleCache: ReadonlyMap<string, string> | null = null;
function catalogTitles(): ReadonlyMap<string, string> {
  titleCache ??= new Map(incidentCatalog().map((e) => [e.kind as string, e.title]));
  return titleCache;
}

// ---------------------------------------------------------------------------------------------------
// Workflow operations
// ---------------------------------------------------------------------------------------------------

/**
 * A workflow operation (the room validates the shape with the protocol's zod schema first):
 * - `ack`: acknowledge a page (`page` id; without one: every unacknowledged page, e.g. the fast and
 *   slow page tiers that fired together);
 * - `declare`: declare an incident with a severity and a one-line summary;
 * - `update`: post a status update to stakeholders;
 * - `resolve`: mark a declared incident (`incident` `inc-N`, default the latest open one) `mitigated`
 *   (impact stopped) or `resolved` (default; also stamps mitigation if not yet);
 * - `hint`: buy the cause of one incident the team has seen (`incident` = its label `incident-N`);
 * - `answer`: the postmortem question, after the match ended: the root cause (`choice`, an incident
 *   kind among {@link postmortemOptions}) of one incident (its label), once per incident;
 * - `followup`: file a follow-up (action item, bug, handoff: `text`), `fu-N`, listed in the postmortem.
 */
export type WorkflowRequest =
  | { op: 'ack'; page?: string }
  | { op: 'declare'; severity: Severity; summary: string }
  | { op: 'update'; text: string }
  | { op: 'resolve'; incident?: string; stage?: 'mitigated' | 'resolved' }
  | { op: 'hint'; incident: string }
  | { op: 'answer'; incident: string; choice: string }
  | { op: 'followup'; text: string };

/** {@link applyWorkflow}'s answer: `message` is the reply text. */
export type WorkflowResult = { ok: true; message: string } | { ok: false; error: string };

/** The role each operation needs when the match plays with roles (`null`: any player of the team). */
export const WORKFLOW_ROLES: Readonly<Record<WorkflowRequest['op'], PlayerRole | null>> = {
  ack: 'commander',
  declare: 'commander',
  update: 'communications',
  resolve: 'commander',
  hint: 'commander',
  answer: null,
  followup: 'planning',
};

function roleRefusal(match: Match, player: MatchPlayer, op: WorkflowRequest['op']): string | null {
  const needed = WORKFLOW_ROLES[op];
  if (!match.settings.roles || needed === null || player.role === needed) return null;
  const who = needed === 'commander' ? 'the incident commander' : needed;
  return `only ${who} may ${op} in this match (your role: ${player.role ?? 'none'})`;
}

/**
 * A player's workflow operation on their own team, now (between ticks; times are the team's `sim.t`,
 * sim seconds). Checks, in this order: a known player, not a spectator; the phase (`lobby` refused;
 * `ended` only for `answer`, which needs it); the role when the match plays with roles
 * ({@link WORKFLOW_ROLES}); then the operation's own checks (unknown page, incident or choice, already
 * acknowledged / answered / hinted, ...). A refusal changes nothing. Accepted operations are recorded
 * in `team.workflow` with the player's name; the score reads them (shared/game/score.ts).
 */
export function applyWorkflow(match: Match, playerId: string, req: WorkflowRequest): WorkflowResult {
  const player = match.players.find((p) => p.id === playerId);
  if (!player) return { ok: false, error: WORKFLOW_ERRORS.notAPlayer };
  if (player.spectator) return { ok: false, error: WORKFLOW_ERRORS.spectator };
  if (match.phase === 'lobby') return { ok: false, error: WORKFLOW_ERRORS.lobby };
  if (req.op === 'answer' ? match.phase !== 'ended' : match.phase === 'ended') {
    return { ok: false, error: req.op === 'answer' ? WORKFLOW_ERRORS.notEnded : WORKFLOW_ERRORS.ended };
  }
  const role = roleRefusal(match, player, req.op);
  if (role !== null) return { ok: false, error: role };
  const team = match.teams.find((t) => t.id === player.team);
  if (!team) return { ok: false, error: WORKFLOW_ERRORS.notAPlayer };
  const wf = team.workflow;
  const t = team.sim.t;
  const by = player.name;
  switch (req.op) {
    case 'ack': {
      if (req.page === undefined) {
        const open = wf.pages.filter((p) => p.ackedAt === null);
        if (open.length === 0) return { ok: false, error: WORKFLOW_ERRORS.noPage };
        for (const p of open) {
          p.ackedAt = t;
          p.ackedBy = by;
        }
        return { ok: true, message: `${open.map((p) => `${p.id} (${p.alert})`).join(', ')} acknowledged at t=${t}s, ${t - open[0]!.firedAt} s after the first fired` };
      }
      const page = wf.pages.find((p) => p.id === req.page);
      if (!page) return { ok: false, error: `no page "${req.page}" (pages: ${wf.pages.map((p) => p.id).join(', ') || 'none'})` };
      if (page.ackedAt !== null) return { ok: false, error: `${page.id} was already acknowledged by ${page.ackedBy ?? '?'} at t=${page.ackedAt}s` };
      page.ackedAt = t;
      page.ackedBy = by;
      return { ok: true, message: `${page.id} (${page.alert}) acknowledged at t=${t}s, ${t - page.firedAt} s after it fired` };
    }
    case 'declare': {
      const id = `inc-${wf.declared.length + 1}`;
      wf.declared.push({ id, severity: req.severity, summary: req.summary, declaredAt: t, declaredBy: by, mitigatedAt: null, resolvedAt: null });
      return { ok: true, message: `${id} declared (${req.severity}) at t=${t}s` };
    }
    case 'update':
      wf.updates.push({ t, by, text: req.text });
      return { ok: true, message: `status update posted at t=${t}s` };
    case 'followup': {
      const list = (wf.followups ??= []);
      const id = `fu-${list.length + 1}`;
      list.push({ id, t, by, text: req.text });
      return { ok: true, message: `${id} filed at t=${t}s: it is listed in the postmortem's action items` };
    }
    case 'resolve': {
      const open = wf.declared.filter((d) => d.resolvedAt === null);
      const inc = req.incident === undefined ? open.at(-1) : wf.declared.find((d) => d.id === req.incident);
      if (!inc) return { ok: false, error: req.incident === undefined ? WORKFLOW_ERRORS.noDeclared : `no declared incident "${req.incident}"` };
      if (inc.resolvedAt !== null) return { ok: false, error: `${inc.id} is already resolved (t=${inc.resolvedAt}s)` };
      const stage = req.stage ?? 'resolved';
      if (stage === 'mitigated') {
        if (inc.mitigatedAt !== null) return { ok: false, error: `${inc.id} is already mitigated (t=${inc.mitigatedAt}s)` };
        inc.mitigatedAt = t;
        return { ok: true, message: `${inc.id} mitigated at t=${t}s` };
      }
      inc.mitigatedAt ??= t;
      inc.resolvedAt = t;
      return { ok: true, message: `${inc.id} resolved at t=${t}s` };
    }
    case 'hint': {
      const inc = incidentByLabel(team, req.incident);
      if (!inc) return { ok: false, error: `no incident "${req.incident}" has struck your cluster` };
      if (wf.hints.some((h) => h.incident === inc.spec.id)) return { ok: false, error: `you already have the hint for ${req.incident}` };
      wf.hints.push({ t, by, incident: inc.spec.id });
      return { ok: true, message: `hint for ${req.incident}: ${inc.spec.type} (${incidentTitle(inc)})` };
    }
    case 'answer': {
      const inc = incidentByLabel(team, req.incident);
      if (!inc) return { ok: false, error: `no incident "${req.incident}" struck your cluster` };
      if (wf.answers.some((a) => a.incident === inc.spec.id)) return { ok: false, error: `${req.incident} was already answered` };
      const options = postmortemOptions(team.sim.settings.seed, inc);
      if (!options.some((o) => o.id === req.choice)) return { ok: false, error: `"${req.choice}" is not one of the options: ${options.map((o) => o.id).join(', ')}` };
      const correct = req.choice === inc.spec.type;
      wf.answers.push({ incident: inc.spec.id, by, choice: req.choice, correct });
      return { ok: true, message: correct ? `correct: ${req.incident} was ${inc.spec.type}` : `not quite: ${req.incident} was ${inc.spec.type}` };
    }
  }
}
