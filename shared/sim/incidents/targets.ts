/**
 * Target kinds and selectors: what an incident's `target` may name ({@link TargetKind}), the syntax a
 * scenario may write for it ({@link targetSyntax}, zod), how it resolves against the sim state, the
 * error when it doesn't, and the object the incident's events are about (`kubectl get events` INVOLVED
 * OBJECT). Each incident module picks one selector; the lifecycle (./index.ts) resolves it before
 * calling the module's `start`, so a missing target closes the incident as `IncidentInvalid` with the
 * same message for every kind. shared/scenario/toSimInput.ts checks a target against the scenario's
 * workloads by its kind.
 *
 * May import: `zod`, ../types.ts, ../names.ts, ./params.ts, ./helpers.ts.
 */
import { z } from 'zod';
import type { Deployment, IncidentSpec, Node, SimState } from '../types.ts';
import { splitKey } from '../names.ts';
import { listParam, targetDeployment } from './helpers.ts';
import { dnsLabel } from './params.ts';

/**
 * What an incident's `target` selects, with the syntax a scenario may write for it (zod factories).
 * - `Deployment`: `name` (namespace `default`) or `namespace/name`.
 * - `Node`: a Node name.
 * - `EtcdMembers`: etcd member names, a list or joined by commas (`etcd-1,etcd-2`); kept comma-joined in
 *   `IncidentSpec.target`; enough of them to lose quorum.
 * - `EtcdMember`: the same syntax, for members whose loss keeps quorum (`etcd-member-loss`).
 * - `Zone`: a zone name, the `topology.kubernetes.io/zone` label of the Nodes it holds (`zone-partition`).
 */
