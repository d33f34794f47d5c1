/**
 * Turns a validated scenario plus its loaded workloads into the {@link SimInput} the sim starts from,
 * checking that every name the scenario uses (user-facing Service, call graph, optional calls, ingress,
 * incident targets, etcd members) exists and that every optional call is an edge of the call graph.
 * Also builds a SimInput from manifests alone (`--manifests`).
 *
 * Pure and deterministic (sorted keys and lists). Units: sim seconds, requests/s, ms.
 */
import type { CallPath, DeploymentManifest, IncidentSpec, ImageProfile, NodeSpecInput, SimInput } from '../sim/types.ts';
import type { LoadedManifests } from '../manifests/load.ts';
import type { Scenario } from './schema.ts';
import type { IncidentDeclaration } from '../sim/incidents/registry.ts';
import { ScenarioError } from './errors.ts';
import { incidentDeclarations } from '../sim/incidents/registry.ts';
import { ChaosError, chaosClusterOf, translateChaos } from '../chaos/index.ts';
import { formatManifestError } from '../manifests/load.ts';
import { inferCallGraph, inferUserFacingService, namespaceOf, normalizeRef, objectRef, unknownServiceReferences } from './callGraph.ts';
import { capacityWarning, defaultClusterNodes, expandNodePool } from './nodes.ts';
import { sizeLoad } from './capacity.ts';

export { inferCallGraph } from './callGraph.ts';
export { defaultClusterNodes } from './nodes.ts';

/** etcd members when a scenario names none (SimInput's default). */
export const DEFAULT_ETCD_MEMBERS = ['etcd-0', 'etcd-1', 'etcd-2'];
/** SLOs used with manifests alone: 99 % availability, 95 % of requests under 300 ms. */
export const DEFAULT_SLO: SimInput['slo'] = { availability: 0.99, latency: { thresholdMs: 300, target: 0.95 } };
/** Highest offered load with manifests alone, requests/s (lowered to fit the workloads, see capacity.ts). */
export const DEFAULT_RPS = 100;
/** Match length with manifests alone, sim seconds. */
export const DEFAULT_MANIFESTS_DURATION_SECONDS = 1800;

