/**
 * Reading console output the way a player reads it: kubectl tables (columns found from the header's
 * offsets, because cells hold spaces: `2 (15s ago)`, `LAST SEEN`), kubectl ages (`5m12s`, `25m`,
 * `2h10m`), memory quantities (`128Mi`), `kubectl describe pod` blocks and etcdctl's `member list` /
 * `endpoint health` lines, `get resourcequota` / `get hpa` cells, `endpoint status -w json` and `drain`
 * refusals. Pure string functions; nothing here looks at the cluster.
 *
 * May import: nothing.
 */

/** One table row, cells by header name (the header text as printed, e.g. `RESTARTS`, `NOMINATED NODE`). */
export type Row = ReadonlyMap<string, string>;

/**
 * Parses a kubectl table (header line, then rows). Columns start where a header word starts after a
 * run of two or more spaces (kubectl pads with at least 3); each cell is the text between its column's
 * start and the next column's start, trimmed. Lines that are not table rows (blank) are skipped.
 * Returns [] for text without a header.
 */
export function parseTable(text: string): Row[] {
  const lines = text.split('\n');
  const header = lines[0] ?? '';
  if (header.trim() === '') return [];
  const starts: { name: string; at: number }[] = [];
  const re = /\S+(?: \S+)*/g;
  for (let m = re.exec(header); m !== null; m = re.exec(header)) starts.push({ name: m[0], at: m.index });
  const rows: Row[] = [];
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const row = new Map<string, string>();
    starts.forEach((col, i) => {
      const end = i + 1 < starts.length ? starts[i + 1]!.at : line.length;
      row.set(col.name, line.slice(col.at, Math.max(col.at, end)).trim());
    });
    rows.push(row);
  }
  return rows;
}

/** A cell of `row` (`''` when the column is missing). */
export function cell(row: Row, column: string): string {
  return row.get(column) ?? '';
}

/**
 * Seconds of a kubectl age (`HumanDuration`: `45s`, `5m12s`, `25m`, `2h10m`, `3d4h`, `2y10d`), or NaN.
 * The result is the lower bound of what the text stands for (`25m` = 1500 s).
 */
export function parseAge(text: string): number {
  const m = /^(?:(\d+)y)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!m || text.trim() === '') return Number.NaN;
  const [, y, d, h, min, s] = m;
  const n = (x: string | undefined) => (x === undefined ? 0 : Number(x));
  return n(y) * 365 * 86400 + n(d) * 86400 + n(h) * 3600 + n(min) * 60 + n(s);
}

/** The restart count of a RESTARTS cell (`0`, `2 (15s ago)`), or 0. */
export function parseRestarts(text: string): number {
  const m = /^(\d+)/.exec(text.trim());
  return m ? Number(m[1]) : 0;
}

const MEMORY_UNITS: readonly (readonly [string, number])[] = [
  ['Ki', 1 / 1024],
  ['Mi', 1],
  ['Gi', 1024],
  ['Ti', 1024 * 1024],
  ['k', 1000 / 1048576],
  ['M', 1e6 / 1048576],
  ['G', 1e9 / 1048576],
  ['T', 1e12 / 1048576],
];

/** MiB of a memory quantity (`128Mi`, `1Gi`, `500M`, `134217728`), or NaN. */
export function parseMemoryMiB(text: string): number {
  const t = text.trim();
  for (const [suffix, factor] of MEMORY_UNITS) {
    if (t.endsWith(suffix)) {
      const n = Number(t.slice(0, -suffix.length));
      return t.length > suffix.length && Number.isFinite(n) ? n * factor : Number.NaN;
    }
  }
  const bytes = Number(t);
  return t !== '' && Number.isFinite(bytes) ? bytes / 1048576 : Number.NaN;
}

/** The memory quantity to type for `mib` MiB: whole Gi when it is a multiple of 1024, else whole Mi. */
export function formatMemory(mib: number): string {
  const m = Math.ceil(mib);
  return m % 1024 === 0 ? `${m / 1024}Gi` : `${m}Mi`;
}

/** A container of a `kubectl describe pod` block, as the bot needs it. */
export interface DescribedContainer {
  name: string;
  /** `State` reason (`CrashLoopBackOff`, `OOMKilled`...) or ''. */
  stateReason: string;
  /** `Last State` reason (`OOMKilled`, `Error`...) or ''. */
  lastReason: string;
  /** `Limits: memory` in MiB, NaN when there is none. */
  memoryLimitMiB: number;
}

/** What {@link parseDescribePod} reads. */
export interface DescribedPod {
  name: string;
  namespace: string;
  /** `Controlled By: ReplicaSet/NAME` -> NAME, or ''. */
  replicaSet: string;
  /** The `Labels:` block's `key=value` lines, in printed order. */
  labels: string[];
  /** A static Pod's mirror (the kubelet runs it from a manifest file: `kubernetes.io/config.source: file` or `config.mirror`). */
  staticPod: boolean;
  containers: DescribedContainer[];
}

