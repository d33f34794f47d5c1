/**
 * The game layer's public API (boardgame.io's core/master split, without a transport): a pure,
 * deterministic, plain-JSON {@link Match} of teams (each its own shared/sim cluster, action log and
 * score inputs), roster, roles and phase, driven by `submit` (a player acts) and `advance` (one tick).
 * The Colyseus room, the CLI and replay are adapters around it. See ./README.md.
 */
export * from './types.ts';
export {
  MATCH_ERRORS,
  TeamStepError,
  advance,
  checkSubmit,
  control,
  createMatch,
  findPlayer,
  findTeam,
  getTeam,
  inject,
  isMatchEnded,
  join,
  leave,
  playerByName,
  startScheduledIncidents,
  submit,
  suspend,
  teamScore,
} from './match.ts';
export { teamSummary } from './summary.ts';
export { deletesHealthyPod, leftNoSchedulableNode } from './collateral.ts';
export {
  POSTMORTEM_DISTRACTORS,
  SEVERITIES,
  WORKFLOW_ERRORS,
  WORKFLOW_ROLES,
  applyWorkflow,
  emptyWorkflow,
  incidentByLabel,
  isRevealed,
  postmortemOptions,
  recordPages,
  visibleIncidents,
  type LabelledIncident,
  type PostmortemOption,
  type WorkflowRequest,
  type WorkflowResult,
} from './workflow.ts';
export { TimelineRecorder, clock, postmortemMarkdown, type PostmortemInfo, type TimelineEntry } from './postmortem.ts';
export { matchHash, playMatch, replayMatch, runMatch, type PlayOptions, type ReplayOptions, type TeamLog } from './replay.ts';
export {
  ACTION_COSTS,
  ACTION_COST_POINTS,
  AVAILABILITY_WEIGHT,
  BONUS_WINDOW_SECONDS,
  INCIDENT_BONUS_POINTS,
  LATENCY_WEIGHT,
  OPEN_INCIDENT_PENALTY,
  SCORE_FORMULA,
  SLO_POINTS,
  ACK_BONUS_POINTS,
  COLLATERAL_PENALTY_POINTS,
  ACK_WINDOW_SECONDS,
  HINT_COST_POINTS,
  POSTMORTEM_BONUS_POINTS,
  UPDATE_BONUS_POINTS,
  UPDATE_WINDOW_SECONDS,
  WORKFLOW_SCORE_FORMULA,
  ackBonus,
  workflowPoints,
  type WorkflowPoints,
  actedDuring,
  computeScore,
  incidentBonus,
  scoreOf,
  squash,
  type ScoredTeam,
} from './score.ts';
