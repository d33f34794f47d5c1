/**
 * Operator commands on a Node's host, typed as `ssh NODE COMMAND` (the console does not open shells):
 * `ssh NODE sudo systemctl reboot` / `ssh NODE sudo reboot` -> the action `nodeOperation` op `reboot`
 * (shared/sim/actions/nodeReboot.ts: the machine is down 60-120 s, NotReady after the 50 s grace, then
 * Ready with its Pods' containers restarted). Read-only looks at the host (output, no action):
 * - `ssh NODE sudo journalctl -u kubelet [-n N] [--no-pager] [-f] [-xe]` (also `-xeu kubelet`): the
 *   kubelet unit's journal, {@link kubeletJournal};
 * - `ssh NODE sudo systemctl status kubelet`: the unit's state and its last journal lines;
 * - `ssh NODE sudo systemctl restart kubelet`: prints nothing, changes nothing in the sim: a restart
 *   with the same credentials comes back the same (an expired certificate stays expired; a healthy
 *   kubelet adopts its running containers). The console's `kubeadm kubeconfig user ...` installs a
 *   new kubelet.conf and restarts the kubelet itself (shared/sim/incidents/kubelet-cert-expiry.ts);
 * - `ssh NODE sudo openssl x509 -noout -enddate -in /var/lib/kubelet/pki/kubelet-client-current.pem`:
 *   the kubelet client certificate's notAfter;
 * - (issue 6) `ssh NODE sudo systemctl status containerd`: the container runtime's unit, `inactive
 *   (dead)` while the container-runtime-down incident stopped it; `ssh NODE sudo systemctl restart
 *   containerd` -> the action `adminCommand` `containerd-restart` (shared/sim/incidents/container-runtime-down.ts:
 *   the kubelet reports Ready ~10 s later). The kubelet's journal then also shows its failing runtime checks.
 * A Node whose machine is down (`sim.kubeletUp` false, not a kubelet that merely cannot authenticate)
 * answers `No route to host`. Anything else is refused with the list of what works.
 *
 * May import: ../sim/* (read only), ./parse.ts, ./index.ts (types).
 */
