/**
 * The match score of one team: led by the error budget left (SRE Workbook ch. 2: the budget is what the
 * team may spend; budget remaining = 1 - (1 - SLI) / (1 - SLO), kubernetes-behaviour.md §9), plus a
 * bonus per incident the team mitigated (faster = more), minus open incidents and the cost of the
 * actions the team took ({@link ACTION_COSTS}). Pure; never NaN.
 *
 * Game rules, not cluster state: the SLOs and incidents come from the team's own cluster
 * (`SimState.slos`, `SimState.incidents`), the action count and cost from the team's own score inputs
 * ({@link TeamScoreInputs}), and "mitigated after a player action" from the team's own action log, so
 * one team's moves never cost or earn another team anything.
 *
 * May import: shared/sim types, ./types.ts.
 */
import type { LoggedAction, SimAction, SimState } from '../sim/types.ts';
import type { TeamScoreInputs, TeamWorkflow } from './types.ts';

/**
 * What each accepted player action costs the acting team (added to {@link TeamScoreInputs.actionCost},
 * {@link ACTION_COST_POINTS} points per unit): cheap, targeted fixes cost little, disruptive ones more.
 * One table, one place.
 *
 * | action            | cost | why |
 * |-------------------|------|-----|
 * | deletePod         | 1    | one pod, replaced by its ReplicaSet |
 * | cordonNode        | 1    | stops new placements only |
 * | uncordonNode      | 1    | |
 * | scaleDeployment   | 2    | an API write; capacity follows |
 * | setImage          | 2    | starts a rollout |
 * | setResources      | 2    | starts a rollout |
 * | rolloutRestart    | 2    | replaces every pod |
 * | rolloutUndo       | 3    | a rollback: the standard fix, but a full rollout |
 * | drainNode         | 5    | evicts every pod of a node |
 * | restoreEtcdMember | 5    | a snapshot restore of a control-plane member |
 */
export const ACTION_COSTS: Readonly<Record<SimAction['type'], number>> = {
  deletePod: 1,
  cordonNode: 1,
  uncordonNode: 1,
  scaleDeployment: 2,
  setImage: 2,
  setResources: 2,
  rolloutRestart: 2,
  rolloutUndo: 3,
  drainNode: 5,
  restoreEtcdMember: 5,
  label: 1, // metadata only; relabelling a Pod moves it in or out of Services
  annotate: 1, // metadata only
  taintNode: 2, // like cordon, and NoExecute evicts
  createDeployment: 3, // new capacity, scheduled like any workload
  createService: 2, // new endpoints
  deleteDeployment: 5, // cascades to its ReplicaSets and Pods
  deleteObject: 3, // a Service, policy, batch or workload object (and, cascading, its Pods): between a patch and a Deployment delete
  createObject: 3, // a new policy, batch or workload object, like createDeployment
  applyObject: 2, // (issue 6) a changed batch, workload, LimitRange or config object, like setImage / scale
  adminCommand: 3, // etcd maintenance / kubeadm on the control plane (shared/sim/actions/admin.ts)
  patchObject: 2, // a policy object's spec (PodDisruptionBudget)
  autoscale: 2, // new HPA: capacity follows load
  patchAutoscaler: 1, // one field of an HPA
  pauseRollout: 1, // holds or releases a rollout; nothing restarts by itself
  setEnv: 2, // a template change: a full rollout, like set image
  nodeOperation: 4, // a Node reboot: its Pods stop serving for 1-2 minutes
  etcdMember: 3, // etcd runtime reconfiguration (member remove / add), like etcd maintenance
};

