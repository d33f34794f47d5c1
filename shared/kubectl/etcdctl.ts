/**
 * `etcdctl member list | endpoint health | endpoint status | member restore NAME`. etcdctl talks to the
 * members directly, so it keeps working while the cluster has no quorum (that is how players see which
 * members are down). Output formats follow etcdctl v3 (E etcdctl/ctlv3/command/printer_simple.go):
 * `member list` prints `ID, STATUS, NAME, PEER ADDRS, CLIENT ADDRS, IS LEARNER` where STATUS is
 * `started`, or (game addition, for readability) `unreachable` / `restoring` for a member that is down.
 * `member restore` is the game's recovery action (a stand-in for snapshot restore + member re-add).
 *
 * May import: ../sim/* (read only), ./*.
 */
import type { SimState } from '../sim/types.ts';
import type { KubectlResult } from './index.ts';
import { fnv1a64 } from '../sim/hash.ts';
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
];

function memberIp(index: number): string {
  return `10.0.0.${10 + index}`;
}

function memberId(name: string): string {
  return fnv1a64(`etcd-member:${name}`);
}

/** Runs an etcdctl command line (words after `etcdctl`). @throws UsageError on unknown commands. */
export function runEtcdctl(state: SimState, words: string[]): EtcdctlResult {
  const args = parseArgs(words, FLAGS);
  const [group, verb, ...rest] = args.positional;
  const etcd = state.controlPlane.etcd;
  const members = etcd.members;
  if (group === 'member' && verb === 'list') {
    const rows = members.map((m, i) => {
      const status = m.healthy ? 'started' : m.restoringUntil !== null ? 'restoring' : 'unreachable';
      return [memberId(m.name), status, m.name, `https://${memberIp(i)}:2380`, `https://${memberIp(i)}:2379`, 'false'];
    });
    if (args.flags['write-out'] === 'table') return { kind: 'output', output: table(['ID', 'STATUS', 'NAME', 'PEER ADDRS', 'CLIENT ADDRS', 'IS LEARNER'], rows) };
    return { kind: 'output', output: rows.map((r) => r.join(', ')).join('\n') };
  }
  if (group === 'endpoint' && verb === 'health') {
    let unhealthy = 0;
    const lines = members.map((m, i) => {
      const ep = `https://${memberIp(i)}:2379`;
      if (!m.healthy) {
        unhealthy++;
        const why = m.restoringUntil !== null ? `member is being restored (back at t=${m.restoringUntil}s)` : `dial tcp ${memberIp(i)}:2379: connect: connection refused`;
        return `${ep} is unhealthy: failed to commit proposal: ${why}`;
      }
      if (!etcd.hasQuorum || etcd.leader === null) {
        unhealthy++;
        return `${ep} is unhealthy: failed to commit proposal: ${etcd.hasQuorum ? 'etcdserver: leader changed' : 'context deadline exceeded (no leader: quorum lost)'}`;
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
    members.forEach((m, i) => {
      const ep = `https://${memberIp(i)}:2379`;
      if (!m.healthy) errors.push(`Failed to get the status of endpoint ${ep} (context deadline exceeded)`);
      else rows.push([ep, memberId(m.name), '3.5.21', '24 MB', String(etcd.leader === m.name), String(etcd.term)]);
    });
    const out = rows.length > 0 ? table(['ENDPOINT', 'ID', 'VERSION', 'DB SIZE', 'IS LEADER', 'RAFT TERM'], rows) : '';
    return { kind: 'output', output: [...errors, out].filter((s) => s !== '').join('\n') };
  }
  if (group === 'member' && verb === 'restore') {
    const name = rest[0];
    if (name === undefined) throw new UsageError('Error: member name not provided\nUsage: etcdctl member restore <member-name>');
    if (!members.some((m) => m.name === name)) throw new UsageError(`Error: member ${name} not found (members: ${members.map((m) => m.name).join(', ')})`);
    return { kind: 'action', action: { type: 'restoreEtcdMember', member: name } };
  }
  const known = ['member list', 'member restore', 'endpoint health', 'endpoint status'];
  const typed = [group, verb].filter((x) => x !== undefined).join(' ');
  throw new UsageError(`Error: unknown command "${typed}" for "etcdctl"\nAvailable: ${known.map((k) => `etcdctl ${k}`).join(', ')}`);
}
