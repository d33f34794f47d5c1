/**
 * Series the sim produces, as Prometheus would scrape them from `/k8s/MATCH/TEAM/metrics`: a scenario
 * played headless through the game's own loop (shared/game `playMatch`, incidents from the match's
 * schedule, no player), its SLI counters (`gameday_slo_good_total` / `gameday_slo_valid_total{slo}`)
 * sampled once a tick, and the game's pager (the team cluster's `alerts`) at each tick.
 */
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { createMatch } from '../../shared/game/match.ts';
import { playMatch } from '../../shared/game/replay.ts';
import type { SimState } from '../../shared/sim/types.ts';

/** What {@link simSeries} returns. Index k = tick k (sim second `k x tickSeconds`); index 0 = before the first tick. */
export interface SimSeries {
  /** The team's cluster after the last tick (its `alertTiers`, SLO targets: the rules' inputs). */
  state: SimState;
  /** Sim seconds per real second of the scenario (its `match.timeDilation`, else 4). */
  timeDilation: number;
  /** Cumulative counters per tick, by SLO. */
  counters: { availability: { good: number[]; valid: number[] }; latency: { good: number[]; valid: number[] } };
  /** Ids of the pager's firing alerts per tick (sorted). */
  firing: string[][];
}

/**
 * Plays `scenario` (seed 1) for `ticks` ticks (default: the whole match) and samples it once a tick.
 * @throws ScenarioError for an unknown scenario.
 */
export function simSeries(scenario: string, ticks?: number): SimSeries {
  const resolved = resolveSimInput({ scenario, seed: 1 });
  const match = createMatch({ input: resolved.input, teams: ['blue'] });
  const team = match.teams[0]!;
  const counters: SimSeries['counters'] = { availability: { good: [], valid: [] }, latency: { good: [], valid: [] } };
  const firing: string[][] = [];
  const sample = (): void => {
    for (const slo of ['availability', 'latency'] as const) {
      counters[slo].good.push(team.sim.slos[slo].good);
      counters[slo].valid.push(team.sim.slos[slo].valid);
    }
    firing.push(team.sim.alerts.filter((a) => a.firing).map((a) => a.id).sort());
  };
  sample();
  playMatch(match, { ...(ticks === undefined ? {} : { ticks }), afterTick: sample });
  return { state: team.sim, timeDilation: resolved.timeDilation ?? 4, counters, firing };
}
