/**
 * A blameless postmortem of one team's match, as Markdown (issue 9, "Replays and debriefs"). Sections
 * follow the SRE Book ch. 15 template (secondary source, see shared/sim/kubernetes-behaviour.md §9):
 * summary, impact (in SLO terms), root causes and trigger, detection, resolution, timeline, what went
 * well / what went wrong / where we got lucky, action items.
 *
 * What a live match does not keep (when each alert started and stopped firing) is observed tick by tick
 * with a {@link TimelineRecorder} while the match is re-simulated (`replayMatch`'s `onTick`), so the
 * postmortem is a pure function of the stored match: scenario + seed + settings + the attributed log.
 *
 * Times are sim seconds since match start, shown as a match clock (`m:ss` / `h:mm:ss`).
 *
 * May import: ./types.ts, ./match.ts, ./summary.ts, shared/sim (types, incident registry),
 * shared/kubectl/equivalent.ts (actions as the commands a player types). Pure.
 */
import { incidentModule } from '../sim/incidents/registry.ts';
import type { SimState } from '../sim/types.ts';
import { kubectlEquivalent } from '../kubectl/equivalent.ts';
import { getTeam } from './match.ts';
import { teamSummary } from './summary.ts';
import type { Match } from './types.ts';

/** One line of the timeline; `t` in sim seconds. Entries are ordered by `t`, then by when they were seen. */
export interface TimelineEntry {
  t: number;
  kind: 'incident-start' | 'incident-mitigated' | 'alert-firing' | 'alert-resolved' | 'action' | 'injection';
  text: string;
  /** The player who acted or injected (actions and injections only). */
  player?: string;
  /** The incident id (incident entries only). */
  incident?: string;
  /** Alert severity (alert entries only). */
  severity?: 'page' | 'ticket';
}

/**
 * Watches one team's cluster after every tick and records alert and incident transitions. Feed it
 * `replayMatch(..., { onTick: (m) => recorder.observe(m) })`; actions and injections are read from the
 * team's log at the end ({@link TimelineRecorder.entries}).
 */
export class TimelineRecorder {
  readonly team: string;
  readonly #seen: TimelineEntry[] = [];
  readonly #firing = new Map<string, boolean>();
  readonly #incidents = new Map<string, string>();

  constructor(team: string) {
    this.team = team;
  }

  /** Records what changed in the team's cluster since the previous call. */
  observe(match: Match): void {
    const sim = getTeam(match, this.team).sim;
    for (const alert of sim.alerts) {
      const was = this.#firing.get(alert.id) ?? false;
      if (alert.firing !== was) {
        this.#firing.set(alert.id, alert.firing);
        this.#seen.push({
          t: alert.since,
          kind: alert.firing ? 'alert-firing' : 'alert-resolved',
          severity: alert.severity,
          text: alert.firing ? `${alert.severity === 'page' ? 'PAGE' : 'ticket'} ${alert.id} fired: ${alert.summary}` : `${alert.severity} ${alert.id} resolved`,
        });
      }
    }
    for (const inc of sim.incidents) {
      const was = this.#incidents.get(inc.spec.id) ?? 'scheduled';
      if (inc.status === was) continue;
      this.#incidents.set(inc.spec.id, inc.status);
      const title = incidentTitle(inc.spec);
      if (inc.startedAt !== null && was === 'scheduled') this.#seen.push({ t: inc.startedAt, kind: 'incident-start', incident: inc.spec.id, text: `${title} started` });
      if (inc.status === 'mitigated' && inc.mitigatedAt !== null) this.#seen.push({ t: inc.mitigatedAt, kind: 'incident-mitigated', incident: inc.spec.id, text: `${title} mitigated` });
    }
  }

  /** Every entry: the observed transitions plus the team's actions and injections, ordered by time. */
  entries(match: Match): TimelineEntry[] {
    const team = getTeam(match, this.team);
    const tickSeconds = team.sim.settings.tickSeconds;
    const all: { e: TimelineEntry; order: number }[] = [];
    // Actions and injections are logged at tick k (applied after step k): sim second k * tickSeconds.
    team.injections.forEach((inj) => all.push({ e: { t: inj.tick * tickSeconds, kind: 'injection', player: inj.player, text: `${inj.player} injected ${inj.spec.type} into ${inj.spec.target}` }, order: all.length }));
    team.log.forEach((a) => all.push({ e: { t: a.tick * tickSeconds, kind: 'action', player: a.player, text: `${a.player}: ${kubectlEquivalent(a.action)}` }, order: all.length }));
    this.#seen.forEach((e) => all.push({ e, order: all.length }));
    return all.sort((a, b) => a.e.t - b.e.t || a.order - b.order).map((x) => x.e);
  }
}

