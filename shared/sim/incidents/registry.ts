/**
 * The incident registry: every incident kind's module, keyed by kind. The lifecycle (./index.ts), the
 * player-facing titles and {@link incidentCatalog} (`gameday incidents --json`) all read it.
 *
 * Adding a kind: its pure declaration (target kind + params schema with defaults) in ./params.ts, its
 * module file ./<kind>.ts (`defineIncident({...})`), and one line here. The `satisfies` below makes the
 * compiler insist on exactly one module per declared kind, with the matching `kind`.
 *
 * May import: `zod` (JSON Schema of the params), ./params.ts, ./module.ts, the kinds' modules.
 */
import { z } from 'zod';
import type { IncidentModule } from './module.ts';
import type { IncidentType } from './params.ts';
import { INCIDENT_KINDS, isIncidentType } from './params.ts';
import { memoryLeak } from './memory-leak.ts';
import { etcdQuorumLoss } from './etcd-quorum-loss.ts';
import { badRollout } from './bad-rollout.ts';
import { nodeFailure } from './node-failure.ts';

/** Every incident kind's module. */
export const incidentRegistry = {
  'memory-leak': memoryLeak,
  'etcd-quorum-loss': etcdQuorumLoss,
  'bad-rollout': badRollout,
  'node-failure': nodeFailure,
} as const satisfies { [K in IncidentType]: IncidentModule<K> };

/** Any kind's module, typed for the lifecycle's generic calls. */
export type AnyIncidentModule = IncidentModule<IncidentType>;

/**
 * The module of `kind`. `IncidentSpec.type` is validated at the boundary; an unknown kind (a spec built
 * by hand) is looked up safely (own keys only).
 * @throws Error `unknown incident kind "x" (kinds: memory-leak, ...)`.
 */
export function incidentModule(kind: IncidentType): AnyIncidentModule {
  if (!isIncidentType(kind)) throw new Error(`unknown incident kind ${JSON.stringify(kind)} (kinds: ${INCIDENT_KINDS.join(', ')})`);
  return incidentRegistry[kind] as AnyIncidentModule;
}

/** One catalog entry: what a kind is, for players and tools (`gameday incidents --json`). */
export interface IncidentCatalogEntry {
  kind: IncidentType;
  /** The default title, with the target as a placeholder (`Bad rollout of <deployment>`). */
  title: string;
  /** What `target` names, e.g. "a Deployment (`name` or `namespace/name`)". */
  target: string;
  /** What a player observes; non-empty. */
  symptoms: string[];
  /** What a real operator does, with the kubectl / etcdctl command; non-empty. */
  remediations: { summary: string; command: string }[];
  /**
   * The params a scenario may set: JSON Schema (draft 2020-12, input side) of the kind's zod schema, with
   * each param's `description` and `default`.
   */
  params: Record<string, unknown>;
}

function paramsJsonSchema(mod: AnyIncidentModule): Record<string, unknown> {
  const { $schema: _schema, ...rest } = z.toJSONSchema(mod.params, { io: 'input' }) as Record<string, unknown>;
  return rest;
}

/** Every kind, in declaration order (./params.ts), with its title, target, symptoms, remediations and params. Pure. */
export function incidentCatalog(): IncidentCatalogEntry[] {
  return INCIDENT_KINDS.map((kind) => {
    const mod = incidentModule(kind);
    const placeholder = { id: kind, type: kind, at: 0, target: mod.target.placeholder, params: {} };
    return {
      kind,
      title: mod.title(placeholder),
      target: mod.target.description,
      symptoms: [...mod.symptoms],
      remediations: mod.remediations.map((r) => ({ summary: r.summary, command: r.command })),
      params: paramsJsonSchema(mod),
    };
  });
}
