/**
 * `kubectl describe pod|node|deployment|service NAME`: the key fields of K
 * staging/src/k8s.io/kubectl/pkg/describe/describe.go, ending with the object's Events (aggregated like
 * the API server's event series: `2m (x4 over 5m)`).
 *
 * May import: ../sim/* (read only), ./*.
 */
import type { Container, ContainerState, InitContainer, Volume, CronJob, DaemonSet, Deployment, EndpointSlice, Job, LimitRange, Node, Pod, PriorityClass, Probe, ReplicaSet, ReplicationController, Service, SimState, StatefulSet, ConfigMap, Secret } from '../sim/types.ts';
import { defaultedItem } from '../sim/kinds/limitrange.ts';
import { accessModesString, claimClass } from '../sim/kinds/pvc.ts';
import { apiServerAddresses } from '../sim/kinds/endpointslice.ts';
import type { PersistentVolumeClaim } from '../sim/types.ts';
import { KINDS, toApi, type KubeObject } from '../sim/kinds/index.ts';
import { quotaRows } from '../sim/kinds/resourcequota.ts';
import { base64Bytes } from '../sim/kinds/config.ts';
import { nodeDisplayStatus } from '../sim/status.ts';
import { latestOfSeries } from '../sim/events.ts';
import { lastSeen } from './get.ts';
import { parseCpuMillicores, parseMemoryMiB } from '../manifests/quantity.ts';
import { describeTime, fields, humanDuration, indent, table } from './format.ts';
import { clusterIp, deploymentReplicaSets, nodeIp, podIp, podsOnNode, rollingUpdateText, rsRevision } from './cluster.ts';

/**
 * The Events section for one object: one row per Event series (its newest entry, shared/sim/events.ts
 * `latestOfSeries`), by last occurrence; Age of a repeated event reads `2m (x4 over 5m)`.
 */
export function eventsSection(state: SimState, kind: string, name: string, namespace: string): string {
  const mine = latestOfSeries(state.events.filter((e) => e.object.kind === kind && e.object.name === name && (kind === 'Node' || e.object.namespace === namespace)));
  if (mine.length === 0) return 'Events:  <none>';
  const rows = mine.map((e) => [e.type, e.reason, lastSeen(state.t, e), e.source, e.message]);
  // DescribeEvents writes its rule line literally: `----  ------  ----  ----  -------` (Age's is 4 wide)
  return 'Events:\n' + indent(table(['Type', 'Reason', 'Age', 'From', 'Message'], [['----', '------', '----', '----', '-------'], ...rows], { gap: 2 }), 2);
}

