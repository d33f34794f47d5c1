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
  }
}
