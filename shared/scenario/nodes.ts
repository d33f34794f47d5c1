/**
 * Worker Nodes of a scenario: expanding a node pool, the default cluster used with `--manifests` alone,
 * and a capacity check of the workloads' resource requests against the Nodes (the scheduler places pods
 * by requests, not usage: kubernetes pkg/scheduler/framework/plugins/noderesources/fit.go).
 *
 * Pure and deterministic. Units: millicores, MiB.
 */
import type { DeploymentManifest, NodeSpecInput } from '../sim/types.ts';
import { parseCpuMillicores, parseMemoryMiB } from '../manifests/quantity.ts';

/** A pool of identical Nodes as written in a scenario (see NodePoolSchema). */
export interface NodePool {
  count: number;
  zones: string[];
  cpu: string;
  memory: string;
  pods?: number;
  namePrefix?: string;
}

/** Short zone tag used in node names: the part after the last `-` (`europe-west1-a` -> `a`). */
function zoneTag(zone: string): string {
  const tag = zone.slice(zone.lastIndexOf('-') + 1).toLowerCase().replace(/[^a-z0-9]/g, '');
  return tag || 'z';
}

/**
 * Nodes of a pool, spread round-robin over the zones in order: with zones `[…-a, …-b, …-c]` and
 * prefix `node`, the names are node-a1, node-b1, node-c1, node-a2, ... When two zones share a tag the
 * zone's index is used instead (`node-z0-1`).
 */
export function expandNodePool(pool: NodePool): NodeSpecInput[] {
  const prefix = pool.namePrefix ?? 'node';
  const tags = pool.zones.map(zoneTag);
  const unique = new Set(tags).size === tags.length;
  const nodes: NodeSpecInput[] = [];
  for (let i = 0; i < pool.count; i++) {
    const z = i % pool.zones.length;
    const n = Math.floor(i / pool.zones.length) + 1;
    const name = unique ? `${prefix}-${tags[z]}${n}` : `${prefix}-z${z}-${n}`;
    const node: NodeSpecInput = { name, zone: pool.zones[z]!, cpu: pool.cpu, memory: pool.memory };
    if (pool.pods !== undefined) node.pods = pool.pods;
    nodes.push(node);
  }
  return nodes;
}

/** Zones of the default cluster. */
export const DEFAULT_ZONES = ['zone-a', 'zone-b', 'zone-c'];

/**
 * The cluster used when only manifests are given: `count` Nodes (default 6) of 4 CPU / 16Gi in three
 * zones (zone-a, zone-b, zone-c), named node-a1, node-b1, node-c1, node-a2...
 */
export function defaultClusterNodes(count = 6): NodeSpecInput[] {
  return expandNodePool({ count, zones: DEFAULT_ZONES, cpu: '4', memory: '16Gi' });
}

/**
 * Total requests of all replicas: per container `requests`, or `limits` when requests are unset
 * (Kubernetes defaults requests to limits: pkg/apis/core/v1/defaults.go `SetDefaults_Container`).
 * Replicas default to 1.
 */
export function totalRequests(deployments: readonly DeploymentManifest[]): { cpuMilli: number; memMiB: number } {
  let cpuMilli = 0;
  let memMiB = 0;
  for (const d of deployments) {
    const replicas = d.spec.replicas ?? 1;
    for (const c of d.spec.template.spec.containers) {
      const cpu = c.resources?.requests?.cpu ?? c.resources?.limits?.cpu;
      const mem = c.resources?.requests?.memory ?? c.resources?.limits?.memory;
      if (cpu !== undefined) cpuMilli += replicas * parseCpuMillicores(cpu);
      if (mem !== undefined) memMiB += replicas * parseMemoryMiB(mem);
    }
  }
  return { cpuMilli, memMiB };
}

/** Sum of Node capacity. */
export function totalCapacity(nodes: readonly NodeSpecInput[]): { cpuMilli: number; memMiB: number } {
  return nodes.reduce((acc, n) => ({ cpuMilli: acc.cpuMilli + parseCpuMillicores(n.cpu), memMiB: acc.memMiB + parseMemoryMiB(n.memory) }), { cpuMilli: 0, memMiB: 0 });
}

/**
 * A warning when the workloads request more than `maxShare` (default 0.8) of the cluster's CPU or
 * memory, so pods would stay Pending (`FailedScheduling ... Insufficient cpu`) or have no room to move
 * when a Node fails; null when they fit.
 */
export function capacityWarning(deployments: readonly DeploymentManifest[], nodes: readonly NodeSpecInput[], maxShare = 0.8): string | null {
  const need = totalRequests(deployments);
  const have = totalCapacity(nodes);
  const cpuShare = have.cpuMilli > 0 ? need.cpuMilli / have.cpuMilli : Infinity;
  const memShare = have.memMiB > 0 ? need.memMiB / have.memMiB : Infinity;
  if (cpuShare <= maxShare && memShare <= maxShare) return null;
  return `the workloads request ${need.cpuMilli}m CPU and ${Math.round(need.memMiB)}Mi memory, ${Math.round(cpuShare * 100)} % and ${Math.round(memShare * 100)} % of the ${nodes.length} Nodes' capacity: some pods may stay Pending`;
}