import { fnv1a64 } from '../sim/hash.ts';
import { KUBELET_EXIT_AFTER_SECONDS, KUBELET_RESTART_SEC, KUBELET_RESTART_SECONDS, kubeletCertRecord, kubeletCertState, type KubeletCertState } from '../sim/incidents/kubelet-cert-expiry.ts';
import { simTimestamp } from '../sim/names.ts';
import { runtimeDownRecord, runtimeDownMessage, RUNTIME_RECOVERY_SECONDS } from '../sim/incidents/container-runtime-down.ts';
import type { SimState } from '../sim/types.ts';
import type { KubectlResult } from './index.ts';
import { UsageError } from './parse.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** The kubelet client certificate's path (kubelet `--rotate-certificates`, kubeadm's kubelet.conf points at it). */
const KUBELET_CLIENT_PEM = '/var/lib/kubelet/pki/kubelet-client-current.pem';
/** Days a kubelet client certificate is valid (kubeadm / the CSR signer's default: one year). */
const CERT_DAYS = 365;
/** Lines `journalctl -u kubelet` prints without `-n` (the console keeps the last ones). */
const JOURNAL_MAX_LINES = 200;

/** Pieces of sim second `t`: month name, zero-padded day, `HH:MM:SS`, year, `MMDD` (klog). */
function when(t: number): { mon: string; dd: string; hms: string; y: string; mmdd: string; day: number } {
  const iso = simTimestamp(t);
  const mo = Number(iso.slice(5, 7));
  return { mon: MONTHS[mo - 1]!, dd: iso.slice(8, 10), hms: iso.slice(11, 19), y: iso.slice(0, 4), mmdd: iso.slice(5, 7) + iso.slice(8, 10), day: Number(iso.slice(8, 10)) };
}

/** Go's time.Time String of sim second `t` (`2025-01-01 00:00:30 +0000 UTC`). */
function goTime(t: number): string {
  const iso = simTimestamp(t);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}

/** A kubelet process id on `node` (the `k`th start after the first), deterministic. */
function pid(node: string, k: number): number {
  return 700 + (parseInt(fnv1a64(`kubelet-pid:${node}`).slice(-4), 16) % 2000) + 37 * k;
}

interface JournalLine {
  t: number;
  line: string;
}

/**
 * The kubelet unit's journal on `node` up to now (sim seconds; lines as journald prints them: `Jan 01
 * 00:00:30 node-a kubelet[1234]: E0101 00:00:30.000000    1234 file.go:N] msg`). A healthy kubelet
 * logs its registration; one whose client certificate expired ({@link kubeletCertRecord}) logs, every
 * 10 s, failed node status updates and Lease renewals (401 Unauthorized) and failed certificate
 * requests; 5 min after the expiry it exits ("No valid client certificate is found and the server is
 * responsive, exiting.", K pkg/kubelet/certificate/transport.go) and systemd restarts it every 10 s,
 * each start failing at bootstrap ("part of the existing bootstrap client certificate in
 * /etc/kubernetes/kubelet.conf is expired", kubernetes issue 98150); a new certificate
 * (`kubeadm kubeconfig user`) restarts it for good.
 */
export function kubeletJournal(state: SimState, node: string): string[] {
  const out: JournalLine[] = [];
  const perSecond = new Map<number, number>();
  const n = state.nodes[node]!;
  const klog = (t: number, level: 'I' | 'E' | 'W', k: number, src: string, msg: string) => {
    const w = when(t);
    const seq = perSecond.get(t) ?? 0; // increasing within a second
    perSecond.set(t, seq + 1);
    const us = String(Math.min(999_999, seq * 150_000 + (parseInt(fnv1a64(`us:${node}:${t}:${src}`).slice(-5), 16) % 140_000))).padStart(6, '0');
    const p = pid(node, k);
    out.push({ t, line: `${w.mon} ${w.dd} ${w.hms} ${node} kubelet[${p}]: ${level}${w.mmdd} ${w.hms}.${us} ${String(p).padStart(7)} ${src}] ${msg}` });
  };
  const systemd = (t: number, msg: string) => {
    const w = when(t);
    out.push({ t, line: `${w.mon} ${w.dd} ${w.hms} ${node} systemd[1]: ${msg}` });
  };
  const created = n.metadata.creationTimestamp;
  systemd(created, 'Started kubelet.service - kubelet: The Kubernetes Node Agent.');
  klog(created, 'I', 0, 'kubelet_node_status.go:79', `"Successfully registered node" node="${node}"`);
  const rec = kubeletCertRecord(state, node);
  if (rec !== null) failingKubelet(state, node, rec, klog, systemd);
  const rt = runtimeDownRecord(state, node);
  if (rt !== null) runtimeDownLines(state, node, rt.downAt, rt.restartedAt, klog);
  return out.filter((l) => l.t <= state.t).map((l, i) => ({ ...l, i })).sort((a, b) => a.t - b.t || a.i - b.i).map((l) => l.line);
}

function failingKubelet(
  state: SimState,
  node: string,
  rec: KubeletCertState,
  klog: (t: number, level: 'I' | 'E' | 'W', k: number, src: string, msg: string) => void,
  systemd: (t: number, msg: string) => void,
): void {
  const e = rec.expiredAt;
  const end = Math.min(state.t, rec.renewedAt ?? state.t);
  const exitAt = e + KUBELET_EXIT_AFTER_SECONDS;
  klog(e, 'I', 0, 'certificate_manager.go:356', 'kubernetes.io/kube-apiserver-client-kubelet: Current certificate is expired');
  for (let t = e; t < Math.min(end, exitAt); t += 10) {
    klog(t + 1, 'E', 0, 'kubelet_node_status.go:549', `"Error updating node status, will retry" err="error getting node \\"${node}\\": Unauthorized"`);
    klog(t + 4, 'E', 0, 'controller.go:145', '"Failed to ensure lease exists, will retry" err="Unauthorized" interval="7s"');
    if ((t - e) % 60 === 0) klog(t + 2, 'E', 0, 'certificate_manager.go:562', '"Unhandled Error" err="kubernetes.io/kube-apiserver-client-kubelet: Failed while requesting a signed certificate from the control plane: cannot create certificate signing request: Unauthorized" logger="UnhandledError"');
  }
  let k = 0;
  if (end >= exitAt) {
    klog(exitAt, 'E', 0, 'transport.go:123', `"No valid client certificate is found and the server is responsive, exiting." lastCertificateAvailabilityTime="${goTime(e)}" shutdownThreshold="5m0s"`);
    systemd(exitAt, 'kubelet.service: Main process exited, code=exited, status=1/FAILURE');
    systemd(exitAt, "kubelet.service: Failed with result 'exit-code'.");
    for (let t = exitAt + KUBELET_RESTART_SEC; t < end; t += KUBELET_RESTART_SEC) {
      k++;
      systemd(t, `kubelet.service: Scheduled restart job, restart counter is at ${k}.`);
      systemd(t, 'Started kubelet.service - kubelet: The Kubernetes Node Agent.');
      klog(t, 'E', k, 'bootstrap.go:266', `part of the existing bootstrap client certificate in /etc/kubernetes/kubelet.conf is expired: ${goTime(e)}`);
      klog(t, 'E', k, 'run.go:72', '"command failed" err="failed to run Kubelet: unable to load bootstrap kubeconfig: stat /etc/kubernetes/bootstrap-kubelet.conf: no such file or directory"');
      systemd(t, 'kubelet.service: Main process exited, code=exited, status=1/FAILURE');
      systemd(t, "kubelet.service: Failed with result 'exit-code'.");
    }
  }
  const r = rec.renewedAt;
  if (r === null || r > state.t) return;
  if (r < exitAt) {
    systemd(r, 'Stopping kubelet.service - kubelet: The Kubernetes Node Agent...');
    systemd(r, 'kubelet.service: Deactivated successfully.');
    systemd(r, 'Stopped kubelet.service - kubelet: The Kubernetes Node Agent.');
  }
  k++;
  systemd(r, 'Started kubelet.service - kubelet: The Kubernetes Node Agent.');
  klog(r + 1, 'I', k, 'certificate_store.go:130', `"Loading cert/key pair from a file" filePath="${KUBELET_CLIENT_PEM}"`);
  klog(r + KUBELET_RESTART_SECONDS, 'I', k, 'kubelet_node_status.go:76', `"Attempting to register node" node="${node}"`);
  klog(r + KUBELET_RESTART_SECONDS, 'I', k, 'kubelet_node_status.go:111', `"Node was previously registered" node="${node}"`);
}

/** containerd's socket error as the kubelet's CRI client logs it while containerd is stopped. */
const CRI_DIAL_ERROR = 'rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory\\"';

/**
 * The kubelet's lines while its container runtime is down (K pkg/kubelet/kubelet.go `updateRuntimeUp`,
 * `syncLoop`; kubelet_node_status.go): every 10 s (the journal keeps one line per check of two) the
 * failed runtime status and the skipped pod sync; "Node became not ready" at 30 s; after a restart of
 * containerd the Node Ready again.
 */
function runtimeDownLines(
  state: SimState,
  node: string,
  downAt: number,
  restartedAt: number | null,
  klog: (t: number, level: 'I' | 'E' | 'W', k: number, src: string, msg: string) => void,
): void {
  const upAt = restartedAt === null ? Infinity : restartedAt + RUNTIME_RECOVERY_SECONDS;
  const end = Math.min(state.t, upAt - 1);
  for (let t = downAt + 5; t <= end; t += 10) {
    klog(t, 'E', 0, 'log.go:32', `"Status from runtime service failed" err="${CRI_DIAL_ERROR}"`);
    klog(t, 'E', 0, 'kubelet.go:3002', `"Container runtime sanity check failed" err="${CRI_DIAL_ERROR}"`);
    if (t - downAt >= 30) klog(t + 1, 'E', 0, 'kubelet.go:2412', '"Skipping pod synchronization" err="container runtime is down"');
  }
  const notReadyAt = downAt + 30;
  if (notReadyAt <= end) klog(notReadyAt, 'I', 0, 'setters.go:600', `"Node became not ready" node="${node}" condition={"type":"Ready","status":"False","reason":"KubeletNotReady","message":"${runtimeDownMessage(30)!}"}`);
  if (upAt <= state.t) klog(upAt, 'I', 0, 'kubelet_node_status.go:724', `"Recording event message for node" node="${node}" event="NodeReady"`);
}

/** `journalctl ...` flags after the command: the unit (must be kubelet) and `-n`. @throws UsageError. */
function journalctl(state: SimState, node: string, args: string[]): string {
  let unit: string | undefined;
  let lines: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`journalctl: option '${a}' requires an argument`);
      return v;
    };
    if (a === '--no-pager' || a === '-f' || a === '--follow' || a === '-e' || a === '--pager-end' || a === '-x' || a === '--catalog' || a === '-xe' || a === '-ex') continue;
    if (a === '-u' || a === '--unit' || /^-[xef]+u$/.test(a)) unit = value();
    else if (a.startsWith('--unit=')) unit = a.slice('--unit='.length);
    else if (a === '-n' || a === '--lines') lines = Number(value());
    else if (a.startsWith('--lines=')) lines = Number(a.slice('--lines='.length));
    else if (/^-n\d+$/.test(a)) lines = Number(a.slice(2));
    else throw new UsageError(`journalctl: the console reads the kubelet unit only: ssh ${node} sudo journalctl -u kubelet [-n N] --no-pager`);
  }
  if (unit === undefined || (unit !== 'kubelet' && unit !== 'kubelet.service')) throw new UsageError(`journalctl: the console holds the kubelet unit's journal only: ssh ${node} sudo journalctl -u kubelet --no-pager`);
  if (lines !== undefined && (!Number.isInteger(lines) || lines < 0)) throw new UsageError('journalctl: Failed to parse lines');
  const all = kubeletJournal(state, node);
  return all.slice(Math.max(0, all.length - (lines ?? JOURNAL_MAX_LINES))).join('\n');
}

