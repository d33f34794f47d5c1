import { describe, expect, it } from 'vitest';
import {
  CHAOS_ERRORS,
  DEFAULT_CHAOS_BUDGET,
  attack,
  chaosInfoFor,
  chaosRules,
  chaosTotals,
  createMatch,
  join,
  matchHash,
  teamScore,
  type Match,
  type RedTeamRules,
} from '../../shared/game/index.ts';
import type { SimInput } from '../../shared/sim/types.ts';
import { RedTeamSchema } from '../../shared/scenario/schema.ts';
import { badRolloutIncident, shopInput } from '../sim/game-fixtures.ts';
import { advanceN, matchOf, simOf } from './helpers.ts';

/** A red-vs-blue match of a 400 s shop (half time at 200 s) with `rita` on red and `bill` on blue. */
function redBlue(opts: { input?: SimInput; redTeam?: RedTeamRules; roles?: boolean } = {}): { match: Match; rita: string; bill: string } {
  const input = opts.input ?? shopInput({ durationSeconds: 400, incidents: [{ ...badRolloutIncident, at: 5 }] });
  const match = createMatch({ input, teams: ['blue', 'red'], settings: { mode: 'redblue', roles: opts.roles ?? false }, ...(opts.redTeam ? { redTeam: opts.redTeam } : {}) });
  const r = join(match, { name: 'rita', team: 'red', role: 'operations' });
  const b = join(match, { name: 'bill', team: 'blue', role: 'operations' });
  if (!r.ok || !b.ok) throw new Error('seat refused');
  return { match, rita: r.player.id, bill: b.player.id };
}

function startedIncidents(match: Match, team: string): string[] {
  return simOf(match, team).incidents.filter((i) => i.status !== 'scheduled').map((i) => i.spec.id);
}

