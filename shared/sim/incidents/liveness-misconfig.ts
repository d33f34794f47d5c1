/**
 * `liveness-misconfig`: the deployment pipeline rolls the target Deployment to a template whose
 * container has a livenessProbe on a port the application does not listen on (the management port of
 * another framework, a port renamed in the Service but not in the probe). Nothing checks it at rollout
 * time: without a readiness probe the new Pods turn Ready at once and the rollout completes. Then the
 * kubelet's probe is refused every `periodSeconds` (10 s): Warning `Unhealthy` "Liveness probe failed:
 * Get "http://IP:PORT/healthz": dial tcp IP:PORT: connect: connection refused"; after `failureThreshold`
 * (3) failures `Killing` "Container X failed liveness probe, will be restarted", last state `Error`
 * (exit 137), RESTARTS climbing and `CrashLoopBackOff` (10 s doubling to 300 s) between lives
 * (kubernetes-behaviour.md §1, §2). Every replica is down for longer and longer stretches: the
 * Service loses endpoints and requests fail.
 *
 * Params (schema and defaults: {@link livenessMisconfig}`.params`): `port` (default: the container's
 * first declared port + 1), `path` (`/healthz`), `initialDelaySeconds` (0), `container`.
 *
 * Fix: `kubectl rollout undo deployment/X`. Mitigated when neither the template nor any active Pod of
 * the Deployment has the bad probe and every desired replica is available.
 */
import { z } from 'zod';
import type { Container, IncidentState, SimState } from '../types.ts';
import { defineIncident } from './module.ts';
import { checkContainer, containerParam, pipelineFixed, pipelineRollout } from './pipeline.ts';
import { deploymentTarget } from './targets.ts';

/** True when `c` has an httpGet liveness probe on `port`. */
function probesPort(c: Container, port: number): boolean {
  return c.livenessProbe?.httpGet?.port === port;
}

/** The `liveness-misconfig` incident (see the module doc). */
export const livenessMisconfig = defineIncident({
  kind: 'liveness-misconfig',
  params: z.strictObject({
    port: z.number().int().min(1).max(65535).optional().describe("Port the probe targets, one the container does not declare; absent: the container's first port + 1."),
    path: z.string().regex(/^\//, { error: 'must be a URL path starting with /' }).default('/healthz').describe('HTTP path of the probe.'),
    initialDelaySeconds: z.number().int().min(0).default(0).describe('Sim seconds before the first probe (then every 10 s; killed after 3 failures).'),
    container: containerParam(),
  }),
  target: deploymentTarget,
  title: (spec) => `Rollout of ${spec.target} with a broken liveness probe`,
  describe: () => 'the deployment pipeline rolled out a new pod template',
  symptoms: [
    'the rollout completes (the new pods turn Ready), then every pod restarts about every 30 s: RESTARTS climbs, STATUS shows CrashLoopBackOff between lives',
    'kubectl get events / describe pod show Unhealthy "Liveness probe failed: ... connect: connection refused" three times, then Killing "failed liveness probe, will be restarted"',
    'kubectl describe pod shows Last State: Terminated, Reason: Error, Exit Code: 137, and the Liveness line with the wrong port',
    'the Service loses endpoints while the pods restart: errors climb and the availability burn-rate alert fires',
  ],
  remediations: [
    { summary: 'Roll the Deployment back to the revision with the right probe', command: 'kubectl rollout undo deployment/<deployment>' },
  ],
  checkDeployment: (params, d) => checkContainer(params.container, d),
  start(state: SimState, inc: IncidentState, { params, target }) {
    let port = 0;
    const outcome = pipelineRollout(state, inc, target.key, params.container, (c) => {
      const declared = c.ports.map((p) => p.containerPort);
      if (declared.length === 0) return `container ${c.name} of ${inc.spec.target} declares no ports: the kubelet cannot tell a wrong probe port`;
      port = params.port ?? declared[0]! + 1;
      if (declared.includes(port)) return `port ${port} is declared by container ${c.name}: the probe would pass`;
      c.livenessProbe = { httpGet: { path: params.path, port }, initialDelaySeconds: params.initialDelaySeconds, periodSeconds: 10, failureThreshold: 3 };
      return undefined;
    });
    if (!outcome.ok) return outcome;
    inc.data['port'] = port;
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const port = inc.data['port'];
    return typeof port === 'number' && pipelineFixed(state, inc, (c) => probesPort(c, port));
  },
});