/** `systemctl status kubelet`: loaded, drop-in, active or auto-restarting, the last 10 journal lines. */
function systemctlStatus(state: SimState, node: string): string {
  const cert = kubeletCertState(state, node);
  const exitAt = cert === null ? Infinity : cert.expiredAt + KUBELET_EXIT_AFTER_SECONDS;
  // Crash-looping once the kubelet exited, until a new certificate restarts it for good.
  const failing = cert !== null && cert.renewedAt === null && state.t >= exitAt;
  const renewedAt = kubeletCertRecord(state, node)?.renewedAt ?? null;
  const since = failing ? state.t - ((state.t - exitAt) % KUBELET_RESTART_SEC) // the last failed start
    : renewedAt !== null && renewedAt <= state.t ? renewedAt
    : state.nodes[node]!.metadata.creationTimestamp;
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const iso = simTimestamp(since);
  const stamp = `${days[(3 + Math.floor(Math.max(0, since) / 86400)) % 7]} ${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC; ${Math.max(0, Math.floor((state.t - since) / 60))}min ago`; // SIM_EPOCH 2025-01-01 was a Wednesday
  const active = failing ? `activating (auto-restart) (Result: exit-code) since ${stamp}` : `active (running) since ${stamp}`;
  return [
    '● kubelet.service - kubelet: The Kubernetes Node Agent',
    '     Loaded: loaded (/usr/lib/systemd/system/kubelet.service; enabled; preset: enabled)',
    '    Drop-In: /usr/lib/systemd/system/kubelet.service.d',
    '             └─10-kubeadm.conf',
    `     Active: ${active}`,
    '       Docs: https://kubernetes.io/docs/',
    '',
    ...kubeletJournal(state, node).slice(-10),
  ].join('\n');
}

