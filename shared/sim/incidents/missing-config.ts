/**
 * `missing-config`: the deployment pipeline rolls the target Deployment to a template whose container
 * takes its environment from a ConfigMap (or Secret) that was never created in the namespace
 * (`envFrom: [{configMapRef: {name: X}}]`). The kubelet pulls the image but cannot build the
 * container's config: the new Pods stay `CreateContainerConfigError` with Warning `Failed` `Error:
 * configmap "X" not found`, retried every 10 s (kubernetes-behaviour.md §10; K
 * pkg/kubelet/kuberuntime/kuberuntime_container.go). The rolling update stalls at its surge limit like
 * `bad-image-tag`: the old ReplicaSet keeps serving unless maxUnavailable lets capacity drop, and the
 * Deployment reports `ProgressDeadlineExceeded` after 600 s.
 *
 * Params (schema and defaults: {@link missingConfig}`.params`): `name` (default `<deployment>-config`),
 * `source` (`ConfigMap` or `Secret`, default ConfigMap), `container`.
 *
 * Fix: `kubectl rollout undo deployment/X`, or (issue 6) create the missing object (`kubectl create
 * configmap X --from-literal=KEY=VALUE`, `kubectl create secret generic X ...`): the kubelet's next
 * retry (10 s) starts the waiting Pods and the rollout completes. Mitigated when neither the template
 * nor any active Pod of the Deployment references the source while it is missing, and every desired
 * replica is available.
 */
import { z } from 'zod';
import type { Container, IncidentState, SimState } from '../types.ts';
import { splitKey } from '../names.ts';
import { configMapOf, secretOf } from '../kinds/config.ts';
import { defineIncident } from './module.ts';
import { dnsLabel } from './params.ts';
import { checkContainer, containerParam, pipelineFixed, pipelineRollout } from './pipeline.ts';
import { deploymentTarget } from './targets.ts';

/** True when `c` takes its environment from the (non-optional) source `name` of kind `source`. */
function references(c: Container, source: string, name: string): boolean {
  return (c.envFrom ?? []).some((e) => {
    const ref = source === 'Secret' ? e.secretRef : e.configMapRef;
    return !!ref && ref.name === name && !ref.optional;
  });
}

/** The `missing-config` incident (see the module doc). */
export const missingConfig = defineIncident({
  kind: 'missing-config',
  params: z.strictObject({
    name: dnsLabel().optional().describe('Name of the ConfigMap / Secret the new template references; absent: `<deployment>-config`.'),
    source: z.enum(['ConfigMap', 'Secret']).default('ConfigMap').describe('Kind of the missing source (`envFrom.configMapRef` or `envFrom.secretRef`).'),
    container: containerParam(),
  }),
  target: deploymentTarget,
  title: (spec) => `Rollout of ${spec.target} references a missing ${spec.params['source'] === 'Secret' ? 'Secret' : 'ConfigMap'}`,
  describe: () => 'the deployment pipeline rolled out a new configuration',
  symptoms: [
    'kubectl get pods shows the new pods 0/1 CreateContainerConfigError; they never start',
    'kubectl describe pod shows Warning Failed "Error: configmap "<name>" not found" (or secret), repeated every 10 s',
    'kubectl rollout status waits ("1 out of 3 new replicas have been updated..."); after 600 s the Deployment reports ProgressDeadlineExceeded',
    'the old ReplicaSet keeps serving; if the strategy\'s maxUnavailable let old pods go, capacity drops and errors climb on the remaining pods',
  ],
  remediations: [
    { summary: 'Roll the Deployment back to the revision without the reference', command: 'kubectl rollout undo deployment/<deployment>' },
    { summary: 'Create the missing ConfigMap (or Secret: kubectl create secret generic <name> --from-literal=KEY=VALUE); the kubelet retries within 10 s', command: 'kubectl create configmap <name> --from-literal=KEY=VALUE' },
  ],
  checkDeployment: (params, d) => checkContainer(params.container, d),
  start(state: SimState, inc: IncidentState, { params, target }) {
    const name = params.name ?? `${splitKey(target.key).name}-config`;
    const source = params.source;
    const outcome = pipelineRollout(state, inc, target.key, params.container, (c) => {
      if (references(c, source, name)) return `container ${c.name} of ${inc.spec.target} already references ${source} ${name}`;
      const ref = { name };
      c.envFrom = [...(c.envFrom ?? []), source === 'Secret' ? { secretRef: ref } : { configMapRef: ref }];
      return undefined;
    });
    if (!outcome.ok) return outcome;
    inc.data['name'] = name;
    inc.data['source'] = source;
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const name = inc.data['name'];
    const source = inc.data['source'];
    if (typeof name !== 'string' || typeof source !== 'string') return false;
    // (issue 6) a reference is broken only while the object is missing in the Deployment's namespace
    const ns = splitKey(typeof inc.data['deployment'] === 'string' ? inc.data['deployment'] : inc.spec.target).namespace;
    const exists = source === 'Secret' ? secretOf(state, ns, name) !== undefined : configMapOf(state, ns, name) !== undefined;
    return pipelineFixed(state, inc, (c) => !exists && references(c, source, name));
  },
});