/** Options shared by both builders. */
export interface SimInputOptions {
  seed: number;
  /** Overrides the scenario's match length, sim seconds. */
  durationSeconds?: number;
  /** Sim seconds per tick (default: the scenario's, else 1). */
  tickSeconds?: number;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedRecord<T>(rec: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = Object.create(null);
  for (const k of Object.keys(rec).sort(cmp)) out[k] = rec[k]!;
  return out;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Every pod template of the workloads seen as a Deployment (the shape the call-graph, user-facing and
 * capacity helpers read): the Deployments, then the other workloads (ReplicaSet, ReplicationController,
 * StatefulSet, DaemonSet; a DaemonSet counts as one replica for sizing). Fresh views (cheap: one object per workload).
 */
export function podTemplates(workloads: LoadedManifests): DeploymentManifest[] {
  const extra = workloads.workloads ?? [];
  if (extra.length === 0) return workloads.deployments;
  const views = extra.map((w): DeploymentManifest => ({
    apiVersion: 'apps/v1',
    kind: w.kind as 'Deployment',
    metadata: w.metadata,
    spec: { replicas: w.kind === 'DaemonSet' ? 1 : (w.spec.replicas ?? 1), selector: w.spec.selector, template: w.spec.template },
  }));
  return [...workloads.deployments, ...views];
}

function assertNoManifestErrors(workloads: LoadedManifests, source?: string): void {
  if (workloads.errors.length > 0) {
    throw new ScenarioError(
      `${source ? `${source}: ` : ''}the workloads have ${workloads.errors.length} error${workloads.errors.length > 1 ? 's' : ''}`,
      workloads.errors.map((e) => formatManifestError(e)),
    );
  }
  if (workloads.deployments.length === 0 && (workloads.workloads ?? []).length === 0) {
    throw new ScenarioError(`${source ? `${source}: ` : ''}no Deployment found in the workloads (nor ReplicaSet, ReplicationController, StatefulSet, DaemonSet): nothing to simulate`);
  }
}

/**
 * `traffic.callPaths` with references normalised like the call graph (keys sorted), or undefined when
 * the scenario declares none. Pushes a problem for every name that is not a Service and every call that
 * is not an edge of `callGraph`.
 */
function checkCallPaths(
  scenario: Scenario,
  callGraph: Record<string, string[]>,
  services: Set<string>,
  needService: (path: string, name: string) => void,
  problems: string[],
): Record<string, CallPath[]> | undefined {
  const declared = scenario.traffic.callPaths;
  if (!declared) return undefined;
  const out: Record<string, CallPath[]> = Object.create(null);
  for (const [from, paths] of Object.entries(declared).sort(([a], [b]) => cmp(a, b))) {
    const caller = normalizeRef(from);
    needService('traffic.callPaths', from);
    const calls = callGraph[caller] ?? [];
    out[caller] = paths.map((p, i) => {
      const refs = [...new Set(p.calls.map(normalizeRef))];
      for (const to of p.calls) {
        needService(`traffic.callPaths.${from}[${i}].calls`, to);
        if (services.has(caller) && services.has(normalizeRef(to)) && !calls.includes(normalizeRef(to))) {
          problems.push(`traffic.callPaths.${from}[${i}] (${p.name}): "${to}" is not a call of "${from}" in the call graph (${calls.length > 0 ? calls.join(', ') : `"${from}" calls nothing`})`);
        }
      }
      return { name: p.name, weight: p.weight, calls: refs };
    });
  }
  return out;
}

/** Quorum of a Raft cluster of n members: floor(n/2)+1 (etcd server/etcdserver/util.go). */
function quorum(n: number): number {
  return Math.floor(n / 2) + 1;
}

/**
 * `traffic.optionalCalls` normalised like the call graph (`default/x` -> `x`, deduplicated, sorted), or
 * undefined when the scenario declares none. Pushes a problem for every name that is not a Service and
 * every pair that is not an edge of `callGraph` (the declared one, else the one inferred from env values).
 */
function checkOptionalCalls(
  scenario: Scenario,
  callGraph: Record<string, string[]>,
  services: Set<string>,
  needService: (path: string, name: string) => void,
  problems: string[],
): Record<string, string[]> | undefined {
  const declared = scenario.traffic.optionalCalls;
  if (!declared) return undefined;
  const source = scenario.traffic.callGraph ? 'declared in traffic.callGraph' : 'inferred from env values';
  const out: Record<string, Set<string>> = Object.create(null);
  for (const [from, tos] of Object.entries(declared).sort(([a], [b]) => cmp(a, b))) {
    const caller = normalizeRef(from);
    needService('traffic.optionalCalls', from);
    const set = (out[caller] ??= new Set());
    for (const to of tos) {
      const callee = normalizeRef(to);
      needService(`traffic.optionalCalls.${from}`, to);
      set.add(callee);
      if (!services.has(caller) || !services.has(callee)) continue;
      const calls = callGraph[caller] ?? [];
      if (!calls.includes(callee)) {
        problems.push(
          `traffic.optionalCalls.${from}: "${to}" is not a call of "${from}" in the call graph (${source}); ` +
            `an optional call must be one of its calls (${calls.length > 0 ? calls.join(', ') : `"${from}" calls nothing`})`,
        );
      }
    }
  }
  const result: Record<string, string[]> = Object.create(null);
  for (const k of Object.keys(out).sort(cmp)) if (out[k]!.size > 0) result[k] = [...out[k]!].sort(cmp);
  return result;
}

/**
 * Builds the SimInput of a scenario.
 * @param workloads the scenario's manifests (or replacement manifests), already loaded.
 * @throws {ScenarioError} when the workloads have errors or no Deployment, when the scenario names a
 * Service, Deployment, Node or etcd member that does not exist, or when an optional call
 * (`traffic.optionalCalls`) is not an edge of the call graph; every problem is listed.
 */
export function scenarioToSimInput(scenario: Scenario, workloads: LoadedManifests, opts: SimInputOptions): SimInput {
  assertNoManifestErrors(workloads, scenario.id);
  const problems: string[] = [];
  const warnings = [...workloads.warnings, ...unknownServiceReferences(podTemplates(workloads), workloads.services)];
  const services = new Set(workloads.services.map(objectRef));
  const deployments = new Map(workloads.deployments.map((d) => [objectRef(d), d] as const));
  const serviceList = [...services].sort(cmp).join(', ');
  const deploymentList = [...deployments.keys()].sort(cmp).join(', ');
  const needService = (path: string, name: string) => {
    if (!services.has(normalizeRef(name))) problems.push(`${path}: no Service "${name}" in the workloads (Services: ${serviceList || 'none'})`);
  };

  const nodes: NodeSpecInput[] = Array.isArray(scenario.cluster.nodes)
    ? scenario.cluster.nodes.map((n) => dropUndefined({ name: n.name, zone: n.zone, cpu: n.cpu, memory: n.memory, pods: n.pods }))
    : expandNodePool(scenario.cluster.nodes);
  const nodeNames = new Set<string>();
  for (const n of nodes) {
    if (nodeNames.has(n.name)) problems.push(`cluster.nodes: duplicate Node name "${n.name}"`);
    nodeNames.add(n.name);
  }
  const etcdMembers = scenario.cluster.etcdMembers ?? DEFAULT_ETCD_MEMBERS;
  if (new Set(etcdMembers).size !== etcdMembers.length) problems.push('cluster.etcdMembers: duplicate member names');

  needService('userFacingService', scenario.userFacingService);
  scenario.traffic.ingress?.forEach((e, i) => {
    needService(`traffic.ingress[${i}].service`, e.service);
    if (e.from !== undefined && !deployments.has(normalizeRef(e.from))) problems.push(`traffic.ingress[${i}].from: no Deployment "${e.from}" in the workloads (Deployments: ${deploymentList || 'none'})`);
  });
  const declaredGraph = scenario.traffic.callGraph;
  if (declaredGraph) {
    for (const [from, tos] of Object.entries(declaredGraph).sort(([a], [b]) => cmp(a, b))) {
      needService(`traffic.callGraph`, from);
      for (const to of tos) needService(`traffic.callGraph.${from}`, to);
    }
  }
  const callGraph = declaredGraph
    ? sortedRecord(Object.fromEntries(Object.entries(declaredGraph).map(([k, v]) => [normalizeRef(k), [...new Set(v.map(normalizeRef))].sort(cmp)])))
    : inferCallGraph(podTemplates(workloads), workloads.services);
  const optionalCalls = checkOptionalCalls(scenario, callGraph, services, needService, problems);
  const callPaths = checkCallPaths(scenario, callGraph, services, needService, problems);

  const images: Record<string, Partial<ImageProfile>> = Object.create(null);
  for (const [ref, p] of Object.entries(scenario.images)) images[ref] = dropUndefined({ ...p });
  const durationSeconds = opts.durationSeconds ?? scenario.match.durationSeconds;
  const ids = new Set<string>();
  const incidents: IncidentSpec[] = [];
  scenario.incidents.forEach((inc, i) => {
    const path = `incidents[${i}] (${inc.id})`;
    if (ids.has(inc.id)) problems.push(`${path}: duplicate incident id "${inc.id}"`);
    ids.add(inc.id);
    if (inc.at >= scenario.match.durationSeconds) problems.push(`${path}.at: ${inc.at} s is not before the end of the match (${scenario.match.durationSeconds} s)`);
    else if (inc.at >= durationSeconds) warnings.push(`incident "${inc.id}" at ${inc.at} s falls after the end of this ${durationSeconds} s run and will not happen`);
    const spec: IncidentSpec = { id: inc.id, type: inc.type, at: inc.at, target: '', params: {} };
    if (inc.title !== undefined) spec.title = inc.title;
    const declaration: IncidentDeclaration = incidentDeclarations[inc.type];
    switch (declaration.target) {
      case 'Deployment': {
        const target = inc.target as string;
        spec.target = normalizeRef(target);
        spec.params = dropUndefined({ ...inc.params });
        const d = deployments.get(spec.target);
        if (!d) {
          const bare = spec.target.slice(spec.target.indexOf('/') + 1);
          const elsewhere = workloads.deployments.find((x) => x.metadata.name === bare);
          problems.push(
            elsewhere
              ? `${path}.target: Deployment "${target}" is in namespace "${namespaceOf(elsewhere)}": write target: ${objectRef(elsewhere)}`
              : `${path}.target: no Deployment "${target}" in the workloads (Deployments: ${deploymentList})`,
          );
          break;
        }
        const problem = declaration.checkDeployment?.(inc.params, { target, containers: d.spec.template.spec.containers });
        if (problem) problems.push(`${path}.${problem.path}: ${problem.message}`);
        break;
      }
      case 'Node': {
        const target = inc.target as string;
        spec.target = target;
        spec.params = dropUndefined({ ...inc.params });
        if (!nodeNames.has(target)) problems.push(`${path}.target: no Node "${target}" in cluster.nodes (Nodes: ${[...nodeNames].join(', ')})`);
        break;
      }
      case 'Zone': {
        const target = inc.target as string;
        spec.target = target;
        spec.params = dropUndefined({ ...inc.params });
        const zones = [...new Set(nodes.map((n) => n.zone).filter((z): z is string => z !== undefined))].sort(cmp);
        if (!zones.includes(target)) problems.push(`${path}.target: no Node in zone "${target}" in cluster.nodes (zones: ${zones.join(', ')})`);
        break;
      }
      case 'EtcdMembers': {
        const listed = (inc.params as { members?: string[] }).members;
        const members = listed ?? (Array.isArray(inc.target) ? inc.target : inc.target.split(','));
        spec.target = members.join(',');
        spec.params = { ...dropUndefined({ ...inc.params }), members: [...members] };
        const unknown = members.filter((m) => !etcdMembers.includes(m));
        if (unknown.length > 0) problems.push(`${path}.target: no etcd member ${unknown.map((m) => `"${m}"`).join(', ')} (members: ${etcdMembers.join(', ')})`);
        const left = etcdMembers.length - new Set(members).size;
        if (unknown.length === 0 && left >= quorum(etcdMembers.length)) {
          problems.push(`${path}.target: stopping ${members.length} of ${etcdMembers.length} etcd members keeps quorum (${quorum(etcdMembers.length)}); stop at least ${etcdMembers.length - quorum(etcdMembers.length) + 1}`);
        }
        break;
      }
      case 'EtcdMember': {
        // Members whose loss keeps quorum (etcd-member-loss): known, and at least a quorum left.
        const listed = (inc.params as { members?: string[] }).members;
        const members = listed ?? (Array.isArray(inc.target) ? inc.target : inc.target.split(','));
        spec.target = members.join(',');
        spec.params = { ...dropUndefined({ ...inc.params }), members: [...members] };
        const unknown = members.filter((m) => !etcdMembers.includes(m));
        if (unknown.length > 0) problems.push(`${path}.target: no etcd member ${unknown.map((m) => `"${m}"`).join(', ')} (members: ${etcdMembers.join(', ')})`);
        const left = etcdMembers.length - new Set(members).size;
        if (unknown.length === 0 && left < quorum(etcdMembers.length)) {
          problems.push(`${path}.target: stopping ${members.length} of ${etcdMembers.length} etcd members loses quorum (${quorum(etcdMembers.length)}); stop at most ${etcdMembers.length - quorum(etcdMembers.length)} (or use etcd-quorum-loss)`);
        }
        break;
      }
      case 'KubeSystem': {
        // (added) A kube-system component: the kind's selector checks which; CoreDNS needs kube-system.
        const target = inc.target as string;
        spec.target = target;
        spec.params = dropUndefined({ ...inc.params });
        if (target === 'coredns' && scenario.cluster.kubeSystem === false) problems.push(`${path}.target: coredns needs the kube-system objects (cluster.kubeSystem is false)`);
        break;
      }
      default: {
        // A new target kind (shared/sim/incidents/targets.ts) needs its check here.
        const unhandled: never = declaration.target;
        throw new Error(`unhandled incident target kind ${String(unhandled)}`);
      }
    }
    incidents.push(spec);
  });

  const chaosIncidents = chaosToIncidents(scenario, { deployments: workloads.deployments, nodes, settings: { seed: opts.seed, tickSeconds: 1, durationSeconds: scenario.match.durationSeconds } }, problems, warnings);
  for (const inc of chaosIncidents) {
    if (ids.has(inc.id)) problems.push(`chaos: incident id "${inc.id}" is also an incident's id`);
    ids.add(inc.id);
    if (inc.at >= durationSeconds) warnings.push(`chaos incident "${inc.id}" at ${inc.at} s falls after the end of this ${durationSeconds} s run and will not happen`);
    incidents.push(inc);
  }

  if (problems.length > 0) throw new ScenarioError(`scenario "${scenario.id}" does not fit its workloads`, problems);

  const cap = capacityWarning(podTemplates(workloads), nodes);
  if (cap) warnings.push(cap);
  const input: SimInput = {
    scenarioId: scenario.id,
    settings: { seed: opts.seed, tickSeconds: opts.tickSeconds ?? scenario.match.tickSeconds ?? 1, durationSeconds },
    nodes,
    etcdMembers: [...etcdMembers],
    kubeSystem: scenario.cluster.kubeSystem ?? true,
    deployments: workloads.deployments,
    ...((workloads.workloads ?? []).length > 0 ? { workloads: workloads.workloads } : {}),
    ...((workloads.autoscalers ?? []).length > 0 ? { autoscalers: workloads.autoscalers } : {}),
    ...((workloads.jobs ?? []).length > 0 ? { jobs: workloads.jobs } : {}),
    ...((workloads.cronJobs ?? []).length > 0 ? { cronJobs: workloads.cronJobs } : {}),
    ...((workloads.policies ?? []).length > 0 ? { policies: workloads.policies } : {}),
    ...((workloads.priorityClasses ?? []).length > 0 ? { priorityClasses: workloads.priorityClasses } : {}),
    ...(workloads.configObjects ? { configObjects: workloads.configObjects } : {}),
    ...((workloads.persistentVolumeClaims ?? []).length > 0 ? { persistentVolumeClaims: workloads.persistentVolumeClaims } : {}),
    ...((workloads.configs ?? []).length > 0 ? { configs: workloads.configs } : {}),
    ...((workloads.pods ?? []).length > 0 ? { pods: workloads.pods } : {}),
    services: workloads.services,
    images: sortedRecord(images),
    callGraph,
    ingress: (scenario.traffic.ingress ?? [{ service: scenario.userFacingService, rps: scenario.traffic.rps }]).map((e) =>
      'from' in e && e.from !== undefined ? { service: normalizeRef(e.service), rps: e.rps, from: normalizeRef(e.from) } : { service: normalizeRef(e.service), rps: e.rps },
    ),
    rps: scenario.traffic.rps,
    userFacingService: normalizeRef(scenario.userFacingService),
    slo: { availability: scenario.slo.availability, latency: { ...scenario.slo.latency } },
    incidents,
    warnings,
  };
  if (optionalCalls) input.optionalCalls = optionalCalls;
  if (callPaths) input.callPaths = callPaths;
  if (scenario.defaultImage) input.defaultImage = dropUndefined({ ...scenario.defaultImage });
  if (scenario.alertTiers) input.alertTiers = scenario.alertTiers.map((t) => ({ ...t }));
  return input;
}

/**
 * A SimInput from manifests alone: no incidents, the default cluster ({@link defaultClusterNodes}, grown
 * by three Nodes at a time until requests fit in 80 % of it), the call graph inferred from env values,
 * the user-facing Service inferred (see inferUserFacingService), and a load and SLOs the workloads meet
 * when healthy: `rps` (default: at most {@link DEFAULT_RPS}, lowered so the busiest Service runs at 30 %
 * of its CPU capacity) and availability 99 % / 95 % of requests under a threshold of at least 300 ms
 * that grows with the depth of the call graph (capacity.ts `sizeLoad`).
 * @throws {ScenarioError} when the workloads have errors, no Deployment or no Service.
 */
export function manifestsOnlyInput(
  workloads: LoadedManifests,
  opts: SimInputOptions & { rps?: number; scenarioId?: string; source?: string },
): SimInput {
  assertNoManifestErrors(workloads, opts.source);
  const warnings = [...workloads.warnings, ...unknownServiceReferences(podTemplates(workloads), workloads.services)];
  const callGraph = inferCallGraph(podTemplates(workloads), workloads.services);
  const facing = inferUserFacingService(podTemplates(workloads), workloads.services, callGraph);
  if (!facing) throw new ScenarioError(`${opts.source ? `${opts.source}: ` : ''}no Service selects any Deployment: there is nothing to send traffic to`);
  if (!facing.reason.startsWith('behind')) warnings.push(`user-facing Service: "${facing.service}" (${facing.reason}); write a scenario to choose another`);
  let nodes = defaultClusterNodes();
  while (capacityWarning(podTemplates(workloads), nodes) && nodes.length < 60) nodes = defaultClusterNodes(nodes.length + 3);
  const cap = capacityWarning(podTemplates(workloads), nodes);
  if (cap) warnings.push(cap);
  const sizing = sizeLoad(facing.service, callGraph, podTemplates(workloads), workloads.services, opts.rps ?? DEFAULT_RPS);
  const rps = opts.rps ?? sizing.rps;
  return {
    scenarioId: opts.scenarioId ?? 'manifests',
    settings: { seed: opts.seed, tickSeconds: opts.tickSeconds ?? 1, durationSeconds: opts.durationSeconds ?? DEFAULT_MANIFESTS_DURATION_SECONDS },
    nodes,
    etcdMembers: [...DEFAULT_ETCD_MEMBERS],
    deployments: workloads.deployments,
    ...((workloads.workloads ?? []).length > 0 ? { workloads: workloads.workloads } : {}),
    ...((workloads.autoscalers ?? []).length > 0 ? { autoscalers: workloads.autoscalers } : {}),
    ...((workloads.jobs ?? []).length > 0 ? { jobs: workloads.jobs } : {}),
    ...((workloads.cronJobs ?? []).length > 0 ? { cronJobs: workloads.cronJobs } : {}),
    ...((workloads.policies ?? []).length > 0 ? { policies: workloads.policies } : {}),
    ...((workloads.priorityClasses ?? []).length > 0 ? { priorityClasses: workloads.priorityClasses } : {}),
    ...(workloads.configObjects ? { configObjects: workloads.configObjects } : {}),
    ...((workloads.persistentVolumeClaims ?? []).length > 0 ? { persistentVolumeClaims: workloads.persistentVolumeClaims } : {}),
    ...((workloads.configs ?? []).length > 0 ? { configs: workloads.configs } : {}),
    ...((workloads.pods ?? []).length > 0 ? { pods: workloads.pods } : {}),
    services: workloads.services,
    images: Object.create(null),
    callGraph,
    ingress: [{ service: facing.service, rps }],
    rps,
    userFacingService: facing.service,
    slo: { availability: DEFAULT_SLO.availability, latency: { thresholdMs: Math.max(DEFAULT_SLO.latency.thresholdMs, sizing.latencyThresholdMs), target: DEFAULT_SLO.latency.target } },
    incidents: [],
    warnings,
  };
}

/**
 * The incidents of the scenario's `chaos:` list (shared/chaos `translateChaos`, each entry at its `at`
 * with its `appinfo`; ids `chaos<N>-<name>-<k>`). Problems go to `problems` as `chaos[i]: ...`, the
 * translator's notes to `warnings`. No `chaos:` list: none (the incident list is unchanged).
 */
function chaosToIncidents(scenario: Scenario, cluster: Pick<SimInput, 'deployments' | 'nodes' | 'settings'>, problems: string[], warnings: string[]): IncidentSpec[] {
  const out: IncidentSpec[] = [];
  if (!scenario.chaos) return out;
  const facts = chaosClusterOf(cluster);
  scenario.chaos.forEach((entry, i) => {
    const source = `chaos[${i}].manifest`;
    if (entry.at >= scenario.match.durationSeconds) {
      problems.push(`chaos[${i}].at: ${entry.at} s is not before the end of the match (${scenario.match.durationSeconds} s)`);
      return;
    }
    try {
      const t = translateChaos(entry.manifest, source, facts, { at: entry.at, idPrefix: `chaos${i + 1}`, ...(entry.appinfo ? { appinfo: { ...entry.appinfo } } : {}) });
      out.push(...t.incidents);
      warnings.push(...t.notes.map((n) => `${source}: ${n}`));
    } catch (e) {
      if (!(e instanceof ChaosError)) throw e;
      problems.push(...(e.problems.length > 0 ? e.problems : [e.message]));
    }
  });
  return out;
}
