/**
 * Small clusters for the StatefulSet / DaemonSet tests (statefulset-update, daemonset-update,
 * controller-revisions), built from manifests as a player's would be, plus the console runner they share.
 */
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { applyAction, createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';

/** Runs one console line as player `alice`: its output, its error, or the applied action's message. */
export function kubectl(s: SimState, line: string): string {
  const r = runKubectl(s, line);
  if (r.kind === 'output') return r.output;
  if (r.kind === 'error') return r.error;
  const a = applyAction(s, 'alice', r.action);
  return a.ok ? a.message : a.error;
}

/**
 * A headless Service `web` and a 3-replica StatefulSet `web` (nginx:1.25) on the default manifests-only
 * cluster, seed 3; `spec` is extra YAML lines inserted in the StatefulSet's spec before `template:`
 * (two-space indented, e.g. `  minReadySeconds: 10\n`). Just created: not stepped.
 */
export function statefulSetCluster(spec = ''): SimState {
  const yaml = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: web}}
${spec}  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports: [{containerPort: 80}]
`;
  return createSim(manifestsOnlyInput(loadManifests(yaml), { seed: 3 }));
}

/**
 * A Service `agent` and a DaemonSet `agent` (agent:1) on the first 3 Nodes of the default
 * manifests-only cluster, seed 5; `spec` as in {@link statefulSetCluster}. Just created: not stepped.
 */
export function daemonSetCluster(spec = ''): SimState {
  const yaml = `apiVersion: v1
kind: Service
metadata: {name: agent}
spec:
  selector: {app: agent}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
${spec}  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
      - name: agent
        image: agent:1
        ports: [{containerPort: 80}]
`;
  const input = manifestsOnlyInput(loadManifests(yaml), { seed: 5 });
  return createSim({ ...input, nodes: input.nodes.slice(0, 3) });
}
