/**
 * kube-system's health as the map shows it: the room counts healthy kube-system Pods per owner
 * (`TeamView.system`: `control-plane` = the control-plane static Pods, `coredns`, `kube-proxy`) and
 * sends the unhealthy ones as Pods (their tiles on their Node, or in the lane for Pods off the worker
 * Nodes: the control-plane hosts are not Nodes of the map). This file turns the counts into the
 * control-plane panel's `kube-system` line and names that lane. Pure.
 *
 * May import shared/protocol.ts types.
 */
import type { PodView, TeamView } from '../../../shared/protocol.ts';

/** One owner's kube-system Pods: Running of all (`coredns 2/2`), healthy when all of them run. */
export interface SystemRow {
  /** The owner (`control-plane`, `coredns`, `kube-proxy`...). */
  name: string;
  /** What the line shows: `control plane 12/12`, `coredns 1/2`. */
  text: string;
  /** Pods in Running (display status). */
  running: number;
  /** All the owner's Pods. */
  total: number;
  healthy: boolean;
}

/** The owners' rows, by owner name (the map's order). */
export function systemRows(team: Pick<TeamView, 'system'>): SystemRow[] {
  const rows: SystemRow[] = [];
  for (const [key, s] of [...team.system].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    let total = 0;
    for (const n of s.podsByStatus.values()) total += n;
    const running = s.podsByStatus.get('Running') ?? 0;
    const name = s.name || key;
    rows.push({ name, text: `${name === 'control-plane' ? 'control plane' : name} ${running}/${total}`, running, total, healthy: running === total });
  }
  return rows;
}

/**
 * The panel's line: `kube-system: control plane 12/12 · coredns 2/2 · kube-proxy 6/6`, healthy when
 * every owner's Pods run; '' when the cluster has no kube-system Pods.
 */
export function systemLine(team: Pick<TeamView, 'system'>): { text: string; healthy: boolean } {
  const rows = systemRows(team);
  if (rows.length === 0) return { text: '', healthy: true };
  return { text: `kube-system: ${rows.map((r) => (r.healthy ? r.text : `✖ ${r.text}`)).join(' · ')}`, healthy: rows.every((r) => r.healthy) };
}

/**
 * Title and hint of the lane of Pods that are on no worker Node: Pending Pods waiting for the
 * scheduler, or (when every Pod there names a host) unhealthy control-plane static Pods on their
 * control-plane hosts.
 */
export function laneTitle(pods: readonly PodView[]): { title: string; hint: string } {
  if (pods.length > 0 && pods.every((p) => p.node !== '')) return { title: 'control-plane hosts', hint: 'kube-system static Pods' };
  return { title: 'Pending · no node', hint: 'waiting for the scheduler' };
}
