/**
 * `kubelet-cert-expiry`: the target Node's kubelet client certificate (`O=system:nodes,
 * CN=system:node:<node>`, in /etc/kubernetes/kubelet.conf or /var/lib/kubelet/pki/kubelet-client-current.pem)
 * expired and its rotation failed (a kubeadm control-plane host whose kubelet.conf embeds the cert
 * and is never rotated, kubeadm issue 1753; a Node that was off when its rotation was due; a clock
 * jump). The kubelet keeps running, but the API server refuses every request it makes (the API server
 * logs `"Unable to authenticate the request" err="[x509: certificate has expired or is not yet valid:
 * current time ... is after ...]"`; the kubelet sees `401 Unauthorized`): it cannot renew its Lease or
 * post node status (`"Error updating node status, will retry" err="error getting node \"<node>\":
 * Unauthorized"`), and its certificate manager cannot get a new one (`cannot create certificate
 * signing request: Unauthorized`). Five minutes after the certificate became unusable, with the server
 * responsive, the kubelet exits (K pkg/kubelet/certificate/transport.go, `exitAfter` 5m: "No valid
 * client certificate is found and the server is responsive, exiting."); systemd restarts it every 10 s
 * and each start fails at bootstrap ("part of the existing bootstrap client certificate in
 * /etc/kubernetes/kubelet.conf is expired", no bootstrap-kubelet.conf after the join). The journal
 * lines are the console's (shared/kubectl/ssh.ts `ssh NODE journalctl -u kubelet`).
 *
 * To the control plane this is a Node that stopped heartbeating, so the node lifecycle controller does
 * what it does for any silent Node (./node-failure.ts, ./zone-partition.ts; kubernetes-behaviour.md §3):
 * after the 50 s node-monitor grace period `Ready=Unknown` ("Kubelet stopped posting node status.",
 * `NodeNotReady`), the `node.kubernetes.io/unreachable` NoSchedule / NoExecute taints, its Pods not
 * Ready (out of the EndpointSlices), and after their 300 s toleration the Pods are marked for deletion
 * (Terminating: the kubelet cannot confirm) while their ReplicaSets replace them elsewhere.
 *
 * (issue 6) The kubelet is cut off, not down (`node.sim.silentSince`; `kubeletUp` stays true): its
 * containers keep serving the requests routed to them until the Node controller marks the Pods not
 * Ready (they leave the endpoints 50 s in), the kubelet starts, stops and probes nothing meanwhile
 * (it learns of no change: evicted Pods stay Terminating), and when the kubelet is back it adopts the
 * running containers (no restart, RESTARTS unchanged; ../controllers/nodeLifecycle.ts `lostRunning`).
 *
 * Sources: kubeadm "Certificate Management" (https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/,
 * "kubelet.conf is not included in the list above because kubeadm configures kubelet for automatic
 * certificate renewal"), kubeadm troubleshooting "Kubelet client certificate rotation fails"
 * (https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/troubleshooting-kubeadm/#kubelet-client-cert),
 * kubernetes issues 65991, 98150, 69576.
 *
 * Params (schema and defaults: {@link kubeletCertExpiry}`.params`): `nodes` (further Nodes whose
 * certificates expired at the same moment: Nodes that joined together).
 *
 * Fix: issue a new kubelet client certificate from a control-plane host with the CA key
 * (`kubeadm kubeconfig user --org system:nodes --client-name system:node:<node>`); the console copies
 * it to the Node's /etc/kubernetes/kubelet.conf and restarts the kubelet (the admin hook registered
 * below, shared/sim/actions/admin.ts): the kubelet is back {@link KUBELET_RESTART_SECONDS} later and the
 * Node turns Ready, taints removed. Or replace the Node (`gameday-ops node replace`: a new machine
 * joins with a fresh certificate), or drain it so its Pods run elsewhere. Mitigated when every targeted
 * Node is Ready again, or when none of its former Pods is Ready and every Deployment that had Pods
 * there is fully available again.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { markDirty } from '../apiserver.ts';
import { getIndex, podOwnerKey, rsOwnerKey, sortedKeys } from '../cache.ts';
import { recordEvent } from '../events.ts';
import { registerAdminCommand } from '../actions/admin.ts';
import { reject, type Handled } from '../actions/handler.ts';
import { defineIncident } from './module.ts';
import { dnsLabel } from './params.ts';
import { nodeTarget } from './targets.ts';

/**
 * Sim seconds from `kubeadm kubeconfig user ...` (the console copies kubelet.conf and runs
 * `systemctl restart kubelet`) to the kubelet posting node status again: its start, loading the new
 * client certificate, the first status update.
 */
