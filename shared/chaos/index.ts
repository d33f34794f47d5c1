/**
 * Public API of the chaos translator (see ./README.md): Chaos Mesh objects and LitmusChaos ChaosEngines
 * -> the sim's incidents. Pure.
 */
export { ChaosError, LITMUS_EXPERIMENTS, chaosClusterOf, chaosClusterOfState, looksLikeChaos, scheduleRuns, scheduleTimes, translateChaos, validateChaos } from './translate.ts';
export type { AppInfo, ChaosCluster, ChaosTranslation, ChaosWorkload, TranslateOptions } from './translate.ts';
export { durationSeconds } from './schema.ts';