/** Weight of the availability budget in the SLO part (with {@link LATENCY_WEIGHT}, sums to 1). */
export const AVAILABILITY_WEIGHT = 0.7;
/** Weight of the latency budget in the SLO part. */
export const LATENCY_WEIGHT = 0.3;
/** Points for the SLO part at a fully kept budget. */
export const SLO_POINTS = 1000;
/** Bonus for an incident mitigated instantly; shrinks linearly to 0 at {@link BONUS_WINDOW_SECONDS}. */
export const INCIDENT_BONUS_POINTS = 200;
/** Time-to-mitigate (sim seconds) at which the bonus reaches 0. */
export const BONUS_WINDOW_SECONDS = 900;
/** Penalty per incident still active when the score is computed. */
export const OPEN_INCIDENT_PENALTY = 100;
/** Points per unit of a team's {@link TeamScoreInputs.actionCost}. */
export const ACTION_COST_POINTS = 2;

/** Bonus for a page acknowledged at once; shrinks linearly to 0 at {@link ACK_WINDOW_SECONDS} (issue 8). */
export const ACK_BONUS_POINTS = 50;
/** Time to acknowledge (sim seconds) at which the acknowledgement bonus reaches 0. */
export const ACK_WINDOW_SECONDS = 300;
/** Bonus per page followed by a status update within {@link UPDATE_WINDOW_SECONDS} of firing (communications). */
export const UPDATE_BONUS_POINTS = 25;
/** Sim seconds after a page within which a status update earns {@link UPDATE_BONUS_POINTS}. */
export const UPDATE_WINDOW_SECONDS = 600;
/** What one hint (the cause of one incident, before the debrief) costs. */
export const HINT_COST_POINTS = 75;
/** Bonus per correct root cause in the postmortem question. */
export const POSTMORTEM_BONUS_POINTS = 50;

/** Penalty per collateral-damage action ({@link TeamScoreInputs.collateral}: shared/game/collateral.ts). */
export const COLLATERAL_PENALTY_POINTS = 50;

/** The workflow terms as text (part of {@link SCORE_FORMULA}). */
export const WORKFLOW_SCORE_FORMULA =
  `      + sum over (alert, incident window): first page's round(${ACK_BONUS_POINTS} * max(0, 1 - timeToAcknowledge / ${ACK_WINDOW_SECONDS} s))\n` +
  `        (incident window = from one incident's start to the next one's: a re-firing alert earns once per incident)\n` +
  `      + ${UPDATE_BONUS_POINTS} * pages followed by a status update within ${UPDATE_WINDOW_SECONDS} s\n` +
  `      - ${HINT_COST_POINTS} * hints bought\n` +
  `      + ${POSTMORTEM_BONUS_POINTS} * root causes named correctly in the postmortem question\n` +
  `      - ${COLLATERAL_PENALTY_POINTS} * collateral damage (a healthy Pod deleted, the last schedulable Node drained or cordoned)`;

/** The formula as text, for the README and the end-of-match screen. */
export const SCORE_FORMULA =
  `score = round(${SLO_POINTS} * squash(${AVAILABILITY_WEIGHT} * availabilityBudgetRemaining + ` +
  `${LATENCY_WEIGHT} * latencyBudgetRemaining))\n` +
  `      + sum over incidents mitigated after a player action: round(${INCIDENT_BONUS_POINTS} * max(0, 1 - timeToMitigate / ${BONUS_WINDOW_SECONDS} s))\n` +
  `      - ${OPEN_INCIDENT_PENALTY} * incidents still active\n` +
  `      - round(${ACTION_COST_POINTS} * actionCost)\n` +
  `${WORKFLOW_SCORE_FORMULA}\n` +
  `where budgetRemaining = 1 - (1 - SLI) / (1 - SLO) x elapsed share of the SLO period (4 matches: 1/4 at the end of the match;\n` +
  `      1 = untouched, 0 = spent, < 0 = overspent; shared/sim/slo.ts)\n` +
  `and squash(b) = min(b, 1) for b >= 0, max(-1, -log10(1 - b) / 3) for b < 0 (10 budgets burnt = -1/3, 100 = -2/3, 1000+ = -1).`;

