/**
 * The console's HorizontalPodAutoscaler commands: `kubectl autoscale deployment NAME --max=N [--min=M]
 * [--cpu-percent=P] [--name=HPA]`, `kubectl patch hpa NAME -p '{"spec":{"maxReplicas":N}}'` (a merge
 * patch of minReplicas / maxReplicas / the cpu target; `kubectl edit` is interactive and not offered:
 * patch is its scripted equivalent) and `kubectl describe hpa NAME` (K staging/src/k8s.io/kubectl/pkg/
 * describe/describe.go describeHorizontalPodAutoscalerV2: Reference, Metrics ( current / target ),
 * Min/Max replicas, Behavior, `Deployment pods: 4 current / 4 desired`, Conditions, Events).
 * `kubectl get hpa` comes from the kind registry (shared/sim/kinds/hpa.ts columns).
 *
 * May import: ../sim/* (read only), ./*.
 */
import type { HorizontalPodAutoscaler, HpaScalingRules, SimAction, SimState } from '../sim/types.ts';
import { findDeployment, notFound } from '../sim/apiserver.ts';
import { horizontalPodAutoscalerKind } from '../sim/kinds/hpa.ts';
import { eventsSection } from './describe.ts';
import { describeTime, fields, indent, table } from './format.ts';
import { UsageError, USAGE_HINT, flagString, type ParsedArgs } from './parse.ts';

function ref(ns: string, name: string): string {
  return ns === 'default' ? name : `${ns}/${name}`;
}

function intFlag(args: ParsedArgs, flag: string): number | undefined {
  const v = flagString(args, flag);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new UsageError(`error: invalid argument "${v}" for "--${flag}" flag: strconv.ParseInt: parsing "${v}": invalid syntax\n${USAGE_HINT}`);
  return Number(v);
}

