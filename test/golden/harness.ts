/**
 * Golden tests' harness (after kwok's stage_test.go): a case is a scenario + seed + action log, played
 * to the end; at chosen ticks the harness writes down what a player sees (the console's `kubectl get
 * pods` / `kubectl get deployments` and any extra console lines, the SLIs with error budget and burn
 * rates, the firing alerts, the incidents and the score) as plain text. golden.test.ts compares that
 * text with `test/golden/cases/<name>.txt` and rewrites the files under `UPDATE_GOLDEN=1`.
 *
 * The match is driven by the game layer (shared/game `runMatch`: one team, submit what is due, then
 * `advance`) and scored by it (`teamScore`), exactly as the room and the CLI do.
 *
 * May import: shared/* (pure), server/scenarios (built-in scenario files), test fixtures; node:fs only
 * in golden.test.ts.
 */
import { runKubectl } from '../../shared/kubectl/index.ts';
import { humanDuration } from '../../shared/kubectl/format.ts';
import { DEFAULT_TEAM_ID, runMatch, teamScore, type Match } from '../../shared/game/index.ts';
import { incidentTitle } from '../../shared/sim/incidents/index.ts';
import type { LoggedAction, SimInput, SimState, SloState } from '../../shared/sim/types.ts';

/** One golden case: what to play and when to look. */
export interface GoldenCase {
  /** File name stem: `test/golden/cases/<name>.txt`. Lowercase, digits and dashes. */
  name: string;
  /** One line saying what the case shows (written into the file's header). */
  description: string;
  /** Where the input comes from, for the header (e.g. `scenario online-boutique, seed 1`). */
  source: string;
  /** Builds a fresh input (called once per run; the match may mutate nothing of it). */
  input: () => SimInput;
  /** The players' actions (replay log: applied while `state.tick === tick`, before step tick + 1). */
  actions: LoggedAction[];
  /** Ticks to snapshot, after that many steps (each >= 1, ascending, <= the match's ticks). */
  ticks: number[];
  /** Console lines shown at each snapshot besides `kubectl get pods` and `kubectl get deployments`. */
  extraCommands?: string[];
}


/** The console's answer to `line`, as the player reads it (output or error text, never an action). */
function console_(state: SimState, line: string): string {
  const r = runKubectl(state, line);
  if (r.kind === 'output') return r.output;
  if (r.kind === 'error') return r.error;
  return `(write command: ${JSON.stringify(r.action)})`;
}

const pct = (x: number, digits: number): string => `${(x * 100).toFixed(digits)} %`;
const rate = (x: number): string => `${x.toFixed(1)}x`;

function sloLine(state: SimState, slo: SloState, extra: string): string {
  const tiers = state.alertTiers
    .map((t) => {
      const b = slo.burnRates[t.name];
      return `${t.name} ${b ? `${rate(b.long)}/${rate(b.short)}` : 'n/a'}`;
    })
    .join(', ');
  return `  ${slo.name.padEnd(12)} SLI ${pct(slo.sli, 3)} (target ${pct(slo.target, 1)}${extra})  budget remaining ${pct(slo.errorBudgetRemaining, 1)}\n` +
    `  ${''.padEnd(12)} burn rates long/short: ${tiers}`;
}

/** Players see active and mitigated incidents with their title (server/rooms/projection.ts); scheduled ones are listed for the reader. */
function incidentLines(state: SimState): string[] {
  if (state.incidents.length === 0) return ['  (none)'];
  return state.incidents.map((i) => {
    if (i.status === 'scheduled') return `  ${i.spec.id} [${i.spec.type}] scheduled at t=${i.spec.at}s (not shown to players yet)`;
    const when = i.status === 'active' ? `ACTIVE since t=${i.startedAt}s`
      : `mitigated at t=${i.mitigatedAt}s (started t=${i.startedAt}s, ${(i.mitigatedAt ?? 0) - (i.startedAt ?? 0)}s to mitigate)`;
    return `  ${i.spec.id} [${i.spec.type}] ${when}: "${incidentTitle(i)}"`;
  });
}

/** What a player sees at this moment of a one-team match, as text (one snapshot of a golden file). */
export function snapshot(match: Match, extraCommands: readonly string[] = []): string {
  const state = match.teams[0]!.sim;
  const lines: string[] = [];
  lines.push(`=== tick ${state.tick} (t=${state.t}s, ${humanDuration(state.t)} into the match) ===`);
  for (const cmd of ['kubectl get pods', 'kubectl get deployments', ...extraCommands]) {
    lines.push(`$ ${cmd}`, console_(state, cmd).replace(/\s+$/, ''));
  }
  const l = state.slos.latency;
  lines.push(`SLOs of ${state.userFacingService}:`);
  lines.push(sloLine(state, state.slos.availability, ''));
  lines.push(sloLine(state, l, `, under ${l.thresholdMs} ms`));
  const firing = state.alerts.filter((a) => a.firing);
  lines.push(`alerts firing: ${firing.length === 0 ? '(none)' : ''}`.trimEnd());
  for (const a of firing) lines.push(`  ${a.id} [${a.severity}] since t=${a.since}s: ${a.summary}`);
  lines.push('incidents:', ...incidentLines(state));
  const { score, breakdown } = teamScore(match, DEFAULT_TEAM_ID);
  const parts = Object.keys(breakdown).filter((k) => k !== 'total').sort().map((k) => `${k} ${breakdown[k]}`);
  lines.push(`score: ${score} (${parts.join(', ')})`);
  return lines.join('\n');
}

function actionLine(a: LoggedAction): string {
  const { type, ...rest } = a.action;
  return `#   tick ${a.tick} ${a.player}: ${type} ${JSON.stringify(rest)}`;
}

/**
 * Plays a case and renders its golden text: a `#` header (case, source, actions, snapshot ticks) then
 * one block per snapshot tick. Deterministic.
 * @throws Error when a snapshot tick is never reached (beyond the match's end) or not ascending.
 */
export function renderCase(c: GoldenCase): string {
  for (let i = 0; i < c.ticks.length; i++) {
    if (c.ticks[i]! < 1 || (i > 0 && c.ticks[i]! <= c.ticks[i - 1]!)) throw new Error(`${c.name}: snapshot ticks must be >= 1 and ascending`);
  }
  const wanted = new Set(c.ticks);
  const blocks: string[] = [];
  runMatch(c.input(), c.actions, {
    onTick: (state, match) => {
      if (wanted.has(state.tick)) blocks.push(snapshot(match, c.extraCommands));
    },
  });
  if (blocks.length !== c.ticks.length) throw new Error(`${c.name}: only ${blocks.length} of ${c.ticks.length} snapshot ticks were reached`);
  const header = [
    `# golden case ${c.name}: ${c.description}`,
    `# input: ${c.source}`,
    `# actions (replay log; applied while state.tick === tick, before the next step):`,
    ...(c.actions.length === 0 ? ['#   (none)'] : c.actions.map(actionLine)),
    `# snapshots after ticks: ${c.ticks.join(', ')}`,
    `# regenerate: UPDATE_GOLDEN=1 npx vitest run test/golden`,
  ];
  return `${header.join('\n')}\n\n${blocks.join('\n\n')}\n`;
}
