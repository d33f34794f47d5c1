/**
 * The game-master console's view logic (client/src/view/trainer.ts): the create-workshop form, the
 * created workshop, shortcuts and speed steps, team cards and roster, inject and message forms, and
 * the debrief's timelines, replay links and exports (client/src/view/debrief.ts).
 */
import { describe, expect, it } from 'vitest';
import { INCIDENT_KINDS } from '../../shared/sim/incidents/registry.ts';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import {
  controlsFor,
  injectKinds,
  injectTargets,
  matchStatusLine,
  parseSimTime,
  parseTrainerWorkshop,
  planLine,
  readPlan,
  readInjectForm,
  readMessageForm,
  readWorkshopForm,
  rosterByTeam,
  stepSpeed,
  teamCards,
  trainerShortcut,
  type WorkshopFormValues,
} from '../../client/src/view/trainer.ts';
import { exportTarget, momentFromLocation, parseDebrief, replayAt, secondAt, timelineMarks, timelineSpan } from '../../client/src/view/debrief.ts';
import { boutiqueTeam } from './fixtures.ts';

const form = (extra: Partial<WorkshopFormValues> = {}): WorkshopFormValues => ({
  title: ' SRE 101 ',
  scenarios: ['online-boutique'],
  teams: '2',
  mode: 'race',
  durationMinutes: '',
  timeDilation: '',
  roles: false,
  teamChoice: 'auto',
  ...extra,
});

describe('the create-workshop form', () => {
  it('builds the POST /api/workshops body', () => {
    expect(readWorkshopForm(form({ durationMinutes: '15', timeDilation: '8', roles: true, teamChoice: 'players', scenarios: ['guestbook', '', 'first-oom'] }))).toEqual({
      ok: true,
      body: { title: 'SRE 101', scenarios: ['guestbook', 'first-oom'], teams: 2, mode: 'race', durationSeconds: 900, timeDilation: 8, roles: true, teamChoice: 'players' },
    });
    expect(readWorkshopForm(form({ title: '', mode: 'solo', teams: '1' }))).toEqual({ ok: true, body: { scenarios: ['online-boutique'], teams: 1, mode: 'solo', teamChoice: 'auto' } });
  });

  it('names the wrong field with a readable message', () => {
    expect(readWorkshopForm(form({ scenarios: [] }))).toMatchObject({ ok: false, field: 'scenarios', error: 'Pick at least one scenario.' });
    expect(readWorkshopForm(form({ scenarios: ['a', 'b', 'c', 'd', 'e', 'f'] }))).toMatchObject({ ok: false, field: 'scenarios' });
    expect(readWorkshopForm(form({ teams: '9' }))).toMatchObject({ ok: false, field: 'teams', error: 'Teams must be a whole number from 1 to 8.' });
    expect(readWorkshopForm(form({ teams: 'two' }))).toMatchObject({ ok: false, field: 'teams' });
    expect(readWorkshopForm(form({ mode: 'redblue', teams: '3' }))).toMatchObject({ ok: false, field: 'teams', error: 'Red vs blue has exactly 2 teams.' });
    expect(readWorkshopForm(form({ mode: 'race', teams: '1' }))).toMatchObject({ ok: false, field: 'teams' });
    expect(readWorkshopForm(form({ mode: 'chess' }))).toMatchObject({ ok: false, field: 'mode' });
    expect(readWorkshopForm(form({ durationMinutes: '0.1' }))).toMatchObject({ ok: false, field: 'duration' });
    expect(readWorkshopForm(form({ timeDilation: '500' }))).toMatchObject({ ok: false, field: 'speed' });
    expect(readWorkshopForm(form({ title: 'x'.repeat(121) }))).toMatchObject({ ok: false, field: 'title' });
    expect(readWorkshopForm(form({ teamChoice: 'dice' }))).toMatchObject({ ok: false, field: 'teamChoice' });
  });

  it('reads the created workshop', () => {
    expect(parseTrainerWorkshop({ id: 'w1', code: 'K7QM', title: 'SRE 101', status: 'lobby', roomId: 'r1', joinUrl: '/?workshop=K7QM', settings: { teams: 2 } })).toEqual({
      id: 'w1', code: 'K7QM', title: 'SRE 101', status: 'lobby', roomId: 'r1', joinUrl: '/?workshop=K7QM', settings: { teams: 2 },
    });
    expect(parseTrainerWorkshop({ workshop: { id: 'w1', code: 'K7QM' } })?.joinUrl).toBe('/?workshop=K7QM');
    expect(parseTrainerWorkshop({ id: 'w1' })).toBeNull();
  });
});