/** Reads a `kubectl describe pod` block (kubectl's layout: `Containers:` then two-space-indented names). */
export function parseDescribePod(text: string): DescribedPod {
  const lines = text.split('\n');
  const field = (label: string) => {
    const line = lines.find((l) => l.startsWith(`${label}:`));
    return line === undefined ? '' : line.slice(label.length + 1).trim();
  };
  const controlled = field('Controlled By');
  const block = (label: string): string[] => {
    const i = lines.findIndex((l) => l.startsWith(`${label}:`));
    if (i < 0) return [];
    const out = [lines[i]!.slice(label.length + 1).trim()];
    for (const l of lines.slice(i + 1)) {
      if (!/^\s/.test(l) || l.trim() === '') break;
      out.push(l.trim());
    }
    return out.filter((x) => x !== '' && x !== '<none>');
  };
  const annotations = block('Annotations');
  const pod: DescribedPod = {
    name: field('Name'),
    namespace: field('Namespace'),
    replicaSet: controlled.startsWith('ReplicaSet/') ? controlled.slice('ReplicaSet/'.length) : '',
    labels: block('Labels'),
    staticPod: annotations.some((a) => a === 'kubernetes.io/config.source: file' || a.startsWith('kubernetes.io/config.mirror:')),
    containers: [],
  };
  const start = lines.findIndex((l) => l === 'Containers:');
  if (start < 0) return pod;
  let current: DescribedContainer | undefined;
  let section: 'state' | 'last' | 'limits' | 'other' = 'other';
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break; // the next top-level field (Conditions:...)
    const name = /^ {2}(\S[^:]*):$/.exec(line);
    if (name) {
      current = { name: name[1]!, stateReason: '', lastReason: '', memoryLimitMiB: Number.NaN };
      pod.containers.push(current);
      section = 'other';
      continue;
    }
    if (!current) continue;
    const kv = /^ {4}(\S[^:]*):\s*(.*)$/.exec(line);
    if (kv) {
      const key = kv[1];
      section = key === 'State' ? 'state' : key === 'Last State' ? 'last' : key === 'Limits' ? 'limits' : 'other';
      continue;
    }
    const sub = /^ {6}(\S[^:]*):\s*(.*)$/.exec(line);
    if (!sub) continue;
    const [, key, value = ''] = sub;
    if (key === 'Reason' && section === 'state') current.stateReason = value.trim();
    if (key === 'Reason' && section === 'last') current.lastReason = value.trim();
    if (key === 'memory' && section === 'limits') current.memoryLimitMiB = parseMemoryMiB(value);
  }
  return pod;
}

/** An etcd member of `etcdctl member list` (`ID, STATUS, NAME, PEER ADDRS, CLIENT ADDRS, IS LEARNER`). */
export interface ListedMember {
  name: string;
  /** Client URL, e.g. `https://10.0.0.11:2379`. */
  clientUrl: string;
}

/** Reads `etcdctl member list` (simple format, comma-separated). Lines that do not parse are skipped. */
export function parseMemberList(text: string): ListedMember[] {
  const members: ListedMember[] = [];
  for (const line of text.split('\n')) {
    const parts = line.split(',').map((p) => p.trim());
    if (parts.length < 5 || parts[2] === '') continue;
    members.push({ name: parts[2]!, clientUrl: parts[4]! });
  }
  return members;
}

/** One line of `etcdctl endpoint health`. */
export interface EndpointHealth {
  /** e.g. `https://10.0.0.11:2379`. */
  endpoint: string;
  healthy: boolean;
  /** `connection refused`: the member process is down (not just without a leader). */
  down: boolean;
}

/** Reads `etcdctl endpoint health` (`URL is healthy: ...` / `URL is unhealthy: ...`), in printed order. */
export function parseEndpointHealth(text: string): EndpointHealth[] {
  const out: EndpointHealth[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+) is (healthy|unhealthy):(.*)$/.exec(line.trim());
    if (m) out.push({ endpoint: m[1]!, healthy: m[2] === 'healthy', down: /connection refused/.test(m[3]!) });
  }
  return out;
}

/** The Deployment of a ReplicaSet name (`frontend-w6s4zvblc7` -> `frontend`): the name without its last `-hash`. */
export function deploymentOfReplicaSet(rs: string): string {
  const i = rs.lastIndexOf('-');
  return i > 0 ? rs.slice(0, i) : rs;
}