function multiline(map: Record<string, string> | undefined, sep = '='): string {
  const keys = Object.keys(map ?? {}).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}${sep}${map![k]}`).join('\n');
}

function probeText(p: Probe): string {
  let what = 'unknown';
  if (p.httpGet) what = `http-get http://:${p.httpGet.port}${p.httpGet.path ?? '/'}`;
  else if (p.tcpSocket) what = `tcp-socket :${p.tcpSocket.port}`;
  else if (p.exec) what = `exec [${p.exec.command.join(' ')}]`;
  else if (p.grpc) what = `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''}`; // K describe.go DescribeProbe: port, service
  return `${what} delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
}

function stateLines(label: string, s: ContainerState): [string, string][] {
  if (s.running) return [[label, 'Running'], ['  Started', describeTime(s.running.startedAt)]];
  if (s.waiting) return [[label, 'Waiting'], ['  Reason', s.waiting.reason]];
  if (s.terminated) {
    const out: [string, string][] = [[label, 'Terminated'], ['  Reason', s.terminated.reason], ['  Exit Code', String(s.terminated.exitCode)]];
    if (s.terminated.startedAt !== undefined) out.push(['  Started', describeTime(s.terminated.startedAt)]);
    out.push(['  Finished', describeTime(s.terminated.finishedAt)]);
    return out;
  }
  return [];
}

function resourcesBlock(c: Container): string[] {
  const out: string[] = [];
  const block = (title: string, r: { cpu?: string; memory?: string } | undefined) => {
    if (!r || (r.cpu === undefined && r.memory === undefined)) return;
    out.push(`${title}:`);
    const entries: [string, string][] = [];
    if (r.cpu !== undefined) entries.push(['cpu', r.cpu]);
    if (r.memory !== undefined) entries.push(['memory', r.memory]);
    out.push(indent(fields(entries), 2));
  };
  block('Limits', c.resources.limits);
  block('Requests', c.resources.requests);
  return out;
}

function containerBlock(c: Container | InitContainer, pod: Pod | null, inner = 2, init = false): string {
  const entries: [string, string][] = [['Image', c.image]];
  // describe.go describeContainerPorts / describeContainerHostPorts: every port (`0/TCP` for one without a
  // host port), `Ports:` / `Host Ports:` when there are several.
  const ports = c.ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
  const hostPorts = c.ports.map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
  entries.push([c.ports.length > 1 ? 'Ports' : 'Port', ports || '<none>']);
  entries.push([c.ports.length > 1 ? 'Host Ports' : 'Host Port', hostPorts || '<none>']);
  // Command / Args one word a line (describe.go describeContainerCommand), for init containers (the sim keeps them there only).
  if ('command' in c && c.command && c.command.length > 0) entries.push(['Command', c.command.join('\n')]);
  if ('args' in c && c.args && c.args.length > 0) entries.push(['Args', c.args.join('\n')]);
  const status = (init ? pod?.status.initContainerStatuses : pod?.status.containerStatuses)?.find((s) => s.name === c.name);
  if (status) {
    entries.push(...stateLines('State', status.state));
    const last = stateLines('Last State', status.lastState);
    entries.push(...(last.length > 0 ? last : ([['Last State', '<none>']] as [string, string][])));
    entries.push(['Ready', status.ready ? 'True' : 'False']);
    entries.push(['Restart Count', String(status.restartCount)]);
  }
  const head = fields(entries);
  const res = resourcesBlock(c);
  const tail: [string, string][] = [];
  if (c.livenessProbe) tail.push(['Liveness', probeText(c.livenessProbe)]);
  if (c.readinessProbe) tail.push(['Readiness', probeText(c.readinessProbe)]);
  if (c.startupProbe) tail.push(['Startup', probeText(c.startupProbe)]);
  tail.push(['Environment', c.env.length === 0 ? '<none>' : c.env.map((e) => `${e.name}:  ${e.value ?? ''}`).join('\n')]);
  // Mounts (describe.go describeContainerVolumes): `PATH from VOLUME (ro|rw[,path="SUB"])` a line, or
  // `Mounts:  <none>` in the fields' columns (the sim has no service-account token volume: a Pod's
  // container without mounts of its own shows <none>, as a template's does).
  if (!c.volumeMounts || c.volumeMounts.length === 0) tail.push(['Mounts', '<none>']);
  else {
    const lines = [...c.volumeMounts]
      .sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0))
      .map((m) => `${m.mountPath} from ${m.name} (${m.readOnly ? 'ro' : 'rw'}${m.subPath ? `,path="${m.subPath}"` : ''})`);
    return `${c.name}:\n` + indent([head, ...res, fields(tail), 'Mounts:', ...lines.map((l) => `  ${l}`)].join('\n'), inner);
  }
  return `${c.name}:\n` + indent([head, ...res, fields(tail)].join('\n'), inner);
}

/** One volume of describe pod's `Volumes:` section (describe.go describeVolumes: Type line, then the source's fields). */
function volumeBlock(v: Volume): string {
  let f: [string, string][];
  if (v.configMap) f = [['Type', 'ConfigMap (a volume populated by a ConfigMap)'], ['Name', v.configMap.name], ['Optional', String(v.configMap.optional ?? false)]];
  else if (v.secret) f = [['Type', 'Secret (a volume populated by a Secret)'], ['SecretName', v.secret.secretName], ['Optional', String(v.secret.optional ?? false)]];
  else if (v.persistentVolumeClaim) f = [['Type', 'PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)'], ['ClaimName', v.persistentVolumeClaim.claimName], ['ReadOnly', String(v.persistentVolumeClaim.readOnly ?? false)]];
  else if (v.hostPath) f = [['Type', 'HostPath (bare host directory volume)'], ['Path', v.hostPath.path], ['HostPathType', v.hostPath.type ?? '']];
  else if (v.projected) f = [['Type', 'Projected (a volume that contains injected data from multiple sources)']];
  else if (v.downwardAPI) f = [['Type', 'DownwardAPI (a volume populated by information about the pod)'], ['Items', (v.downwardAPI.items ?? []).map((i) => String((i['fieldRef'] as { fieldPath?: string } | undefined)?.fieldPath ?? i['path'] ?? '')).join('\n') || '<none>']];
  else if (v.other) f = [['Type', `${v.other[0]!.toUpperCase()}${v.other.slice(1)}`]];
  else f = [['Type', "EmptyDir (a temporary directory that shares a pod's lifetime)"], ['Medium', v.emptyDir?.medium ?? ''], ['SizeLimit', v.emptyDir?.sizeLimit ?? '<unset>']];
  return `${v.name}:\n` + indent(fields(f), 2);
}

function qosClass(pod: Pod): string {
  let any = false;
  let guaranteed = true;
  for (const c of pod.spec.containers) {
    const { requests, limits } = c.resources;
    if (requests?.cpu || requests?.memory || limits?.cpu || limits?.memory) any = true;
    const cpuReq = requests?.cpu ?? limits?.cpu;
    const memReq = requests?.memory ?? limits?.memory;
    if (!limits?.cpu || !limits?.memory || cpuReq !== limits.cpu || memReq !== limits.memory) guaranteed = false;
  }
  return !any ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
}

/** `kubectl describe pod`. */
export function describePod(state: SimState, pod: Pod): string {
  const entries: [string, string][] = [
    ['Name', pod.metadata.name],
    ['Namespace', pod.metadata.namespace],
    ['Priority', String(pod.spec.priority ?? 0)],
    ...(pod.spec.priorityClassName ? [['Priority Class Name', pod.spec.priorityClassName] as [string, string]] : []),
    ['Service Account', 'default'],
    ['Node', pod.spec.nodeName ? `${pod.spec.nodeName}/${nodeIp(state, pod.spec.nodeName)}` : '<none>'],
    ['Start Time', pod.status.startTime !== undefined ? describeTime(pod.status.startTime) : '<unset>'],
    ['Labels', multiline(pod.metadata.labels)],
    ['Annotations', multiline(pod.metadata.annotations, ': ')],
    ['Status', pod.metadata.deletionTimestamp !== undefined ? `Terminating (lasts ${humanDuration(state.t - pod.metadata.deletionTimestamp)})` : pod.status.phase],
  ];
  if (pod.status.reason) entries.push(['Reason', pod.status.reason]);
  if (pod.status.message) entries.push(['Message', pod.status.message]);
  entries.push(['IP', podIp(state, pod)]);
  // describe.go describePod: `Controlled By:  KIND/NAME` of the controller owner, no line without one (a bare Pod)
  entries.push(...controlledBy(pod.metadata));
  if (pod.status.nominatedNodeName) entries.push(['NominatedNodeName', pod.status.nominatedNodeName]);
  const order = ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'];
  const conds = [...pod.status.conditions].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  const parts = [
    fields(entries, 16),
    ...((pod.spec.initContainers ?? []).length > 0 ? ['Init Containers:\n' + indent(pod.spec.initContainers!.map((c) => containerBlock(c, pod, 2, true)).join('\n'), 2)] : []),
    'Containers:\n' + indent(pod.spec.containers.map((c) => containerBlock(c, pod)).join('\n'), 2),
    'Conditions:\n' + indent(table(['Type', 'Status'], conds.map((c) => [c.type, c.status]), { gap: 2 }), 2),
    ...((pod.spec.volumes ?? []).length > 0 ? ['Volumes:\n' + indent(pod.spec.volumes!.map(volumeBlock).join('\n'), 2)] : []),
    fields(
      [
        ['QoS Class', qosClass(pod)],
        ['Node-Selectors', multiline(pod.spec.nodeSelector)],
        ['Tolerations', tolerationLines(pod.spec.tolerations)],
      ],
      16,
    ),
    eventsSection(state, 'Pod', pod.metadata.name, pod.metadata.namespace),
  ];
  return parts.join('\n');
}

function pct(v: number, of: number): string {
  return of > 0 ? `${Math.round((v * 100) / of)}%` : '0%';
}

function safeCpu(q: string | undefined): number {
  try {
    return q === undefined ? 0 : parseCpuMillicores(q);
  } catch {
    return 0;
  }
}

function safeMem(q: string | undefined): number {
  try {
    return q === undefined ? 0 : parseMemoryMiB(q);
  } catch {
    return 0;
  }
}

/** `kubectl describe node`. */
export function describeNode(state: SimState, node: Node): string {
  const pods = podsOnNode(state, node.metadata.name).filter((p) => p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed');
  const cpuAlloc = node.sim.cpuAllocatableMilli;
  const memAlloc = node.sim.memAllocatableMiB;
  let cpuReq = 0;
  let cpuLim = 0;
  let memReq = 0;
  let memLim = 0;
  const podRows = pods.map((p) => {
    let cr = 0, cl = 0, mr = 0, ml = 0;
    for (const c of p.spec.containers) {
      cr += safeCpu(c.resources.requests?.cpu);
      cl += safeCpu(c.resources.limits?.cpu);
      mr += safeMem(c.resources.requests?.memory);
      ml += safeMem(c.resources.limits?.memory);
    }
    cpuReq += cr; cpuLim += cl; memReq += mr; memLim += ml;
    return [p.metadata.namespace, p.metadata.name, `${cr}m (${pct(cr, cpuAlloc)})`, `${cl}m (${pct(cl, cpuAlloc)})`, `${Math.round(mr)}Mi (${pct(mr, memAlloc)})`, `${Math.round(ml)}Mi (${pct(ml, memAlloc)})`, humanDuration(state.t - p.metadata.creationTimestamp)];
  });
  const taints = node.spec.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
  const condRows = node.status.conditions.map((c) => [c.type, c.status, describeTime(c.lastHeartbeatTime), describeTime(c.lastTransitionTime), c.reason, c.message]);
  const parts = [
    fields(
      [
        ['Name', node.metadata.name],
        ['Roles', '<none>'],
        ['Labels', multiline(node.metadata.labels)],
        ['Annotations', multiline(node.metadata.annotations, ': ')],
        ['CreationTimestamp', describeTime(node.metadata.creationTimestamp)],
        ['Taints', taints.length > 0 ? taints.join('\n') : '<none>'],
        ['Unschedulable', String(node.spec.unschedulable)],
        ['Status', nodeDisplayStatus(node)],
      ],
      18,
    ),
    'Conditions:\n' + indent(table(['Type', 'Status', 'LastHeartbeatTime', 'LastTransitionTime', 'Reason', 'Message'], condRows, { gap: 2, rule: true }), 2),
    'Addresses:\n' + indent(fields([['InternalIP', nodeIp(state, node.metadata.name)], ['Hostname', node.metadata.name]]), 2),
    'Capacity:\n' + indent(fields([['cpu', node.status.capacity.cpu], ['memory', node.status.capacity.memory], ['pods', node.status.capacity.pods]]), 2),
    'Allocatable:\n' + indent(fields([['cpu', node.status.allocatable.cpu], ['memory', node.status.allocatable.memory], ['pods', node.status.allocatable.pods]]), 2),
    `Non-terminated Pods:          (${pods.length} in total)\n` +
      indent(table(['Namespace', 'Name', 'CPU Requests', 'CPU Limits', 'Memory Requests', 'Memory Limits', 'Age'], podRows, { gap: 2, rule: true }), 2),
    'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n' +
      indent(
        table(
          ['Resource', 'Requests', 'Limits'],
          [
            ['cpu', `${cpuReq}m (${pct(cpuReq, cpuAlloc)})`, `${cpuLim}m (${pct(cpuLim, cpuAlloc)})`],
            ['memory', `${Math.round(memReq)}Mi (${pct(memReq, memAlloc)})`, `${Math.round(memLim)}Mi (${pct(memLim, memAlloc)})`],
          ],
          { gap: 2, rule: true },
        ),
        2,
      ),
    eventsSection(state, 'Node', node.metadata.name, node.metadata.namespace),
  ];
  return parts.join('\n');
}

/** `kubectl describe deployment`. */
export function describeDeployment(state: SimState, key: string, d: Deployment): string {
  const rss = deploymentReplicaSets(state, key).sort((a, b) => rsRevision(a) - rsRevision(b));
  const newest = rss[rss.length - 1];
  const old = rss.slice(0, -1).filter((rs) => rs.spec.replicas > 0 || rs.status.replicas > 0);
  const rsText = (rs: { metadata: { name: string }; status: { replicas: number }; spec: { replicas: number } }) => `${rs.metadata.name} (${rs.status.replicas}/${rs.spec.replicas} replicas created)`;
  const s = d.status;
  const entries: [string, string][] = [
    ['Name', d.metadata.name],
    ['Namespace', d.metadata.namespace],
    ['CreationTimestamp', describeTime(d.metadata.creationTimestamp)],
    ['Labels', multiline(d.metadata.labels)],
    ['Annotations', multiline(d.metadata.annotations, ': ')],
    ['Selector', Object.keys(d.spec.selector.matchLabels).sort().map((k) => `${k}=${d.spec.selector.matchLabels[k]}`).join(',') || '<none>'],
    ['Replicas', `${d.spec.replicas} desired | ${s.updatedReplicas} updated | ${s.replicas} total | ${s.availableReplicas} available | ${s.unavailableReplicas} unavailable`],
    ['StrategyType', d.spec.strategy.type],
    ['MinReadySeconds', String(d.spec.minReadySeconds)],
  ];
  if (d.spec.strategy.type === 'RollingUpdate') entries.push(['RollingUpdateStrategy', rollingUpdateText(d)]);
  const template = podTemplateBlock(d.spec.template);
  const parts = [
    fields(entries, 22),
    template,
    'Conditions:\n' + indent(table(['Type', 'Status', 'Reason'], d.status.conditions.map((c) => [c.type, c.status, c.reason]), { gap: 2, rule: true }), 2),
    fields(
      [
        ['OldReplicaSets', old.length > 0 ? old.map(rsText).join(', ') : '<none>'],
        ['NewReplicaSet', newest ? rsText(newest) : '<none>'],
      ],
      15,
    ),
    eventsSection(state, 'Deployment', d.metadata.name, d.metadata.namespace),
  ];
  return parts.join('\n');
}

/** `kubectl describe service`. */
export function describeService(state: SimState, key: string, svc: Service): string {
  const ip = clusterIp(key, svc.spec.clusterIP);
  const eps = state.endpoints[key];
  const port = svc.spec.ports[0];
  const target = port ? (port.targetPort ?? port.port) : undefined;
  const addrs = (eps?.endpoints ?? [])
    .filter((e) => e.conditions.ready && !e.conditions.terminating)
    .map((e) => state.pods[`${svc.metadata.namespace}/${e.targetRef.name}`])
    .filter((p): p is Pod => p !== undefined)
    .map((p) => `${podIp(state, p)}${typeof target === 'number' ? `:${target}` : ''}`)
    .concat(apiServerAddresses(state, key).map((a) => `${a}${typeof target === 'number' ? `:${target}` : ''}`)); // (issue 6) the kubernetes Service's API servers
  const entries: [string, string][] = [
    ['Name', svc.metadata.name],
    ['Namespace', svc.metadata.namespace],
    ['Labels', multiline(svc.metadata.labels)],
    ['Annotations', multiline(svc.metadata.annotations, ': ')],
    ['Selector', Object.keys(svc.spec.selector).sort().map((k) => `${k}=${svc.spec.selector[k]}`).join(',') || '<none>'],
    ['Type', svc.spec.type],
    ['IP', ip],
  ];
  for (const p of svc.spec.ports) {
    entries.push(['Port', `${p.name ?? '<unset>'}  ${p.port}/${p.protocol ?? 'TCP'}`]);
    entries.push(['TargetPort', `${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`]);
    if (p.nodePort !== undefined && svc.spec.type !== 'ClusterIP') entries.push(['NodePort', `${p.name ?? '<unset>'}  ${p.nodePort}/${p.protocol ?? 'TCP'}`]);
  }
  entries.push(['Endpoints', addrs.length > 0 ? addrs.join(',') : '<none>']);
  entries.push(['Session Affinity', 'None']);
  return [fields(entries, 18), eventsSection(state, 'Service', svc.metadata.name, svc.metadata.namespace)].join('\n');
}

/** kubectl describe's Tolerations lines (printTolerationsMultiline): `key[=value][:effect][ op=Exists][ for Ns]`, `<none>` when none. */
function tolerationLines(tolerations: Pod['spec']['tolerations']): string {
  if (!tolerations || tolerations.length === 0) return '<none>';
  return tolerations
    .map((t) => {
      let s = t.key ?? '';
      if (t.value) s += `=${t.value}`;
      if (t.effect) s += `:${t.effect}`;
      if (t.operator === 'Exists' && !t.value) s += ' op=Exists';
      if (t.tolerationSeconds !== undefined) s += ` for ${t.tolerationSeconds}s`;
      return s;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------
// The other workload and policy kinds (issue 6): K staging/src/k8s.io/kubectl/pkg/describe/describe.go
// describeReplicaSet / describeReplicationController / describeStatefulSet / describeDaemonSet /
// describeJob / describeCronJob / describeLimitRange, each ending with its Events (LimitRange has none).
// ---------------------------------------------------------------------------------------------------

function selectorText(sel: Record<string, string>): string {
  return Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',') || '<none>';
}

/** DescribePodTemplate: Labels, (Annotations), Containers (the layout describe deployment uses). */
function podTemplateBlock(tpl: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: { containers: Container[]; nodeSelector?: Record<string, string>; tolerations?: Pod['spec']['tolerations'] } }): string {
  const head: [string, string][] = [['Labels', multiline(tpl.metadata.labels)]];
  if (tpl.metadata.annotations && Object.keys(tpl.metadata.annotations).length > 0) head.push(['Annotations', multiline(tpl.metadata.annotations, ': ')]);
  const tail = fields([['Volumes', '<none>'], ['Node-Selectors', multiline(tpl.spec.nodeSelector)], ['Tolerations', tolerationLines(tpl.spec.tolerations)]]);
  return 'Pod Template:\n' + indent(fields(head) + '\nContainers:\n' + indent(tpl.spec.containers.map((c) => containerBlock(c, null, 1)).join('\n'), 1) + '\n' + tail, 2);
}

/** `Pods Status:` of the Pods `kind/name` controls: `N Running / N Waiting / N Succeeded / N Failed`. */
function podsStatus(state: SimState, kind: string, name: string, namespace: string): string {
  let running = 0, waiting = 0, succeeded = 0, failed = 0;
  for (const key of Object.keys(state.pods)) {
    const p = state.pods[key]!;
    if (p.metadata.namespace !== namespace || !p.metadata.ownerReferences.some((r) => r.controller && r.kind === kind && r.name === name)) continue;
    if (p.status.phase === 'Running') running++;
    else if (p.status.phase === 'Pending') waiting++;
    else if (p.status.phase === 'Succeeded') succeeded++;
    else if (p.status.phase === 'Failed') failed++;
  }
  return `${running} Running / ${waiting} Waiting / ${succeeded} Succeeded / ${failed} Failed`;
}

function controlledBy(meta: { ownerReferences: { kind: string; name: string; controller?: boolean }[] }): [string, string][] {
  const owner = meta.ownerReferences.find((r) => r.controller);
  return owner ? [['Controlled By', `${owner.kind}/${owner.name}`]] : [];
}

/** `kubectl describe replicaset` / `replicationcontroller` (describeReplicaSet, describeReplicationController). */
export function describeReplicaSetLike(state: SimState, rs: ReplicaSet | ReplicationController): string {
  const sel = rs.kind === 'ReplicaSet' ? rs.spec.selector.matchLabels : rs.spec.selector;
  const entries: [string, string][] = [
    ['Name', rs.metadata.name],
    ['Namespace', rs.metadata.namespace],
    ['Selector', selectorText(sel)],
    ['Labels', multiline(rs.metadata.labels)],
    ['Annotations', multiline(rs.metadata.annotations, ': ')],
    ...controlledBy(rs.metadata),
    ['Replicas', `${rs.status.replicas} current / ${rs.spec.replicas} desired`],
    ['Pods Status', podsStatus(state, rs.kind, rs.metadata.name, rs.metadata.namespace)],
  ];
  return [fields(entries), podTemplateBlock(rs.spec.template), eventsSection(state, rs.kind, rs.metadata.name, rs.metadata.namespace)].join('\n');
}

/** `kubectl describe statefulset` (describeStatefulSet). */
export function describeStatefulSet(state: SimState, sts: StatefulSet): string {
  const entries: [string, string][] = [
    ['Name', sts.metadata.name],
    ['Namespace', sts.metadata.namespace],
    ['CreationTimestamp', describeTime(sts.metadata.creationTimestamp)],
    ['Selector', selectorText(sts.spec.selector.matchLabels)],
    ['Labels', multiline(sts.metadata.labels)],
    ['Annotations', multiline(sts.metadata.annotations, ': ')],
    ['Replicas', `${sts.spec.replicas} desired | ${sts.status.replicas} total`],
    ['Update Strategy', 'RollingUpdate'],
    ['  Partition', '0'],
    ['Pods Status', podsStatus(state, 'StatefulSet', sts.metadata.name, sts.metadata.namespace)],
  ];
  return [fields(entries), podTemplateBlock(sts.spec.template), fields([['Volume Claims', '<none>']], 18), eventsSection(state, 'StatefulSet', sts.metadata.name, sts.metadata.namespace)].join('\n');
}

/** `kubectl describe daemonset` (describeDaemonSet). */
export function describeDaemonSet(state: SimState, ds: DaemonSet): string {
  const s = ds.status;
  // describeDaemonSet prints no Namespace line, and its counts without a tab (not aligned)
  const entries: [string, string][] = [
    ['Name', ds.metadata.name],
    ['Selector', selectorText(ds.spec.selector.matchLabels)],
    ['Node-Selector', selectorText(ds.spec.template.spec.nodeSelector ?? {})],
    ['Labels', multiline(ds.metadata.labels)],
    ['Annotations', multiline(ds.metadata.annotations, ': ')],
  ];
  const counts = [
    `Desired Number of Nodes Scheduled: ${s.desiredNumberScheduled}`,
    `Current Number of Nodes Scheduled: ${s.currentNumberScheduled}`,
    `Number of Nodes Scheduled with Up-to-date Pods: ${s.updatedNumberScheduled}`,
    `Number of Nodes Scheduled with Available Pods: ${s.numberAvailable}`,
    `Number of Nodes Misscheduled: ${s.numberMisscheduled}`,
  ].join('\n');
  return [fields(entries), counts, fields([['Pods Status', podsStatus(state, 'DaemonSet', ds.metadata.name, ds.metadata.namespace)]]), podTemplateBlock(ds.spec.template), eventsSection(state, 'DaemonSet', ds.metadata.name, ds.metadata.namespace)].join('\n');
}

/** `kubectl describe job` (describeJob). */
export function describeJob(state: SimState, job: Job): string {
  const s = job.status;
  const entries: [string, string][] = [
    ['Name', job.metadata.name],
    ['Namespace', job.metadata.namespace],
    ['Selector', selectorText(job.spec.selector.matchLabels)],
    ['Labels', multiline(job.metadata.labels)],
    ['Annotations', multiline(job.metadata.annotations, ': ')],
    ...controlledBy(job.metadata),
    ['Parallelism', String(job.spec.parallelism)],
    ['Completions', String(job.spec.completions)],
    ['Completion Mode', 'NonIndexed'],
    ['Suspend', String(job.spec.suspend)],
    ['Backoff Limit', String(job.spec.backoffLimit)],
  ];
  if (s.startTime !== undefined) entries.push(['Start Time', describeTime(s.startTime)]);
  if (s.completionTime !== undefined) {
    entries.push(['Completed At', describeTime(s.completionTime)]);
    if (s.startTime !== undefined) entries.push(['Duration', humanDuration(s.completionTime - s.startTime)]);
  }
  if (job.spec.activeDeadlineSeconds !== undefined) entries.push(['Active Deadline Seconds', `${job.spec.activeDeadlineSeconds}s`]);
  entries.push(['Pods Statuses', `${s.active} Active (${s.ready} Ready) / ${s.succeeded} Succeeded / ${s.failed} Failed`]);
  return [fields(entries), podTemplateBlock(job.spec.template), eventsSection(state, 'Job', job.metadata.name, job.metadata.namespace)].join('\n');
}

/** `kubectl describe cronjob` (describeCronJob). */
export function describeCronJob(state: SimState, cj: CronJob): string {
  const js = cj.spec.jobTemplate.spec;
  const entries: [string, string][] = [
    ['Name', cj.metadata.name],
    ['Namespace', cj.metadata.namespace],
    ['Labels', multiline(cj.metadata.labels)],
    ['Annotations', multiline(cj.metadata.annotations, ': ')],
    ['Schedule', cj.spec.schedule],
    ['Concurrency Policy', cj.spec.concurrencyPolicy],
    ['Suspend', cj.spec.suspend ? 'True' : 'False'],
    ['Successful Job History Limit', String(cj.spec.successfulJobsHistoryLimit)],
    ['Failed Job History Limit', String(cj.spec.failedJobsHistoryLimit)],
    ['Starting Deadline Seconds', cj.spec.startingDeadlineSeconds === undefined ? '<unset>' : `${cj.spec.startingDeadlineSeconds}s`],
    ['Selector', '<unset>'],
    ['Parallelism', js.parallelism === undefined ? '<unset>' : String(js.parallelism)],
    ['Completions', js.completions === undefined ? '<unset>' : String(js.completions)],
  ];
  const tail: [string, string][] = [
    ['Last Schedule Time', cj.status.lastScheduleTime === undefined ? '<unset>' : describeTime(cj.status.lastScheduleTime)],
    ['Active Jobs', cj.status.active.length === 0 ? '<none>' : cj.status.active.map((a) => a.name).join(', ')],
  ];
  return [fields(entries), podTemplateBlock(js.template), fields(tail), eventsSection(state, 'CronJob', cj.metadata.name, cj.metadata.namespace)].join('\n');
}

/**
 * The Type / Resource / Min / Max / Default Request / Default Limit / Max Limit/Request Ratio table of a
 * LimitRange, as real kubectl 1.32 prints it: in `describe limitrange` the Type column is one space
 * wider (`Container   cpu`), in `describe namespace` every line starts with one space. Resources in
 * name order (kubectl ranges over a Go map: its order varies from run to run).
 */
function limitTable(lr: LimitRange, inNamespace = false): string {
  const rows: string[][] = [];
  for (const raw of lr.spec.limits) {
    const item = defaultedItem(raw);
    const names = new Set<string>([...Object.keys(item.min ?? {}), ...Object.keys(item.max ?? {}), ...Object.keys(item.default ?? {}), ...Object.keys(item.defaultRequest ?? {})]);
    for (const r of [...names].sort() as ('cpu' | 'memory')[]) {
      const v = (m: Partial<Record<'cpu' | 'memory', string>> | undefined) => m?.[r] ?? '-';
      rows.push([inNamespace ? item.type : `${item.type} `, r, v(item.min), v(item.max), item.type === 'Container' ? v(item.defaultRequest) : '-', item.type === 'Container' ? v(item.default) : '-', '-']);
    }
  }
  const text = table(['Type', 'Resource', 'Min', 'Max', 'Default Request', 'Default Limit', 'Max Limit/Request Ratio'], rows, { gap: 2, rule: true });
  return inNamespace ? text.split('\n').map((l) => ` ${l}`).join('\n') : text;
}

/** `kubectl describe limitrange` (describeLimitRange): Name, Namespace, then one row per item and resource; no Events. */
export function describeLimitRange(lr: LimitRange): string {
  return [fields([['Name', lr.metadata.name], ['Namespace', lr.metadata.namespace]], 10), limitTable(lr)].join('\n');
}

/**
 * kubectl's label of a field in the generic describer (describe.go `smartLabelFor`): camel-case words
 * title-cased, the acronyms API, URL, UID, OSB, GUID upper-cased (`apiVersion` -> `API Version`); a
 * field with characters other than letters and `-` as it is.
 */
function smartLabel(field: string): string {
  if (/[^A-Za-z-]/.test(field)) return field;
  const parts = field.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z-]+|[A-Z]+/g) ?? [field];
  return parts.map((p) => (['API', 'URL', 'UID', 'OSB', 'GUID'].includes(p.toUpperCase()) ? p.toUpperCase() : p[0]!.toUpperCase() + p.slice(1))).join(' ');
}

/** One line of the generic describer: a `Key:` alone, or a `Key:` and its value (a tab between them). */
type DescribeLine = [string] | [string, string];

/** describe.go `printUnstructuredContent`: fields sorted, maps and lists nested two spaces deeper. */
function unstructuredLines(content: Record<string, unknown>, level: number, prefix: string, skip: readonly string[], out: DescribeLine[]): void {
  const pad = '  '.repeat(level);
  for (const field of Object.keys(content).sort()) {
    const path = `${prefix}.${field}`;
    if (skip.includes(path)) continue;
    const value = content[field];
    if (Array.isArray(value)) {
      out.push([`${pad}${smartLabel(field)}:`]);
      for (const child of value) {
        if (child !== null && typeof child === 'object' && !Array.isArray(child)) unstructuredLines(child as Record<string, unknown>, level + 1, path, skip, out);
        else out.push([`${pad}  ${String(child)}`]);
      }
    } else if (value !== null && typeof value === 'object') {
      out.push([`${pad}${smartLabel(field)}:`]);
      unstructuredLines(value as Record<string, unknown>, level + 1, path, skip, out);
    } else out.push([`${pad}${smartLabel(field)}:`, value === null ? '<nil>' : String(value)]);
  }
}

/**
 * Go's tabwriter as describe.go sets it up (padding 2): the keys of consecutive key-value lines share a
 * width (the longest plus 2); a line without a value ends the block.
 */
function tabbed(lines: readonly DescribeLine[]): string {
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    if (lines[i]!.length === 1) {
      out.push(lines[i++]![0]);
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j]!.length === 2) j++;
    const width = Math.max(...lines.slice(i, j).map((l) => l[0].length)) + 2;
    for (; i < j; i++) out.push(`${lines[i]![0].padEnd(width)}${lines[i]![1]!}`);
  }
  return out.join('\n');
}

/**
 * `kubectl describe` of a kind without its own describer (Lease): kubectl's generic describer
 * (describe.go `genericDescriber`) over the served object: Name, Namespace, Labels, Annotations, then
 * every other field of the API view (sorted, nested, `smartLabelFor` labels; managedFields, name,
 * namespace, labels and annotations of the metadata left out), then its Events.
 */
export function describeGeneric(state: SimState, obj: KubeObject): string {
  const api = toApi(obj, state);
  const labels = Object.keys(obj.metadata.labels).sort();
  const annotations = Object.keys(obj.metadata.annotations).sort();
  const lines: DescribeLine[] = [
    ['Name:', obj.metadata.name],
    ['Namespace:', obj.metadata.namespace],
    ...(labels.length === 0 ? [['Labels:', '<none>'] as DescribeLine] : labels.map((k, i): DescribeLine => [i === 0 ? 'Labels:' : '', `${k}=${obj.metadata.labels[k]!}`])),
    ...(annotations.length === 0 ? [['Annotations:', '<none>'] as DescribeLine] : annotations.map((k, i): DescribeLine => [i === 0 ? 'Annotations:' : '', `${k}: ${obj.metadata.annotations[k]!}`])),
  ];
  unstructuredLines(api, 0, '', ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations'], lines);
  const events = eventsSection(state, obj.kind, obj.metadata.name, obj.metadata.namespace);
  if (events === 'Events:  <none>') return tabbed([...lines, ['Events:', '<none>']]);
  return `${tabbed(lines)}\n${events}`;
}

/**
 * (added, issue 6) `kubectl describe pvc NAME` (describe.go PersistentVolumeClaimDescriber): class,
 * status, volume, labels, annotations, the `kubernetes.io/pvc-protection` finalizer, capacity and access
 * modes (bound claims), volume mode, the Pods that use it (`Used By`), Events.
 */
export function describePersistentVolumeClaim(state: SimState, pvc: PersistentVolumeClaim): string {
  const labels = Object.keys(pvc.metadata.labels).sort();
  const annotations = Object.keys(pvc.metadata.annotations).sort();
  const users = Object.values(state.pods)
    .filter((p) => p.metadata.namespace === pvc.metadata.namespace && (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name))
    .map((p) => p.metadata.name)
    .sort();
  const bound = pvc.spec.volumeName !== '';
  const lines: DescribeLine[] = [
    ['Name:', pvc.metadata.name],
    ['Namespace:', pvc.metadata.namespace],
    ['StorageClass:', claimClass(pvc)],
    ['Status:', pvc.metadata.deletionTimestamp !== undefined ? `Terminating (lasts ${humanDuration(state.t - pvc.metadata.deletionTimestamp)})` : pvc.status.phase], // describe.go: a claim held by PVC protection
    ['Volume:', pvc.spec.volumeName],
    ...(labels.length === 0 ? [['Labels:', '<none>'] as DescribeLine] : labels.map((k, i): DescribeLine => [i === 0 ? 'Labels:' : '', `${k}=${pvc.metadata.labels[k]!}`])),
    ...(annotations.length === 0 ? [['Annotations:', '<none>'] as DescribeLine] : annotations.map((k, i): DescribeLine => [i === 0 ? 'Annotations:' : '', `${k}: ${pvc.metadata.annotations[k]!}`])),
    ['Finalizers:', '[kubernetes.io/pvc-protection]'],
    ['Capacity:', bound ? pvc.status.capacity.storage : ''],
    ['Access Modes:', bound ? accessModesString(pvc.status.accessModes) : ''],
    ['VolumeMode:', pvc.spec.volumeMode],
    ...(users.length === 0 ? [['Used By:', '<none>'] as DescribeLine] : users.map((u, i): DescribeLine => [i === 0 ? 'Used By:' : '', u])),
  ];
  const events = eventsSection(state, 'PersistentVolumeClaim', pvc.metadata.name, pvc.metadata.namespace);
  if (events === 'Events:  <none>') return tabbed([...lines, ['Events:', '<none>']]);
  return `${tabbed(lines)}\n${events}`;
}

/**
 * `kubectl describe priorityclass` (describe.go describePriorityClass): Name, Value, GlobalDefault,
 * PreemptionPolicy, Description, Annotations (labels.FormatLabels: `k=v`, `<none>`), then Events.
 */
export function describePriorityClass(state: SimState, pc: PriorityClass): string {
  const ann = Object.keys(pc.metadata.annotations).sort().map((k) => `${k}=${pc.metadata.annotations[k]!}`).join(',');
  const entries: [string, string][] = [
    ['Name', pc.metadata.name],
    ['Value', String(pc.value)],
    ['GlobalDefault', String(pc.globalDefault === true)],
    ['PreemptionPolicy', pc.preemptionPolicy ?? ''],
    ['Description', pc.description ?? ''],
    ['Annotations', ann === '' ? '<none>' : ann],
  ];
  // No events: `Events:\t<none>` is written through the same tabwriter, so it aligns with the fields.
  const events = eventsSection(state, 'PriorityClass', pc.metadata.name, '');
  if (events === 'Events:  <none>') return fields([...entries, ['Events', '<none>']]);
  return [fields(entries), events].join('\n');
}

/** describe.go's Name / Namespace / Labels / Annotations head (printLabelsMultiline, printAnnotationsMultiline), as tabbed lines. */
function metaLines(meta: KubeObject['metadata']): DescribeLine[] {
  const labels = Object.keys(meta.labels).sort();
  const annotations = Object.keys(meta.annotations).sort();
  return [
    ['Name:', meta.name],
    ['Namespace:', meta.namespace],
    ...(labels.length === 0 ? [['Labels:', '<none>'] as DescribeLine] : labels.map((k, i): DescribeLine => [i === 0 ? 'Labels:' : '', `${k}=${meta.labels[k]!}`])),
    ...(annotations.length === 0 ? [['Annotations:', '<none>'] as DescribeLine] : annotations.map((k, i): DescribeLine => [i === 0 ? 'Annotations:' : '', `${k}: ${meta.annotations[k]!}`])),
  ];
}

/**
 * (issue 6) `kubectl describe configmap` (describe.go describeConfigMap): the metadata head, `Data` with
 * each key of `data` (sorted) as `KEY:`, `----`, the value, a blank line; `BinaryData` with `KEY: N
 * bytes`; then Events.
 */
export function describeConfigMap(state: SimState, cm: ConfigMap): string {
  const head = tabbed(metaLines(cm.metadata));
  const data = cm.data ?? {};
  const body: string[] = ['', 'Data', '===='];
  for (const k of Object.keys(data).sort()) body.push(`${k}:`, '----', data[k]!, '');
  body.push('', 'BinaryData', '====');
  const bin = cm.binaryData ?? {};
  for (const k of Object.keys(bin).sort()) body.push(`${k}: ${base64Bytes(bin[k]!)?.length ?? 0} bytes`);
  body.push('');
  return [head, ...body, eventsSection(state, 'ConfigMap', cm.metadata.name, cm.metadata.namespace)].join('\n');
}

/**
 * (issue 6) `kubectl describe secret` (describe.go describeSecret): the metadata head, `Type:`, then
 * `Data` with `KEY:  N bytes` per key (sorted; values never printed), no Events section.
 */
export function describeSecret(secret: Secret): string {
  const data = secret.data ?? {};
  const rows: DescribeLine[] = Object.keys(data).sort().map((k) => [`${k}:`, `${base64Bytes(data[k]!)?.length ?? 0} bytes`]);
  return [tabbed(metaLines(secret.metadata)), '', tabbed([['Type:', secret.type]]), '', 'Data', '====', ...(rows.length > 0 ? [tabbed(rows)] : [])].join('\n');
}

/** The kinds {@link describeStored} describes. */
export const DESCRIBED_KINDS: ReadonlySet<string> = new Set(['ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'LimitRange', 'EndpointSlice', 'Lease', 'PersistentVolumeClaim', 'PriorityClass', 'ConfigMap', 'Secret', 'ControllerRevision']);

/**
 * `kubectl describe` of one object of the registered kinds above (and ReplicaSet), or null when `kind`
 * has no describer here (the caller answers the others: pods, nodes, deployments, services, pdb,
 * quota, hpa).
 */
export function describeStored(state: SimState, kind: string, obj: unknown): string | null {
  switch (kind) {
    case 'ReplicaSet': return describeReplicaSetLike(state, obj as ReplicaSet);
    case 'ReplicationController': return describeReplicaSetLike(state, obj as ReplicationController);
    case 'StatefulSet': return describeStatefulSet(state, obj as StatefulSet);
    case 'DaemonSet': return describeDaemonSet(state, obj as DaemonSet);
    case 'Job': return describeJob(state, obj as Job);
    case 'CronJob': return describeCronJob(state, obj as CronJob);
    case 'LimitRange': return describeLimitRange(obj as LimitRange);
    case 'EndpointSlice': return describeEndpointSlice(state, obj as EndpointSlice);
    case 'Lease':
    case 'ControllerRevision': // (issue 6) no describer of its own: the generic one, as kubectl
      return describeGeneric(state, obj as KubeObject);
    case 'PersistentVolumeClaim': return describePersistentVolumeClaim(state, obj as PersistentVolumeClaim);
    case 'PriorityClass': return describePriorityClass(state, obj as PriorityClass);
    case 'ConfigMap': return describeConfigMap(state, obj as ConfigMap);
    case 'Secret': return describeSecret(obj as Secret);
    default: return null;
  }
}

/** Namespaces every cluster has, besides those its objects use (as server/k8s/resources.ts serves them). */
const BUILT_IN_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** The cluster's namespaces: the built-in four and every namespace an object is in, sorted. */
export function namespaceNames(state: SimState): string[] {
  const names = new Set(BUILT_IN_NAMESPACES);
  for (const def of KINDS) {
    if (!def.namespaced) continue;
    const store = def.store(state);
    for (const k in store) names.add(store[k]!.metadata.namespace);
  }
  return [...names].sort();
}

/**
 * `kubectl describe namespace NAME` (describeNamespace): Name, Labels (`kubernetes.io/metadata.name`),
 * Annotations, Status Active, then its ResourceQuotas (DescribeResourceQuotas: `No resource quota.`
 * when none) and LimitRanges (DescribeLimitRanges: `No LimitRange resource.`).
 */
export function describeNamespace(state: SimState, name: string): string {
  const head = fields([['Name', name], ['Labels', `kubernetes.io/metadata.name=${name}`], ['Annotations', '<none>'], ['Status', 'Active']]);
  const quotas = Object.keys(state.resourceQuotas ?? {}).sort().map((k) => state.resourceQuotas![k]!).filter((q) => q.metadata.namespace === name);
  const quotaText = quotas.length === 0 ? 'No resource quota.' : 'Resource Quotas\n' + quotas.map((q) => indent(fields([['Name', q.metadata.name]], 15) + '\n' + table(['Resource', 'Used', 'Hard'], [['--------', '---', '---'], ...quotaRows(state, q).map((r) => [r.resource, r.used, r.hard])], { gap: 2 }), 2)).join('\n');
  const ranges = Object.keys(state.limitRanges ?? {}).sort().map((k) => state.limitRanges![k]!).filter((l) => l.metadata.namespace === name);
  const limitText = ranges.length === 0 ? 'No LimitRange resource.' : 'Resource Limits\n' + ranges.map((lr) => limitTable(lr, true)).join('\n');
  return [head, '', quotaText, '', limitText].join('\n');
}

/**
 * `kubectl describe endpointslice` (describeEndpointSlice, discovery/v1): Name, Namespace, Labels,
 * Annotations, AddressType, the Ports table, one `- Addresses:` block per endpoint (Conditions Ready,
 * Hostname, TargetRef, NodeName, Zone) from the slice's API view, then Events.
 */
export function describeEndpointSlice(state: SimState, slice: EndpointSlice): string {
  const api = toApi(slice as unknown as KubeObject, state) as { endpoints?: { addresses?: string[]; conditions?: { ready?: boolean }; hostname?: string; targetRef?: { kind: string; name: string }; nodeName?: string; zone?: string }[]; ports?: { name?: string; port?: number; protocol?: string }[] };
  const head = fields([
    ['Name', slice.metadata.name],
    ['Namespace', slice.metadata.namespace],
    ['Labels', multiline(slice.metadata.labels)],
    ['Annotations', multiline(slice.metadata.annotations, ': ')],
    ['AddressType', slice.addressType],
  ]);
  const ports = api.ports ?? [];
  const portText = ports.length === 0 ? 'Ports: <unset>' : 'Ports:\n' + indent(table(['Name', 'Port', 'Protocol'], [['----', '----', '--------'], ...ports.map((p) => [p.name ?? '<unset>', p.port === undefined ? '<unset>' : String(p.port), p.protocol ?? '<unset>'])], { gap: 2 }), 2);
  const eps = api.endpoints ?? [];
  let epText = 'Endpoints: <none>';
  if (eps.length > 0) {
    const lines: ([string, string] | string)[] = [];
    for (const e of eps) {
      lines.push(['  - Addresses:', (e.addresses ?? []).join(', ') || '<none>']);
      lines.push('    Conditions:');
      lines.push(['      Ready:', e.conditions?.ready === undefined ? '<unset>' : String(e.conditions.ready)]);
      lines.push(['    Hostname:', e.hostname ?? '<unset>']);
      if (e.targetRef) lines.push(['    TargetRef:', `${e.targetRef.kind}/${e.targetRef.name}`]);
      lines.push(['    NodeName:', e.nodeName ?? '<unset>']);
      lines.push(['    Zone:', e.zone ?? '<unset>']);
    }
    const width = Math.max(...lines.filter((l): l is [string, string] => typeof l !== 'string').map(([k]) => k.length)) + 2;
    epText = 'Endpoints:\n' + lines.map((l) => (typeof l === 'string' ? l : `${l[0].padEnd(width)}${l[1]}`)).join('\n');
  }
  return [head, portText, epText, eventsSection(state, 'EndpointSlice', slice.metadata.name, slice.metadata.namespace)].join('\n');
}