describe('console keys and speed', () => {
  it('maps keys, and stays out of text fields and modified keys', () => {
    expect(trainerShortcut('s', false, false)).toBe('start');
    expect(trainerShortcut(' ', false, false)).toBe('pauseResume');
    expect(trainerShortcut('+', false, false)).toBe('faster');
    expect(trainerShortcut('-', false, false)).toBe('slower');
    expect(trainerShortcut('E', false, false)).toBe('end');
    expect(trainerShortcut('?', false, false)).toBe('help');
    expect(trainerShortcut('2', false, false)).toBe('watch:2');
    expect(trainerShortcut('0', false, false)).toBe('watchAll');
    expect(trainerShortcut('9', false, false)).toBeNull();
    expect(trainerShortcut('s', true, false)).toBeNull();
    expect(trainerShortcut('s', false, true)).toBeNull();
  });

  it('steps the speed within 0.25..120', () => {
    expect(stepSpeed(4, 1)).toBe(8);
    expect(stepSpeed(4, -1)).toBe(2);
    expect(stepSpeed(5, 1)).toBe(8);
    expect(stepSpeed(5, -1)).toBe(4);
    expect(stepSpeed(120, 1)).toBe(120);
    expect(stepSpeed(0.25, -1)).toBe(0.25);
  });

  it('enables the buttons the phase allows', () => {
    expect(controlsFor('lobby', true)).toMatchObject({ start: true, pause: false, resume: false, end: true });
    expect(controlsFor('running', true)).toMatchObject({ start: false, pause: true, resume: false, speed: true, inject: true });
    expect(controlsFor('paused', true)).toMatchObject({ pause: false, resume: true });
    expect(controlsFor('ended', true)).toMatchObject({ end: false, inject: false, speed: false });
    expect(controlsFor('running', false)).toMatchObject({ pause: false, end: false });
  });
});

/** A 2-team race seen by the trainer: blue paging with an incident open, red healthy. */
function raceView() {
  const view = snapshotState({
    scenarioTitle: 'Online Boutique',
    phase: 'running',
    mode: 'race',
    t: 754,
    durationSeconds: 3600,
    timeDilation: 4,
    scoreboard: [
      { team: 'red', score: 950, rank: 1 },
      { team: 'blue', score: 700, rank: 2 },
    ],
    players: {
      sT: { name: 'coach', team: 'blue', id: 'p0', trainer: true, connected: true },
      sA: { name: 'ann', team: 'blue', id: 'p1', connected: true },
      sB: { name: 'bob', team: 'red', id: 'p2', connected: true },
      sC: { name: 'cy', team: 'red', id: 'p3', connected: false },
    },
  });
  const blue = boutiqueTeam();
  blue.score = 700;
  blue.slo = { ...blue.slo, availability: 0.97, errorBudgetRemaining: -0.12, burnRate: 14.4, paging: true };
  blue.alerts = [{ id: 'a1', severity: 'page', slo: 'availability', since: 700, summary: 'fast burn' }];
  blue.pages = [{ id: 'page-1', alert: 'a1', firedAt: 700, acked: false, ackedAt: -1, ackedBy: '' }];
  blue.incidents = [
    { id: 'injected-1', type: 'bad-rollout', title: 'Bad rollout of frontend', status: 'active', startedAt: 650, mitigatedAt: -1, label: 'incident-1', revealed: false, options: '', answer: '', correct: false },
    { id: 'i0', type: 'pod-kill', title: 'Pod killed', status: 'mitigated', startedAt: 100, mitigatedAt: 200, label: 'incident-0', revealed: false, options: '', answer: '', correct: false },
  ];
  const red = { ...boutiqueTeam(), id: 'red', score: 950 };
  view.teams.set('blue', blue);
  view.teams.set('red', red);
  return view;
}

