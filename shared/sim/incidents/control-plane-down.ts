/**
 * `control-plane-down`: kube-scheduler or kube-controller-manager stops on every control-plane host
 * because its static Pod manifest (/etc/kubernetes/manifests/kube-scheduler.yaml) was edited with a
 * typo'd flag (a hardening change pushed by configuration management, a manual edit during an
 * upgrade): the process exits at once with `Error: unknown flag: --<flag>`, the kubelet restarts it
 * with the crash-loop back-off (10 s doubling to 300 s), and the mirror Pods show `CrashLoopBackOff`.
 * Nothing renews the component's Lease (`kubectl get lease -n kube-system`: its renewTime stops) and
 * its loops stop (shared/sim/controllers/etcd.ts, shared/sim/kubeSystem.ts):
 * - kube-scheduler: new Pods stay `Pending` with no event at all (no `Scheduled`, no `FailedScheduling`:
 *   nobody looks at them);
 * - kube-controller-manager: ReplicaSets are not reconciled (a deleted or evicted Pod is not replaced,
 *   rollouts and `kubectl scale` do nothing), Nodes are not marked NotReady, endpoints are not updated.
 * Running Pods keep serving: the SLI drops only once Pods need replacing.
 *
 * Sources: W concepts/workloads/pods (static Pods: "the kubelet ... restarts it"; the API's mirror Pod
 * cannot control it), W tasks/configure-pod-container/static-pod, kubeadm's "kubeadm init phase
 * control-plane" (https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-init-phase/#cmd-phase-control-plane),
 * client-go leaderelection (kubernetes-behaviour.md §6).
 *
 * Params (schema and defaults: {@link controlPlaneDown}`.params`): `flag` (the typo'd flag, default
 * `leader-elect-lease-duraton`).
 *
 * Fix: restore the manifest on the control-plane hosts — `kubeadm init phase control-plane scheduler`
 * (or `controller-manager`) writes it again from the kubeadm configuration; the kubelet starts the
 * process, which takes the Lease back (its previous one expired long ago). Deleting the mirror Pod
 * (`kubectl delete pod kube-scheduler-<host> -n kube-system`) does NOT help: the kubelet runs the
 * static Pod from the file and only mirrors it again. Mitigated once the component holds its Lease.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { holdsLease } from '../controllers/etcd.ts';
import { defineIncident } from './module.ts';
import { kubeSystemTarget } from './targets.ts';

/** The `control-plane-down` incident (see the module doc). */
export const controlPlaneDown = defineIncident({
  kind: 'control-plane-down',
  params: z.strictObject({
    flag: z.string().regex(/^[a-z][a-z0-9-]*$/).max(63).default('leader-elect-lease-duraton').describe("The typo'd flag written into the static Pod manifest (without the leading --)."),
  }),
  target: kubeSystemTarget('control-plane-down', ['kube-scheduler', 'kube-controller-manager'], 'kube-scheduler'),
  title: (spec) => `${spec.target === '' ? 'kube-scheduler' : spec.target} down: its static Pod crash-loops`,
  describe: (spec) => `a broken static Pod manifest stops ${spec.target || 'kube-scheduler'} on every control-plane host`,
  symptoms: [
    'kubectl get pods -n kube-system shows kube-scheduler-<host> (or kube-controller-manager-<host>) CrashLoopBackOff with climbing restarts on every control-plane host; describe shows Last State Terminated, Reason Error, Exit Code 1, and BackOff events',
    'kube-scheduler down: new Pods stay Pending with no events at all (no Scheduled, no FailedScheduling)',
    'kube-controller-manager down: deleted or evicted Pods are not replaced, kubectl scale and rollouts change nothing, Nodes are not marked NotReady',
    'the component no longer renews its Lease in kube-system; running Pods keep serving until some need replacing',
  ],
  remediations: [
    { summary: "Write the scheduler's static Pod manifest again on the control-plane hosts (the kubelet restarts it; deleting the mirror Pod does not)", command: 'kubeadm init phase control-plane scheduler' },
    { summary: "Or, for kube-controller-manager, its manifest", command: 'kubeadm init phase control-plane controller-manager' },
  ],
  start(state: SimState, inc: IncidentState, { params, target }) {
    if (state.controlPlane.staticPods !== true) return { ok: false, retry: false, error: 'the cluster has no control-plane static Pods (cluster.kubeSystem: false)' };
    const cp = state.controlPlane;
    if (cp.brokenStaticPods?.[target] !== undefined) return { ok: false, retry: false, error: `${target} is already down` };
    cp.brokenStaticPods = { ...(cp.brokenStaticPods ?? {}), [target]: { since: state.t, reason: `Error: unknown flag: --${params.flag}` } };
    inc.data['component'] = target;
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const c = inc.data['component'];
    if (c !== 'kube-scheduler' && c !== 'kube-controller-manager') return true;
    return state.controlPlane.brokenStaticPods?.[c] === undefined && holdsLease(state, c);
  },
});
