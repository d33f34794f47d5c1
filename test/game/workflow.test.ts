import { describe, expect, it } from 'vitest';
import {
  ACK_BONUS_POINTS,
  ACTION_COSTS,
  COLLATERAL_PENALTY_POINTS,
  HINT_COST_POINTS,
  POSTMORTEM_BONUS_POINTS,
  UPDATE_BONUS_POINTS,
  ackBonus,
  applyWorkflow,
  emptyWorkflow,
  incidentStarts,
  workflowPoints,
  createMatch,
  getTeam,
  join,
  postmortemOptions,
  replayMatch,
  matchHash,
  teamScore,
  visibleIncidents,
  postmortemMarkdown,
  submit,
  PLAYER_ROLES,
  type Match,
} from '../../shared/game/index.ts';
import { badRolloutIncident, memoryLeakIncident, shopInput } from '../sim/game-fixtures.ts';
import { act, advanceN, matchOf, seat } from './helpers.ts';

/** A shop match whose bad rollout (at t=20) pages at t=25 (fast and slow page tiers together). */
function paging(durationSeconds = 400): Match {
  return matchOf(shopInput({ durationSeconds, incidents: [{ ...badRolloutIncident, at: 20 }, { ...memoryLeakIncident, at: 200 }] }));
}

describe('the pager', () => {
  it('records one page per page-tier alert episode as it fires, once', () => {
    const match = paging();
    advanceN(match, 24);
    expect(getTeam(match, 'blue').workflow.pages).toEqual([]);
    advanceN(match, 10);
    const pages = getTeam(match, 'blue').workflow.pages;
    expect(pages).toEqual([
      { id: 'page-1', alert: 'availability-page-fast', firedAt: 25, ackedAt: null, ackedBy: null },
      { id: 'page-2', alert: 'availability-page-slow', firedAt: 25, ackedAt: null, ackedBy: null },
    ]);
  });

  it('acknowledges, declares, posts updates and resolves, stamping sim times and names', () => {
    const match = paging();
    const ann = seat(match, 'ann');
    expect(applyWorkflow(match, ann, { op: 'ack' })).toEqual({ ok: false, error: 'no page to acknowledge' });
    advanceN(match, 35); // t=35, paged at 25
    expect(applyWorkflow(match, ann, { op: 'ack', page: 'page-1' })).toEqual({ ok: true, message: 'page-1 (availability-page-fast) acknowledged at t=35s, 10 s after it fired' });
    expect(applyWorkflow(match, ann, { op: 'ack', page: 'page-1' })).toEqual({ ok: false, error: 'page-1 was already acknowledged by ann at t=35s' });
    expect(applyWorkflow(match, ann, { op: 'ack' })).toMatchObject({ ok: true, message: 'page-2 (availability-page-slow) acknowledged at t=35s, 10 s after the first fired' });
    expect(applyWorkflow(match, ann, { op: 'declare', severity: 'SEV2', summary: 'frontend errors' })).toEqual({ ok: true, message: 'inc-1 declared (SEV2) at t=35s' });
    advanceN(match, 5);
    expect(applyWorkflow(match, ann, { op: 'update', text: 'investigating frontend errors' })).toMatchObject({ ok: true });
    expect(applyWorkflow(match, ann, { op: 'resolve', stage: 'mitigated' })).toEqual({ ok: true, message: 'inc-1 mitigated at t=40s' });
    advanceN(match, 10);
    expect(applyWorkflow(match, ann, { op: 'resolve' })).toEqual({ ok: true, message: 'inc-1 resolved at t=50s' });
    expect(applyWorkflow(match, ann, { op: 'resolve', incident: 'inc-1' })).toEqual({ ok: false, error: 'inc-1 is already resolved (t=50s)' });
    const wf = getTeam(match, 'blue').workflow;
    expect(wf.declared).toEqual([{ id: 'inc-1', severity: 'SEV2', summary: 'frontend errors', declaredAt: 35, declaredBy: 'ann', mitigatedAt: 40, resolvedAt: 50 }]);
    expect(wf.updates).toEqual([{ t: 40, by: 'ann', text: 'investigating frontend errors' }]);
    // Time to acknowledge 10 s of a 300 s window (each page), and one status update within 600 s of each page.
    const { breakdown } = teamScore(match, 'blue');
    expect(breakdown['acknowledge']).toBe(2 * Math.round(ACK_BONUS_POINTS * (1 - 10 / 300)));
    expect(breakdown['statusUpdates']).toBe(2 * UPDATE_BONUS_POINTS);
  });

  it('enforces roles when the match plays with them: commander acks, declares and resolves; communications posts', () => {
    const match = createMatch({ input: shopInput({ durationSeconds: 200, incidents: [{ ...badRolloutIncident, at: 20 }] }), teams: ['blue'], settings: { roles: true } });
    const ic = join(match, { name: 'ic', team: 'blue', role: 'commander' });
    const ops = join(match, { name: 'ops', team: 'blue', role: 'operations' });
    const comms = join(match, { name: 'comms', team: 'blue', role: 'communications' });
    if (!ic.ok || !ops.ok || !comms.ok) throw new Error('seats');
    advanceN(match, 30);
    expect(applyWorkflow(match, ops.player.id, { op: 'ack' })).toEqual({ ok: false, error: 'only the incident commander may ack in this match (your role: operations)' });
    expect(applyWorkflow(match, comms.player.id, { op: 'declare', severity: 'SEV1', summary: 'x' })).toMatchObject({ ok: false, error: expect.stringMatching(/^only the incident commander may declare/) });
    expect(applyWorkflow(match, ic.player.id, { op: 'update', text: 'hello' })).toEqual({ ok: false, error: 'only communications may update in this match (your role: commander)' });
    expect(applyWorkflow(match, ic.player.id, { op: 'ack' })).toMatchObject({ ok: true });
    expect(applyWorkflow(match, comms.player.id, { op: 'update', text: 'we are on it' })).toMatchObject({ ok: true });
    // Roles off: anyone may do anything.
    const open = paging();
    const anyone = seat(open, 'anyone');
    advanceN(open, 30);
    expect(applyWorkflow(open, anyone, { op: 'ack' })).toMatchObject({ ok: true });
    expect(applyWorkflow(open, anyone, { op: 'update', text: 'x' })).toMatchObject({ ok: true });
  });
});