/** openssl's date (`Jan  1 00:00:30 2026 GMT`) of sim second `t`. */
function opensslDate(t: number): string {
  const w = when(t);
  return `${w.mon} ${String(w.day).padStart(2)} ${w.hms} ${w.y} GMT`;
}

/** `openssl x509 -noout -enddate -in /var/lib/kubelet/pki/kubelet-client-current.pem`. @throws UsageError. */
function opensslEnddate(state: SimState, node: string, args: string[]): string {
  const inAt = args.indexOf('-in');
  const file = inAt >= 0 ? args[inAt + 1] : undefined;
  if (file !== KUBELET_CLIENT_PEM || !args.includes('-enddate')) throw new UsageError(`error: the console reads the kubelet client certificate only: ssh ${node} sudo openssl x509 -noout -enddate -in ${KUBELET_CLIENT_PEM}`);
  const rec = kubeletCertRecord(state, node);
  const issued = rec === null ? state.nodes[node]!.metadata.creationTimestamp : rec.renewedAt !== null && state.t >= rec.renewedAt ? rec.renewedAt : null;
  return `notAfter=${opensslDate(issued === null ? rec!.expiredAt : issued + CERT_DAYS * 86400)}`;
}

/** A read-only host command on `node` (`cmd` without `sudo`), or undefined when it is not one. */
function hostCommand(state: SimState, node: string, cmd: string[]): string | undefined {
  const [tool, ...rest] = cmd;
  if (tool === 'journalctl') return journalctl(state, node, rest);
  if (tool === 'systemctl' && rest.length === 2 && (rest[1] === 'kubelet' || rest[1] === 'kubelet.service')) {
    if (rest[0] === 'status') return systemctlStatus(state, node);
    if (rest[0] === 'restart') return '';
  }
  if (tool === 'openssl' && rest[0] === 'x509') return opensslEnddate(state, node, rest.slice(1));
  if (tool === 'systemctl' && rest.length === 2 && rest[0] === 'status' && (rest[1] === 'containerd' || rest[1] === 'containerd.service')) return containerdStatus(state, node);
  return undefined;
}

