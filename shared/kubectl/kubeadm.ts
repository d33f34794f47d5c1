/**
 * `kubeadm` on the control plane, the commands an operator runs there during the incidents the sim
 * models (shared/sim/actions/admin.ts applies them):
 * - `kubeadm init phase control-plane scheduler|controller-manager` writes that component's static Pod
 *   manifest again (https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-init-phase/#cmd-phase-control-plane);
 *   the console runs it on every control-plane host;
 * - `kubeadm kubeconfig user --org system:nodes --client-name system:node:NODE` issues a new kubelet
 *   client certificate for NODE (the kubeadm troubleshooting guide's fix for an expired kubelet client
 *   certificate: https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/troubleshooting-kubeadm/#kubelet-client-cert);
 *   the console copies it to the Node's /etc/kubernetes/kubelet.conf and restarts the kubelet.
 *
 * May import: ../sim/types.ts, ./index.ts (types), ./parse.ts.
 */
import type { SimState } from '../sim/types.ts';
import type { KubectlResult } from './index.ts';
import { UsageError, parseArgs, type FlagDef } from './parse.ts';

const FLAGS: FlagDef[] = [
  { name: 'config', value: true },
  { name: 'org', value: true },
  { name: 'client-name', value: true },
  { name: 'v', value: true },
];

const USAGE = 'Available: kubeadm init phase control-plane scheduler|controller-manager, kubeadm kubeconfig user --org system:nodes --client-name system:node:NODE';

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