/** The ReplicaSet of a Deployment's Pod name (`frontend-w6s4zvblc7-tqxkt` -> `frontend-w6s4zvblc7`). */
export function replicaSetOfPod(pod: string): string {
  return deploymentOfReplicaSet(pod);
}

/** Millicores of a CPU quantity (`200m`, `1`, `0.5`), or NaN. */
export function parseMillicores(text: string): number {
  const t = text.trim();
  if (t.endsWith('m')) {
    const n = Number(t.slice(0, -1));
    return t.length > 1 && Number.isFinite(n) ? n : Number.NaN;
  }
  const cores = Number(t);
  return t !== '' && Number.isFinite(cores) ? cores * 1000 : Number.NaN;
}

/** What {@link parseDescribeDeployment} reads. */
export interface DescribedDeployment {
  /** `Replicas: N desired | ...`, NaN when missing. */
  desired: number;
  /** The first container's `Limits: cpu`, millicores, NaN when none. */
  cpuLimitMillicores: number;
}

/** Reads a `kubectl describe deployment` block: desired replicas and the first container's CPU limit. */
export function parseDescribeDeployment(text: string): DescribedDeployment {
  const desired = /^Replicas:\s+(\d+) desired/m.exec(text);
  const cpu = /^\s+Limits:\n(?:\s+\S+:.*\n)*?\s+cpu:\s+(\S+)/m.exec(text);
  return { desired: desired ? Number(desired[1]) : Number.NaN, cpuLimitMillicores: cpu ? parseMillicores(cpu[1]!) : Number.NaN };
}

/** The Service an SLO alert is about: the first word of its summary (`frontend availability burn rate ...`), or ''. */
export function serviceOfAlert(summary: string): string {
  const m = /^(\S+) (?:availability|latency) burn rate/.exec(summary);
  return m ? m[1]! : '';
}

/**
 * A `kubectl get resourcequota` usage cell (`pods: 12/24, requests.cpu: 1570m/1570m`): used and hard
 * quantities (as printed) by resource name. Parts that do not parse are skipped.
 */
export function parseQuotaUsage(text: string): Map<string, { used: string; hard: string }> {
  const out = new Map<string, { used: string; hard: string }>();
  for (const part of text.split(',')) {
    const m = /^\s*([^:\s]+):\s*(\S+)\/(\S+)\s*$/.exec(part);
    if (m) out.set(m[1]!, { used: m[2]!, hard: m[3]! });
  }
  return out;
}

/**
 * A quantity of resource `resource` in its own unit for comparing and scaling: millicores for `cpu`
 * resources (`requests.cpu`, `limits.cpu`, `cpu`), MiB for `memory` ones, else the plain number (`pods`).
 * NaN when it does not parse.
 */
export function quotaAmount(resource: string, text: string): number {
  if (resource.endsWith('cpu')) return parseMillicores(text);
  if (resource.endsWith('memory')) return parseMemoryMiB(text);
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) ? n : Number.NaN;
}

/** The quantity to type for `amount` of `resource` ({@link quotaAmount}'s units): `3140m`, `2Gi`, `48`. */
export function formatQuotaAmount(resource: string, amount: number): string {
  if (resource.endsWith('cpu')) return `${Math.ceil(amount)}m`;
  if (resource.endsWith('memory')) return formatMemory(amount);
  return String(Math.ceil(amount));
}

/** An HPA's current and target utilisation from a `kubectl get hpa` TARGETS cell (`cpu: 121%/80%`), percent; NaN when unknown. */
export function parseHpaTargets(text: string): { current: number; target: number } {
  const m = /(\d+)%\/(\d+)%/.exec(text);
  return m ? { current: Number(m[1]), target: Number(m[2]) } : { current: Number.NaN, target: Number.NaN };
}

/** The highest `revision` in `etcdctl endpoint status -w json` (`[{"Status":{"header":{"revision":N}}}]`), or NaN. */
export function parseEtcdRevision(text: string): number {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return Number.NaN;
  }
  if (!Array.isArray(data)) return Number.NaN;
  let best = Number.NaN;
  for (const entry of data as unknown[]) {
    const rev = (entry as { Status?: { header?: { revision?: unknown } } } | null)?.Status?.header?.revision;
    if (typeof rev === 'number' && Number.isFinite(rev) && !(rev <= best)) best = rev;
  }
  return best;
}

/** The Pods a `kubectl drain` reply says a PodDisruptionBudget protected (`error when evicting pods/"P" -n "NS" ... disruption budget`). */
export function parseDrainRefusals(text: string): { namespace: string; pod: string }[] {
  const out: { namespace: string; pod: string }[] = [];
  for (const m of text.matchAll(/error when evicting pods\/"([^"]+)" -n "([^"]+)".*disruption budget/g)) out.push({ pod: m[1]!, namespace: m[2]! });
  return out;
}
