/**
 * The header bar: sim clock, phase, availability SLI vs its SLO, error budget, burn rate, paging, score;
 * and the scenario name (under the map). The latency SLI is on the map's SLO panel.
 */
import type { MatchStateView, TeamView } from '../../../shared/protocol.ts';
import { formatBudgetShort, formatPercent, formatSimTime } from '../view/format.ts';
import { budgetStyle, burnRateFigure } from '../view/slo.ts';
import { byId } from './dom.ts';

export class Hud {
  readonly #scenario = byId('hud-scenario');
  readonly #clock = byId('hud-clock');
  readonly #phase = byId('hud-phase');
  readonly #availability = byId('hud-availability');
  readonly #budget = byId('hud-budget');
  readonly #budgetFill = byId('hud-budget-fill');
  readonly #burn = byId('hud-burn');
  readonly #paging = byId('hud-paging');
  readonly #score = byId('hud-score');
  readonly #player = byId('hud-player');

  setPlayer(name: string): void {
    this.#player.textContent = name;
  }

  render(view: MatchStateView, team: TeamView | undefined): void {
    const scenario = view.scenarioTitle || view.scenarioId;
    this.#scenario.textContent = scenario;
    document.title = `Gameday · ${scenario}`;
    this.#scenario.title = `${scenario}${view.timeDilation ? ` · ${view.timeDilation} sim seconds per second` : ''}`;
    this.#clock.textContent = `${formatSimTime(view.t)} / ${formatSimTime(view.durationSeconds)}`;
    this.#phase.hidden = view.phase === 'running';
    this.#phase.textContent = view.phase.toUpperCase();
    if (!team) return;
    const slo = team.slo;
    const availOk = slo.availability >= slo.availabilityTarget;
    this.#availability.textContent = `availability ${formatPercent(slo.availability)} (SLO ${formatPercent(slo.availabilityTarget)})`;
    this.#availability.className = `slo-figure ${availOk ? 'ok' : 'bad'}`;
    const latOk = slo.latency >= slo.latencyTarget;
    this.#availability.title = `latency SLI ${formatPercent(slo.latency)} of requests ≤ ${Math.round(slo.latencyThresholdMs)} ms (SLO ${formatPercent(slo.latencyTarget)})${latOk ? '' : ': below target'}`;
    const bs = budgetStyle(slo.errorBudgetRemaining);
    this.#budget.textContent = formatBudgetShort(slo.errorBudgetRemaining);
    this.#budget.title = bs.text;
    this.#budget.className = `budget-text ${bs.level}`;
    this.#budgetFill.style.width = `${Math.round(bs.fraction * 100)}%`;
    this.#budgetFill.style.background = bs.css;
    const burn = burnRateFigure(slo.burnRate);
    this.#burn.textContent = `burn ${burn.text}`;
    this.#burn.className = `slo-figure ${burn.level === 'warn' ? 'warn' : ''}`;
    this.#paging.hidden = !slo.paging;
    this.#score.textContent = `score ${Math.round(team.score)}`;
  }
}
