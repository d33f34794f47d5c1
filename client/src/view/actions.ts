/**
 * What the context panel offers for the selected thing, and the kubectl command each click is
 * equivalent to (shown next to the button so players learn the CLI). Pure.
 *
 * Actions are the protocol's {@link ActionMessage}s (shared/protocol.ts). Availability follows
 * Kubernetes: cordon only a schedulable node, uncordon only a cordoned one (`spec.unschedulable`,
 * W architecture/nodes.md); restore only an unhealthy etcd member.
 */
import { objectKey, type ActionMessage, type TeamView } from '../../../shared/protocol.ts';
import { fnv1a64 } from '../../../shared/sim/hash.ts';

/**
 * The thing the player selected on the map or in a list. `name` is its key in the team's maps: a
 * Node's or etcd member's name, a Pod's or Deployment's `namespace/name`.
 */
export type Selection =
  | { kind: 'pod'; name: string }
  | { kind: 'node'; name: string }
  | { kind: 'deployment'; name: string }
  | { kind: 'etcd'; name: string };

/** A value the player must type before the action can be sent (replicas, a memory limit). */
export interface ActionInput {
  label: string;
  /** Pre-filled value. */
  initial: string;
  /**
   * `number`: a whole number 0..1000; `quantity`: a Kubernetes memory quantity (`512Mi`, `1Gi`);
   * (added) `text`: free text checked by the option's `build` (`KEY=VALUE`, `NAME=URL`).
   */
  type: 'number' | 'quantity' | 'text';
}

/** One button of the context panel: what it does, to what, and how to build its protocol message. */
export interface ActionOption {
  /** Stable id, e.g. `pod:delete`, `deployment:scale`. */
  id: string;
  /** Button text, e.g. `Rollout undo`. */
  label: string;
  /** Object the action targets, e.g. `deployment/frontend`. */
  target: string;
  /** The value to ask for before sending, when the action needs one. */
  input?: ActionInput;
  /** Destructive or disruptive (drawn red, asks nothing more: the game is about acting under pressure). */
  danger?: boolean;
  /**
   * Build the message from the typed input (ignored when there is none).
   * @throws Error with a player-facing message when the input is invalid.
   */
  build(input?: string): ActionMessage;
}

function parseReplicas(input: string | undefined): number {
  const text = (input ?? '').trim();
  if (!/^\d+$/.test(text)) throw new Error('replicas must be a whole number');
  const n = Number(text);
  if (n > 1000) throw new Error('replicas must be at most 1000');
  return n;
}

function parseMemory(input: string | undefined): string {
  const text = (input ?? '').trim();
  if (!/^[0-9.]+(Ki|Mi|Gi|Ti|K|M|G|T)?$/.test(text)) throw new Error('expected a memory quantity such as 512Mi or 1Gi');
  return text;
}

/** (added) `KEY=VALUE` (or `KEY-` to remove) for `set env`; the key a C identifier like kubectl wants. */
function parseEnv(input: string | undefined): { name: string; value: string | null } {
  const text = (input ?? '').trim();
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*)|(-))$/.exec(text);
  if (!m) throw new Error('expected KEY=VALUE (or KEY- to remove it)');
  return { name: m[1]!, value: m[3] === '-' ? null : m[2]! };
}

/** (added) `NAME=https://IP:2380` for `etcdctl member add`. */
function parseMemberAdd(input: string | undefined): { member: string; peerUrl: string } {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)=(https?:\/\/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}:\d{1,5})$/.exec((input ?? '').trim());
  if (!m) throw new Error('expected NAME=https://IP:2380');
  return { member: m[1]!, peerUrl: m[3]! };
}

/** How an action names an object: its name in `default` (like kubectl without `-n`), else `namespace/name`. */
function refOf(namespace: string, name: string): string {
  return namespace === 'default' ? name : objectKey(namespace, name);
}