export const KUBELET_RESTART_SECONDS = 10;

/**
 * Sim seconds after the certificate became unusable at which the kubelet exits (the server answers,
 * the certificate stays unusable): `exitAfter` of K pkg/kubelet/certificate/transport.go (5m).
 */
export const KUBELET_EXIT_AFTER_SECONDS = 300;

/** systemd `RestartSec=10` of the kubelet unit kubeadm installs (10-kubeadm.conf), sim seconds. */
export const KUBELET_RESTART_SEC = 10;

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** What the console shows about a Node whose kubelet client certificate expired (see {@link kubeletCertState}). */
export interface KubeletCertState {
  /** Sim second the certificate expired (its notAfter). */
  expiredAt: number;
  /**
   * Sim second a new certificate was installed and the kubelet restarted (`kubeadm kubeconfig user`),
   * or null while none was. Its kubelet posts status again from `renewedAt + KUBELET_RESTART_SECONDS`.
   */
  renewedAt: number | null;
}

/** The kubelet-cert-expiry incidents that ever started (active or mitigated), in state order. */
function started(state: SimState): IncidentState[] {
  return state.incidents.filter((i) => i.spec.type === 'kubelet-cert-expiry' && (i.status === 'active' || i.status === 'mitigated') && i.data['error'] === undefined);
}

/** `renewals` entries are `NODE@SECOND` (sim seconds). */
function renewalOf(inc: IncidentState, node: string): number | null {
  for (const r of strings(inc.data['renewals'])) {
    const at = r.lastIndexOf('@');
    if (r.slice(0, at) === node) return Number(r.slice(at + 1));
  }
  return null;
}

/**
 * The last kubelet client certificate expiry of `node` (own keys only) while it is the same machine (a
 * replaced Node joined with a fresh certificate), renewed or not: what the console's journal and
 * openssl show (shared/kubectl/ssh.ts). Null when no `kubelet-cert-expiry` incident expired it. O(incidents).
 */
export function kubeletCertRecord(state: SimState, node: string): KubeletCertState | null {
  const n = Object.hasOwn(state.nodes, node) ? state.nodes[node] : undefined;
  if (!n) return null;
  let last: KubeletCertState | null = null;
  for (const inc of started(state)) {
    const i = strings(inc.data['nodes']).indexOf(node);
    if (i < 0 || strings(inc.data['uids'])[i] !== n.metadata.uid) continue;
    const expiredAt = inc.data['expiredAt'];
    if (typeof expiredAt !== 'number') continue;
    if (last === null || expiredAt >= last.expiredAt) last = { expiredAt, renewedAt: renewalOf(inc, node) };
  }
  return last;
}

/**
 * The kubelet client certificate state of `node` while its kubelet cannot authenticate (the
 * certificate expired and no new one is in use yet: none issued, or the kubelet still restarting);
 * null for a healthy certificate. O(incidents).
 */
export function kubeletCertState(state: SimState, node: string): KubeletCertState | null {
  const r = kubeletCertRecord(state, node);
  return r !== null && (r.renewedAt === null || state.t < r.renewedAt + KUBELET_RESTART_SECONDS) ? r : null;
}

/** base64 of `-----BEGIN CERTIFICATE-----\nMII` / `-----BEGIN RSA PRIVATE KEY-----\nMIIE`: how the PEM data fields start. */
const PEM_CERT = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSU';
const PEM_KEY = 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlF';