describe('the planning role (SRE Book ch. 14: files bugs, tracks long-term items, arranges handoffs)', () => {
  it('files follow-ups the postmortem lists as action items; cannot change the cluster; only planning files them under roles', () => {
    const match = createMatch({ input: shopInput({ durationSeconds: 200, incidents: [{ ...badRolloutIncident, at: 20 }] }), teams: ['blue'], settings: { roles: true } });
    const plan = join(match, { name: 'pia', team: 'blue', role: 'planning' });
    const ic = join(match, { name: 'ic', team: 'blue', role: 'commander' });
    if (!plan.ok || !ic.ok) throw new Error('seats');
    advanceN(match, 30);
    const before = matchHash(match);
    expect(applyWorkflow(match, ic.player.id, { op: 'followup', text: 'x' })).toEqual({ ok: false, error: 'only planning may followup in this match (your role: commander)' });
    expect(matchHash(match)).toBe(before); // a refusal changes nothing (no empty list either)
    expect(applyWorkflow(match, plan.player.id, { op: 'followup', text: 'bug: readiness probe only checks the process | add /healthz' }))
      .toEqual({ ok: true, message: "fu-1 filed at t=30s: it is listed in the postmortem's action items" });
    advanceN(match, 10);
    expect(applyWorkflow(match, plan.player.id, { op: 'followup', text: 'hand off to the night shift at 02:00' })).toMatchObject({ ok: true, message: expect.stringMatching(/^fu-2 filed at t=40s/) });
    expect(getTeam(match, 'blue').workflow.followups).toEqual([
      { id: 'fu-1', t: 30, by: 'pia', text: 'bug: readiness probe only checks the process | add /healthz' },
      { id: 'fu-2', t: 40, by: 'pia', text: 'hand off to the night shift at 02:00' },
    ]);
    // Planning supports operations but does not touch the cluster.
    expect(submit(match, plan.player.id, { type: 'rolloutUndo', deployment: 'frontend' })).toMatchObject({ ok: false, error: expect.stringMatching(/only operations changes the cluster \(your role: planning/) });
    const md = postmortemMarkdown(match, 'blue', [], { matchId: 'm1' });
    const items = md.slice(md.indexOf('## Action items'));
    expect(items).toContain('- [ ] bug: readiness probe only checks the process   add /healthz (fu-1, filed by pia at 0:30)');
    expect(items).toContain('- [ ] hand off to the night shift at 02:00 (fu-2, filed by pia at 0:40)');
    expect(PLAYER_ROLES).toContain('planning');
  });
});

describe('the acknowledgement cap', () => {
  /** Pages of one workflow: `[alert, firedAt, ackedAt]` each. */
  function pagesOf(list: readonly (readonly [string, number, number | null])[]) {
    const wf = emptyWorkflow();
    list.forEach(([alert, firedAt, ackedAt], i) => wf.pages.push({ id: `page-${i + 1}`, alert, firedAt, ackedAt, ackedBy: ackedAt === null ? null : 'ann' }));
    return wf;
  }

  it('pays a re-firing alert once per incident window: acknowledging every re-fire of a long outage earns no more than the first', () => {
    // One incident at t=100; the fast-burn alert fires, stops and fires again four times while it lasts.
    const refires = pagesOf([
      ['availability-page-fast', 110, 120],
      ['availability-page-fast', 400, 410],
      ['availability-page-fast', 700, 710],
      ['availability-page-fast', 1000, 1010],
    ]);
    expect(workflowPoints(refires, [100]).acknowledge).toBe(ackBonus(10));
    // Before the cap every page paid: 4 x the bonus.
    expect(workflowPoints(refires, [100]).acknowledge).toBeLessThan(4 * ackBonus(10));
    // Only the first page of the group counts: a quick ack of a re-fire does not make up for a late first one.
    expect(workflowPoints(pagesOf([['availability-page-fast', 110, 400], ['availability-page-fast', 500, 505]]), [100]).acknowledge).toBe(ackBonus(290));
  });

  it('pays each alert tier and each new incident separately', () => {
    const wf = pagesOf([
      ['availability-page-fast', 110, 120],
      ['availability-page-slow', 110, 120],
      ['availability-page-fast', 610, 620], // a second incident started at 600
    ]);
    expect(workflowPoints(wf, [100, 600]).acknowledge).toBe(3 * ackBonus(10));
    expect(workflowPoints(wf, [100]).acknowledge).toBe(2 * ackBonus(10));
  });

  it('an expert who fixes the outage at once earns at least what a slow responder acknowledging re-fires earns', () => {
    const expert = pagesOf([['availability-page-fast', 110, 140]]);
    const novice = pagesOf([
      ['availability-page-fast', 110, 230],
      ['availability-page-fast', 500, 520],
      ['availability-page-fast', 900, 915],
    ]);
    expect(workflowPoints(expert, [100]).acknowledge).toBeGreaterThanOrEqual(workflowPoints(novice, [100]).acknowledge);
  });

  it('takes the windows from the incidents that struck the cluster (the score uses them)', () => {
    const match = paging();
    advanceN(match, 250); // the bad rollout at 20, the memory leak at 200
    expect(incidentStarts(getTeam(match, 'blue').sim)).toEqual([20, 200]);
  });
});

describe('hints and the postmortem question', () => {
  it('labels incidents neutrally in start order; a hint reveals one cause and costs points', () => {
    const match = paging();
    const ann = seat(match, 'ann');
    advanceN(match, 30);
    expect(visibleIncidents(getTeam(match, 'blue').sim).map((v) => [v.label, v.incident.spec.id])).toEqual([['incident-1', 'bad-frontend']]);
    advanceN(match, 180); // the memory leak starts at 200
    expect(visibleIncidents(getTeam(match, 'blue').sim).map((v) => [v.label, v.incident.spec.id])).toEqual([
      ['incident-1', 'bad-frontend'],
      ['incident-2', 'leak-api'],
    ]);
    const before = teamScore(match, 'blue').score;
    expect(applyWorkflow(match, ann, { op: 'hint', incident: 'incident-3' })).toEqual({ ok: false, error: 'no incident "incident-3" has struck your cluster' });
    expect(applyWorkflow(match, ann, { op: 'hint', incident: 'incident-2' })).toEqual({ ok: true, message: 'hint for incident-2: memory-leak (Memory leak in api)' });
    expect(applyWorkflow(match, ann, { op: 'hint', incident: 'incident-2' })).toMatchObject({ ok: false });
    expect(teamScore(match, 'blue').score).toBe(before - HINT_COST_POINTS);
    expect(teamScore(match, 'blue').breakdown['hints']).toBe(-HINT_COST_POINTS);
  });

  it('offers the real cause among deterministic distractors and credits a correct answer after the match', () => {
    const match = paging(120);
    const ann = seat(match, 'ann');
    advanceN(match, 30);
    expect(applyWorkflow(match, ann, { op: 'answer', incident: 'incident-1', choice: 'bad-rollout' })).toEqual({ ok: false, error: 'the postmortem question is asked when the match has ended' });
    advanceN(match, 200);
    expect(match.phase).toBe('ended');
    expect(applyWorkflow(match, ann, { op: 'ack' })).toEqual({ ok: false, error: 'the match has ended: only the postmortem question can be answered now' });
    const inc = getTeam(match, 'blue').sim.incidents.find((i) => i.spec.id === 'bad-frontend')!;
    const options = postmortemOptions(42, inc);
    expect(options).toEqual(postmortemOptions(42, inc));
    expect(options.length).toBe(4);
    expect(options.map((o) => o.id)).toContain('bad-rollout');
    expect([...options.map((o) => o.id)].sort()).toEqual(options.map((o) => o.id));
    expect(new Set(options.map((o) => o.id)).size).toBe(4);
    const wrong = options.find((o) => o.id !== 'bad-rollout')!.id;
    expect(applyWorkflow(match, ann, { op: 'answer', incident: 'incident-1', choice: 'meteor' })).toMatchObject({ ok: false, error: expect.stringMatching(/^"meteor" is not one of the options: /) });
    const before = teamScore(match, 'blue').score;
    expect(applyWorkflow(match, ann, { op: 'answer', incident: 'incident-1', choice: 'bad-rollout' })).toEqual({ ok: true, message: 'correct: incident-1 was bad-rollout' });
    expect(applyWorkflow(match, ann, { op: 'answer', incident: 'incident-1', choice: wrong })).toEqual({ ok: false, error: 'incident-1 was already answered' });
    expect(teamScore(match, 'blue').score).toBe(before + POSTMORTEM_BONUS_POINTS);
  });

  it('same inputs, same pages and score: a replay of the actions records the same pages (matchHash)', () => {
    const live = paging(300);
    advanceN(live, 400);
    const replayed = replayMatch(shopInput({ durationSeconds: 300, incidents: [{ ...badRolloutIncident, at: 20 }, { ...memoryLeakIncident, at: 200 }] }), ['blue'], [{ team: 'blue', log: [] }]);
    expect(getTeam(replayed, 'blue').workflow.pages).toEqual(getTeam(live, 'blue').workflow.pages);
    expect(matchHash(replayed)).toBe(matchHash(live));
    expect(teamScore(replayed, 'blue')).toEqual(teamScore(live, 'blue'));
  });
});

describe('collateral damage', () => {
  it('charges deleting a healthy Pod and cordoning or draining the last schedulable Node, not a fix', () => {
    const match = matchOf(shopInput({ durationSeconds: 400, incidents: [] }));
    advanceN(match, 60);
    const team = getTeam(match, 'blue');
    const pods = Object.keys(team.sim.pods).filter((k) => k.startsWith('default/frontend-')).sort();
    const before = teamScore(match, 'blue').score;
    expect(act(match, 'ann', { type: 'deletePod', pod: pods[0]! })).toMatchObject({ ok: true });
    expect(team.score.collateral).toBe(1);
    expect(teamScore(match, 'blue').breakdown['collateral']).toBe(-COLLATERAL_PENALTY_POINTS);
    expect(teamScore(match, 'blue').score).toBe(before - COLLATERAL_PENALTY_POINTS - 2 * ACTION_COSTS.deletePod);
    // The Deployment is one Pod short now: deleting another of its Pods is not "healthy" any more.
    expect(act(match, 'ann', { type: 'deletePod', pod: pods[1]! })).toMatchObject({ ok: true });
    expect(team.score.collateral).toBe(1);
    const nodes = Object.keys(team.sim.nodes).sort();
    for (const node of nodes.slice(0, -1)) expect(act(match, 'ann', { type: 'cordonNode', node })).toMatchObject({ ok: true });
    expect(team.score.collateral).toBe(1);
    expect(act(match, 'ann', { type: 'drainNode', node: nodes.at(-1)! })).toMatchObject({ ok: true });
    expect(team.score.collateral).toBe(2);
  });

  it('leaves a team that did no damage without the term', () => {
    const match = paging(100);
    advanceN(match, 200);
    expect(getTeam(match, 'blue').score.collateral).toBeUndefined();
    expect(teamScore(match, 'blue').breakdown).not.toHaveProperty('collateral');
  });
});
