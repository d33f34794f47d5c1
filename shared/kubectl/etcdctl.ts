/**
 * `etcdctl member list | endpoint health | endpoint status | snapshot save FILE | snapshot restore FILE
 * --name MEMBER` (and `etcdutl snapshot restore`, its 3.5+ home). etcdctl talks to the members directly:
 * `endpoint health` / `endpoint status` answer per member even without quorum (that is how players see
 * which members are down), `snapshot save` streams from one running member (no consensus needed), while
 * `member list`, `member add` and `member remove` go through Raft and fail with `context deadline
 * exceeded` without quorum. Output formats follow etcdctl v3 (E etcdctl/ctlv3/command/printer_simple.go):
 * `member list` prints `ID, STATUS, NAME, PEER ADDRS, CLIENT ADDRS, IS LEARNER` (STATUS `started` for
 * every member that ever started, down or not, as in etcd).
 *
 * `snapshot restore FILE --name MEMBER` becomes the action `restoreEtcdMember` (shared/sim/actions/
 * etcd.ts: the member's data dir is rebuilt and its static Pod restarted). The console does not keep
 * the operator's files, so any FILE is accepted. `member remove ID` and `member add NAME
 * --peer-urls=https://IP:2380` become the action `etcdMember` (shared/sim/actions/etcdMembership.ts:
 * the documented replacement of a permanently failed member; strict reconfiguration checks; an added
 * member is `unstarted` in `member list` until it joined). There is no `member restore` in etcdctl:
 * typing it answers with etcdctl's unknown-command error and a hint.
 *
 * May import: ../sim/* (read only), ./*.
 */
import type { SimState } from '../sim/types.ts';
import type { KubectlResult } from './index.ts';
import { fnv1a64 } from '../sim/hash.ts';
import { memberIdOf, memberIpOf, memberStarted } from '../sim/actions/etcdMembership.ts';
import type { EtcdMember } from '../sim/types.ts';
import { table } from './format.ts';
import { UsageError, parseArgs, type FlagDef } from './parse.ts';

/** Result of an etcdctl line: the console's {@link KubectlResult} (text, a `restoreEtcdMember` action, or an error). */
export type EtcdctlResult = KubectlResult;

const FLAGS: FlagDef[] = [
  { name: 'write-out', short: 'w', value: true },
  { name: 'endpoints', value: true },
  { name: 'cluster', value: false },
  { name: 'cacert', value: true },
  { name: 'cert', value: true },
  { name: 'key', value: true },
  // snapshot restore (etcdutl)
  { name: 'name', value: true },
  { name: 'data-dir', value: true },
  { name: 'wal-dir', value: true },
  { name: 'initial-cluster', value: true },
  { name: 'initial-cluster-token', value: true },
  { name: 'initial-advertise-peer-urls', value: true },
  { name: 'skip-hash-check', value: false },
  // member add
  { name: 'peer-urls', value: true },
  { name: 'learner', value: false },
  // compact / defrag
  { name: 'physical', value: false },
];

/** What etcdctl prints when a request needs Raft and there is no quorum / leader (its 5 s timeout). */
export const ETCDCTL_TIMEOUT = 'Error: context deadline exceeded';

const RESTORE_HINT = 'etcdctl snapshot restore snapshot.db --name MEMBER --data-dir /var/lib/etcd-restored';

/** Member IPs and IDs by name (shared/sim/actions/etcdMembership.ts: frozen on reconfiguration). */
function addressBook(members: EtcdMember[]): { ip: (i: number) => string; id: (name: string) => string } {
  return {
    ip: (i) => memberIpOf(members[i]!, i),
    id: (name) => {
      const m = members.find((x) => x.name === name);
      return m ? memberIdOf(m) : fnv1a64(`etcd-member:${name}`);
    },
  };
}

