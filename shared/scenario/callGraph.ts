/**
 * Which Service calls which, inferred from the manifests the way a reader would: a container env value
 * such as `cartservice:7070`, `http://reviews:9080/` or `redis-cart.default.svc.cluster.local:6379`
 * names another Service, so the caller's Service depends on it. Also: which Services select which
 * Deployments (Service `spec.selector` is a subset of the pod template labels, as kube-proxy/endpoint
 * slices use it: kubernetes pkg/controller/endpointslice), and which Service is user-facing.
 *
 * Keys and values of the call graph are Service references: the name for the `default` namespace, else
 * `namespace/name` (what the sim's `objKey` accepts). Every Deployment is represented by one
 * "canonical" Service (see {@link canonicalServiceName}) so aliases such as Online Boutique's
 * `frontend-external` (a LoadBalancer over the same pods as `frontend`) do not appear twice.
 * Deployments that no Service selects (e.g. a load generator) receive no traffic and add no edges.
 *
 * Pure and deterministic: every list is sorted. Imports only types.
 */
import type { DeploymentManifest, ServiceManifest } from '../sim/types.ts';

/** Namespace of an object as the API server sees it (`default` when unset). */
export function namespaceOf(o: { metadata: { namespace?: string } }): string {
  return o.metadata.namespace ?? 'default';
}

/** `name` in the default namespace, else `namespace/name`. */
export function objectRef(o: { metadata: { name: string; namespace?: string } }): string {
  const ns = namespaceOf(o);
  return ns === 'default' ? o.metadata.name : `${ns}/${o.metadata.name}`;
}

/** A reference as written by a user, normalised like {@link objectRef} (`default/web` -> `web`). */
export function normalizeRef(ref: string): string {
  return ref.startsWith('default/') ? ref.slice('default/'.length) : ref;
}

/** True when a non-empty `selector` is a subset of `labels` (an empty selector selects nothing). */
export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector ?? {});
  return keys.length > 0 && keys.every((k) => labels[k] === selector![k]);
}