function finite(x: number, fallback = 0): number {
  return Number.isFinite(x) ? x : fallback;
}

/**
 * Maps a (weighted) budget remaining `b` onto [-1, 1]: linear while within budget (`min(b, 1)` for
 * b >= 0), then logarithmic in the overspend factor `c = 1 - b` (budgets consumed):
 * `max(-1, -log10(c) / 3)`, so each 10x more budget burnt costs a third, floor at 1000x. Continuous at 0;
 * a team that burnt 15 budgets still scores clearly better than one that burnt 300.
 */
export function squash(b: number): number {
  if (Number.isNaN(b)) return 0;
  if (b >= 0) return Math.min(b, 1);
  return Math.max(-1, -Math.log10(1 - b) / 3);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/**
 * Bonus for one incident mitigated `ttmSeconds` sim seconds after it started:
 * `round(200 * max(0, 1 - ttm / 900))`.
 */
export function incidentBonus(ttmSeconds: number): number {
  return Math.round(INCIDENT_BONUS_POINTS * clamp(1 - finite(ttmSeconds, BONUS_WINDOW_SECONDS) / BONUS_WINDOW_SECONDS, 0, 1));
}

/**
 * True when the team's log holds an action applied while `startedAt <= t < mitigatedAt` (sim seconds;
 * an action logged at tick k was applied at `t = k * tickSeconds`). This is the rule the cluster used
 * to keep itself (an action accepted between the tick the incident started and the tick it was seen
 * mitigated), computed from one team's log only. `log` is in application order (ticks non-decreasing).
 */
export function actedDuring(log: readonly LoggedAction[], tickSeconds: number, startedAt: number, mitigatedAt: number): boolean {
  // First entry with t >= startedAt (binary search over non-decreasing ticks), then check it is before mitigation.
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid]!.tick * tickSeconds < startedAt) lo = mid + 1;
    else hi = mid;
  }
  const first = log[lo];
  return first !== undefined && first.tick * tickSeconds < mitigatedAt;
}

/** What {@link computeScore} reads of a team: its cluster, its action log and its score inputs. */
export interface ScoredTeam {
  /** The team's cluster: SLO budgets (`slos`), incidents and `settings.tickSeconds`. */
  sim: Pick<SimState, 'slos' | 'incidents' | 'settings'>;
  /** The team's accepted actions, in application order. */
  log: readonly LoggedAction[];
  /** The team's action count and accumulated action cost. */
  score: TeamScoreInputs;
  /** The team's incident workflow (pages, updates, hints, answers: {@link workflowPoints}); absent: no workflow terms. */
  workflow?: TeamWorkflow;
}

/**
 * What {@link scoreOf} last computed for a team, by part: the SLO part from the two budgets, the
 * incident part (bonuses minus open-incident penalties) from the incidents and the action log, the
 * action part from the action cost.
 */
interface ScoreMemo {
  sim: ScoredTeam['sim'];
  availabilityBudget: number;
  latencyBudget: number;
  slo: number;
  log: readonly LoggedAction[];
  logLength: number;
  tickSeconds: number;
  /** status, startedAt, mitigatedAt of each incident, flat. */
  incidentInputs: unknown[];
  incidentPoints: number;
  actionCost: number;
  actions: number;
}
const scoreMemos = new WeakMap<ScoredTeam, ScoreMemo>();

function sloPoints(availabilityBudget: number, latencyBudget: number): number {
  return Math.round(SLO_POINTS * squash(AVAILABILITY_WEIGHT * availabilityBudget + LATENCY_WEIGHT * latencyBudget));
}

/** Bonuses of the incidents mitigated after an action of the team, minus the open-incident penalties (points). */
function incidentPoints(team: ScoredTeam): number {
  const state = team.sim;
  let points = 0;
  for (const inc of state.incidents) {
    if (inc.status === 'active') points -= OPEN_INCIDENT_PENALTY;
    else if (
      inc.status === 'mitigated' &&
      inc.startedAt !== null &&
      inc.mitigatedAt !== null &&
      actedDuring(team.log, state.settings.tickSeconds, inc.startedAt, inc.mitigatedAt)
    ) {
      points += incidentBonus(inc.mitigatedAt - inc.startedAt);
    }
  }
  return points;
}

