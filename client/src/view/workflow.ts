/**
 * Pure view logic of the incident workflow (issue 8): what the pager panel, the incident list and the
 * end-of-match postmortem question show, and the `workflow` messages their buttons send (the shapes of
 * shared/protocol.ts `WorkflowMessage`). No DOM: runs under vitest (test/client/workflow.test.ts).
 *
 * May import shared/protocol.ts types.
 */
import type { IncidentView, TeamView } from '../../../shared/protocol.ts';

/** Severities a commander may declare, most severe first, with what each means (SRE practice). */
export const SEVERITY_CHOICES: readonly { value: 'SEV1' | 'SEV2' | 'SEV3'; label: string }[] = [
  { value: 'SEV1', label: 'SEV1: customers cannot use the service' },
  { value: 'SEV2', label: 'SEV2: a major feature is degraded' },
  { value: 'SEV3', label: 'SEV3: minor impact' },
];

/** One row of the pager list: a page and whether (and when, by whom) it was acknowledged. */
export interface PageRow {
  id: string;
  alert: string;
  /** `fired 1m30s` or `acked by ann after 20s`. */
  state: string;
  acked: boolean;
}

/** Sim seconds as `1m30s` / `45s`. */
function age(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** The team's pages, newest first, for the pager panel (`now`: sim seconds). */
export function pageRows(team: Pick<TeamView, 'pages'>, now: number): PageRow[] {
  return [...team.pages].reverse().map((p) => ({
    id: p.id,
    alert: p.alert,
    acked: p.acked,
    state: p.acked ? `acked by ${p.ackedBy || '?'} after ${age(p.ackedAt - p.firedAt)}` : `unacknowledged for ${age(now - p.firedAt)}`,
  }));
}

/** Pages still waiting for an acknowledgement. */
export function unackedPages(team: Pick<TeamView, 'pages'>): number {
  return team.pages.filter((p) => !p.acked).length;
}

/** The latest declared incident not yet resolved, or undefined (what Resolve acts on). */
export function openDeclared(team: Pick<TeamView, 'declared'>): TeamView['declared'][number] | undefined {
  return [...team.declared].reverse().find((d) => d.resolvedAt < 0);
}

/**
 * What the incident list shows as an incident's name: its title once revealed, else its neutral
 * label and that the cause is unknown (`incident-1: cause unknown`).
 */
export function incidentName(i: Pick<IncidentView, 'label' | 'revealed' | 'title' | 'type' | 'id'>): string {
  if (!i.revealed) return `${i.label || i.id}: cause unknown`;
  return i.title || i.type || i.id;
}

/** Incidents a hint may still be bought for (not revealed), by label. */
export function hintable(team: Pick<TeamView, 'incidents'>): string[] {
  return team.incidents.filter((i) => !i.revealed && i.label !== '').map((i) => i.label);
}

/** One postmortem question: the incident (label, revealed title), its options and the team's answer. */
export interface PostmortemQuestion {
  label: string;
  title: string;
  options: string[];
  /** The kind picked ('' none yet) and whether it was the cause. */
  answer: string;
  correct: boolean;
}

/** The postmortem questions (after the match: incidents that carry `options`), in start order. */
export function postmortemQuestions(team: Pick<TeamView, 'incidents'>): PostmortemQuestion[] {
  return team.incidents
    .filter((i) => i.options !== '')
    .map((i) => ({ label: i.label, title: i.title, options: i.options.split(','), answer: i.answer, correct: i.correct }));
}

/** The `workflow` message a pager control sends (without its id). */
export type WorkflowOp =
  | { op: 'ack'; page?: string }
  | { op: 'declare'; severity: 'SEV1' | 'SEV2' | 'SEV3'; summary: string }
  | { op: 'update'; text: string }
  | { op: 'resolve'; incident?: string; stage?: 'mitigated' | 'resolved' }
  | { op: 'hint'; incident: string }
  | { op: 'answer'; incident: string; choice: string }
  | { op: 'followup'; text: string };