/** Deployments (same namespace) whose pods a Service selects, sorted by reference. */
export function deploymentsOfService(service: ServiceManifest, deployments: readonly DeploymentManifest[]): DeploymentManifest[] {
  return deployments
    .filter((d) => namespaceOf(d) === namespaceOf(service) && selectorMatches(service.spec.selector, d.spec.template.metadata.labels))
    .sort((a, b) => cmp(objectRef(a), objectRef(b)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The one Service (as a reference) that stands for a Deployment in the call graph, or null when no
 * Service of its namespace selects it.
 * Preference: same name as the Deployment; then same name as its `app` label; then a ClusterIP Service
 * (internal callers use those); then the alphabetically first.
 */
export function canonicalServiceName(deployment: DeploymentManifest, services: readonly ServiceManifest[]): string | null {
  const labels = deployment.spec.template.metadata.labels;
  const ns = namespaceOf(deployment);
  const candidates = services.filter((s) => namespaceOf(s) === ns && selectorMatches(s.spec.selector, labels));
  if (candidates.length === 0) return null;
  const rank = (s: ServiceManifest): number =>
    s.metadata.name === deployment.metadata.name ? 0 : s.metadata.name === labels.app ? 1 : (s.spec.type ?? 'ClusterIP') === 'ClusterIP' ? 2 : 3;
  return objectRef([...candidates].sort((a, b) => rank(a) - rank(b) || cmp(a.metadata.name, b.metadata.name))[0]!);
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const HOST_PORT = /^(?:[^@/]*@)?([a-z0-9][a-z0-9.-]*)(?::(\d+))?(?:[/?#].*)?$/i;
const CLUSTER_SUFFIX = /^([a-z0-9-]+)(\.svc(\.cluster\.local)?)?$/;

/**
 * Services an env value may point at: tokens with a port (`host:port`) or a URL scheme
 * (`http://host/...`); a cluster DNS name `name.namespace[.svc[.cluster.local]]` also gives the
 * namespace (Kubernetes DNS for Services: `<service>.<namespace>.svc.cluster.local`).
 * Bare words (`dns`, `true`) are not references.
 */
export function referencedHosts(value: string): { name: string; namespace?: string }[] {
  const hosts: { name: string; namespace?: string }[] = [];
  for (const token of value.split(/[\s,;]+/)) {
    if (!token) continue;
    const scheme = SCHEME.test(token);
    const m = HOST_PORT.exec(token.replace(SCHEME, ''));
    if (!m || (!scheme && m[2] === undefined)) continue;
    const host = m[1]!.toLowerCase();
    const dot = host.indexOf('.');
    if (dot < 0) {
      hosts.push({ name: host });
      continue;
    }
    const suffix = CLUSTER_SUFFIX.exec(host.slice(dot + 1));
    if (suffix) hosts.push({ name: host.slice(0, dot), namespace: suffix[1]! });
  }
  return hosts;
}

/**
 * Infers `Service reference -> sorted downstream Service references` from env values. Keys: the
 * canonical Service of every Deployment some Service selects (with `[]` when it calls nothing). Values:
 * canonical Services named in its containers' env values (a bare host is looked up in the caller's
 * namespace), self-references dropped.
 */
export function inferCallGraph(deployments: readonly DeploymentManifest[], services: readonly ServiceManifest[]): Record<string, string[]> {
  const sortedDeployments = [...deployments].sort((a, b) => cmp(objectRef(a), objectRef(b)));
  const canonical = new Map<DeploymentManifest, string>();
  for (const d of sortedDeployments) {
    const c = canonicalServiceName(d, services);
    if (c !== null) canonical.set(d, c);
  }
  const keys = new Set(canonical.values());
  /** A Service named in env -> the canonical Service of the pods behind it. */
  const resolve = (name: string, namespace: string): string | null => {
    const svc = services.find((s) => s.metadata.name === name && namespaceOf(s) === namespace);
    if (!svc) return null;
    if (keys.has(objectRef(svc))) return objectRef(svc);
    const first = deploymentsOfService(svc, sortedDeployments)[0];
    return first ? (canonical.get(first) ?? null) : null;
  };
  const edges = new Map<string, Set<string>>([...keys].map((k) => [k, new Set<string>()]));
  for (const d of sortedDeployments) {
    const from = canonical.get(d);
    if (from === undefined) continue;
    for (const c of d.spec.template.spec.containers) {
      for (const e of c.env ?? []) {
        for (const host of referencedHosts(e.value ?? '')) {
          const to = resolve(host.name, host.namespace ?? namespaceOf(d));
          if (to !== null && to !== from) edges.get(from)!.add(to);
        }
      }
    }
  }
  const graph: Record<string, string[]> = Object.create(null);
  for (const k of [...keys].sort(cmp)) graph[k] = [...edges.get(k)!].sort(cmp);
  return graph;
}

/**
 * Warnings for env values that name a Service (as {@link referencedHosts} reads them: `host:port`, a
 * URL, a cluster DNS name) which is not in the manifests: the call graph cannot have that edge, so the
 * reader should know (a typo, or a dependency deployed elsewhere). Hosts that cannot be Service names
 * (not starting with a letter: `10.0.0.1:80`) are not reported. Sorted by Deployment, container, env.
 * E.g. `Deployment "orders" container "orders" env ZIPKIN: "zipkin.jaeger.svc.cluster.local:9411"
 * names Service "jaeger/zipkin", which is not in the manifests (no call-graph edge for it)`.
 */
export function unknownServiceReferences(deployments: readonly DeploymentManifest[], services: readonly ServiceManifest[]): string[] {
  const known = new Set(services.map((s) => `${namespaceOf(s)}/${s.metadata.name}`));
  const out: string[] = [];
  for (const d of [...deployments].sort((a, b) => cmp(objectRef(a), objectRef(b)))) {
    for (const c of d.spec.template.spec.containers) {
      for (const e of c.env ?? []) {
        const missing = new Set<string>();
        for (const host of referencedHosts(e.value ?? '')) {
          if (!/^[a-z]/.test(host.name)) continue;
          const ns = host.namespace ?? namespaceOf(d);
          if (!known.has(`${ns}/${host.name}`)) missing.add(ns === 'default' ? host.name : `${ns}/${host.name}`);
        }
        for (const m of [...missing].sort(cmp)) {
          out.push(`${d.kind ?? 'Deployment'} "${objectRef(d)}" container "${c.name}" env ${e.name}: ${JSON.stringify(e.value)} names Service "${m}", which is not in the manifests (no call-graph edge for it)`);
        }
      }
    }
  }
  return out;
}

/** Services nobody calls, sorted. */
export function callGraphRoots(graph: Record<string, string[]>): string[] {
  const called = new Set(Object.values(graph).flat());
  return Object.keys(graph).filter((k) => !called.has(k)).sort(cmp);
}

/** Number of Services reachable from `root` (itself excluded). */
function reach(graph: Record<string, string[]>, root: string): number {
  const seen = new Set<string>([root]);
  const stack = [root];
  while (stack.length > 0) {
    for (const next of graph[stack.pop()!] ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen.size - 1;
}

const FRONT_NAMES = /front|web|ui|gateway|page|portal|shop|store|api/;

/**
 * The Service whose SLIs are scored when nothing says so: the canonical Service behind the first
 * LoadBalancer or NodePort Service (document order); else the call-graph root that reaches the most
 * Services (ties: a front-end-like name, then alphabetical). Null when there is no Service at all.
 */
export function inferUserFacingService(
  deployments: readonly DeploymentManifest[],
  services: readonly ServiceManifest[],
  graph: Record<string, string[]>,
): { service: string; reason: string } | null {
  for (const s of services) {
    if (s.spec.type !== 'LoadBalancer' && s.spec.type !== 'NodePort') continue;
    const first = deploymentsOfService(s, deployments)[0];
    if (!first) continue;
    const c = canonicalServiceName(first, services) ?? objectRef(s);
    return { service: c, reason: `behind ${s.spec.type} Service "${objectRef(s)}"` };
  }
  const roots = callGraphRoots(graph);
  if (roots.length === 0) return null;
  const score = (r: string) => reach(graph, r) * 2 + (FRONT_NAMES.test(r) ? 1 : 0);
  const best = [...roots].sort((a, b) => score(b) - score(a) || cmp(a, b))[0]!;
  return { service: best, reason: 'no LoadBalancer or NodePort Service: picked the call-graph root that reaches the most Services' };
}