/** True when `memo.incidentInputs` holds the incidents' status and times (and refreshes it if not). */
function sameIncidents(memo: ScoreMemo, incidents: ScoredTeam['sim']['incidents']): boolean {
  const inputs = memo.incidentInputs;
  let same = inputs.length === incidents.length * 3;
  for (let i = 0; i < incidents.length; i++) {
    const inc = incidents[i]!;
    const j = i * 3;
    if (inputs[j] !== inc.status || inputs[j + 1] !== inc.startedAt || inputs[j + 2] !== inc.mitigatedAt) {
      same = false;
      inputs[j] = inc.status;
      inputs[j + 1] = inc.startedAt;
      inputs[j + 2] = inc.mitigatedAt;
    }
  }
  // Set only when it differs: an array's length store is a call even when nothing changes.
  if (inputs.length !== incidents.length * 3) inputs.length = incidents.length * 3;
  return same;
}

/**
 * `computeScore(team).score` without the breakdown, for callers that need the number every patch
 * (the room's projection): nothing is allocated once warm, and each part of the formula is
 * recomputed only when its inputs changed since the last call for the same `team` object (the SLO
 * part when a budget moved, the incident part when an incident's status or times or the action log
 * changed, the action part when the cost did). Same value as {@link computeScore}, always.
 */
export function scoreOf(team: ScoredTeam): number {
  const state = team.sim;
  const availabilityBudget = finite(state.slos.availability.errorBudgetRemaining, 0);
  const latencyBudget = finite(state.slos.latency.errorBudgetRemaining, 0);
  let memo = scoreMemos.get(team);
  if (memo === undefined) {
    memo = {
      sim: state,
      availabilityBudget,
      latencyBudget,
      slo: sloPoints(availabilityBudget, latencyBudget),
      log: team.log,
      logLength: team.log.length,
      tickSeconds: state.settings.tickSeconds,
      incidentInputs: [],
      incidentPoints: 0,
      actionCost: team.score.actionCost,
      actions: 0 - Math.round(ACTION_COST_POINTS * finite(team.score.actionCost)),
    };
    sameIncidents(memo, state.incidents);
    memo.incidentPoints = incidentPoints(team);
    scoreMemos.set(team, memo);
  } else {
    if (memo.availabilityBudget !== availabilityBudget || memo.latencyBudget !== latencyBudget) {
      memo.availabilityBudget = availabilityBudget;
      memo.latencyBudget = latencyBudget;
      memo.slo = sloPoints(availabilityBudget, latencyBudget);
    }
    const sameLog = memo.sim === state && memo.log === team.log && memo.logLength === team.log.length && memo.tickSeconds === state.settings.tickSeconds;
    if (!sameIncidents(memo, state.incidents) || !sameLog) {
      memo.sim = state;
      memo.log = team.log;
      memo.logLength = team.log.length;
      memo.tickSeconds = state.settings.tickSeconds;
      memo.incidentPoints = incidentPoints(team);
    }
    if (!Object.is(memo.actionCost, team.score.actionCost)) {
      memo.actionCost = team.score.actionCost;
      memo.actions = 0 - Math.round(ACTION_COST_POINTS * finite(team.score.actionCost));
    }
  }
  return finite(memo.slo + memo.incidentPoints + memo.actions + workflowTotal(team.workflow, state) - collateralPoints(team.score));
}