function incidentTitle(spec: SimState['incidents'][number]['spec']): string {
  return spec.title ?? incidentModule(spec.type).title(spec);
}

/** Sim seconds as a match clock: `4:05`, `1:02:03`. */
export function clock(t: number): string {
  const s = Math.max(0, Math.floor(t));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** A duration in sim seconds as `4m05s` / `1h02m` / `45s`. */
function span(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const pct = (f: number, digits = 2): string => `${(f * 100).toFixed(digits)} %`;

/** Markdown-safe single line (tables and lists): no pipes or newlines from player-typed text. */
function cell(text: string): string {
  return text.replace(/[|\r\n]+/g, ' ').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}

/** Context the match itself doesn't hold. */
export interface PostmortemInfo {
  /** Archive id of the match (one team's record). */
  matchId: string;
  /** The scenario's title (falls back to its id). */
  scenarioTitle?: string;
  /** Players of the team (names), sorted by the caller. */
  players?: readonly string[];
}

/**
 * The postmortem of team `teamId` in `match` (ended or not), as Markdown.
 *
 * @param timeline entries from a {@link TimelineRecorder} that observed every tick of this team.
 * @throws Error when the match has no team `teamId`.
 */
export function postmortemMarkdown(match: Match, teamId: string, timeline: readonly TimelineEntry[], info: PostmortemInfo): string {
  const team = getTeam(match, teamId);
  const sim = team.sim;
  const summary = teamSummary(match, teamId);
  const avail = sim.slos.availability;
  const latency = sim.slos.latency;
  const started = sim.incidents.filter((i) => i.startedAt !== null);
  const mitigated = started.filter((i) => i.status === 'mitigated');
  const open = started.filter((i) => i.status === 'active');
  const pages = timeline.filter((e) => e.kind === 'alert-firing' && e.severity === 'page');
  const title = info.scenarioTitle ?? sim.scenarioId;
  const lines: string[] = [];
  const push = (...l: string[]): void => void lines.push(...l);

  push(`# Postmortem: ${cell(title)} (team ${teamId})`, '');
  push(`Match \`${cell(info.matchId)}\` · scenario \`${sim.scenarioId}\` · seed ${sim.settings.seed} · ${clock(sim.t)} of sim time · score ${Math.round(summary.score)}`);
  if (info.players?.length) push(`Responders: ${info.players.map(cell).join(', ')}`);
  push('', '_Blameless: this describes what the system and the process did, not who is at fault (SRE Book ch. 15)._', '');

  push('## Summary', '');
  if (started.length === 0) push('No incident struck during this match.');
  else push(`${started.length} incident(s) struck; ${mitigated.length} mitigated${open.length ? `, ${open.length} still open at the end` : ''}. ` +
    `Availability ended at ${pct(avail.sli)} against an SLO of ${pct(avail.target)}, with ${budgetWords(avail.errorBudgetRemaining)}.`);
  push('');

  push('## Impact', '');
  push(`- Availability SLI ${pct(avail.sli)} (SLO ${pct(avail.target)}): ${budgetWords(avail.errorBudgetRemaining)}.`);
  push(`- Latency SLI ${pct(latency.sli)} (SLO ${pct(latency.target)}): ${budgetWords(latency.errorBudgetRemaining)}.`);
  push(`- Requests: ${Math.round(avail.valid - avail.good).toLocaleString('en-US')} failed of ${Math.round(avail.valid).toLocaleString('en-US')}.`);
  push(`- Pages: ${pages.length === 0 ? 'none fired' : `${pages.length} (first at ${clock(pages[0]!.t)})`}.`, '');

  push('## Root causes and trigger', '');
  if (started.length === 0) push('None.');
  for (const inc of started) {
    const mod = incidentModule(inc.spec.type);
    push(`### ${cell(incidentTitle(inc.spec))}`, '');
    push(`- Kind: \`${inc.spec.type}\`, target \`${cell(inc.spec.target)}\`; struck at ${clock(inc.startedAt!)}${injectedBy(team, inc.spec.id)}.`);
    push(`- What it looked like: ${mod.symptoms.join('; ')}.`);
    push(`- Known remediation: ${mod.remediations.map((r) => `${r.summary.replace(/^Or /, '')} (\`${r.command}\`)`).join('; or ')}.`, '');
  }

  push('## Detection', '');
  if (started.length === 0) push('Nothing to detect.');
  for (const inc of started) {
    const first = timeline.find((e) => e.kind === 'alert-firing' && e.t >= inc.startedAt! && (inc.mitigatedAt === null || e.t <= inc.mitigatedAt));
    push(`- ${cell(incidentTitle(inc.spec))}: ${first ? `first alert after ${span(first.t - inc.startedAt!)} (${first.severity} at ${clock(first.t)})` : 'no burn-rate alert fired while it was active'}.`);
  }
  push('');

  push('## Resolution', '');
  if (started.length === 0) push('Nothing to resolve.');
  for (const inc of started) {
    const during = timeline.filter((e) => e.kind === 'action' && e.t >= inc.startedAt! && (inc.mitigatedAt === null || e.t <= inc.mitigatedAt));
    const outcome = inc.mitigatedAt !== null ? `mitigated after ${span(inc.mitigatedAt - inc.startedAt!)} (at ${clock(inc.mitigatedAt)})` : 'not mitigated before the end';
    push(`- ${cell(incidentTitle(inc.spec))}: ${outcome}.${during.length ? ` Actions meanwhile: ${during.map((e) => `${clock(e.t)} ${cell(e.text)}`).join('; ')}.` : ' No action was taken meanwhile.'}`);
  }
  push('');

  push('## Timeline', '', '| time | event |', '| --- | --- |');
  for (const e of timeline) push(`| ${clock(e.t)} | ${cell(e.text)} |`);
  if (timeline.length === 0) push('| – | nothing happened |');
  push('');

  const well: string[] = [];
  const wrong: string[] = [];
  const lucky: string[] = [];
  for (const inc of mitigated) {
    const took = inc.mitigatedAt! - inc.startedAt!;
    const acted = timeline.some((e) => e.kind === 'action' && e.t >= inc.startedAt! && e.t <= inc.mitigatedAt!);
    if (!acted) lucky.push(`${incidentTitle(inc.spec)} cleared without an action from the team while it was active.`);
    else if (took <= 300) well.push(`${incidentTitle(inc.spec)} was mitigated within ${span(took)}.`);
    else wrong.push(`${incidentTitle(inc.spec)} took ${span(took)} to mitigate.`);
  }
  for (const inc of open) wrong.push(`${incidentTitle(inc.spec)} was still open at the end.`);
  if (avail.errorBudgetRemaining >= 0.5) well.push(`Half or more of the availability error budget is left (${pct(avail.errorBudgetRemaining, 0)}).`);
  if (avail.errorBudgetRemaining < 0) wrong.push(`The availability error budget is overspent by ${pct(-avail.errorBudgetRemaining, 0)}.`);
  if (started.length > 0 && pages.length === 0) lucky.push('No page fired: the burn never reached paging rates.');
  push('## What went well', '', ...(well.length ? well.map((w) => `- ${cell(w)}`) : ['- (nothing stood out)']), '');
  push('## What went wrong', '', ...(wrong.length ? wrong.map((w) => `- ${cell(w)}`) : ['- (nothing stood out)']), '');
  push('## Where we got lucky', '', ...(lucky.length ? lucky.map((w) => `- ${cell(w)}`) : ['- (nowhere in particular)']), '');

  push('## Action items', '');
  const items: string[] = [];
  for (const inc of started) {
    const fix = incidentModule(inc.spec.type).remediations[0];
    if (inc.status === 'active' && fix) items.push(`Practise the fix for \`${inc.spec.type}\`: ${fix.summary} (\`${fix.command}\`).`);
    else if (inc.mitigatedAt !== null && inc.mitigatedAt - inc.startedAt! > 300 && fix) items.push(`Write a runbook for \`${inc.spec.type}\` so the fix (${fix.summary}) comes sooner.`);
  }
  if (avail.errorBudgetRemaining < 0) items.push('Freeze risky changes until the error budget recovers (SRE Workbook ch. 5, error budget policy).');
  // Follow-ups the team filed during the match (planning, SRE Book ch. 14), in filing order.
  for (const f of team.workflow.followups ?? []) items.push(`${cell(f.text)} (${f.id}, filed by ${f.by} at ${clock(f.t)})`);
  if (items.length === 0) items.push('None beyond keeping the runbooks current.');
  push(...items.map((i) => `- [ ] ${i}`), '');
  return lines.join('\n');
}

function budgetWords(remaining: number): string {
  return remaining >= 0 ? `${pct(remaining, 0)} of the error budget left` : `the error budget overspent by ${pct(-remaining, 0)}`;
}

function injectedBy(team: ReturnType<typeof getTeam>, incidentId: string): string {
  const inj = team.injections.find((i) => i.spec.id === incidentId);
  return inj ? ` (injected by trainer ${inj.player})` : ' (scheduled by the scenario)';
}
