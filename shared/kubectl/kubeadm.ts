/**
 * `kubeadm` on the control plane, the commands an operator runs there during the incidents the sim
 * models (shared/sim/actions/admin.ts applies them):
 * - `kubeadm init phase control-plane scheduler|controller-manager` writes that component's static Pod
 *   manifest again (https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-init-phase/#cmd-phase-control-plane);
 *   the console runs it on every control-plane host;
 * - `kubeadm kubeconfig user --org system:nodes --client-name system:node:NODE` issues a new kubelet
 *   client certificate for NODE (the kubeadm troubleshooting guide's fix for an expired kubelet client
 *   certificate: https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/troubleshooting-kubeadm/#kubelet-client-cert);
 *   the console copies it to the Node's /etc/kubernetes/kubelet.conf and restarts the kubelet;
 * - `kubeadm certs check-expiration`: the control-plane certificates and CAs kubeadm manages, with
 *   their expiry (output only). As in kubeadm, the kubelet's client certificate is not listed ("kubelet.conf
 *   is not included in the list above because kubeadm configures kubelet for automatic certificate
 *   renewal": https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/): the table
 *   looks healthy while a Node's kubelet certificate expired. The cluster's leaf certificates were
 *   renewed by a `kubeadm upgrade` 30 days before sim second 0 (one year each), its CAs are ten years old.
 *   (issue 6) A certificate renewed since (`controlPlane.certRenewedAt`) expires a year after its renewal;
 *   the `apiserver` one expired by the apiserver-cert-expiry incident shows its notAfter, `<invalid>`;
 * - (issue 6) `kubeadm certs renew NAME|all` -> `adminCommand` `kubeadm-certs-renew` (handler and output:
 *   shared/sim/incidents/apiserver-cert-expiry.ts): a new leaf certificate valid one year.
 *
 * May import: ../sim/types.ts, ../sim/names.ts, ../sim/incidents/apiserver-cert-expiry.ts (the leaf
 * list, read only), ./index.ts (types), ./parse.ts.
 */
import { simTimestamp } from '../sim/names.ts';
import { KUBEADM_LEAVES } from '../sim/incidents/apiserver-cert-expiry.ts';
import type { SimState } from '../sim/types.ts';
import type { KubectlResult } from './index.ts';
import { UsageError, parseArgs, type FlagDef } from './parse.ts';

const FLAGS: FlagDef[] = [
  { name: 'config', value: true },
  { name: 'org', value: true },
  { name: 'client-name', value: true },
  { name: 'v', value: true },
];

const USAGE = 'Available: kubeadm init phase control-plane scheduler|controller-manager, kubeadm kubeconfig user --org system:nodes --client-name system:node:NODE, kubeadm certs check-expiration, kubeadm certs renew NAME|all';

const DAY = 86400;
/** Sim second the control-plane leaf certificates expire (issued 30 days before sim second 0, one year). */
const LEAF_EXPIRES = (365 - 30) * DAY;
/** Sim second the CAs expire (ten years after the cluster's creation, 30 days before sim second 0). */
const CA_EXPIRES = (3652 - 30) * DAY;
/** Days a renewed leaf certificate is valid (kubeadm's `certificateValidityPeriod` default, 8760h). */
const LEAF_DAYS = 365;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's `Jan 02, 2006 15:04 MST` of sim second `t`. */
function expires(t: number): string {
  const iso = simTimestamp(t);
  return `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(8, 10)}, ${iso.slice(0, 4)} ${iso.slice(11, 16)} UTC`;
}

/** apimachinery's `duration.ShortHumanDuration` of the time left (`<invalid>` once expired). */
function residual(seconds: number): string {
  if (seconds < 0) return '<invalid>';
  const hours = Math.floor(seconds / 3600);
  if (seconds < 60) return `${Math.floor(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}

function pad(cells: string[][]): string[] {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('').trimEnd());
}

/** `kubeadm certs check-expiration` (see the module doc). */
function checkExpiration(state: SimState): string {
  const cp = state.controlPlane;
  const notAfter = (name: string): number => {
    const renewed = cp.certRenewedAt?.[name];
    if (name === 'apiserver' && cp.apiserverCertExpiredAt !== undefined && (renewed === undefined || renewed < cp.apiserverCertExpiredAt)) return cp.apiserverCertExpiredAt;
    return renewed !== undefined ? renewed + LEAF_DAYS * DAY : LEAF_EXPIRES;
  };
  const leaves = pad([['CERTIFICATE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY', 'EXTERNALLY MANAGED'], ...KUBEADM_LEAVES.map(([name, ca]) => [name, expires(notAfter(name)), residual(notAfter(name) - state.t), ca, 'no'])]);
  const cas = pad([['CERTIFICATE AUTHORITY', 'EXPIRES', 'RESIDUAL TIME', 'EXTERNALLY MANAGED'], ...['ca', 'etcd-ca', 'front-proxy-ca'].map((ca) => [ca, expires(CA_EXPIRES), residual(CA_EXPIRES - state.t), 'no'])]);
  return [
    '[check-expiration] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...',
    "[check-expiration] Use 'kubeadm init phase upload-config --config your-config.yaml' to re-upload it.",
    '',
    ...leaves,
    '',
    ...cas,
  ].join('\n');
}

/**
 * Runs a kubeadm line (the words after `kubeadm`).
 * @throws UsageError for unknown sub-commands and arguments (kubeadm's text).
 */
export function runKubeadm(state: SimState, words: string[]): KubectlResult {
  const args = parseArgs(words, FLAGS);
  const p = args.positional;
  if (p[0] === 'init' && p[1] === 'phase' && p[2] === 'control-plane') {
    const what = p[3];
    if (what === 'scheduler' || what === 'controller-manager') return { kind: 'action', action: { type: 'adminCommand', command: 'kubeadm-control-plane', arg: what } };
    throw new UsageError(`error: kubeadm init phase control-plane ${what ?? ''}: this console regenerates "scheduler" or "controller-manager"`.replace('  ', ' '));
  }
  if (p[0] === 'certs' && p[1] === 'check-expiration' && p.length === 2) return { kind: 'output', output: checkExpiration(state) };
  if (p[0] === 'certs' && p[1] === 'renew') {
    const what = p[2];
    if (p.length !== 3 || what === undefined || (what !== 'all' && !KUBEADM_LEAVES.some((l) => l[0] === what))) {
      throw new UsageError(`error: kubeadm certs renew needs one certificate: all, ${KUBEADM_LEAVES.map((l) => l[0]).join(', ')}`);
    }
    return { kind: 'action', action: { type: 'adminCommand', command: 'kubeadm-certs-renew', arg: what } };
  }
  if (p[0] === 'kubeconfig' && p[1] === 'user') {
    const client = args.flags['client-name'];
    if (typeof client !== 'string' || client === '') throw new UsageError('error: required flag(s) "client-name" not set');
    const m = /^system:node:([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(client);
    if (!m || args.flags['org'] !== 'system:nodes') throw new UsageError('error: a kubelet client certificate needs --org system:nodes --client-name system:node:NODE');
    const node = m[1]!;
    if (!Object.hasOwn(state.nodes, node)) throw new UsageError(`error: node "${node}" not found`);
    return { kind: 'action', action: { type: 'adminCommand', command: 'kubeadm-kubelet-cert', arg: node } };
  }
  throw new UsageError(`unknown command "${p.join(' ')}" for "kubeadm"\n${USAGE}`);
}