/**
 * Computes one team's score (see {@link SCORE_FORMULA}) from the match so far. An incident earns its
 * bonus only when an action of THIS team was applied between its start and its mitigation
 * ({@link actedDuring}), so self-healing (e.g. pods rescheduled off a dead node) earns nothing and
 * another team's actions earn nothing either. Breakdown keys: `availabilityBudget`, `latencyBudget`
 * (fractions), `slo`, `incidents`, `openIncidents`, `actions`, the workflow terms `acknowledge`,
 * `statusUpdates`, `hints`, `postmortem` ({@link workflowPoints}; present only when one is non-zero, so a
 * match nobody played through the workflow has the breakdown it always had), `collateral` (likewise only when
 * non-zero: {@link COLLATERAL_PENALTY_POINTS} per collateral-damage action) (points, signed) and `total` (= score).
 */
export function computeScore(team: ScoredTeam): { score: number; breakdown: Record<string, number> } {
  const state = team.sim;
  const availabilityBudget = finite(state.slos.availability.errorBudgetRemaining, 0);
  const latencyBudget = finite(state.slos.latency.errorBudgetRemaining, 0);
  const slo = Math.round(SLO_POINTS * squash(AVAILABILITY_WEIGHT * availabilityBudget + LATENCY_WEIGHT * latencyBudget));
  let incidents = 0;
  let open = 0;
  for (const inc of state.incidents) {
    if (inc.status === 'active') open++;
    else if (
      inc.status === 'mitigated' &&
      inc.startedAt !== null &&
      inc.mitigatedAt !== null &&
      actedDuring(team.log, state.settings.tickSeconds, inc.startedAt, inc.mitigatedAt)
    ) {
      incidents += incidentBonus(inc.mitigatedAt - inc.startedAt);
    }
  }
  const openIncidents = 0 - OPEN_INCIDENT_PENALTY * open;
  const actions = 0 - Math.round(ACTION_COST_POINTS * finite(team.score.actionCost));
  const wf = workflowPoints(team.workflow, incidentStarts(state));
  const collateral = 0 - collateralPoints(team.score);
  const total = slo + incidents + openIncidents + actions + wf.acknowledge + wf.statusUpdates + wf.hints + wf.postmortem + collateral;
  return {
    score: finite(total),
    breakdown: {
      availabilityBudget: Math.round(availabilityBudget * 10000) / 10000,
      latencyBudget: Math.round(latencyBudget * 10000) / 10000,
      slo,
      incidents,
      openIncidents,
      actions,
      // The workflow terms only once the team used the workflow: a headless match's breakdown is as before.
      ...(wf.acknowledge !== 0 || wf.statusUpdates !== 0 || wf.hints !== 0 || wf.postmortem !== 0
        ? { acknowledge: wf.acknowledge, statusUpdates: wf.statusUpdates, hints: wf.hints, postmortem: wf.postmortem }
        : {}),
      ...(collateral !== 0 ? { collateral } : {}),
      total: finite(total),
    },
  };
}

/** The workflow terms of a team's score, points (signed): see {@link workflowPoints}. */
export interface WorkflowPoints {
  /**
   * Sum over (alert, incident window) groups of {@link ackBonus}(ackedAt - firedAt) of the group's first
   * page (see {@link workflowPoints}: at most one bonus per alert per incident).
   */
  acknowledge: number;
  /** {@link UPDATE_BONUS_POINTS} per page with a status update in [firedAt, firedAt + {@link UPDATE_WINDOW_SECONDS}]. */
  statusUpdates: number;
  /** -{@link HINT_COST_POINTS} per hint bought (<= 0). */
  hints: number;
  /** {@link POSTMORTEM_BONUS_POINTS} per correct postmortem answer. */
  postmortem: number;
}

/**
 * Bonus for a page acknowledged `ttaSeconds` sim seconds after it fired:
 * `round(50 * max(0, 1 - tta / 300))` (SRE Workbook ch. 9: time to acknowledge is the first response metric).
 */
export function ackBonus(ttaSeconds: number): number {
  return Math.round(ACK_BONUS_POINTS * clamp(1 - finite(ttaSeconds, ACK_WINDOW_SECONDS) / ACK_WINDOW_SECONDS, 0, 1));
}

