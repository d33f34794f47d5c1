/**
 * The incident registry: every incident kind's module, keyed by kind. {@link IncidentType} (the kinds),
 * the lifecycle (./index.ts), the player-facing titles, {@link incidentCatalog} (`gameday incidents
 * --json`), the scenario format's incident union (shared/scenario/schema.ts) and the archive's kind list
 * (server/db/records.ts) all derive from it.
 *
 * Adding a kind: its module file ./<kind>.ts (`defineIncident({...})`) and one line here. The compiler
 * insists on a complete module (`defineIncident`) and on each key naming its module's own `kind`
 * ({@link registry}).
 *
 * May import: `zod` (JSON Schema of the params), ./module.ts, ./targets.ts (types), the kinds' modules.
 */
import { z } from 'zod';
import type { AnyTargetSelector, DeclarationProblem, DeploymentFacts, IncidentModule } from './module.ts';
import type { TargetKind } from './targets.ts';
import { memoryLeak } from './memory-leak.ts';
import { etcdQuorumLoss } from './etcd-quorum-loss.ts';
import { badRollout } from './bad-rollout.ts';
import { nodeFailure } from './node-failure.ts';
import { podKill } from './pod-kill.ts';
import { trafficSpike } from './traffic-spike.ts';
import { slowDependency } from './slow-dependency.ts';
import { badImageTag } from './bad-image-tag.ts';
import { missingConfig } from './missing-config.ts';
import { livenessMisconfig } from './liveness-misconfig.ts';
import { nodeDiskPressure } from './node-disk-pressure.ts';
import { nodeMemoryPressure } from './node-memory-pressure.ts';
import { nodePidPressure } from './node-pid-pressure.ts';
import { etcdMemberLoss } from './etcd-member-loss.ts';
import { networkChaos } from './network-chaos.ts';
import { cpuHog } from './cpu-hog.ts';
import { etcdNospace } from './etcd-nospace.ts';
import { readinessFailure } from './readiness-failure.ts';
import { pdbDrain } from './pdb-drain.ts';
import { resourceQuota } from './resource-quota.ts';
import { zonePartition } from './zone-partition.ts';
import { controlPlaneDown } from './control-plane-down.ts';
import { corednsOutage } from './coredns-outage.ts';
import { kubeletCertExpiry } from './kubelet-cert-expiry.ts';
import { replicaScale } from './replica-scale.ts';
import { containerRuntimeDown } from './container-runtime-down.ts';
import { apiserverCertExpiry } from './apiserver-cert-expiry.ts';

/** Identity that checks every key names its own module's `kind`. */
function registry<R extends { [K in keyof R]: IncidentModule<K & string, z.ZodType, AnyTargetSelector> }>(modules: R): R {
  return modules;
}

/**
 * Every incident kind's module. Key order is the order kinds are listed to players (error messages, the
 * catalog).
 */
export const incidentRegistry = registry({
  'memory-leak': memoryLeak,
  'etcd-quorum-loss': etcdQuorumLoss,
  'bad-rollout': badRollout,
  'node-failure': nodeFailure,
  'pod-kill': podKill,
  'traffic-spike': trafficSpike,
  'slow-dependency': slowDependency,
  'bad-image-tag': badImageTag,
  'missing-config': missingConfig,
  'liveness-misconfig': livenessMisconfig,
  'node-disk-pressure': nodeDiskPressure,
  'node-memory-pressure': nodeMemoryPressure,
  'etcd-member-loss': etcdMemberLoss,
  'network-chaos': networkChaos,
  'cpu-hog': cpuHog,
  'etcd-nospace': etcdNospace,
  'readiness-failure': readinessFailure,
  'pdb-drain': pdbDrain,
  'resource-quota': resourceQuota,
  'zone-partition': zonePartition,
  'control-plane-down': controlPlaneDown,
  'coredns-outage': corednsOutage,
  'kubelet-cert-expiry': kubeletCertExpiry,
  'replica-scale': replicaScale,
  'container-runtime-down': containerRuntimeDown,
  'apiserver-cert-expiry': apiserverCertExpiry,
  'node-pid-pressure': nodePidPressure,
});

/** The incident kinds the sim knows: the keys of {@link incidentRegistry}. */
export type IncidentType = keyof typeof incidentRegistry;

/** Every incident kind, in registry order. */
export const INCIDENT_KINDS = Object.keys(incidentRegistry) as [IncidentType, ...IncidentType[]];

/** True when `kind` names a known incident kind (own keys only: safe for untrusted strings). */
export function isIncidentType(kind: string): kind is IncidentType {
  return Object.hasOwn(incidentRegistry, kind);
}

/** The params schema of kind `K`. */
export type IncidentParamsSchema<K extends IncidentType> = (typeof incidentRegistry)[K]['params'];
/** Kind `K`'s params after parsing (defaults applied). */
export type IncidentParams<K extends IncidentType> = z.output<IncidentParamsSchema<K>>;
/** Kind `K`'s params as written (defaults not yet applied). */
export type IncidentParamsInput<K extends IncidentType> = z.input<IncidentParamsSchema<K>>;
/** The target kind of kind `K` (`Deployment`, `Node`, `EtcdMembers`, `EtcdMember`). */
export type IncidentTargetKind<K extends IncidentType> = (typeof incidentRegistry)[K]['target']['kind'];

/** Any kind's module, typed for the lifecycle's generic calls. */
export type AnyIncidentModule = IncidentModule<IncidentType, z.ZodType, AnyTargetSelector>;

/**
 * The module of `kind`. `IncidentSpec.type` is validated at the boundary; an unknown kind (a spec built
 * by hand) is looked up safely (own keys only).
 * @throws Error `unknown incident kind "x" (kinds: memory-leak, ...)`.
 */
export function incidentModule(kind: IncidentType): AnyIncidentModule {
  if (!isIncidentType(kind)) throw new Error(`unknown incident kind ${JSON.stringify(kind)} (kinds: ${INCIDENT_KINDS.join(', ')})`);
  return incidentRegistry[kind] as AnyIncidentModule;
}

/**
 * One kind's scenario-facing declaration, read from its module: what `target` selects, the params schema
 * (defaults included) and the optional static check against the targeted Deployment.
 */
export interface IncidentDeclaration<P extends z.ZodType = z.ZodType, T extends TargetKind = TargetKind> {
  target: T;
  params: P;
  checkDeployment?(params: z.output<P>, deployment: DeploymentFacts): DeclarationProblem | undefined;
}

/**
 * The scenario-facing half of every kind (target kind, params schema, static check), read from the
 * modules: what shared/scenario builds its incident union from and checks targets with. Same objects as
 * the modules' (`incidentDeclarations[k].params === incidentRegistry[k].params`).
 */
export const incidentDeclarations = Object.fromEntries(
  INCIDENT_KINDS.map((kind): [IncidentType, IncidentDeclaration] => {
    const mod = incidentModule(kind);
    const declaration: IncidentDeclaration = { target: mod.target.kind, params: mod.params };
    if (mod.checkDeployment) declaration.checkDeployment = mod.checkDeployment.bind(mod);
    return [kind, declaration];
  }),
) as { readonly [K in IncidentType]: IncidentDeclaration<IncidentParamsSchema<K>, IncidentTargetKind<K>> };

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

/** Every kind, in registry order, with its title, target, symptoms, remediations and params. Pure. */
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
