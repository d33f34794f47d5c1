/** Action -> console command text (the inverse of the console's parser for player actions). Pure. */
import type { DeletableKind, PatchableKind, SimAction } from '../sim/types.ts';
import { commandWord, kindOf } from '../sim/kinds/index.ts';

/**
 * The console command equivalent to an action (what a player would type; the grammar is ./help.ts,
 * and ./index.ts `runKubectl` parses it back to the same action: test/client/kubectlEquivalent.test.ts).
 * Used by the client's action captions and console log, and the postmortem's timeline (shared/game). etcd restores have no kubectl verb: `etcdctl snapshot restore snapshot.db --name MEMBER`.
 */
export function kubectlEquivalent(action: SimAction): string {
  switch (action.type) {
    case 'deletePod':
      return `kubectl delete pod ${action.pod}${action.force ? ' --grace-period=0 --force' : action.gracePeriodSeconds !== undefined ? ` --grace-period=${action.gracePeriodSeconds}` : ''}`;
    case 'scaleDeployment':
      return `kubectl scale ${action.kind ? 'statefulset' : 'deployment'}/${action.deployment} --replicas=${action.replicas}`;
    case 'rolloutUndo':
      return `kubectl rollout undo ${action.kind ? action.kind.toLowerCase() : 'deployment'}/${action.deployment}${action.toRevision ? ` --to-revision=${action.toRevision}` : ''}`;
    case 'rolloutRestart':
      return `kubectl rollout restart ${action.kind ? action.kind.toLowerCase() : 'deployment'}/${action.deployment}`;
    case 'setImage':
      return `kubectl set image ${action.kind ? action.kind.toLowerCase() : 'deployment'}/${action.deployment} ${action.container ?? '*'}=${action.image}`;
    case 'setResources': {
      const parts: string[] = [];
      const lim = Object.entries(action.limits ?? {}).map(([k, v]) => `${k}=${v}`);
      const req = Object.entries(action.requests ?? {}).map(([k, v]) => `${k}=${v}`);
      if (lim.length) parts.push(`--limits=${lim.join(',')}`);
      if (req.length) parts.push(`--requests=${req.join(',')}`);
      return `kubectl set resources deployment/${action.deployment} ${parts.join(' ')}`.trimEnd();
    }
    case 'cordonNode':
      return `kubectl cordon ${action.node}`;
    case 'uncordonNode':
      return `kubectl uncordon ${action.node}`;
    case 'drainNode':
      return `kubectl drain ${action.node} --ignore-daemonsets`;
    case 'restoreEtcdMember':
      return `etcdctl snapshot restore snapshot.db --name ${action.member}`;
    case 'adminCommand':
      return adminCommandLine(action.command, action.arg);
    // The actions below mostly come from the Kubernetes API (server/k8s); the console parses label,
    // annotate, taint and delete deployment too (./metadata.ts), not create.
    case 'label':
      return `kubectl label ${action.kind.toLowerCase()} ${action.name} ${action.labels.map((c) => (c.value === null ? `${c.key}-` : `${c.key}=${c.value}`)).join(' ')} --overwrite`;
    case 'annotate':
      return `kubectl annotate ${action.kind.toLowerCase()} ${action.name} ${action.annotations.map((c) => (c.value === null ? `${c.key}-` : `${c.key}=${JSON.stringify(c.value)}`)).join(' ')} --overwrite`;
    case 'taintNode':
      return action.taints.length === 0
        ? `kubectl patch node ${action.node} -p '{"spec":{"taints":[]}}'`
        : `kubectl taint nodes ${action.node} ${action.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(' ')} --overwrite`;
    case 'createDeployment':
    case 'createService':
      return `kubectl apply -f ${createdName(action.manifest, action.type === 'createDeployment' ? 'deployment' : 'service')}.yaml`;
    case 'deleteDeployment':
      return `kubectl delete deployment ${action.deployment}${action.propagation && action.propagation !== 'Background' ? ` --cascade=${action.propagation.toLowerCase()}` : ''}`;
    case 'deleteObject':
      return `kubectl delete ${resourceWord(action.kind)} ${action.name}${action.namespace !== undefined ? ` -n ${action.namespace}` : ''}${action.propagationPolicy && action.propagationPolicy !== 'Background' ? ` --cascade=${action.propagationPolicy.toLowerCase()}` : ''}`;
    case 'createObject':
    case 'applyObject':
      return `kubectl apply -f ${createdName(action.manifest, 'object')}.yaml`;
    case 'patchObject': {
      const slash = action.name.indexOf('/');
      const ns = slash < 0 ? '' : ` -n ${action.name.slice(0, slash)}`;
      return `kubectl patch ${resourceWord(action.kind)} ${action.name.slice(slash + 1)}${ns} --type merge -p '${action.patch.replace(/'/g, `'\\''`)}'`;
    }
    case 'autoscale':
      return `kubectl autoscale deployment/${action.deployment}${action.minReplicas !== undefined ? ` --min=${action.minReplicas}` : ''} --max=${action.maxReplicas}${action.cpuPercent !== undefined ? ` --cpu-percent=${action.cpuPercent}` : ''}${action.name !== undefined ? ` --name=${action.name}` : ''}`;
    case 'patchAutoscaler': {
      const spec = {
        ...(action.minReplicas !== undefined ? { minReplicas: action.minReplicas } : {}),
        ...(action.maxReplicas !== undefined ? { maxReplicas: action.maxReplicas } : {}),
      };
      const patch = action.cpuPercent !== undefined
        ? { spec: { ...spec, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: action.cpuPercent } } }] } }
        : { spec };
      return `kubectl patch hpa/${action.hpa} -p '${JSON.stringify(patch)}'`;
    }
    case 'pauseRollout':
      return `kubectl rollout ${action.paused ? 'pause' : 'resume'} deployment/${action.deployment}`;
    case 'nodeOperation':
      return action.op === 'reboot' ? `ssh ${action.node} sudo systemctl reboot` : `gameday-ops node replace ${action.node}`;
    case 'etcdMember':
      return action.op === 'remove' ? `etcdctl member remove ${action.member}` : `etcdctl member add ${action.member} --peer-urls=${action.peerUrl ?? ''}`;
    case 'setEnv':
      return `kubectl set env deployment/${action.deployment}${action.container ? ` -c ${action.container}` : ''} ${action.env.map((e) => (e.value === null ? `${e.name}-` : `${e.name}=${e.value}`)).join(' ')}`;
  }
}

/** kubectl's resource word for a kind of action `deleteObject` / `patchObject` (`hpa`, `resourcequota`): the registry's `commandWord`. */
function resourceWord(kind: DeletableKind | PatchableKind): string {
  return commandWord(kindOf(kind)!);
}

/** The `metadata.name` of a manifest text (first `name:` line, or a JSON `"name"`), else `fallback`. */
function createdName(manifest: string, fallback: string): string {
  const m = /"name"\s*:\s*"([a-z0-9.-]{1,253})"|^\s*name:\s*['"]?([a-z0-9.-]{1,253})/m.exec(manifest);
  return m?.[1] ?? m?.[2] ?? fallback;
}

/** (added) The console line of an `adminCommand` action (shared/sim/actions/admin.ts). */
export function adminCommandLine(command: Extract<SimAction, { type: 'adminCommand' }>['command'], arg: string | undefined): string {
  switch (command) {
    case 'etcdctl-compact': return `etcdctl compact ${arg ?? ''}`.trimEnd();
    case 'etcdctl-defrag': return 'etcdctl defrag';
    case 'etcdctl-alarm-disarm': return 'etcdctl alarm disarm';
    case 'kubeadm-control-plane': return `kubeadm init phase control-plane ${arg ?? ''}`.trimEnd();
    case 'kubeadm-kubelet-cert': return `kubeadm kubeconfig user --org system:nodes --client-name system:node:${arg ?? ''}`;
    case 'containerd-restart': return `ssh ${arg ?? ''} sudo systemctl restart containerd`;
    case 'kubeadm-certs-renew': return `kubeadm certs renew ${arg ?? ''}`.trimEnd();
  }
}
