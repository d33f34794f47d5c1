/**
 * API discovery documents (https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api):
 * the unaggregated ones (`/api` APIVersions, `/apis` APIGroupList, `/api/v1` and `/apis/G/V`
 * APIResourceList) and the aggregated `apidiscovery.k8s.io/v2` APIGroupDiscoveryList kubectl 1.32 asks
 * for first (`Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,...`), plus
 * `/version`. Built from ./resources.ts `RESOURCES`.
 *
 * May import: ./resources.ts.
 */
import { GROUP_VERSIONS, RESOURCES, groupVersion, type Resource } from './resources.ts';

/** The Kubernetes version the API reports (`kubectl version`), the nodes' kubelet version. */
export const SERVER_VERSION = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.1',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T00:00:00Z',
  goVersion: 'go1.24.2',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Content type of an aggregated discovery answer. */
export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True when `accept` asks for the v2 aggregated discovery document. */
export function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((s) => s.trim());
    return params.includes('g=apidiscovery.k8s.io') && params.includes('v=v2') && params.includes('as=APIGroupDiscoveryList');
  });
}

/** `/api`: APIVersions. */
export function apiVersions(): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }] };
}

function named(): { group: string; version: string }[] {
  return GROUP_VERSIONS.filter((g) => g.group !== '');
}

/** `/apis`: APIGroupList (one version per group). */
export function apiGroupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: named().map((g) => {
      const v = { groupVersion: groupVersion(g), version: g.version };
      return { name: g.group, versions: [v], preferredVersion: v };
    }),
  };
}

/** `/api/v1`, `/apis/G/V`: APIResourceList, or undefined for a group version not served. */
export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const rs = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (rs.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of rs) {
    const entry: Record<string, unknown> = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames.length > 0) entry['shortNames'] = r.shortNames;
    if (r.categories.length > 0) entry['categories'] = r.categories;
    resources.push(entry);
    for (const s of r.subresources) {
      resources.push({ name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced, group: s.group, version: s.version, kind: s.kind, verbs: s.verbs });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources };
}

function discoveryResource(r: Resource): Record<string, unknown> {
  const out: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length > 0) out['shortNames'] = r.shortNames;
  if (r.categories.length > 0) out['categories'] = r.categories;
  if (r.subresources.length > 0) {
    out['subresources'] = r.subresources.map((s) => ({ subresource: s.name, responseKind: { group: s.group, version: s.version, kind: s.kind }, verbs: s.verbs }));
  }
  return out;
}

/**
 * The aggregated APIGroupDiscoveryList of `/api` (`core` = true: the legacy group, no name) or
 * `/apis` (every named group).
 */
export function aggregatedDiscovery(core: boolean): Record<string, unknown> {
  const groups = core ? GROUP_VERSIONS.filter((g) => g.group === '') : named();
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((g) => ({
      metadata: core ? { creationTimestamp: null } : { name: g.group, creationTimestamp: null },
      versions: [{ version: g.version, resources: RESOURCES.filter((r) => r.group === g.group && r.version === g.version).map(discoveryResource), freshness: 'Current' }],
    })),
  };
}
