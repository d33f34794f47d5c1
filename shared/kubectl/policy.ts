/**
 * The console's policy-object commands: `kubectl patch pdb NAME -p PATCH [--type merge|strategic]`
 * (a {@link SimAction} `patchObject`; the sim validates the patch, shared/sim/actions/patch.ts),
 * `kubectl edit` as a plain command line (interactive in real kubectl: the web console opens its editor
 * through the `stdin` message, ./apply.ts; a line without an editor is answered with the equivalent `patch`) and `kubectl describe pdb|quota` (kubectl's describePodDisruptionBudget layout: Name,
 * Namespace, Min available / Max unavailable, Selector, Status with Allowed disruptions / Current /
 * Desired / Total, Events).
 *
 * May import: ../sim/* (read only), ./*.
 */
import type { PatchableKind, PodDisruptionBudget, ResourceQuota, SimAction, SimState } from '../sim/types.ts';
import { quotaRows } from '../sim/kinds/resourcequota.ts';
import { kindForResource } from '../sim/kinds/index.ts';
import { pdbBudget } from '../sim/kinds/poddisruptionbudget.ts';
import { eventsSection } from './describe.ts';
import { fields, table } from './format.ts';
import { UsageError, USAGE_HINT, flagString, type FlagDef, type ParsedArgs } from './parse.ts';

/** Flags of `kubectl patch`. */
export const PATCH_FLAGS: FlagDef[] = [
  { name: 'patch', short: 'p', value: true },
  { name: 'type', value: true },
];

/** Flags of `kubectl edit` (accepted, then refused with the patch hint). */
export const EDIT_FLAGS: FlagDef[] = [{ name: 'output', short: 'o', value: true }];

/** The patchable kinds, with an example patch for the hints. */
const PATCHABLE: Readonly<Record<PatchableKind, { example: string }>> = {
  PodDisruptionBudget: { example: `'{"spec":{"minAvailable":2}}'` },
  ResourceQuota: { example: `'{"spec":{"hard":{"requests.cpu":"8"}}}'` },
};

function patchableKind(word: string): PatchableKind | undefined {
  const def = kindForResource(word);
  return def && Object.hasOwn(PATCHABLE, def.kind) ? (def.kind as PatchableKind) : undefined;
}

/** `TYPE NAME` or `TYPE/NAME`: the kind word and the one name. @throws UsageError. */
function kindAndName(positional: string[], verb: string): { word: string; name: string } {
  const [first, second, ...more] = positional;
  if (first === undefined) throw new UsageError(`error: you must specify the type of resource to ${verb}, e.g. 'kubectl ${verb} pdb NAME'\n${USAGE_HINT}`);
  if (first.includes('/')) {
    if (second !== undefined) throw new UsageError(`error: one object at a time, please`);
    return { word: first.slice(0, first.indexOf('/')), name: first.slice(first.indexOf('/') + 1) };
  }
  if (second === undefined) throw new UsageError(`error: resource(s) were provided, but no name was specified`);
  if (more.length > 0) throw new UsageError(`error: one object at a time, please`);
  return { word: first, name: second };
}

function ref(ns: string, name: string): string {
  return ns === 'default' ? name : `${ns}/${name}`;
}

/** `kubectl patch pdb NAME -p '{"spec":{...}}' [--type merge|strategic]`. @throws UsageError. */
export function patchCommand(_state: SimState, ns: string, args: ParsedArgs): SimAction {
  const { word, name } = kindAndName(args.positional, 'patch');
  const kind = patchableKind(word);
  if (!kind) throw new UsageError(`error: patching "${word}" is not possible in this game (patchable: pdb, resourcequota, hpa); for Deployments use scale, set image, set resources or rollout undo`);
  const type = flagString(args, 'type') ?? 'strategic';
  if (type === 'json') throw new UsageError(`error: --type json is not supported in this game: use --type merge with a JSON merge patch, e.g. -p ${PATCHABLE[kind].example}`);
  if (type !== 'merge' && type !== 'strategic') throw new UsageError(`error: --type must be one of [json merge strategic], not "${type}"`);
  const patch = flagString(args, 'patch');
  if (patch === undefined || patch.trim() === '') throw new UsageError(`error: must specify --patch or --patch-file containing the contents of the patch, e.g. -p ${PATCHABLE[kind].example}`);
  // A missing object is answered by the sim's handler (NotFound, kubectl's wording), as the API server would.
  return { type: 'patchObject', kind, name: ref(ns, name), patch };
}

/** `kubectl edit TYPE NAME` without an editor (a line sent as a plain command): refused with the `patch` line to use instead. @throws UsageError always. */
export function editCommand(args: ParsedArgs): never {
  const { word, name } = kindAndName(args.positional, 'edit');
  const kind = patchableKind(word);
  if (kind) throw new UsageError(`error: kubectl edit opens an editor, which only the web console has: here use\n  kubectl patch ${word} ${name} --type merge -p ${PATCHABLE[kind].example}`);
  throw new UsageError(`error: kubectl edit opens an editor, which only the web console has: here use kubectl patch (pdb, resourcequota, hpa), or scale, set image, set resources, label, annotate, taint`);
}

function budgetValue(v: number | string | undefined): string {
  return v === undefined ? 'N/A' : String(v);
}

/** `kubectl describe pdb NAME` (describePodDisruptionBudget). */
export function describePdb(state: SimState, pdb: PodDisruptionBudget): string {
  const b = pdbBudget(state, pdb);
  const selector = Object.keys(pdb.spec.selector.matchLabels).sort().map((k) => `${k}=${pdb.spec.selector.matchLabels[k]}`).join(',') || '<unset>';
  const entries: [string, string][] = [
    ['Name', pdb.metadata.name],
    ['Namespace', pdb.metadata.namespace],
  ];
  if (pdb.spec.minAvailable !== undefined) entries.push(['Min available', budgetValue(pdb.spec.minAvailable)]);
  if (pdb.spec.maxUnavailable !== undefined) entries.push(['Max unavailable', budgetValue(pdb.spec.maxUnavailable)]);
  entries.push(['Selector', selector]);
  entries.push(['Status', '']);
  const status = fields([
    ['Allowed disruptions', String(b.allowed)],
    ['Current', String(b.healthy)],
    ['Desired', String(b.desired)],
    ['Total', String(b.expected)],
  ]).split('\n').map((l) => `    ${l}`).join('\n');
  return [fields(entries, 14), status, eventsSection(state, 'PodDisruptionBudget', pdb.metadata.name, pdb.metadata.namespace)].join('\n');
}

/** `kubectl describe quota NAME` (describeQuota): Name, Namespace, then the Resource / Used / Hard table. */
export function describeQuota(state: SimState, q: ResourceQuota): string {
  const rows = quotaRows(state, q).map((r) => [r.resource, r.used, r.hard]);
  return [fields([['Name', q.metadata.name], ['Namespace', q.metadata.namespace]], 16), table(['Resource', 'Used', 'Hard'], rows, { gap: 2, rule: true })].join('\n');
}
