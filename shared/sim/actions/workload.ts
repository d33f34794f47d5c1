/**
 * `kubectl create -f` / `apply -f` of a new Deployment or Service, and `kubectl delete deployment`.
 * The manifest (YAML or JSON text of one object) is read by shared/manifests like a scenario's
 * workloads (`loadManifests`: the same fields, defaults and validation) and stored through the API
 * server's `createObject`; the controllers then do the rest on the next ticks, as in a real cluster:
 * a new Deployment gets its ReplicaSet and Pods (scheduled, pulled, started by the kubelet), a new
 * Service its EndpointSlice. Neither is part of the scenario's call graph: no request traffic reaches
 * them (their Pods still use Node capacity).
 *
 * Delete (cascading, K pkg/controller/garbagecollector): `Background` (kubectl's default) and
 * `Foreground` remove the Deployment now, its ReplicaSets now and delete their Pods gracefully (a
 * simplification of Foreground, where the Deployment would stay, with a `deletionTimestamp`, until its
 * dependents are gone); `Orphan` (`--cascade=orphan`) removes only the Deployment and clears its
 * ReplicaSets' owner references, so they and their Pods keep running.
 */
import { createObject, ensureImageProfile, findDeployment, notFound } from '../apiserver.ts';
import { deploymentFromManifest, serviceFromManifest } from '../create.ts';
import { newUid } from '../apiserver.ts';
import { objKey, splitKey } from '../names.ts';
import { formatManifestError, loadManifests, type LoadedManifests } from '../../manifests/load.ts';
import type { SimState } from '../types.ts';
import { reject, type Handled } from './handler.ts';
import { cascadeDelete, type Propagation } from './objects.ts';

/** One object of `want` (`Deployment` / `Service`) from a manifest, or a rejection with the loader's text. */
function oneObject(manifest: string, want: 'Deployment' | 'Service'): LoadedManifests | Handled {
  const loaded = loadManifests(manifest);
  if (loaded.errors.length > 0) return reject(`error: error validating data: ${loaded.errors.map((e) => formatManifestError(e)).join('; ')}`);
  const count = loaded.deployments.length + loaded.services.length + loaded.workloads.length;
  const mine = want === 'Deployment' ? loaded.deployments.length : loaded.services.length;
  if (count !== 1 || mine !== 1) return reject(`error: expected exactly one ${want} in the manifest (found ${loaded.deployments.length} Deployment(s), ${loaded.services.length} Service(s), ${loaded.workloads.length} other workload(s))`);
  return loaded;
}

/** `kubectl create -f deployment.yaml`: stores the Deployment; its ReplicaSet and Pods follow. */
export function createDeploymentAction(state: SimState, manifest: string): Handled {
  const loaded = oneObject(manifest, 'Deployment');
  if ('result' in loaded) return loaded;
  const m = loaded.deployments[0]!;
  const ns = m.metadata.namespace ?? 'default';
  if (Object.hasOwn(state.deployments, objKey(ns, m.metadata.name))) return reject(`Error from server (AlreadyExists): deployments.apps "${m.metadata.name}" already exists`);
  const d = deploymentFromManifest(state, m, newUid(state));
  for (const c of d.spec.template.spec.containers) ensureImageProfile(state, c.image);
  const r = createObject(state, 'Deployment', d);
  if (!r.ok) return reject(r.error);
  return { result: { ok: true, message: `deployment.apps/${d.metadata.name} created`, completesAt: state.t } };
}

/** `kubectl create -f service.yaml`: stores the Service; the EndpointSlice controller fills its endpoints. */
export function createServiceAction(state: SimState, manifest: string): Handled {
  const loaded = oneObject(manifest, 'Service');
  if ('result' in loaded) return loaded;
  const m = loaded.services[0]!;
  const ns = m.metadata.namespace ?? 'default';
  if (Object.hasOwn(state.services, objKey(ns, m.metadata.name))) return reject(`Error from server (AlreadyExists): services "${m.metadata.name}" already exists`);
  const used = new Set(Object.values(state.services).map((s) => s.spec.clusterIP));
  let i = Object.keys(state.services).length;
  let svc = serviceFromManifest(state, m, i);
  while (used.has(svc.spec.clusterIP) && i < 60_000) svc = serviceFromManifest(state, m, ++i);
  svc.metadata.creationTimestamp = state.t;
  const r = createObject(state, 'Service', svc);
  if (!r.ok) return reject(r.error);
  return { result: { ok: true, message: `service/${svc.metadata.name} created`, completesAt: state.t } };
}

/** `kubectl delete deployment NAME [--cascade=...]`: the generic cascade of ./objects.ts (see the module doc). */
export function deleteDeploymentAction(state: SimState, name: string, propagation: Propagation = 'Background'): Handled {
  const f = findDeployment(state, name);
  if (!f) return reject(notFound('deployments.apps', splitKey(name).name));
  const dName = f.deployment.metadata.name;
  const r = cascadeDelete(state, 'Deployment', f.key, propagation);
  if (!r.ok) return reject(r.error);
  return { result: { ok: true, message: `deployment.apps "${dName}" deleted`, completesAt: r.done }, pending: r.pending };
}
