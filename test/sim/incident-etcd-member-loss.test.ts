/**
 * `etcd-member-loss` in the shop (test/sim/game-fixtures.ts, three etcd members): the leader goes down;
 * the two others keep a quorum and elect a new leader within 1-2 s, writes go on, the SLI is untouched,
 * but `etcdctl endpoint health` reports the member unhealthy. Restoring it from a snapshot
 * (`etcdctl snapshot restore`, 30-60 s) ends it. Times are sim seconds (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { RESTORE_MAX_SECONDS } from '../../shared/sim/actions/etcd.ts';
import { checkInvariants } from './invariants.ts';
import { loadManifests } from '../../shared/manifests/load.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { scenarioToSimInput } from '../../shared/scenario/toSimInput.ts';
import { problemsOf, readFixture } from '../scenario/helpers.ts';
import { shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;

function sim(target = ''): SimState {
  return createSim(shopInput({ incidents: [{ id: 'member', type: 'etcd-member-loss', at: AT, target, params: {} }] }));
}

/** Availability SLI (good / valid requests of the user-facing Service) over the next `n` ticks. */
function availabilityOver(s: SimState, n: number): number {
  const { good, valid } = s.slos.availability;
  stepN(s, n);
  const dv = s.slos.availability.valid - valid;
  return dv === 0 ? 1 : (s.slos.availability.good - good) / dv;
}

describe('incident etcd-member-loss', () => {
  it('is in the catalog with the etcdctl restore remediation', () => {
    const e = incidentCatalog().find((x) => x.kind === 'etcd-member-loss')!;
    expect(e.title).toBe('etcd member down');
    expect(e.remediations[0]!.command).toBe('etcdctl snapshot restore snapshot.db --name <member>');
  });

  it('is a scenario incident type whose target must keep quorum', () => {
    const bookinfo = loadManifests(readFixture('manifests/bookinfo.yaml'));
    const base = readFixture('scenarios/bookinfo-node-failure.yaml');
    const ok = parseScenario(base.concat('  - { id: member, type: etcd-member-loss, at: 90, target: etcd-2 }\n'));
    expect(scenarioToSimInput(ok, bookinfo, { seed: 1 }).incidents.at(-1)).toEqual({ id: 'member', type: 'etcd-member-loss', at: 90, target: 'etcd-2', params: { members: ['etcd-2'] } });
    const bad = parseScenario(base.concat('  - { id: member, type: etcd-member-loss, at: 90, target: [etcd-1, etcd-2] }\n'));
    expect(problemsOf(() => scenarioToSimInput(bad, bookinfo, { seed: 1 }))).toEqual([
      'incidents[1] (member).target: stopping 2 of 3 etcd members loses quorum (2); stop at most 1 (or use etcd-quorum-loss)',
    ]);
  });

  it('refuses members whose loss would break quorum', () => {
    const s = sim('etcd-1,etcd-2');
    stepN(s, AT);
    expect(s.incidents[0]!.data['error']).toBe('stopping etcd-1, etcd-2 would leave 1 of 3 members, under the quorum of 2: that is etcd-quorum-loss');
    expect(s.controlPlane.etcd.members.every((m) => m.healthy)).toBe(true);
  });

  it('the leader goes down: a new leader in 1-2 s, writes keep working, endpoint health flags it; a snapshot restore brings it back', () => {
    const s = sim();
    stepN(s, AT - 1);
    const leader = s.controlPlane.etcd.leader!;
    expect(leader).not.toBeNull();
    const term = s.controlPlane.etcd.term;
    stepN(s, 1);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    expect(inc.data['members']).toEqual([leader]);
    expect(inc.data['wasLeader']).toBe(true);
    expect(s.controlPlane.etcd).toMatchObject({ hasQuorum: true, leader: null });
    let electedAt = -1;
    for (let i = 0; i < 5 && electedAt < 0; i++) {
      stepN(s, 1);
      if (s.controlPlane.etcd.leader !== null) electedAt = s.t;
    }
    expect(electedAt - AT).toBeGreaterThanOrEqual(1);
    expect(electedAt - AT).toBeLessThanOrEqual(2);
    expect(s.controlPlane.etcd.leader).not.toBe(leader);
    expect(s.controlPlane.etcd.term).toBe(term + 1);
    // Quorum kept: the API server writes, the users notice nothing.
    expect(typeCommand(s, 'kubectl scale deployment/api --replicas=4')).toMatch(/scaled/);
    expect(availabilityOver(s, 20)).toBeGreaterThanOrEqual(0.999); // the SLO's 99.9 %
    const health = typeCommand(s, 'etcdctl endpoint health');
    expect(health).toMatch(/is unhealthy: failed to commit proposal: dial tcp [\d.]+:2379: connect: connection refused/);
    expect(health).toMatch(/Error: unhealthy cluster$/);
    expect(health.split('\n').filter((l) => / is healthy: /.test(l))).toHaveLength(2);
    expect(inc.status).toBe('active');
    expect(typeCommand(s, `etcdctl snapshot restore snapshot.db --name ${leader}`)).toMatch(new RegExp(`restored snapshot into the data dir of member ${leader}`));
    const restoredAt = s.t;
    for (let i = 0; i < RESTORE_MAX_SECONDS + 5 && inc.status === 'active'; i++) stepN(s, 1);
    expect(inc.status).toBe('mitigated');
    expect(inc.mitigatedAt! - restoredAt).toBeGreaterThanOrEqual(30);
    expect(inc.mitigatedAt! - restoredAt).toBeLessThanOrEqual(RESTORE_MAX_SECONDS + 1);
    const after = typeCommand(s, 'etcdctl endpoint health');
    expect(after).not.toMatch(/unhealthy/);
    expect(checkInvariants(s)).toEqual([]);
    expect(availabilityOver(s, 10)).toBeGreaterThanOrEqual(0.999);
  });
});