function deploymentActions(team: TeamView, key: string): ActionOption[] {
  const d = team.deployments.get(key);
  const name = d ? refOf(d.namespace, d.name) : key;
  const target = `deployment/${name}`;
  return [
    {
      id: 'deployment:scale',
      label: 'Scale',
      target,
      input: { label: 'replicas', initial: String(d?.replicas ?? 1), type: 'number' },
      build: (input) => ({ type: 'scaleDeployment', deployment: name, replicas: parseReplicas(input) }),
    },
    { id: 'deployment:undo', label: 'Rollout undo', target, build: () => ({ type: 'rolloutUndo', deployment: name }) },
    { id: 'deployment:restart', label: 'Rollout restart', target, build: () => ({ type: 'rolloutRestart', deployment: name }) },
    {
      id: 'deployment:memory',
      label: 'Set memory limit',
      target,
      input: { label: 'memory limit', initial: d?.memoryLimit || '512Mi', type: 'quantity' },
      build: (input) => ({ type: 'setResources', deployment: name, limits: { memory: parseMemory(input) } }),
    },
  ];
}

/**
 * (added) The etcd member ID etcdctl prints for a member of the original cluster (shared/sim/actions/
 * etcdMembership.ts `memberIdOf`: an added member has its own, which `etcdctl member list` shows).
 */
export function etcdMemberIdGuess(name: string): string {
  return fnv1a64(`etcd-member:${name}`);
}

/**
 * The actions available for a selection, in display order. A pod also gets its Deployment's actions.
 *
 * @returns an empty list when the selected object is not in the team's state (it went away).
 */
export function actionsFor(selection: Selection, team: TeamView): ActionOption[] {
  switch (selection.kind) {
    case 'pod': {
      const pod = team.pods.get(selection.name);
      if (!pod) return [];
      const ref = refOf(pod.namespace, pod.name);
      const target = `pod/${ref}`;
      const own: ActionOption[] = [
        { id: 'pod:delete', label: 'Delete pod', target, danger: true, build: () => ({ type: 'deletePod', pod: ref }) },
      ];
      if (pod.status === 'Terminating') {
        own.push({ id: 'pod:force-delete', label: 'Force delete', target, danger: true, build: () => ({ type: 'deletePod', pod: ref, force: true }) });
      }
      const owner = pod.deployment ? objectKey(pod.namespace, pod.deployment) : '';
      return owner && team.deployments.has(owner) ? [...own, ...deploymentActions(team, owner)] : own;
    }
    case 'node': {
      const node = team.nodes.get(selection.name);
      if (!node) return [];
      const target = `node/${node.name}`;
      const cordon: ActionOption = node.unschedulable
        ? { id: 'node:uncordon', label: 'Uncordon', target, build: () => ({ type: 'uncordonNode', node: node.name }) }
        : { id: 'node:cordon', label: 'Cordon', target, build: () => ({ type: 'cordonNode', node: node.name }) };
      return [cordon, { id: 'node:drain', label: 'Drain', target, danger: true, build: () => ({ type: 'drainNode', node: node.name }) }];
    }
    case 'deployment':
      return team.deployments.has(selection.name) ? deploymentActions(team, selection.name) : [];
    case 'etcd': {
      const member = team.etcd.find((m) => m.name === selection.name);
      if (!member || member.healthy) return [];
      return [{ id: 'etcd:restore', label: 'Restore member', target: `etcd/${member.name}`, build: () => ({ type: 'restoreEtcdMember', member: member.name }) }];
    }
  }
}