/** `kubectl autoscale (deployment NAME | deployment/NAME) --max=N [--min=M] [--cpu-percent=P] [--name=HPA]`. @throws UsageError. */
export function autoscaleCommand(state: SimState, ns: string, args: ParsedArgs): SimAction {
  const [first, second] = args.positional;
  let type: string | undefined;
  let name: string | undefined;
  if (first?.includes('/')) [type, name] = [first.slice(0, first.indexOf('/')), first.slice(first.indexOf('/') + 1)];
  else [type, name] = [first, second];
  if (!type || !name) throw new UsageError(`error: required resource not specified\nUsage: kubectl autoscale deployment NAME --max=N [--min=M] [--cpu-percent=P]\n${USAGE_HINT}`);
  if (!['deployment', 'deployments', 'deploy', 'deployment.apps'].includes(type.toLowerCase())) throw new UsageError(`error: cannot autoscale a ${type}: only Deployments are autoscaled in this game`);
  const max = intFlag(args, 'max');
  if (max === undefined || max < 1) throw new UsageError(`error: --max=MAXPODS is required and must be at least 1\n${USAGE_HINT}`);
  const min = intFlag(args, 'min');
  if (min !== undefined && min !== -1 && min > max) throw new UsageError(`error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`);
  const cpu = intFlag(args, 'cpu-percent');
  if (!findDeployment(state, `${ns}/${name}`)) throw new UsageError(notFound('deployments.apps', name));
  const action: SimAction = { type: 'autoscale', deployment: ref(ns, name), maxReplicas: max };
  if (min !== undefined && min !== -1) action.minReplicas = min;
  if (cpu !== undefined && cpu !== -1) action.cpuPercent = cpu;
  const hpaName = flagString(args, 'name');
  if (hpaName !== undefined) action.name = hpaName;
  return action;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `kubectl patch hpa NAME -p '{"spec":{"maxReplicas":10}}'` (also `hpa/NAME`, `--type=merge`): the
 * fields minReplicas, maxReplicas and the cpu Utilization target of `spec.metrics`. @throws UsageError.
 */
export function patchCommand(state: SimState, ns: string, args: ParsedArgs): SimAction {
  const [first, second] = args.positional;
  let type: string | undefined;
  let name: string | undefined;
  if (first?.includes('/')) [type, name] = [first.slice(0, first.indexOf('/')), first.slice(first.indexOf('/') + 1)];
  else [type, name] = [first, second];
  if (!type || !name) throw new UsageError(`error: resource(s) were provided, but no name was specified\n${USAGE_HINT}`);
  if (!['hpa', 'horizontalpodautoscaler', 'horizontalpodautoscalers', 'horizontalpodautoscaler.autoscaling'].includes(type.toLowerCase())) {
    throw new UsageError(`error: kubectl patch supports HorizontalPodAutoscalers (hpa) in this game; for the others use kubectl scale, set, label, taint, cordon`);
  }
  const patchType = flagString(args, 'type');
  if (patchType !== undefined && !['merge', 'strategic', 'json'].includes(patchType)) throw new UsageError(`error: --type must be one of [json merge strategic], not "${patchType}"`);
  if (patchType === 'json') throw new UsageError('error: JSON patches (--type=json) are not supported here; use a merge patch: -p \'{"spec":{"maxReplicas":10}}\'');
  const text = flagString(args, 'patch');
  if (text === undefined) throw new UsageError(`error: must specify -p to patch\n${USAGE_HINT}`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new UsageError(`error: unable to parse "${text}": yaml: did not find expected node content`);
  }
  if (!horizontalPodAutoscalerKind.store(state)[`${ns}/${name}`]) throw new UsageError(notFound('horizontalpodautoscalers.autoscaling', name));
  const spec = isRecord(doc) && isRecord(doc['spec']) ? doc['spec'] : null;
  if (!spec) throw new UsageError('error: the patch must set spec fields, e.g. \'{"spec":{"maxReplicas":10}}\'');
  const action: SimAction = { type: 'patchAutoscaler', hpa: ref(ns, name) };
  const num = (k: string): number | undefined => {
    const v = spec[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new UsageError(`Error from server (BadRequest): json: cannot unmarshal ${typeof v} into Go struct field HorizontalPodAutoscalerSpec.spec.${k} of type int32`);
    return v;
  };
  const max = num('maxReplicas');
  const min = num('minReplicas');
  if (max !== undefined) action.maxReplicas = max;
  if (min !== undefined) action.minReplicas = min;
  const metrics = spec['metrics'];
  if (Array.isArray(metrics)) {
    for (const m of metrics) {
      const res = isRecord(m) && isRecord(m['resource']) ? m['resource'] : null;
      const target = res && isRecord(res['target']) ? res['target'] : null;
      if (res?.['name'] === 'cpu' && typeof target?.['averageUtilization'] === 'number') action.cpuPercent = target['averageUtilization'];
    }
  }
  const other = Object.keys(spec).filter((k) => !['maxReplicas', 'minReplicas', 'metrics'].includes(k));
  if (other.length > 0) throw new UsageError(`error: patching spec.${other[0]} of an HPA is not supported here (minReplicas, maxReplicas, metrics cpu averageUtilization)`);
  if (action.maxReplicas === undefined && action.minReplicas === undefined && action.cpuPercent === undefined) throw new UsageError('error: the patch changes nothing the game simulates (minReplicas, maxReplicas, metrics cpu averageUtilization)');
  return action;
}

function rulesText(title: string, r: HpaScalingRules): string {
  const rows = r.policies.map((p) => [`- Type: ${p.type}`, `Value: ${p.value}`, `Period: ${p.periodSeconds} seconds`]);
  return `${title}:\n` + indent(`Stabilization Window: ${r.stabilizationWindowSeconds} seconds\nSelect Policy: ${r.selectPolicy}\nPolicies:\n${indent(table(['', '', ''], rows, { gap: 2 }).split('\n').slice(1).join('\n'), 2)}`, 2);
}

/** `kubectl describe hpa NAME`. */
export function describeHpa(state: SimState, hpa: HorizontalPodAutoscaler): string {
  const metricRows: [string, string][] = hpa.spec.metrics.map((m, i) => {
    const cur = hpa.status.currentMetrics[i]?.resource.current;
    if (m.resource.target.type === 'Utilization') {
      const now = cur?.averageUtilization === undefined ? '<unknown>' : `${cur.averageUtilization}% (${cur.averageValue})`;
      return [`  resource ${m.resource.name} on pods  (as a percentage of request)`, `${now} / ${m.resource.target.averageUtilization}%`];
    }
    return [`  resource ${m.resource.name} on pods`, `${cur?.averageValue ?? '<unknown>'} / ${m.resource.target.averageValue ?? ''}`];
  });
  const ref = hpa.spec.scaleTargetRef;
  const head = fields([
    ['Name', hpa.metadata.name],
    ['Namespace', hpa.metadata.namespace],
    ['Labels', Object.keys(hpa.metadata.labels).sort().map((k) => `${k}=${hpa.metadata.labels[k]}`).join('\n') || '<none>'],
    ['Annotations', Object.keys(hpa.metadata.annotations).sort().map((k) => `${k}: ${hpa.metadata.annotations[k]}`).join('\n') || '<none>'],
    ['CreationTimestamp', describeTime(hpa.metadata.creationTimestamp)],
    ['Reference', `${ref.kind}/${ref.name}`],
    ['Metrics', '( current / target )'],
    ...metricRows,
    ['Min replicas', String(hpa.spec.minReplicas)],
    ['Max replicas', String(hpa.spec.maxReplicas)],
  ]);
  const behavior = 'Behavior:\n' + indent(rulesText('Scale Up', hpa.spec.behavior.scaleUp) + '\n' + rulesText('Scale Down', hpa.spec.behavior.scaleDown), 2);
  const pods = fields([[`${ref.kind} pods`, `${hpa.status.currentReplicas} current / ${hpa.status.desiredReplicas} desired`]]);
  const conditions = hpa.status.conditions.length === 0
    ? 'Conditions:  <none>'
    : 'Conditions:\n' + indent(table(['Type', 'Status', 'Reason', 'Message'], hpa.status.conditions.map((c) => [c.type, c.status, c.reason, c.message]), { gap: 2, rule: true }), 2);
  return [head, behavior, pods, conditions, eventsSection(state, 'HorizontalPodAutoscaler', hpa.metadata.name, hpa.metadata.namespace)].join('\n');
}