describe('the side-by-side live view', () => {
  it('shows each team’s SLO, budget, burn, pages, open incidents and score', () => {
    const [blue, red] = teamCards(raceView());
    expect(blue).toMatchObject({ team: 'blue', availability: '97 %', target: '99.5 %', breaching: true, budget: 'budget overspent 12 %', burning: true, alerts: 1, unackedPages: 1, paging: true, openIncidents: 1, openTitles: ['Bad rollout of frontend'], score: 700, players: ['ann'], visible: true });
    expect(red).toMatchObject({ team: 'red', breaching: false, budget: 'budget 80 % left', burning: false, openIncidents: 0, score: 950, players: ['bob', 'cy'] });
    expect(matchStatusLine(raceView())).toBe('Online Boutique · running · 12:34 / 1:00:00 · 4×');
  });

  it('groups the roster by team without the trainer', () => {
    const groups = rosterByTeam(raceView());
    expect(groups.map((g) => [g.team, g.players.map((p) => p.name)])).toEqual([
      ['blue', ['ann']],
      ['red', ['bob', 'cy']],
    ]);
  });
});

describe('inject and message', () => {
  const kinds = injectKinds();

  it('lists every catalog incident with what it targets', () => {
    expect(kinds.map((k) => k.kind)).toEqual([...INCIDENT_KINDS]);
    const rollout = kinds.find((k) => k.kind === 'bad-rollout');
    expect(rollout).toMatchObject({ targetKind: 'Deployment' });
    const team = boutiqueTeam();
    expect(injectTargets('Deployment', team)).toContain('frontend');
    expect(injectTargets('Node', team)).toEqual(['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5', 'worker-6']);
    expect(injectTargets('EtcdMembers', team)).toEqual(['etcd-0', 'etcd-1', 'etcd-2']);
    expect(injectTargets('Deployment', undefined)).toEqual([]);
  });

  it('injects now or after a delay in sim time', () => {
    const form = (extra: Partial<{ kind: string; team: string; target: string; delay: string }>) => readInjectForm({ kind: 'bad-rollout', team: 'red', target: ' frontend ', delay: '', ...extra }, kinds);
    expect(form({})).toEqual({ ok: true, op: { op: 'inject', team: 'red', incident: { type: 'bad-rollout', target: 'frontend' } } });
    expect(form({ delay: '5:00' })).toEqual({ ok: true, op: { op: 'inject', team: 'red', incident: { type: 'bad-rollout', target: 'frontend' }, atSeconds: 300 } });
    expect(form({ delay: '90' })).toMatchObject({ ok: true, op: { atSeconds: 90 } });
    expect(form({ delay: '0' })).toEqual(form({}));
    expect(form({ delay: 'soon' })).toMatchObject({ ok: false, field: 'delay' });
    expect(form({ delay: '100000' })).toMatchObject({ ok: false, field: 'delay' });
    expect(form({ kind: 'volcano' })).toMatchObject({ ok: false, field: 'kind' });
    expect(form({ team: '' })).toMatchObject({ ok: false, field: 'team' });
    expect(form({ target: ' ' })).toMatchObject({ ok: false, field: 'target' });
    expect(parseSimTime('1:02:03')).toBe(3723);
    expect(parseSimTime('1:5')).toBeNull();
  });

  it('lists the timed injections still to come', () => {
    const plan = readPlan({ op: 'plan', pending: [{ id: 'injected-2', team: 'red', type: 'node-failure', target: 'worker-1', atSeconds: 900, player: 'coach' }, { id: 'injected-1', team: 'blue', type: 'bad-rollout', target: 'frontend', atSeconds: 600, player: 'coach' }] });
    expect(plan?.map(planLine)).toEqual(['10:00 bad-rollout on frontend → team blue (injected-1)', '15:00 node-failure on worker-1 → team red (injected-2)']);
    expect(readPlan({ op: 'next', roomId: 'r' })).toBeNull();
  });

  it('sends a hint to one team or a message to all', () => {
    expect(readMessageForm({ team: 'blue', text: ' look at frontend ', kind: 'hint' })).toEqual({ ok: true, op: { op: 'message', team: 'blue', text: 'look at frontend', kind: 'hint' } });
    expect(readMessageForm({ team: '', text: 'break in 5', kind: 'message' })).toEqual({ ok: true, op: { op: 'message', text: 'break in 5', kind: 'message' } });
    expect(readMessageForm({ team: '', text: '  ', kind: 'message' })).toEqual({ ok: false, error: 'Type the hint or message first.' });
    expect(readMessageForm({ team: '', text: 'x'.repeat(501), kind: 'message' })).toMatchObject({ ok: false });
    expect(readMessageForm({ team: '', text: 'x'.repeat(500), kind: 'message' })).toMatchObject({ ok: true });
  });
});

