/** Action -> console command text (the inverse of the console's parser for player actions). Pure. */
import type { SimAction } from '../sim/types.ts';

/**
 * The console command equivalent to an action (what a player would type; the grammar is ./help.ts,
 * and ./index.ts `runKubectl` parses it back to the same action: test/client/kubectlEquivalent.test.ts).
 * Used by the client's action captions and console log, and the postmortem's timeline (shared/game). etcd restores have no kubectl verb: `etcdctl snapshot restore snapshot.db --name MEMBER`.
 */
export function kubectlEquivalent(action: SimAction): string {
  switch (action.type) {
    case 'deletePod':
      return `kubectl delete pod ${action.pod}${action.force ? ' --grace-period=0 --force' : ''}`;
    case 'scaleDeployment':
      return `kubectl scale deployment/${action.deployment} --replicas=${action.replicas}`;
    case 'rolloutUndo':
      return `kubectl rollout undo deployment/${action.deployment}${action.toRevision ? ` --to-revision=${action.toRevision}` : ''}`;
    case 'rolloutRestart':
      return `kubectl rollout restart deployment/${action.deployment}`;
    case 'setImage':
      return `kubectl set image deployment/${action.deployment} ${action.container ?? '*'}=${action.image}`;
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
    case 'pauseRollout':
      return `kubectl rollout ${action.paused ? 'pause' : 'resume'} deployment/${action.deployment}`;
    case 'setEnv':
      return `kubectl set env deployment/${action.deployment}${action.container ? ` -c ${action.container}` : ''} ${action.env.map((e) => (e.value === null ? `${e.name}-` : `${e.name}=${e.value}`)).join(' ')}`;
  }
}

/** The `metadata.name` of a manifest text (first `name:` line, or a JSON `"name"`), else `fallback`. */
function createdName(manifest: string, fallback: string): string {
  const m = /"name"\s*:\s*"([a-z0-9.-]{1,253})"|^\s*name:\s*['"]?([a-z0-9.-]{1,253})/m.exec(manifest);
  return m?.[1] ?? m?.[2] ?? fallback;
}
