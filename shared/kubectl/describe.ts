/**
 * `kubectl describe pod|node|deployment|service NAME`: the key fields of K
 * staging/src/k8s.io/kubectl/pkg/describe/describe.go, ending with the object's Events (aggregated like
 * the API server's event series: `2m (x4 over 5m)`).
 *
 * May import: ../sim/* (read only), ./*.
 */
import type { Container, ContainerState, Deployment, Node, Pod, Probe, Service, SimState } from '../sim/types.ts';
import { nodeDisplayStatus } from '../sim/status.ts';
import { latestOfSeries } from '../sim/events.ts';
import { lastSeen } from './get.ts';
import { podOwnerKey } from '../sim/cache.ts';
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
  return 'Events:\n' + indent(table(['Type', 'Reason', 'Age', 'From', 'Message'], rows, { gap: 2, rule: true }), 2);
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

function containerBlock(c: Container, pod: Pod | null, inner = 2): string {
  const entries: [string, string][] = [['Image', c.image]];
  const port = c.ports[0];
  entries.push(['Port', port ? `${port.containerPort}/${port.protocol ?? 'TCP'}` : '<none>']);
  const status = pod?.status.containerStatuses.find((s) => s.name === c.name);
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
  return `${c.name}:\n` + indent([head, ...res, fields(tail)].join('\n'), inner);
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
  const owner = podOwnerKey(pod);
  const entries: [string, string][] = [
    ['Name', pod.metadata.name],
    ['Namespace', pod.metadata.namespace],
    ['Priority', '0'],
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
  entries.push(['Controlled By', owner ? `ReplicaSet/${owner.slice(owner.indexOf('/') + 1)}` : '<none>']);
  const order = ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'];
  const conds = [...pod.status.conditions].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  const parts = [
    fields(entries, 16),
    'Containers:\n' + indent(pod.spec.containers.map((c) => containerBlock(c, pod)).join('\n'), 2),
    'Conditions:\n' + indent(table(['Type', 'Status'], conds.map((c) => [c.type, c.status]), { gap: 2 }), 2),
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
  const template =
    'Pod Template:\n' +
    indent(fields([['Labels', multiline(d.spec.template.metadata.labels)]]) + '\nContainers:\n' + indent(d.spec.template.spec.containers.map((c) => containerBlock(c, null, 1)).join('\n'), 1), 2);
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
    .map((p) => `${podIp(state, p)}${typeof target === 'number' ? `:${target}` : ''}`);
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