/** `systemctl status containerd`: active (running), or inactive (dead) since the runtime went down. */
function containerdStatus(state: SimState, node: string): string {
  const rt = runtimeDownRecord(state, node);
  const down = rt !== null && rt.restartedAt === null;
  const since = down ? rt.downAt : rt?.restartedAt ?? state.nodes[node]!.metadata.creationTimestamp;
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const iso = simTimestamp(since);
  const stamp = `${days[(3 + Math.floor(Math.max(0, since) / 86400)) % 7]} ${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC; ${Math.max(0, Math.floor((state.t - since) / 60))}min ago`;
  const w = when(since);
  return [
    '● containerd.service - containerd container runtime',
    '     Loaded: loaded (/usr/lib/systemd/system/containerd.service; enabled; preset: enabled)',
    `     Active: ${down ? `inactive (dead) since ${stamp}` : `active (running) since ${stamp}`}`,
    '       Docs: https://containerd.io',
    ...(down ? ['', `${w.mon} ${w.dd} ${w.hms} ${node} systemd[1]: Stopping containerd.service - containerd container runtime...`, `${w.mon} ${w.dd} ${w.hms} ${node} systemd[1]: containerd.service: Deactivated successfully.`, `${w.mon} ${w.dd} ${w.hms} ${node} systemd[1]: Stopped containerd.service - containerd container runtime.`] : []),
  ].join('\n');
}

const REBOOTS = new Set(['sudo systemctl reboot', 'sudo reboot', 'systemctl reboot', 'reboot', 'sudo shutdown -r now', 'sudo /sbin/reboot']);

/** Runs `ssh ...` (`words` after `ssh`). @throws UsageError with ssh's text for a bad line. */
export function runSsh(state: SimState, words: string[]): KubectlResult {
  const args = words.filter((w) => w !== '-t' && w !== '-tt');
  const host = args[0];
  if (host === undefined) throw new UsageError('usage: ssh NODE sudo systemctl reboot');
  const node = host.includes('@') ? host.slice(host.indexOf('@') + 1) : host;
  if (!Object.hasOwn(state.nodes, node)) throw new UsageError(`ssh: Could not resolve hostname ${node}: Name or service not known`);
  const cmd = args.slice(1).join(' ').replace(/^--\s*/, '');
  if (cmd === '') throw new UsageError(`error: the console cannot open an interactive shell on ${node}; run one command: ssh ${node} sudo systemctl reboot`);
  if (REBOOTS.has(cmd)) return { kind: 'action', action: { type: 'nodeOperation', op: 'reboot', node } };
  const parts = cmd.split(/\s+/);
  const onHost = parts[0] === 'sudo' ? parts.slice(1) : parts;
  if (onHost.length === 3 && onHost[0] === 'systemctl' && (onHost[1] === 'restart' || onHost[1] === 'start') && (onHost[2] === 'containerd' || onHost[2] === 'containerd.service')) {
    if (!state.nodes[node]!.sim.kubeletUp && kubeletCertState(state, node) === null) throw new UsageError(`ssh: connect to host ${node} port 22: No route to host`);
    return { kind: 'action', action: { type: 'adminCommand', command: 'containerd-restart', arg: node } };
  }
  if (['journalctl', 'systemctl', 'openssl'].includes(onHost[0] ?? '')) {
    if (!state.nodes[node]!.sim.kubeletUp && kubeletCertState(state, node) === null) throw new UsageError(`ssh: connect to host ${node} port 22: No route to host`);
    const out = hostCommand(state, node, onHost);
    if (out !== undefined) return { kind: 'output', output: out };
  }
  throw new UsageError(`error: the console runs only "sudo systemctl reboot", "sudo journalctl -u kubelet", "sudo systemctl status|restart kubelet", "sudo systemctl status|restart containerd" and "sudo openssl x509 -noout -enddate -in ${KUBELET_CLIENT_PEM}" on a node's host (ssh ${node} sudo systemctl reboot)`);
}

/**
 * `gameday-ops node replace NODE`: the game's operator command for the cloud's "recreate this machine"
 * (not kubectl: labelled `gameday-ops` so nobody mistakes it for a real tool) -> `nodeOperation`
 * `replace` (shared/sim/actions/nodeReboot.ts: drain, delete, a new machine joins ~3 min later).
 * @throws UsageError for anything else.
 */
export function runOps(state: SimState, words: string[]): KubectlResult {
  const [what, verb, node, ...rest] = words;
  if (what !== 'node' || verb !== 'replace' || node === undefined || rest.length > 0) throw new UsageError('usage: gameday-ops node replace NODE   (drain, delete the Node, a new machine joins the same zone ~3 min later)');
  if (!Object.hasOwn(state.nodes, node)) throw new UsageError(`Error from server (NotFound): nodes "${node}" not found`);
  return { kind: 'action', action: { type: 'nodeOperation', op: 'replace', node } };
}