/** A deterministic base64-looking PEM blob starting with `prefix` (the console holds no real keys). */
function blob(seed: string, n: number, prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let h = 0x811c9dc5;
  let out = prefix;
  for (let i = 0; out.length < n; i++) {
    h = Math.imul(h ^ (seed.charCodeAt(i % seed.length) + i), 0x01000193) >>> 0;
    out += alphabet[h % 64];
  }
  return out;
}

/**
 * `kubeadm kubeconfig user --org system:nodes --client-name system:node:NODE` (admin command
 * `kubeadm-kubelet-cert`, arg NODE): prints the kubeconfig with a new client certificate (kubeadm's
 * output); the console installs it as the Node's /etc/kubernetes/kubelet.conf and restarts its kubelet.
 * On a Node whose certificate expired the kubelet posts status again {@link KUBELET_RESTART_SECONDS}
 * later (the incident's `update`). Rejected: no NODE, or no such Node.
 */
function kubeadmKubeletCert(state: SimState, arg: string | undefined): Handled {
  if (arg === undefined || arg === '') return reject('error: required flag(s) "client-name" not set');
  const node = Object.hasOwn(state.nodes, arg) ? state.nodes[arg] : undefined; // own keys only
  if (!node) return reject(`error: node "${arg}" not found`);
  const user = `system:node:${arg}`;
  let note = `# installed as ${arg}:/etc/kubernetes/kubelet.conf; systemctl restart kubelet`;
  const cert = kubeletCertState(state, arg);
  if (cert !== null && cert.renewedAt === null) {
    for (const inc of started(state)) {
      const i = strings(inc.data['nodes']).indexOf(arg);
      if (i < 0 || strings(inc.data['uids'])[i] !== node.metadata.uid || renewalOf(inc, arg) !== null) continue;
      inc.data['renewals'] = [...strings(inc.data['renewals']), `${arg}@${state.t}`];
    }
    note += ` (the kubelet posts node status in ~${KUBELET_RESTART_SECONDS}s)`;
  }
  const seed = `${arg}:${state.t}`;
  const message = [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${blob(`ca:${arg}`, 88, PEM_CERT)}`,
    '    server: https://10.0.0.10:6443',
    '  name: kubernetes',
    'contexts:',
    '- context:',
    '    cluster: kubernetes',
    `    user: ${user}`,
    `  name: ${user}@kubernetes`,
    `current-context: ${user}@kubernetes`,
    'kind: Config',
    'preferences: {}',
    'users:',
    `- name: ${user}`,
    '  user:',
    `    client-certificate-data: ${blob(`crt:${seed}`, 88, PEM_CERT)}`,
    `    client-key-data: ${blob(`key:${seed}`, 88, PEM_KEY)}`,
    note,
  ].join('\n');
  return {
    result: { ok: true, message, completesAt: state.t + (cert !== null ? KUBELET_RESTART_SECONDS : 0) },
  };
}

registerAdminCommand('kubeadm-kubelet-cert', kubeadmKubeletCert);

/** The `kubelet-cert-expiry` incident (see the module doc). */
export const kubeletCertExpiry = defineIncident({
  kind: 'kubelet-cert-expiry',
  params: z.strictObject({
    nodes: z
      .array(dnsLabel())
      .max(50)
      .default([])
      .describe('Further Nodes whose kubelet client certificates expired at the same moment (Nodes that joined together); the target is always one.'),
  }),
  target: nodeTarget,
  title: (spec) => `Kubelet client certificate expired on ${spec.target}`,
  describe: () => 'the kubelet can no longer authenticate to the API server (its client certificate expired)',
  symptoms: [
    'after about 50 s kubectl get nodes shows the Node NotReady; describe node: Ready Unknown, NodeStatusUnknown "Kubelet stopped posting node status.", taint node.kubernetes.io/unreachable',
    'its pods turn 0/1 (out of the endpoints); after the 300 s toleration they show Terminating and replacements start on the other Nodes if they fit',
    'ssh <node> sudo journalctl -u kubelet: "Error updating node status, will retry" err="error getting node ...: Unauthorized"; after 5 min "No valid client certificate is found and the server is responsive, exiting." and, every 10 s, "part of the existing bootstrap client certificate in /etc/kubernetes/kubelet.conf is expired"',
    'ssh <node> sudo openssl x509 -noout -enddate -in /var/lib/kubelet/pki/kubelet-client-current.pem: notAfter in the past; kubeadm certs check-expiration does not list the kubelet certificate',
  ],
  remediations: [
    { summary: 'Issue a new kubelet client certificate from a control-plane host; the console installs it as the Node\'s /etc/kubernetes/kubelet.conf and restarts the kubelet', command: 'kubeadm kubeconfig user --org system:nodes --client-name system:node:<node>' },
    { summary: 'Or drain the Node so its pods run elsewhere (then replace the machine: gameday-ops node replace <node>)', command: 'kubectl drain <node> --ignore-daemonsets --delete-emptydir-data' },
  ],
  start(state: SimState, inc: IncidentState, { params, target: { name } }) {
    const names = [...new Set([name, ...params.nodes])];
    for (const n of names) {
      const node = Object.hasOwn(state.nodes, n) ? state.nodes[n] : undefined; // own keys only
      if (!node) return { ok: false, retry: false, error: `node ${n} not found` };
      if (!node.sim.kubeletUp || node.sim.silentSince !== undefined) return { ok: false, retry: false, error: `node ${n} is down` };
      if (kubeletCertState(state, n) !== null) return { ok: false, retry: false, error: `the kubelet certificate of node ${n} has already expired` };
    }
    const idx = getIndex(state);
    const pods: string[] = [];
    const deployments = new Set<string>();
    for (const n of names) {
      const node = state.nodes[n]!;
      node.sim.silentSince = state.t; // to the control plane: a kubelet that stopped heartbeating; its containers run on
      markDirty(state, 'nodes', n);
      for (const key of sortedKeys(idx.podsByNode.get(n))) {
        const pod = state.pods[key];
        if (!pod || pod.spec.nodeName !== n) continue;
        pods.push(key);
        const rsKey = podOwnerKey(pod);
        const rs = rsKey ? state.replicaSets[rsKey] : undefined;
        const d = rs ? rsOwnerKey(rs) : '';
        if (d) deployments.add(d);
      }
    }
    inc.data['nodes'] = names;
    inc.data['uids'] = names.map((n) => state.nodes[n]!.metadata.uid);
    inc.data['expiredAt'] = state.t;
    inc.data['renewals'] = [];
    inc.data['pods'] = pods.sort();
    inc.data['deployments'] = [...deployments].sort();
    return { ok: true };
  },
  outlivesMitigation: true, // a drained Node still has its expired certificate: renewing it later brings it back
  update(state: SimState, inc: IncidentState): void {
    const nodes = strings(inc.data['nodes']);
    const uids = strings(inc.data['uids']);
    nodes.forEach((name, i) => {
      const at = renewalOf(inc, name);
      const node = Object.hasOwn(state.nodes, name) ? state.nodes[name] : undefined;
      if (at === null || state.t < at + KUBELET_RESTART_SECONDS || !node || node.metadata.uid !== uids[i] || node.sim.silentSince === undefined) return;
      delete node.sim.silentSince;
      markDirty(state, 'nodes', name);
      recordEvent(state, 'Normal', 'Starting', { kind: 'Node', name, namespace: '' }, 'Starting kubelet.', 'kubelet');
    });
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const nodes = strings(inc.data['nodes']);
    if (nodes.every((n) => {
      const node = Object.hasOwn(state.nodes, n) ? state.nodes[n] : undefined;
      return node !== undefined && node.sim.kubeletUp && node.sim.silentSince === undefined && kubeletCertState(state, n) === null && node.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
    })) return true;
    for (const key of strings(inc.data['pods'])) if (state.pods[key]?.sim.ready) return false;
    for (const key of strings(inc.data['deployments'])) {
      const d = state.deployments[key];
      if (d && d.status.availableReplicas < d.spec.replicas) return false;
    }
    return true;
  },
});
