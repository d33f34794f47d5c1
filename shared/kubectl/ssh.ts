/**
 * Operator commands on a Node's host, typed as `ssh NODE COMMAND` (the console does not open shells):
 * `ssh NODE sudo systemctl reboot` / `ssh NODE sudo reboot` -> the action `nodeOperation` op `reboot`
 * (shared/sim/actions/nodeReboot.ts: the machine is down 60-120 s, NotReady after the 50 s grace, then
 * Ready with its Pods' containers restarted). Anything else is refused with the list of what works.
 *
 * May import: ../sim/* (read only), ./parse.ts, ./index.ts (types).
 */
import type { SimState } from '../sim/types.ts';
import type { KubectlResult } from './index.ts';
import { UsageError } from './parse.ts';

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
  throw new UsageError(`error: the console runs only "sudo systemctl reboot" on a node's host (ssh ${node} sudo systemctl reboot)`);
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
