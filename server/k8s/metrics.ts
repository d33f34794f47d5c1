/**
 * `/metrics` of a team cluster (`GET /k8s/MATCH/TEAM/metrics`, authenticated like the API): the
 * Prometheus text exposition format written by prom-client, with kube-state-metrics names and labels
 * (https://github.com/kubernetes/kube-state-metrics/tree/main/docs/metrics) and the match's SLIs.
 *
 * Series: `kube_pod_status_phase{namespace,pod,phase}` (1 for the Pod's phase, 0 for the others),
 * `kube_pod_container_status_restarts_total{namespace,pod,container}`,
 * `kube_deployment_spec_replicas` / `kube_deployment_status_replicas_available{namespace,deployment}`,
 * `kube_node_status_condition{node,condition,status}`, `kube_node_spec_unschedulable{node}`,
 * `etcd_server_has_leader`, and `gameday_slo_good_total` / `gameday_slo_valid_total{slo}` (cumulative
 * events since the match started: Prometheus computes SLIs and burn rates from them with `rate()`),
 * `gameday_sli{slo}`, `gameday_slo_target{slo}`, `gameday_error_budget_remaining{slo}` (1 = untouched),
 * `gameday_sim_seconds` (the cluster's clock, sim seconds). A fresh registry per scrape: values are the
 * cluster's now.
 *
 * May import: prom-client, shared/sim/types.ts.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { SimState } from '../../shared/sim/types.ts';

const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
const CONDITION_STATUSES = ['true', 'false', 'unknown'] as const;

/** The exposition text and its content type for `state`. */
export async function clusterMetrics(state: SimState): Promise<{ contentType: string; text: string }> {
  const registers = [new Registry()];
  const reg = registers[0]!;
  const podPhase = new Gauge({ name: 'kube_pod_status_phase', help: 'The pods current phase.', labelNames: ['namespace', 'pod', 'phase'], registers });
  const restarts = new Counter({ name: 'kube_pod_container_status_restarts_total', help: 'The number of container restarts per container.', labelNames: ['namespace', 'pod', 'container'], registers });
  const specReplicas = new Gauge({ name: 'kube_deployment_spec_replicas', help: 'Number of desired pods for a deployment.', labelNames: ['namespace', 'deployment'], registers });
  const available = new Gauge({ name: 'kube_deployment_status_replicas_available', help: 'The number of available replicas per deployment.', labelNames: ['namespace', 'deployment'], registers });
  const nodeCondition = new Gauge({ name: 'kube_node_status_condition', help: 'The condition of a cluster node.', labelNames: ['node', 'condition', 'status'], registers });
  const unschedulable = new Gauge({ name: 'kube_node_spec_unschedulable', help: 'Whether a node can schedule new pods.', labelNames: ['node'], registers });
  const hasLeader = new Gauge({ name: 'etcd_server_has_leader', help: 'Whether or not a leader exists. 1 is existence, 0 is not.', registers });
  const good = new Counter({ name: 'gameday_slo_good_total', help: 'Good events of the SLI since the match started.', labelNames: ['slo'], registers });
  const valid = new Counter({ name: 'gameday_slo_valid_total', help: 'Valid events of the SLI since the match started.', labelNames: ['slo'], registers });
  const sli = new Gauge({ name: 'gameday_sli', help: 'The SLI over the match so far, 0..1.', labelNames: ['slo'], registers });
  const target = new Gauge({ name: 'gameday_slo_target', help: 'The SLO target, 0..1.', labelNames: ['slo'], registers });
  const budget = new Gauge({ name: 'gameday_error_budget_remaining', help: 'Share of the error budget left (1 untouched, below 0 overspent).', labelNames: ['slo'], registers });
  const clock = new Gauge({ name: 'gameday_sim_seconds', help: 'The cluster clock, sim seconds since the match started.', registers });

  for (const key of Object.keys(state.pods).sort()) {
    const pod = state.pods[key]!;
    const { namespace, name } = pod.metadata;
    for (const phase of PHASES) podPhase.set({ namespace, pod: name, phase }, pod.status.phase === phase ? 1 : 0);
    for (const c of pod.status.containerStatuses) restarts.inc({ namespace, pod: name, container: c.name }, c.restartCount);
  }
  for (const key of Object.keys(state.deployments).sort()) {
    const d = state.deployments[key]!;
    const labels = { namespace: d.metadata.namespace, deployment: d.metadata.name };
    specReplicas.set(labels, d.spec.replicas);
    available.set(labels, d.status.availableReplicas);
  }
  for (const name of Object.keys(state.nodes).sort()) {
    const n = state.nodes[name]!;
    for (const c of n.status.conditions) {
      for (const status of CONDITION_STATUSES) nodeCondition.set({ node: name, condition: c.type, status }, c.status.toLowerCase() === status ? 1 : 0);
    }
    unschedulable.set({ node: name }, n.spec.unschedulable ? 1 : 0);
  }
  hasLeader.set(state.controlPlane.etcd.leader !== null ? 1 : 0);
  for (const s of [state.slos.availability, state.slos.latency]) {
    good.inc({ slo: s.name }, s.good);
    valid.inc({ slo: s.name }, s.valid);
    sli.set({ slo: s.name }, s.sli);
    target.set({ slo: s.name }, s.target);
    budget.set({ slo: s.name }, s.errorBudgetRemaining);
  }
  clock.set(state.t);
  return { contentType: reg.contentType, text: await reg.metrics() };
}