describe('red vs blue: the rules of an attack', () => {
  it('default rules: every catalog kind, costs and cooldowns by target (Deployment 20/120 s, Node 30/300 s, etcd 50/600 s), 100 points', () => {
    const rules = chaosRules(undefined);
    expect(rules.budget).toBe(DEFAULT_CHAOS_BUDGET);
    const byKind = new Map(rules.allowed.map((r) => [r.kind, r]));
    expect(byKind.get('bad-rollout')).toEqual({ kind: 'bad-rollout', cost: 20, cooldownSeconds: 120 });
    expect(byKind.get('node-failure')).toEqual({ kind: 'node-failure', cost: 30, cooldownSeconds: 300 });
    expect(byKind.get('etcd-quorum-loss')).toEqual({ kind: 'etcd-quorum-loss', cost: 50, cooldownSeconds: 600 });
    expect(chaosRules({ budget: 40, allowed: [{ kind: 'pod-kill', cost: 5 }] })).toEqual({ budget: 40, allowed: [{ kind: 'pod-kill', cost: 5, cooldownSeconds: 120 }] });
    expect(() => chaosRules({ allowed: [{ kind: 'pod-kill' }, { kind: 'pod-kill' }] })).toThrow(/twice/);
  });

  it('the scenario field redTeam is validated: known kinds, each once, whole non-negative costs', () => {
    expect(RedTeamSchema.safeParse({ budget: 60, allowed: [{ kind: 'pod-kill', cost: 10, cooldownSeconds: 60 }, { kind: 'bad-rollout' }] }).success).toBe(true);
    const twice = RedTeamSchema.safeParse({ allowed: [{ kind: 'pod-kill' }, { kind: 'pod-kill' }] });
    expect(twice.success ? '' : twice.error.issues[0]!.message).toBe('pod-kill is listed twice');
    expect(RedTeamSchema.safeParse({ allowed: [{ kind: 'meteor-strike' }] }).success).toBe(false);
    expect(RedTeamSchema.safeParse({ allowed: [{ kind: 'pod-kill', cost: -1 }] }).success).toBe(false);
    expect(RedTeamSchema.safeParse({ budjet: 5 }).success).toBe(false);
  });

  it('the scenario schedule does not start in redblue: the only incidents are the attacks', () => {
    const { match } = redBlue();
    advanceN(match, 50);
    expect(startedIncidents(match, 'blue')).toEqual([]);
    expect(startedIncidents(match, 'red')).toEqual([]);
    // The same scenario in a race starts it.
    const race = matchOf(shopInput({ durationSeconds: 400, incidents: [{ ...badRolloutIncident, at: 5 }] }), ['blue', 'red']);
    advanceN(race, 50);
    expect(startedIncidents(race, 'blue')).toEqual(['bad-frontend']);
    expect(race.chaos).toBeNull();
  });

  it('red attacks blue in the first half: the incident strikes blue’s cluster only, the budget pays for it', () => {
    const { match, rita } = redBlue();
    advanceN(match, 10);
    const r = attack(match, rita, { kind: 'bad-rollout', target: 'frontend' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.attack).toMatchObject({ id: 'attack-1', half: 1, attacker: 'red', defender: 'blue', kind: 'bad-rollout', target: 'frontend', cost: 20, t: 10 });
    expect(r.message).toContain('80 points left');
    expect(startedIncidents(match, 'blue')).toEqual(['attack-1']);
    expect(startedIncidents(match, 'red')).toEqual([]);
    // The defender's cluster names no kind in the incident's title.
    expect(simOf(match, 'blue').incidents.find((i) => i.spec.id === 'attack-1')!.spec.title).toBe('Chaos attack 1');
    expect(chaosInfoFor(match, 'red')!.budgetRemaining).toBe(80);
    expect(chaosInfoFor(match, 'blue')).toBeNull();
  });

  it('refuses: the defending side, a kind the scenario does not allow, a cooldown, an empty budget, paused and ended matches', () => {
    const { match, rita, bill } = redBlue({ redTeam: { budget: 50, allowed: [{ kind: 'pod-kill', cost: 20, cooldownSeconds: 30 }, { kind: 'bad-rollout', cost: 20, cooldownSeconds: 60 }] } });
    advanceN(match, 5);
    expect(attack(match, bill, { kind: 'pod-kill', target: 'api' })).toEqual({ ok: false, error: CHAOS_ERRORS.defending('red', 1) });
    expect(attack(match, rita, { kind: 'node-failure', target: 'node-a' })).toEqual({ ok: false, error: CHAOS_ERRORS.notAllowed('node-failure', ['pod-kill', 'bad-rollout']) });
    expect(attack(match, rita, { kind: 'pod-kill', target: 'api' }).ok).toBe(true);
    expect(attack(match, rita, { kind: 'pod-kill', target: 'api' })).toEqual({ ok: false, error: CHAOS_ERRORS.cooldown('pod-kill', 30) });
    advanceN(match, 12);
    expect(attack(match, rita, { kind: 'pod-kill', target: 'api' })).toEqual({ ok: false, error: CHAOS_ERRORS.cooldown('pod-kill', 18) });
    expect(attack(match, rita, { kind: 'bad-rollout', target: 'frontend' }).ok).toBe(true);
    advanceN(match, 18);
    expect(attack(match, rita, { kind: 'pod-kill', target: 'api' })).toEqual({ ok: false, error: CHAOS_ERRORS.budget('pod-kill', 20, 10) });
    // A bad target costs nothing.
    const before = structuredClone(match.chaos);
    expect(attack(match, rita, { kind: 'bad-rollout', target: 'nope' }).ok).toBe(false);
    expect(match.chaos).toEqual(before);
    match.phase = 'paused';
    expect(attack(match, rita, { kind: 'pod-kill' })).toEqual({ ok: false, error: CHAOS_ERRORS.paused });
    match.phase = 'ended';
    expect(attack(match, rita, { kind: 'pod-kill' })).toEqual({ ok: false, error: CHAOS_ERRORS.ended });
  });

  it('refuses spectators, roles other than operations and commander, and non-redblue matches', () => {
    const { match } = redBlue({ roles: true });
    const comms = join(match, { name: 'cora', team: 'red', role: 'communications' });
    const ic = join(match, { name: 'ian', team: 'red', role: 'commander' });
    const spec = join(match, { name: 'sam', team: 'red', spectator: true });
    if (!comms.ok || !ic.ok || !spec.ok) throw new Error('seat refused');
    expect(attack(match, comms.player.id, { kind: 'pod-kill', target: 'api' })).toEqual({ ok: false, error: CHAOS_ERRORS.role });
    expect(attack(match, spec.player.id, { kind: 'pod-kill', target: 'api' })).toEqual({ ok: false, error: CHAOS_ERRORS.spectator });
    expect(attack(match, ic.player.id, { kind: 'pod-kill', target: 'api' }).ok).toBe(true);
    const race = matchOf(shopInput({ durationSeconds: 100 }), ['blue', 'red']);
    const p = join(race, { name: 'x', team: 'red' });
    expect(attack(race, p.ok ? p.player.id : '', { kind: 'pod-kill' })).toEqual({ ok: false, error: CHAOS_ERRORS.notRedBlue });
  });

  it('a redblue match plays exactly blue and red', () => {
    expect(() => createMatch({ input: shopInput({ durationSeconds: 100 }), teams: ['blue'], settings: { mode: 'redblue' } })).toThrow(/blue and red/);
  });
});

describe('red vs blue: half time and totals', () => {
  it('the sides swap at half time: blue attacks red’s cluster, red may no longer attack', () => {
    const { match, rita, bill } = redBlue();
    advanceN(match, 199);
    expect(match.chaos!.half).toBe(1);
    advanceN(match, 1);
    expect(match.chaos!.half).toBe(2);
    expect(match.chaos!.halfTimeSeconds).toBe(200);
    expect(attack(match, rita, { kind: 'pod-kill', target: 'api' })).toEqual({ ok: false, error: CHAOS_ERRORS.defending('blue', 2) });
    const b = attack(match, bill, { kind: 'bad-rollout', target: 'frontend' });
    expect(b.ok && b.attack).toMatchObject({ id: 'attack-1', half: 2, attacker: 'blue', defender: 'red' });
    expect(startedIncidents(match, 'red')).toEqual(['attack-1']);
    expect(chaosInfoFor(match, 'blue')!.budgetRemaining).toBe(80);
    expect(chaosInfoFor(match, 'red')).toBeNull();
  });

  it('totals: defence (own cluster) + attack (budget burnt on the opponent in the half attacked); the attacker who burns more wins', () => {
    const { match, rita } = redBlue();
    advanceN(match, 5);
    expect(attack(match, rita, { kind: 'bad-rollout', target: 'frontend' }).ok).toBe(true);
    advanceN(match, 1000);
    expect(match.phase).toBe('ended');
    const totals = chaosTotals(match);
    expect(totals.map((t) => t.team)).toEqual(['red', 'blue']);
    const red = totals[0]!;
    const blue = totals[1]!;
    expect(red.rank).toBe(1);
    expect(red.attack).toBeGreaterThan(0);
    expect(red.attack).toBeLessThanOrEqual(500);
    expect(red.availabilityBurnt).toBeGreaterThan(0);
    expect(blue.attack).toBe(0); // blue never attacked: red's cluster burnt no more than blue's own in half 2
    expect(red.defence).toBe(teamScore(match, 'red').score);
    expect(blue.defence).toBe(teamScore(match, 'blue').score);
    expect(blue.defence).toBeLessThan(red.defence);
    expect(red.total).toBe(red.defence + red.attack);
    expect(red).toMatchObject({ attacks: 1, spent: 20 });
  });

  it('an attack of red’s still hurting blue after half time does not hide blue’s own attack on red', () => {
    const { match, rita, bill } = redBlue();
    advanceN(match, 5);
    expect(attack(match, rita, { kind: 'bad-rollout', target: 'frontend' }).ok).toBe(true);
    advanceN(match, 195);
    expect(attack(match, bill, { kind: 'bad-rollout', target: 'frontend' }).ok).toBe(true);
    advanceN(match, 1000);
    const totals = chaosTotals(match);
    const red = totals.find((x) => x.team === 'red')!;
    const blue = totals.find((x) => x.team === 'blue')!;
    expect(blue.attack).toBeGreaterThan(0);
    expect(red.attack).toBeGreaterThan(0);
    expect(blue.availabilityBurnt).toBeGreaterThan(0);
  });

  it('ties break by defence, then team id', () => {
    const { match } = redBlue({ input: shopInput({ durationSeconds: 60 }) });
    advanceN(match, 100);
    const totals = chaosTotals(match);
    expect(totals[0]!.total).toBe(totals[1]!.total);
    expect(totals.map((t) => t.team)).toEqual(['blue', 'red']);
  });

  it('deterministic: the same attacks at the same ticks give the same hash; chaos stays out of other matches’ hashes', () => {
    const play = (): string => {
      const { match, rita, bill } = redBlue();
      advanceN(match, 7);
      attack(match, rita, { kind: 'pod-kill', target: 'api' });
      attack(match, rita, { kind: 'node-failure' });
      advanceN(match, 200);
      attack(match, bill, { kind: 'memory-leak', target: 'api' });
      advanceN(match, 1000);
      return `${matchHash(match)} ${JSON.stringify(chaosTotals(match))}`;
    };
    expect(play()).toBe(play());
    const race = matchOf(shopInput({ durationSeconds: 100 }), ['blue', 'red']);
    expect(race.chaos).toBeNull();
    // Plain-JSON: the match survives a JSON round trip, chaos included.
    const { match } = redBlue();
    advanceN(match, 3);
    expect(matchHash(JSON.parse(JSON.stringify(match)) as Match)).toBe(matchHash(match));
  });
});
