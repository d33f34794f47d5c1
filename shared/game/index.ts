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
  actedDuring,
  computeScore,
  incidentBonus,
  scoreOf,
  squash,
  type ScoredTeam,
} from './score.ts';
export {
  ATTACK_POINTS,
  BLUE_TEAM,
  CHAOS_ERRORS,
  DEFAULT_CHAOS_BUDGET,
  DEFAULT_CHAOS_COSTS,
  RED_TEAM,
  attack,
  attackScore,
  attackerOf,
  budgetBurnt,
  chaosInfoFor,
  chaosRules,
  chaosTotals,
  cooldownLeft,
  defaultChaosRule,
  defaultTarget,
  opponentOf,
  type AttackRequest,
  type AttackResult,
  type ChaosAttack,
  type ChaosRule,
  type ChaosSide,
  type ChaosSideInfo,
  type ChaosState,
  type ChaosTotal,
  type RedTeamRules,
  type RedTeamRulesInput,
  type SloCounts,
} from './chaos.ts';
