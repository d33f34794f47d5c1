/**
 * Deployment actions: `kubectl scale`, `rollout undo [--to-revision=N]`, `rollout restart`,
 * `set image`, `set resources`. Each is an immediate API write (completesAt = now); the rollout or
 * scaling then follows through the deployment and ReplicaSet controllers.
 * Messages are kubectl's output (`deployment.apps/frontend scaled`...).
 */
import { findDeployment, notFound, setDeploymentImage, updateObject } from '../apiserver.ts';
import { replicaSetsOf, revisionOf } from '../controllers/deployment.ts';
import { simTimestamp, splitKey, templateHash } from '../names.ts';
import { parseQuantity } from '../../manifests/quantity.ts';
import type { Deployment, ResourceRequirements, SimState } from '../types.ts';
import { reject, type Handled } from './handler.ts';

const ok = (state: SimState, message: string) => ({ ok: true as const, message, completesAt: state.t });

function lookup(state: SimState, name: string): { key: string; deployment: Deployment } | Handled {
  return findDeployment(state, name) ?? reject(notFound('deployments.apps', splitKey(name).name));
}

/** `kubectl scale deployment/NAME --replicas=N`. */
export function scaleAction(state: SimState, name: string, replicas: number): Handled {
  const f = lookup(state, name);
  if ('result' in f) return f;
  const d = f.deployment;
  if (!Number.isInteger(replicas) || replicas < 0) {
    return reject(`The Deployment "${d.metadata.name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`);
  }
  if (d.spec.replicas !== replicas) {
    const r = updateObject(state, 'Deployment', f.key, (x) => {
      x.spec.replicas = replicas;
    }, { generation: true });
    if (!r.ok) return reject(r.error);
  }
  // No player event: the deployment controller records `ScalingReplicaSet` (an invented `Scale` went).
  return { result: ok(state, `deployment.apps/${d.metadata.name} scaled`) };
}

/**
 * `kubectl rollout undo deployment/NAME [--to-revision=N]`: copies the template of the previous revision
 * (or revision N) back into the Deployment; the controller then scales that ReplicaSet up again.
 */
export function undoAction(state: SimState, name: string, toRevision?: number): Handled {
  const f = lookup(state, name);
  if ('result' in f) return f;
  const d = f.deployment;
  const dName = d.metadata.name;
  const rss = replicaSetsOf(state, f.key);
  const hash = templateHash(d.spec.template);
  const current = rss.find((x) => x.rs.metadata.labels['pod-template-hash'] === hash);
  const currentRev = current ? revisionOf(current.rs) : Infinity;
  let target;
  if (toRevision !== undefined && toRevision !== 0) {
    target = rss.find((x) => revisionOf(x.rs) === toRevision);
    if (!target) return reject(`error: unable to find specified revision ${toRevision} in history`);
  } else {
    target = rss.filter((x) => revisionOf(x.rs) < currentRev).at(-1);
    if (!target) return reject(`error: no rollout history found for deployment "${dName}"`);
  }
  if (target === current) {
    return { result: ok(state, `deployment.apps/${dName} skipped rollback (current template already matches revision ${revisionOf(target.rs)})`) };
  }
  const tpl = structuredClone(target.rs.spec.template);
  delete tpl.metadata.labels['pod-template-hash'];
  const r = updateObject(state, 'Deployment', f.key, (x) => {
    x.spec.template = tpl;
  }, { generation: true });
  if (!r.ok) return reject(r.error);
  return { result: ok(state, `deployment.apps/${dName} rolled back`) };
}

/** `kubectl rollout restart deployment/NAME`: stamps `kubectl.kubernetes.io/restartedAt` on the template. */
export function restartAction(state: SimState, name: string): Handled {
  const f = lookup(state, name);
  if ('result' in f) return f;
  const d = f.deployment;
  const r = updateObject(state, 'Deployment', f.key, (x) => {
    const meta = x.spec.template.metadata;
    meta.annotations = { ...(meta.annotations ?? {}), 'kubectl.kubernetes.io/restartedAt': simTimestamp(state.t) };
  }, { generation: true });
  if (!r.ok) return reject(r.error);
  return { result: ok(state, `deployment.apps/${d.metadata.name} restarted`) };
}

/**
 * (added) `kubectl rollout pause|resume deployment/NAME`: sets `spec.paused`. While paused the
 * Deployment controller rolls nothing out (template changes wait; scaling still applies) and resumes
 * the rollout when unpaused. kubectl's own errors for a no-op (`deployments.apps "x" is already
 * paused`, `... is not paused`). Source: W concepts/workloads/controllers/deployment.md (Pausing and
 * Resuming a rollout of a Deployment).
 */