/** etcdctl's DB SIZE text (go-humanize `Bytes`: SI units, e.g. `2.2 GB`, `24 MB`) of a size in MiB. */
export function humanBytes(mib: number): string {
  const bytes = mib * 1048576;
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/**
 * Runs an etcdctl (or, with `tool = 'etcdutl'`, etcdutl) command line: the words after the tool's name.
 * @throws UsageError on unknown commands, missing arguments and an unknown member (etcdctl's text).
 */
export function runEtcdctl(state: SimState, words: string[], tool: 'etcdctl' | 'etcdutl' = 'etcdctl'): EtcdctlResult {
  const args = parseArgs(words, FLAGS);
  const [group, verb, ...rest] = args.positional;
  const etcd = state.controlPlane.etcd;
  const members = etcd.members;
  const raft = etcd.hasQuorum && etcd.leader !== null;
  const { ip: memberIp, id: memberId } = addressBook(members);
  if (tool === 'etcdutl' && group !== 'snapshot') {
    throw new UsageError(`Error: unknown command "${group ?? ''}" for "etcdutl"\nAvailable: etcdutl snapshot restore FILE --name MEMBER`);
  }
  if (group === 'member' && verb === 'list') {
    if (!raft) throw new UsageError(ETCDCTL_TIMEOUT);
    const rows = members.map((m, i) => (memberStarted(m)
      ? [memberIdOf(m), 'started', m.name, `https://${memberIp(i)}:2380`, `https://${memberIp(i)}:2379`, 'false']
      : [memberIdOf(m), 'unstarted', '', `https://${memberIp(i)}:2380`, '', 'false']));
    if (args.flags['write-out'] === 'table') return { kind: 'output', output: table(['ID', 'STATUS', 'NAME', 'PEER ADDRS', 'CLIENT ADDRS', 'IS LEARNER'], rows) };
    return { kind: 'output', output: rows.map((r) => r.join(', ')).join('\n') };
  }
  if (group === 'endpoint' && verb === 'health') {
    let unhealthy = 0;
    const lines = members.map((m, i) => {
      const ep = `https://${memberIp(i)}:2379`;
      if (!m.healthy) {
        unhealthy++;
        return `${ep} is unhealthy: failed to commit proposal: dial tcp ${memberIp(i)}:2379: connect: connection refused`;
      }
      if (!raft) {
        unhealthy++;
        return `${ep} is unhealthy: failed to commit proposal: ${etcd.hasQuorum ? 'etcdserver: leader changed' : 'context deadline exceeded'}`;
      }
      const took = 1 + (parseInt(memberId(m.name).slice(-2), 16) % 30) / 10;
      return `${ep} is healthy: successfully committed proposal: took = ${took.toFixed(1)}ms`;
    });
    if (unhealthy > 0) lines.push('Error: unhealthy cluster');
    return { kind: 'output', output: lines.join('\n') };
  }
  if (group === 'endpoint' && verb === 'status') {
    const rows: string[][] = [];
    const errors: string[] = [];
    const db = etcd.db;
    const json: unknown[] = [];
    members.forEach((m, i) => {
      const ep = `https://${memberIp(i)}:2379`;
      if (!m.healthy) {
        errors.push(`Failed to get the status of endpoint ${ep} (context deadline exceeded)`);
        return;
      }
      const alarms = db?.alarm === true ? [`memberID:${memberId(m.name)} alarm:NOSPACE `] : [];
      const row = [ep, memberId(m.name), '3.5.21', db ? humanBytes(db.sizeMiB) : '24 MB', String(etcd.leader === m.name), String(etcd.term)];
      if (db !== undefined) row.splice(4, 0, humanBytes(db.inUseMiB));
      if (db !== undefined) row.push(alarms.join(', '));
      rows.push(row);
      const sizeBytes = Math.round((db?.sizeMiB ?? 22.9) * 1048576);
      json.push({
        Endpoint: ep,
        Status: {
          header: { cluster_id: parseInt(fnv1a64('etcd-cluster').slice(0, 12), 16), member_id: parseInt(memberId(m.name).slice(0, 12), 16), revision: state.counters.resourceVersion, raft_term: etcd.term },
          version: '3.5.21',
          dbSize: sizeBytes,
          leader: etcd.leader !== null ? parseInt(memberId(etcd.leader).slice(0, 12), 16) : 0,
          raftIndex: state.counters.resourceVersion + 8,
          raftTerm: etcd.term,
          raftAppliedIndex: state.counters.resourceVersion + 8,
          ...(alarms.length > 0 ? { errors: alarms } : {}),
          dbSizeInUse: Math.round((db?.inUseMiB ?? 22.9) * 1048576),
          isLearner: false,
        },
      });
    });
    if (args.flags['write-out'] === 'json') return { kind: 'output', output: [...errors, JSON.stringify(json)].join('\n') };
    const header = db !== undefined
      ? ['ENDPOINT', 'ID', 'VERSION', 'DB SIZE', 'DB SIZE IN USE', 'IS LEADER', 'RAFT TERM', 'ERRORS']
      : ['ENDPOINT', 'ID', 'VERSION', 'DB SIZE', 'IS LEADER', 'RAFT TERM'];
    const out = rows.length > 0 ? table(header, rows) : '';
    return { kind: 'output', output: [...errors, out].filter((s) => s !== '').join('\n') };
  }
  if (group === 'alarm' && verb === 'list') {
    if (!raft) throw new UsageError(ETCDCTL_TIMEOUT);
    const db = etcd.db;
    const lines = db?.alarm === true ? members.filter((m) => m.healthy).map((m) => `memberID:${memberId(m.name)} alarm:NOSPACE `) : [];
    return { kind: 'output', output: lines.join('\n') };
  }
  if (group === 'alarm' && verb === 'disarm') return { kind: 'action', action: { type: 'adminCommand', command: 'etcdctl-alarm-disarm' } };
  if (group === 'compact') {
    const rev = verb;
    if (rev === undefined || rest.length > 0) throw new UsageError('Error: compact expects one argument: the revision');
    if (!/^\d+$/.test(rev)) throw new UsageError(`Error: bad revision "${rev}"`);
    return { kind: 'action', action: { type: 'adminCommand', command: 'etcdctl-compact', arg: rev } };
  }
  if (group === 'defrag') return { kind: 'action', action: { type: 'adminCommand', command: 'etcdctl-defrag' } };
  if (group === 'snapshot' && verb === 'save' && tool === 'etcdctl') {
    const file = rest[0];
    if (file === undefined || rest.length > 1) throw new UsageError('Error: snapshot save expects one argument');
    if (!members.some((m) => m.healthy)) throw new UsageError(ETCDCTL_TIMEOUT);
    return { kind: 'output', output: `Snapshot saved at ${file}` };
  }
  if (group === 'snapshot' && verb === 'restore') {
    const file = rest[0];
    if (file === undefined || rest.length > 1) throw new UsageError('Error: snapshot restore requires exactly one argument');
    const name = typeof args.flags['name'] === 'string' ? args.flags['name'] : 'default';
    if (!members.some((m) => m.name === name)) {
      throw new UsageError(`Error: member "${name}" is not a member of this cluster (members: ${members.map((m) => m.name).join(', ')}); restore one member's data dir with --name MEMBER`);
    }
    return { kind: 'action', action: { type: 'restoreEtcdMember', member: name } };
  }
  if (group === 'member' && (verb === 'add' || verb === 'remove')) {
    if (rest[0] === undefined) throw new UsageError(verb === 'add' ? 'Error: member name not provided' : 'Error: member ID is not provided');
    if (rest.length > 1) throw new UsageError(verb === 'add' ? 'Error: member name not provided' : 'Error: member ID is not provided');
    if (verb === 'remove') {
      if (!/^[0-9a-fA-F]{1,16}$/.test(rest[0])) throw new UsageError(`Error: bad member ID arg (strconv.ParseUint: parsing "${rest[0]}": invalid syntax), expecting ID in Hex`);
      return { kind: 'action', action: { type: 'etcdMember', op: 'remove', member: rest[0].toLowerCase().padStart(16, '0') } };
    }
    const urls = typeof args.flags['peer-urls'] === 'string' ? args.flags['peer-urls'] : undefined;
    if (urls === undefined || urls === '') throw new UsageError('Error: member peer urls not provided');
    if (urls.includes(',')) throw new UsageError('Error: the console adds a member with one peer URL (--peer-urls=https://IP:2380)');
    if (!/^https?:\/\/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}:\d{1,5}$/.test(urls)) throw new UsageError(`Error: URL address does not have the form "host:port": ${urls}`);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(rest[0]) || rest[0].length > 63) throw new UsageError(`Error: member name "${rest[0]}" must be a DNS label (the static Pod's name)`);
    if (args.flags['learner'] === true) throw new UsageError('Error: learners are not modelled in this console; add a voting member');
    return { kind: 'action', action: { type: 'etcdMember', op: 'add', member: rest[0], peerUrl: urls } };
  }
  if (group === 'member' && verb !== undefined) {
    const hint = verb === 'restore' ? `\nThere is no "member restore" in etcdctl. To bring a stopped member back, restore its data from a snapshot:\n  ${RESTORE_HINT}` : '';
    throw new UsageError(`Error: unknown command "${verb}" for "etcdctl member"\nRun 'etcdctl member --help' for usage.${hint}`);
  }
  const known = ['member list', 'member add', 'member remove', 'endpoint health', 'endpoint status', 'snapshot save', 'snapshot restore', 'alarm list', 'alarm disarm', 'compact REV', 'defrag'];
  const typed = [group, verb].filter((x) => x !== undefined).join(' ');
  throw new UsageError(`Error: unknown command "${typed}" for "etcdctl"\nAvailable: ${known.map((k) => `etcdctl ${k}`).join(', ')}`);
}