/** (added) The Deployment remediations of the newer incident kinds (issue 7). */
function deploymentRemediations(team: TeamView, key: string): ActionOption[] {
  const d = team.deployments.get(key);
  const name = d ? refOf(d.namespace, d.name) : key;
  const target = `deployment/${name}`;
  return [
    { id: 'deployment:pause', label: 'Rollout pause', target, build: () => ({ type: 'pauseRollout', deployment: name, paused: true }) },
    { id: 'deployment:resume', label: 'Rollout resume', target, build: () => ({ type: 'pauseRollout', deployment: name, paused: false }) },
    {
      id: 'deployment:env',
      label: 'Set env',
      target,
      input: { label: 'KEY=VALUE', initial: '', type: 'text' },
      build: (input) => ({ type: 'setEnv', deployment: name, env: [parseEnv(input)] }),
    },
    {
      // `kubectl autoscale` names the HPA after the Deployment: patch that one
      id: 'deployment:hpa-max',
      label: 'HPA max replicas',
      target: `hpa/${name}`,
      input: { label: 'maxReplicas', initial: String(Math.max(1, (d?.replicas ?? 1) * 2)), type: 'number' },
      build: (input) => {
        const n = parseReplicas(input);
        if (n < 1) throw new Error('maxReplicas must be at least 1');
        return { type: 'patchAutoscaler', hpa: name, maxReplicas: n };
      },
    },
  ];
}

/**
 * (added, issue 7) The remediations of the newer incident kinds, offered after {@link actionsFor}'s
 * (client/src/ui/contextPanel.ts shows both): a Deployment's (and a Pod's owner's) `rollout pause` /
 * `resume`, `set env KEY=VALUE`, the HPA's `maxReplicas` (`kubectl patch hpa NAME`, the HPA
 * `kubectl autoscale` names after the Deployment); a Node's reboot (`ssh NODE sudo systemctl reboot`) and replacement (`gameday-ops node replace NODE`); an etcd member that is down can be removed (`etcdctl
 * member remove ID`, the replacement of a permanently failed member) and, while the cluster has an
 * even member count (one was removed), a member added (`etcdctl member add NAME --peer-urls=URL`).
 * Each maps to the same action as its console line (shared/kubectl/equivalent.ts prints it).
 */
export function remediationActionsFor(selection: Selection, team: TeamView): ActionOption[] {
  switch (selection.kind) {
    case 'pod': {
      const pod = team.pods.get(selection.name);
      const owner = pod?.deployment ? objectKey(pod.namespace, pod.deployment) : '';
      return owner && team.deployments.has(owner) ? deploymentRemediations(team, owner) : [];
    }
    case 'deployment':
      return team.deployments.has(selection.name) ? deploymentRemediations(team, selection.name) : [];
    case 'node': {
      // (added) the operator's reboot of the machine (`ssh NODE sudo systemctl reboot`)
      const node = team.nodes.get(selection.name);
      if (!node) return [];
      return [
        { id: 'node:reboot', label: 'Reboot', target: `node/${node.name}`, danger: true, build: () => ({ type: 'nodeOperation', op: 'reboot', node: node.name }) },
        { id: 'node:replace', label: 'Replace', target: `node/${node.name}`, danger: true, build: () => ({ type: 'nodeOperation', op: 'replace', node: node.name }) },
      ];
    }
    case 'etcd': {
      const member = team.etcd.find((m) => m.name === selection.name);
      if (!member) return [];
      const names = new Set(team.etcd.map((m) => m.name));
      let free = 0;
      while (names.has(`etcd-${free}`)) free++;
      const add: ActionOption[] = team.etcd.length % 2 === 0 ? [{
        id: 'etcd:add',
        label: 'Add member',
        target: 'etcd',
        input: { label: 'NAME=peer URL', initial: `etcd-${free}=https://10.0.0.${10 + free}:2380`, type: 'text' },
        build: (input) => ({ type: 'etcdMember', op: 'add', ...parseMemberAdd(input) }),
      }] : [];
      if (member.healthy) return add;
      return [
        { id: 'etcd:remove', label: 'Remove member', target: `etcd/${member.name}`, danger: true, build: () => ({ type: 'etcdMember', op: 'remove', member: etcdMemberIdGuess(member.name) }) },
        ...add,
      ];
    }
  }
}

/** The console command equivalent to an action: shared/kubectl/equivalent.ts. */
export { kubectlEquivalent } from '../../../shared/kubectl/equivalent.ts';