export function pauseAction(state: SimState, name: string, paused: boolean): Handled {
  const f = lookup(state, name);
  if ('result' in f) return f;
  const d = f.deployment;
  if ((d.spec.paused === true) === paused) return reject(`error: deployments.apps "${d.metadata.name}" ${paused ? 'is already paused' : 'is not paused'}`);
  const r = updateObject(state, 'Deployment', f.key, (x) => {
    if (paused) x.spec.paused = true;
    else delete x.spec.paused;
  }, { generation: true });
  if (!r.ok) return reject(r.error);
  return { result: ok(state, `deployment.apps/${d.metadata.name} ${paused ? 'paused' : 'resumed'}`) };
}

/**
 * (added) `kubectl set env deployment/NAME [-c CONTAINER] KEY=VALUE... KEY-`: sets or removes literal
 * env values of the template's containers (all when none named), a template change like `set image`
 * (a new ReplicaSet rolls out). No change is kubectl's `deployment.apps/x env updated` all the same
 * (kubectl prints nothing new; the API answers the unchanged object).
 */
export function setEnvAction(state: SimState, name: string, container: string | undefined, env: readonly { name: string; value: string | null }[]): Handled {
  const f = lookup(state, name);
  if ('result' in f) return f;
  const d = f.deployment;
  const containers = d.spec.template.spec.containers;
  const targets = container === undefined ? containers.map((c) => c.name) : containers.filter((c) => c.name === container).map((c) => c.name);
  if (targets.length === 0) return reject(`error: unable to find container named "${container}"`);
  for (const e of env) {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(e.name)) return reject(`The Deployment "${d.metadata.name}" is invalid: spec.template.spec.containers[0].env[0].name: Invalid value: "${e.name}": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit`);
  }
  const r = updateObject(state, 'Deployment', f.key, (x) => {
    for (const c of x.spec.template.spec.containers) {
      if (!targets.includes(c.name)) continue;
      for (const e of env) {
        const i = c.env.findIndex((v) => v.name === e.name);
        if (e.value === null) {
          if (i >= 0) c.env.splice(i, 1);
        } else if (i >= 0) c.env[i] = { name: e.name, value: e.value };
        else c.env.push({ name: e.name, value: e.value });
      }
    }
  }, { generation: true });
  if (!r.ok) return reject(r.error);
  return { result: ok(state, `deployment.apps/${d.metadata.name} env updated`) };
}

/** `kubectl set image deployment/NAME CONTAINER=IMAGE` (first container when none named). */
export function setImageAction(state: SimState, name: string, image: string, source: string, container?: string): Handled {
  const f = lookup(state, name);
  if ('result' in f) return f;
  return { result: setDeploymentImage(state, f.key, image, source, container) };
}

type Quantities = { cpu?: string; memory?: string };

/**
 * `kubectl set resources deployment/NAME [-c CONTAINER] --limits=... --requests=...` (all containers
 * when none named). Rejects malformed quantities and requests above limits like the API server.
 */
export function setResourcesAction(state: SimState, name: string, container: string | undefined, limits?: Quantities, requests?: Quantities): Handled {
  const f = lookup(state, name);
  if ('result' in f) return f;
  const d = f.deployment;
  const containers = d.spec.template.spec.containers;
  const targets = container === undefined ? containers : containers.filter((c) => c.name === container);
  if (targets.length === 0) return reject(`error: unable to find container named "${container}"`);
  for (const [kind, list] of [['limits', limits], ['requests', requests]] as const) {
    for (const res of ['cpu', 'memory'] as const) {
      const q = list?.[res];
      if (q === undefined) continue;
      let v: number;
      try {
        v = parseQuantity(q);
      } catch {
        return reject(`error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': "${q}"`);
      }
      // API server validation (K pkg/apis/core/validation ValidateResourceQuantityValue).
      if (v < 0) {
        return reject(`The Deployment "${d.metadata.name}" is invalid: spec.template.spec.containers[${containers.indexOf(targets[0]!)}].resources.${kind}[${res}]: Invalid value: "${q}": must be greater than or equal to 0`);
      }
    }
  }
  const updated: ResourceRequirements[] = [];
  for (const c of targets) {
    const r: ResourceRequirements = structuredClone(c.resources);
    if (limits && (limits.cpu !== undefined || limits.memory !== undefined)) r.limits = { ...(r.limits ?? {}), ...limits };
    if (requests && (requests.cpu !== undefined || requests.memory !== undefined)) r.requests = { ...(r.requests ?? {}), ...requests };
    for (const res of ['cpu', 'memory'] as const) {
      const req = r.requests?.[res];
      const lim = r.limits?.[res];
      if (req !== undefined && lim !== undefined && parseQuantity(req) > parseQuantity(lim)) {
        const i = containers.indexOf(c);
        return reject(`The Deployment "${d.metadata.name}" is invalid: spec.template.spec.containers[${i}].resources.requests: Invalid value: "${req}": must be less than or equal to ${res} limit of ${lim}`);
      }
    }
    updated.push(r);
  }
  const r = updateObject(state, 'Deployment', f.key, () => {
    targets.forEach((c, i) => (c.resources = updated[i]!));
  }, { generation: true });
  if (!r.ok) return reject(r.error);
  return { result: ok(state, `deployment.apps/${d.metadata.name} resource requirements updated`) };
}