describe('the debrief', () => {
  const json = {
    workshop: { id: 'w1', code: 'K7QM', title: 'SRE 101' },
    matches: [
      {
        matchGroup: 'g1',
        scenarioId: 'guestbook',
        endedAt: '2026-12-03T11:00:00Z',
        teams: [
          { team: 'blue', matchId: 'm-blue', score: 700, availability: 0.98, errorBudgetRemaining: 0.1, players: ['ann'], incidents: [{ id: 'i1', kind: 'bad-rollout', title: 'Bad rollout of frontend', startedAt: 60, mitigatedAt: 180 }], actions: [{ t: 150, player: 'ann', command: 'kubectl rollout undo deployment/frontend' }], postmortem: '# Postmortem: blue', replayUrl: 'replay.html?match=m-blue' },
          { team: 'red', matchId: 'm-red', score: 950, availability: 0.999, errorBudgetRemaining: 0.9, players: [{ name: 'bob' }], incidents: [{ id: 'i2', kind: 'memory-leak', title: 'Memory leak', startedAt: 200, mitigatedAt: null }], actions: [], postmortem: '' },
        ],
      },
    ],
  };

  it('reads teams best first with their timelines', () => {
    const d = parseDebrief(json);
    expect(d.workshop.title).toBe('SRE 101');
    const m = d.matches[0]!;
    expect(m.teams.map((t) => t.team)).toEqual(['red', 'blue']);
    expect(m.teams[0]).toMatchObject({ players: ['bob'], replayUrl: 'replay.html?match=m-red' });
    expect(timelineSpan(m, 300)).toBe(300);
    expect(timelineSpan(m)).toBe(200);
    const blue = timelineMarks(m.teams[1]!, 300);
    expect(blue).toEqual([
      { kind: 'incident', from: 0.2, to: 0.6, t: 60, lane: 0, label: 'Bad rollout of frontend: started at 1:00, mitigated at 3:00 (2:00 later)' },
      { kind: 'action', from: 0.5, to: 0.5, t: 150, label: '2:30 ann: kubectl rollout undo deployment/frontend' },
    ]);
    expect(timelineMarks(m.teams[0]!, 300)[0]).toMatchObject({ open: true, to: 1 });
    // Overlapping incidents stack on rows; a later one reuses a free row.
    const overlap = { ...m.teams[1]!, incidents: [
      { id: 'a', kind: 'x', title: 'A', startedAt: 10, mitigatedAt: 100 },
      { id: 'b', kind: 'x', title: 'B', startedAt: 50, mitigatedAt: 80 },
      { id: 'c', kind: 'x', title: 'C', startedAt: 90, mitigatedAt: null },
    ], actions: [] };
    expect(timelineMarks(overlap, 300).map((mk) => [mk.label[0], mk.lane])).toEqual([['A', 0], ['B', 1], ['C', 1]]);
    expect(parseDebrief(null)).toEqual({ workshop: { id: '', code: '', title: 'Workshop' }, matches: [] });
  });

  it('links into a team’s replay at a clicked moment', () => {
    expect(secondAt(0.5, 300)).toBe(150);
    expect(secondAt(1.7, 300)).toBe(300);
    expect(replayAt({ replayUrl: 'replay.html?match=m-blue', matchId: 'm-blue' }, 150.7)).toBe('replay.html?match=m-blue&t=150');
    expect(replayAt({ replayUrl: 'replay.html?match=m-blue&t=10', matchId: 'm-blue' }, 20)).toBe('replay.html?match=m-blue&t=20');
    expect(replayAt({ replayUrl: '', matchId: 'm-red' }, 0)).toBe('replay.html?match=m-red&t=0');
    // The replay page opens at that moment.
    expect(momentFromLocation('?match=m-blue&t=150')).toBe(150);
    expect(momentFromLocation('?match=m-blue')).toBeNull();
    expect(momentFromLocation('?match=m-blue&t=-3')).toBeNull();
    expect(momentFromLocation('?match=m-blue&t=1e3')).toBeNull();
  });

  it('names the export routes and files', () => {
    expect(exportTarget('w1', 'K7QM', 'csv')).toEqual({ path: '/api/workshops/w1/debrief?format=csv', filename: 'workshop-K7QM-debrief.csv', type: 'text/csv' });
    expect(exportTarget('w1', 'K7QM', 'json').path).toBe('/api/workshops/w1/debrief');
    expect(exportTarget('w1', 'K7QM', 'markdown')).toMatchObject({ path: '/api/workshops/w1/postmortems.md', filename: 'workshop-K7QM-postmortems.md' });
  });
});
