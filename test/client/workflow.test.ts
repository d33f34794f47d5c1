import { describe, expect, it } from 'vitest';
import type { IncidentView, TeamView } from '../../shared/protocol.ts';
import { resolveShortcut } from '../../client/src/view/console.ts';
import { hintable, incidentName, openDeclared, pageRows, postmortemQuestions, unackedPages } from '../../client/src/view/workflow.ts';

const inc = (over: Partial<IncidentView>): IncidentView => ({ id: 'incident-1', type: '', title: 'Unknown cause', status: 'active', startedAt: 10, mitigatedAt: -1, label: 'incident-1', revealed: false, options: '', answer: '', correct: false, ...over });

describe('the pager panel', () => {
  const team: Pick<TeamView, 'pages' | 'declared'> = {
    pages: [
      { id: 'page-1', alert: 'availability-page-fast', firedAt: 25, acked: true, ackedAt: 45, ackedBy: 'ann' },
      { id: 'page-2', alert: 'availability-page-slow', firedAt: 25, acked: false, ackedAt: -1, ackedBy: '' },
    ],
    declared: [
      { id: 'inc-1', severity: 'SEV2', summary: 'a', declaredAt: 30, declaredBy: 'ann', mitigatedAt: -1, resolvedAt: 80 },
      { id: 'inc-2', severity: 'SEV1', summary: 'b', declaredAt: 90, declaredBy: 'ann', mitigatedAt: -1, resolvedAt: -1 },
    ],
  };

  it('lists pages newest first with who acknowledged them and how fast', () => {
    expect(pageRows(team, 115)).toEqual([
      { id: 'page-2', alert: 'availability-page-slow', acked: false, state: 'unacknowledged for 1m30s' },
      { id: 'page-1', alert: 'availability-page-fast', acked: true, state: 'acked by ann after 20s' },
    ]);
    expect(unackedPages(team)).toBe(1);
    expect(openDeclared(team)?.id).toBe('inc-2');
  });

  it('A acknowledges, except while typing or with a modifier', () => {
    expect(resolveShortcut('a', false)).toBe('ack');
    expect(resolveShortcut('A', false)).toBe('ack');
    expect(resolveShortcut('a', true)).toBeNull();
    expect(resolveShortcut('a', false, true)).toBeNull();
  });
});

describe('the incident list and the postmortem question', () => {
  it('names an incident by its neutral label until its cause is revealed', () => {
    expect(incidentName(inc({}))).toBe('incident-1: cause unknown');
    expect(incidentName(inc({ revealed: true, id: 'leak', type: 'memory-leak', title: 'Memory leak in api' }))).toBe('Memory leak in api');
    expect(hintable({ incidents: [inc({}), inc({ label: 'incident-2', revealed: true })] })).toEqual(['incident-1']);
  });

  it('asks the root cause of each incident once the options arrived, and shows the answer', () => {
    expect(postmortemQuestions({ incidents: [inc({})] })).toEqual([]);
    const after = [inc({ revealed: true, title: 'Bad rollout of frontend', options: 'bad-rollout,memory-leak,node-failure' }), inc({ label: 'incident-2', revealed: true, title: 'x', options: 'a,b', answer: 'b', correct: true })];
    expect(postmortemQuestions({ incidents: after })).toEqual([
      { label: 'incident-1', title: 'Bad rollout of frontend', options: ['bad-rollout', 'memory-leak', 'node-failure'], answer: '', correct: false },
      { label: 'incident-2', title: 'x', options: ['a', 'b'], answer: 'b', correct: true },
    ]);
  });
});