export const targetSyntax = {
  Deployment: () =>
    z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
      error: 'must be a Deployment name, or namespace/name',
    }),
  Node: () => dnsLabel(),
  EtcdMembers: () =>
    z.union([
      z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(,[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, { error: 'must be etcd member names, e.g. [etcd-1, etcd-2]' }),
      z.array(dnsLabel()).min(1),
    ]),
  /** (added) etcd members whose loss keeps quorum (`etcd-member-loss`): same syntax as `EtcdMembers`. */
  EtcdMember: () =>
    z.union([
      z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(,[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, { error: 'must be etcd member names, e.g. etcd-2' }),
      z.array(dnsLabel()).min(1),
    ]),
  /**
   * (added) A cluster component of kube-system: `etcd`, `coredns`, `kube-scheduler`,
   * `kube-controller-manager` (which ones a kind accepts is its selector's business).
   */
  KubeSystem: () => z.enum(['etcd', 'coredns', 'kube-scheduler', 'kube-controller-manager', 'kube-apiserver'], { error: 'must be a kube-system component: etcd, coredns, kube-scheduler, kube-controller-manager or kube-apiserver' }),
  /** (added) a zone: the `topology.kubernetes.io/zone` label value of some Nodes (`zone-a`, `us-east-1a`). */
  Zone: () => z.string().regex(/^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/, { error: 'must be a zone name (the topology.kubernetes.io/zone label), e.g. zone-a' }).max(63),
} as const;

/** The kinds of object an incident can target (keys of {@link targetSyntax}). */
export type TargetKind = keyof typeof targetSyntax;

/** What {@link TargetSelector.resolve} answers: the resolved object, or a one-line error. */
export type Resolved<T> = { ok: true; value: T } | { ok: false; error: string };

/** The object an incident's events name (kind, name, namespace; `''` for cluster-scoped objects). */
export interface EventObject {
  kind: string;
  name: string;
  namespace: string;
}

/**
 * A selector of target kind `K` whose resolved value is `T`: resolves `spec.target` (and, for etcd,
 * `params.members`).
 */
export interface TargetSelector<T, K extends TargetKind = TargetKind> {
  kind: K;
  /** For players and the catalog: what the target names, e.g. "a Deployment (`name` or `namespace/name`)". */
  description: string;
  /** A placeholder used in the catalog's titles (`<deployment>`). */
  placeholder: string;
  /** The targeted object(s) in `state`, or why not. Pure; O(1) except etcd (O(members log members)). */
  resolve(state: SimState, spec: IncidentSpec): Resolved<T>;
  /** The object the incident's `IncidentStarted` / `IncidentMitigated` / `IncidentInvalid` notices are about (shared/sim/notices.ts). */
  eventObject(spec: IncidentSpec): EventObject;
}

/** A Deployment, `name` (namespace `default`) or `namespace/name`; error `deployment X not found`. */
export const deploymentTarget: TargetSelector<{ key: string; deployment: Deployment }, 'Deployment'> = {
  kind: 'Deployment',
  description: 'a Deployment (`name` or `namespace/name`)',
  placeholder: '<deployment>',
  resolve(state, spec) {
    const target = targetDeployment(state, spec);
    return target ? { ok: true, value: target } : { ok: false, error: `deployment ${spec.target} not found` };
  },
  eventObject(spec) {
    const { namespace, name } = splitKey(spec.target);
    return { kind: 'Deployment', name, namespace };
  },
};

/** A Node by name; error `node X not found`. */
export const nodeTarget: TargetSelector<{ name: string; node: Node }, 'Node'> = {
  kind: 'Node',
  description: 'a Node (its name)',
  placeholder: '<node>',
  resolve(state, spec) {
    const node = Object.hasOwn(state.nodes, spec.target) ? state.nodes[spec.target] : undefined; // own keys only: targets can be untrusted (a trainer's injection)
    return node ? { ok: true, value: { name: spec.target, node } } : { ok: false, error: `node ${spec.target} not found` };
  },
  eventObject(spec) {
    return { kind: 'Node', name: spec.target, namespace: '' };
  },
};

/**
 * The etcd members an etcd incident stops: `params.members` (list or comma-separated), else the names in
 * `target` that are members, else just enough members to lose quorum (floor(n/2)+1; etcd
 * server/etcdserver/util.go), the last ones by name (etcd-1 and etcd-2 of three). Sorted, unique.
 */
export function membersToStop(state: SimState, spec: IncidentSpec): string[] {
  const all = state.controlPlane.etcd.members.map((m) => m.name).sort();
  const listed = listParam(spec, 'members') ?? spec.target.split(',').map((s) => s.trim()).filter((s) => all.includes(s));
  if (listed.length > 0) return [...new Set(listed)].sort();
  const quorum = Math.floor(all.length / 2) + 1;
  const stop = all.length - quorum + 1;
  return all.slice(all.length - stop);
}

/** etcd members ({@link membersToStop}); error `unknown etcd members: a, b`. Events name the `etcd` Pod. */
export const etcdMembersTarget: TargetSelector<string[], 'EtcdMembers'> = {
  kind: 'EtcdMembers',
  description: 'etcd members (a list, or names joined by commas: `etcd-1,etcd-2`)',
  placeholder: '<members>',
  resolve(state, spec) {
    const names = membersToStop(state, spec);
    const unknown = names.filter((n) => !state.controlPlane.etcd.members.some((m) => m.name === n));
    return unknown.length > 0 ? { ok: false, error: `unknown etcd members: ${unknown.join(', ')}` } : { ok: true, value: names };
  },
  eventObject() {
    return { kind: 'Pod', name: 'etcd', namespace: 'kube-system' };
  },
};

/** A kube-system component a {@link kubeSystemTarget} names. */
export type KubeSystemComponent = 'etcd' | 'coredns' | 'kube-scheduler' | 'kube-controller-manager' | 'kube-apiserver';

/**
 * (added) A selector of kube-system components: `allowed` are the ones the kind accepts, `fallback`
 * the one an empty target means. Error: `<kind> targets one of: a, b (got x)`; CoreDNS needs the
 * kube-system objects (`cluster.kubeSystem`). Events name the component's Deployment (coredns) or
 * its static Pods (`kube-system/<component>`).
 */
export function kubeSystemTarget<C extends KubeSystemComponent>(kind: string, allowed: readonly C[], fallback: C): TargetSelector<C, 'KubeSystem'> {
  return {
    kind: 'KubeSystem',
    description: `a kube-system component (${allowed.join(' or ')})`,
    placeholder: allowed.length === 1 ? allowed[0]! : `<${allowed.join('|')}>`,
    resolve(state, spec) {
      const name = (spec.target === '' ? fallback : spec.target) as C;
      if (!allowed.includes(name)) return { ok: false, error: `${kind} targets one of: ${allowed.join(', ')} (got ${spec.target})` };
      if (name === 'coredns' && !Object.hasOwn(state.deployments, 'kube-system/coredns')) return { ok: false, error: 'deployment kube-system/coredns not found (the cluster was built without kube-system: cluster.kubeSystem: false)' };
      return { ok: true, value: name };
    },
    eventObject(spec) {
      const name = spec.target === '' ? fallback : spec.target;
      return name === 'coredns' ? { kind: 'Deployment', name: 'coredns', namespace: 'kube-system' } : { kind: 'Pod', name, namespace: 'kube-system' };
    },
  };
}
/** The label holding a Node's zone (W reference/labels-annotations-taints `topology.kubernetes.io/zone`). */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** The Nodes of a zone, sorted by name (own keys only). */
export function zoneNodes(state: SimState, zone: string): string[] {
  return Object.keys(state.nodes).sort().filter((n) => state.nodes[n]!.metadata.labels[ZONE_LABEL] === zone);
}

/** A zone by name: its Nodes (at least one); error `zone X has no nodes (zones: a, b)`. Events name the first Node. */
export const zoneTarget: TargetSelector<{ zone: string; nodes: string[] }, 'Zone'> = {
  kind: 'Zone',
  description: 'a zone (the `topology.kubernetes.io/zone` label of its Nodes)',
  placeholder: '<zone>',
  resolve(state, spec) {
    const nodes = zoneNodes(state, spec.target);
    if (nodes.length > 0) return { ok: true, value: { zone: spec.target, nodes } };
    const zones = [...new Set(Object.values(state.nodes).map((n) => n.metadata.labels[ZONE_LABEL]).filter((z): z is string => z !== undefined))].sort();
    return { ok: false, error: `zone ${spec.target} has no nodes (zones: ${zones.join(', ')})` };
  },
  eventObject(spec) {
    return { kind: 'Zone', name: spec.target, namespace: '' };
  },
};
