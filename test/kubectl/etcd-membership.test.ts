/**
 * `etcdctl member remove ID` / `member add NAME --peer-urls=URL` (shared/kubectl/etcdctl.ts ->
 * shared/sim/actions/etcdMembership.ts): the documented replacement of a permanently failed member
 * (etcd "Runtime reconfiguration"): remove it, add it back, it joins; the strict reconfiguration check
 * refuses an add that would need more started members than there are; no quorum, no reconfiguration.
 */
import { describe, expect, it } from 'vitest';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { kubectlEquivalent } from '../../shared/kubectl/equivalent.ts';
import { ActionMessage } from '../../shared/protocol.ts';
import { createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { etcdIncident, shopInput, stepN, typeCommand } from '../sim/game-fixtures.ts';

function memberIds(s: SimState): Map<string, string> {
  const out = typeCommand(s, 'etcdctl member list');
  return new Map(out.split('\n').map((l) => l.split(', ')).map((c) => [c[2]!, c[0]!]));
}

describe('etcdctl member remove / add', () => {
  it('replaces a failed member: remove, add back, it joins and the incident is mitigated', () => {
    const s = createSim(shopInput({ incidents: [{ id: 'm', type: 'etcd-member-loss', at: 10, target: 'etcd-1', params: {} }] }));
    stepN(s, 15);
    expect(typeCommand(s, 'etcdctl endpoint health')).toMatch(/10\.0\.0\.11:2379 is unhealthy/);
    const ids = memberIds(s);
    const id = ids.get('etcd-1')!;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    // adding first would need 3 started members of 4: refused
    expect(typeCommand(s, 'etcdctl member add etcd-3 --peer-urls=https://10.0.0.13:2380')).toBe('Error: etcdserver: re-configuration failed due to not enough started members');
    // removing a healthy member while one is down would leave 1 of 2: refused
    expect(typeCommand(s, `etcdctl member remove ${ids.get('etcd-2')!}`)).toBe('Error: etcdserver: re-configuration failed due to not enough started members');
    expect(typeCommand(s, `etcdctl member remove ${id}`)).toMatch(new RegExp(`^Member ${id} removed from cluster [0-9a-f]{16}$`));
    expect(typeCommand(s, `etcdctl member remove ${id}`)).toBe('Error: etcdserver: member not found');
    stepN(s, 3);
    expect(typeCommand(s, 'etcdctl member list')).toBe([
      `${ids.get('etcd-0')!}, started, etcd-0, https://10.0.0.10:2380, https://10.0.0.10:2379, false`,
      `${ids.get('etcd-2')!}, started, etcd-2, https://10.0.0.12:2380, https://10.0.0.12:2379, false`,
    ].join('\n'));
    expect(typeCommand(s, 'etcdctl endpoint health')).not.toMatch(/unhealthy/);
    expect(typeCommand(s, 'etcdctl member add etcd-1 --peer-urls=https://10.0.0.12:2380')).toBe('Error: etcdserver: Peer URLs already exists');
    const added = typeCommand(s, 'etcdctl member add etcd-1 --peer-urls=https://10.0.0.11:2380');
    const lines = added.split('\n');
    expect(lines[0]).toMatch(/^Member [0-9a-f]{16} added to cluster [0-9a-f]{16}$/);
    expect(lines.slice(1)).toEqual([
      '',
      'ETCD_NAME="etcd-1"',
      'ETCD_INITIAL_CLUSTER="etcd-0=https://10.0.0.10:2380,etcd-2=https://10.0.0.12:2380,etcd-1=https://10.0.0.11:2380"',
      'ETCD_INITIAL_ADVERTISE_PEER_URLS="https://10.0.0.11:2380"',
      'ETCD_INITIAL_CLUSTER_STATE="existing"',
    ]);
    const newId = lines[0]!.split(' ')[1]!;
    expect(newId).not.toBe(id); // etcd never reuses an ID
    expect(typeCommand(s, 'etcdctl member list').split('\n')[2]).toBe(`${newId}, unstarted, , https://10.0.0.11:2380, , false`);
    expect(s.controlPlane.etcd.hasQuorum).toBe(true); // 2 started of 3
    stepN(s, 25);
    expect(typeCommand(s, 'etcdctl member list').split('\n')[2]).toBe(`${newId}, started, etcd-1, https://10.0.0.11:2380, https://10.0.0.11:2379, false`);
    expect(typeCommand(s, 'etcdctl endpoint health').split('\n').filter((l) => / is healthy/.test(l))).toHaveLength(3);
    expect(s.incidents[0]!.status).toBe('mitigated');
  });

  it('needs quorum; bad IDs and URLs are refused like etcdctl; actions validate and print back', () => {
    const s = createSim(shopInput({ incidents: [etcdIncident] }));
    stepN(s, 35);
    const id = 'a8266ecf031671f3';
    expect(typeCommand(s, `etcdctl member remove ${id}`)).toBe('Error: context deadline exceeded');
    expect(typeCommand(s, 'etcdctl member remove xyz')).toMatch(/^Error: bad member ID arg/);
    expect(typeCommand(s, 'etcdctl member add etcd-3')).toBe('Error: member peer urls not provided');
    expect(typeCommand(s, 'etcdctl member add etcd-3 --peer-urls=nope')).toMatch(/^Error: URL address does not have the form/);
    for (const line of [`etcdctl member remove ${id}`, 'etcdctl member add etcd-3 --peer-urls=https://10.0.0.13:2380']) {
      const r = runKubectl(s, line);
      expect(r.kind).toBe('action');
      if (r.kind !== 'action') continue;
      expect(ActionMessage.safeParse(r.action).success).toBe(true);
      expect(kubectlEquivalent(r.action)).toBe(line);
    }
  });
});