/**
 * Start times (sim seconds, ascending) of the incidents that have struck `sim` (active or mitigated):
 * the boundaries of the acknowledgement windows of {@link workflowPoints}.
 */
export function incidentStarts(sim: Pick<SimState, 'incidents'>): number[] {
  const starts: number[] = [];
  for (const inc of sim.incidents) {
    if ((inc.status === 'active' || inc.status === 'mitigated') && inc.startedAt !== null) starts.push(inc.startedAt);
  }
  return starts.sort((a, b) => a - b);
}

/** Index of the incident window of a page fired at `firedAt`: how many incidents started at or before it. */
function windowOf(starts: readonly number[], firedAt: number): number {
  let n = 0;
  while (n < starts.length && starts[n]! <= firedAt) n++;
  return n;
}

/**
 * The workflow terms of the score (issue 8; shared/game/workflow.ts records the inputs): time to
 * acknowledge pages, status updates following pages in time, hints bought, postmortem answers.
 *
 * Acknowledgement cap: a burn-rate alert that stops and fires again during one long outage makes a
 * new page each time (an episode each), and acknowledging every one of them must not pay more than
 * fixing the outage would. So the pages are grouped by (alert id, incident window), the window of a
 * page being the number of incidents started at or before its `firedAt` (`incidentStarts`, sim
 * seconds; window 0 = before any incident), and only the first page of each group (in firing order,
 * `workflow.pages` order) earns its {@link ackBonus}: the re-fires of that alert in that window earn
 * nothing, acknowledged or not. The fast and slow tiers (and each SLO) are separate alerts, as a pager
 * shows them; a new incident opens a new window. Total acknowledgement points <= 50 x page alerts x
 * (incidents + 1). Without `starts` every page is in window 0.
 *
 * Pure function of `workflow` and `starts` (same records, same points); all zero for an absent or
 * empty workflow, so a headless match without players scores as before. O(pages x (updates + starts)
 * + hints + answers).
 */
export function workflowPoints(workflow: TeamWorkflow | undefined, starts: readonly number[] = []): WorkflowPoints {
  if (workflow === undefined) return { acknowledge: 0, statusUpdates: 0, hints: 0, postmortem: 0 };
  let statusUpdates = 0;
  // The first page of each "window/alert" group (a Set: alert ids are data, never plain-object keys).
  const seen = new Set<string>();
  let acknowledge = 0;
  for (const page of workflow.pages) {
    const key = `${windowOf(starts, page.firedAt)}/${page.alert}`;
    if (!seen.has(key)) {
      seen.add(key);
      if (page.ackedAt !== null) acknowledge += ackBonus(page.ackedAt - page.firedAt);
    }
    if (workflow.updates.some((u) => u.t >= page.firedAt && u.t <= page.firedAt + UPDATE_WINDOW_SECONDS)) statusUpdates += UPDATE_BONUS_POINTS;
  }
  const hints = 0 - HINT_COST_POINTS * workflow.hints.length;
  const postmortem = POSTMORTEM_BONUS_POINTS * workflow.answers.filter((a) => a.correct).length;
  return { acknowledge, statusUpdates, hints, postmortem };
}

function workflowTotal(workflow: TeamWorkflow | undefined, sim: Pick<SimState, 'incidents'>): number {
  if (workflow === undefined || workflow.pages.length + workflow.hints.length + workflow.answers.length === 0) return 0;
  const w = workflowPoints(workflow, incidentStarts(sim));
  return w.acknowledge + w.statusUpdates + w.hints + w.postmortem;
}

/** {@link COLLATERAL_PENALTY_POINTS} per collateral-damage action (0 when none was recorded). */
function collateralPoints(score: TeamScoreInputs): number {
  return COLLATERAL_PENALTY_POINTS * finite(score.collateral ?? 0);
}
