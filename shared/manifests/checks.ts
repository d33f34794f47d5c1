/**
 * Cross-field rules the API server enforces on Deployments and Services (things a per-field schema
 * cannot see): the selector must match the template labels, requests must not exceed limits, strategy
 * combinations, unique container names, Service port names.
 *
 * Sources: kubernetes/kubernetes pkg/apis/apps/validation/validation.go (`ValidateDeploymentSpec`,
 * `ValidateRollingUpdateDeployment`), pkg/apis/core/validation/validation.go
 * (`ValidateResourceRequirements`, `validateProbe`, `ValidateService`).
 *
 * Pure: imports only sibling modules.
 */
import { parseQuantity } from './quantity.ts';
import type { DeploymentInput, ServiceInput } from './schemas.ts';

/** One problem found, with its path inside the object (keys and list indexes). */
export interface Finding {
  path: (string | number)[];
  message: string;
}

/** Result of the cross-field checks: errors reject the object, warnings are reported only. */
export interface CheckResult {
  errors: Finding[];
  warnings: Finding[];
}

function fmtLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? '(none)' : keys.map((k) => `${k}=${labels[k]}`).join(',');
}

function percentOrInt(v: number | string | undefined): { value: number; percent: boolean } | null {
  if (v === undefined) return null;
  if (typeof v === 'number') return { value: v, percent: false };
  return { value: Number(v.slice(0, -1)), percent: true };
}

/** Checks of one Deployment already accepted by DeploymentSchema. */
export function checkDeployment(d: DeploymentInput): CheckResult {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const spec = d.spec;
  const matchLabels = spec.selector.matchLabels ?? {};
  const hasExpressions = (spec.selector.matchExpressions ?? []).length > 0;

  if (Object.keys(matchLabels).length === 0) {
    errors.push({
      path: ['spec', 'selector', 'matchLabels'],
      message: hasExpressions
        ? 'Required value: only matchLabels selectors are simulated (matchExpressions are not supported yet)'
        : 'Required value: empty selector is invalid for deployment',
    });
  } else {
    if (hasExpressions) warnings.push({ path: ['spec', 'selector', 'matchExpressions'], message: 'ignored: only matchLabels selectors are simulated' });
    const templateLabels = spec.template.metadata?.labels ?? {};
    const missing = Object.keys(matchLabels).sort().filter((k) => templateLabels[k] !== matchLabels[k]);
    if (missing.length > 0) {
      errors.push({
        path: ['spec', 'template', 'metadata', 'labels'],
        message: `\`selector\` does not match template \`labels\`: the selector needs ${fmtLabels(matchLabels)}, the template has ${fmtLabels(templateLabels)}`,
      });
    }
  }

  const pod = spec.template.spec;
  if (pod.restartPolicy !== undefined && pod.restartPolicy !== 'Always') {
    errors.push({ path: ['spec', 'template', 'spec', 'restartPolicy'], message: `Unsupported value: "${pod.restartPolicy}": supported values: "Always"` });
  }

  const seen = new Map<string, number>();
  pod.containers.forEach((c, i) => {
    const base = ['spec', 'template', 'spec', 'containers', i];
    if (seen.has(c.name)) errors.push({ path: [...base, 'name'], message: `Duplicate value: "${c.name}"` });
    seen.set(c.name, i);
    for (const res of ['cpu', 'memory'] as const) {
      const req = c.resources?.requests?.[res];
      const lim = c.resources?.limits?.[res];
      if (req !== undefined && lim !== undefined && parseQuantity(req) > parseQuantity(lim)) {
        errors.push({ path: [...base, 'resources', 'requests', res], message: `Invalid value: "${req}": must be less than or equal to ${res} limit of ${lim}` });
      }
    }
    for (const kind of ['requests', 'limits'] as const) {
      const mem = c.resources?.[kind]?.memory;
      if (mem !== undefined && /^[0-9.]+m$/.test(mem)) {
        warnings.push({ path: [...base, 'resources', kind, 'memory'], message: `"${mem}" means ${parseQuantity(mem)} bytes (m = milli); did you mean "${mem}i"?` });
      }
    }
    for (const probe of ['livenessProbe', 'startupProbe'] as const) {
      const st = c[probe]?.successThreshold;
      if (st !== undefined && st !== 1) errors.push({ path: [...base, probe, 'successThreshold'], message: 'must be 1' });
    }
  });

  const strategy = spec.strategy;
  if (strategy) {
    const type = strategy.type ?? 'RollingUpdate';
    if (type === 'Recreate' && strategy.rollingUpdate) {
      errors.push({ path: ['spec', 'strategy', 'rollingUpdate'], message: "may not be specified when strategy `type` is 'Recreate'" });
    }
    const surge = percentOrInt(strategy.rollingUpdate?.maxSurge);
    const unavailable = percentOrInt(strategy.rollingUpdate?.maxUnavailable);
    if (type === 'RollingUpdate' && surge?.value === 0 && unavailable?.value === 0) {
      errors.push({ path: ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'], message: 'may not be 0 when `maxSurge` is 0' });
    }
    if (unavailable?.percent && unavailable.value > 100) {
      errors.push({ path: ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'], message: 'must not be greater than 100%' });
    }
  }
  if (spec.progressDeadlineSeconds !== undefined && spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
    errors.push({ path: ['spec', 'progressDeadlineSeconds'], message: 'must be greater than minReadySeconds' });
  }
  return { errors, warnings };
}

/** Checks of one Service already accepted by ServiceSchema. */
export function checkService(s: ServiceInput): CheckResult {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const type = s.spec?.type ?? 'ClusterIP';
  const ports = s.spec?.ports ?? [];
  const headless = s.spec?.clusterIP === 'None';
  if (type === 'ExternalName') {
    if (!s.spec?.externalName) errors.push({ path: ['spec', 'externalName'], message: 'Required value' });
  } else if (ports.length === 0 && !headless) {
    errors.push({ path: ['spec', 'ports'], message: 'Required value' });
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (ports.length > 1 && !p.name) errors.push({ path: ['spec', 'ports', i, 'name'], message: 'Required value: name is required when a Service has more than one port' });
    if (p.name) {
      if (names.has(p.name)) errors.push({ path: ['spec', 'ports', i, 'name'], message: `Duplicate value: "${p.name}"` });
      names.add(p.name);
    }
    if (p.nodePort !== undefined && type !== 'NodePort' && type !== 'LoadBalancer') {
      errors.push({ path: ['spec', 'ports', i, 'nodePort'], message: `may not be used when \`type\` is '${type}'` });
    }
  });
  if (type !== 'ExternalName' && Object.keys(s.spec?.selector ?? {}).length === 0) {
    warnings.push({ path: ['spec', 'selector'], message: 'no selector: this Service gets no endpoints in the simulation' });
  }
  return { errors, warnings };
}
