/**
 * zod 4 schemas for the parts of apps/v1 Deployment and v1 Service that the simulation uses, with
 * Kubernetes field names. Objects are *not* strict: real manifests carry many fields the sim ignores
 * (securityContext, serviceAccountName...); those are stripped, not rejected. Volumes, volumeMounts and
 * initContainers are kept (issue 6): {@link VolumeSchema}, {@link InitContainerSchema}.
 *
 * Field rules and messages follow the API server's validation (kubernetes/kubernetes
 * pkg/apis/apps/validation/validation.go, pkg/apis/core/validation/validation.go): names are DNS
 * labels/subdomains, ports 1-65535, probe periods >= 1, quantities parse (quantity.go). Cross-field
 * rules (selector vs template labels, requests <= limits, strategy) live in checks.ts.
 *
 * Pure: imports only zod and sibling modules.
 */
import { z } from 'zod';
import { parseQuantity } from './quantity.ts';
import { dns1035LabelError, dns1123LabelError, dns1123SubdomainError } from './names.ts';

/** Message for a wrong or missing primitive, in the API server's terms (a zod `error` callback). */
export function typeMessage(expected: string) {
  return (iss: { input?: unknown }): string => {
    const input = iss.input;
    if (input === undefined) return 'Required value';
    if (input === null) return `Required value (got null, expected ${expected})`;
    if (expected === 'a string' && (typeof input === 'number' || typeof input === 'boolean')) {
      return `must be a string: got ${typeof input} ${String(input)}; quote it in YAML ("${String(input)}")`;
    }
    const got = Array.isArray(input) ? 'a list' : typeof input === 'object' ? 'a mapping' : `${typeof input} ${JSON.stringify(input)}`;
    return `expected ${expected}, got ${got}`;
  };
}

const str = () => z.string({ error: typeMessage('a string') });
const nonEmpty = () => str().min(1, { error: 'Required value' });
const int = (min: number, max?: number) => {
  let s = z.number({ error: typeMessage('an integer') }).int({ error: 'must be an integer' });
  s = s.min(min, { error: `must be greater than or equal to ${min}` });
  if (max !== undefined) s = s.max(max, { error: `must be between ${min} and ${max}, inclusive` });
  return s;
};
const bool = () => z.boolean({ error: typeMessage('true or false') });
const stringMap = () => z.record(z.string(), str(), { error: typeMessage('a mapping of strings') });

/** A name checked with one of the DNS rules of names.ts. */
const dnsName = (check: (n: string) => string | null) =>
  nonEmpty().superRefine((v, ctx) => {
    const err = check(v);
    if (err) ctx.addIssue({ code: 'custom', message: err });
  });

/** A resource quantity (`"100m"`, `"128Mi"`, or an unquoted YAML number); output is always the string form. */
export const QuantitySchema = z
  .union([z.string(), z.number()], { error: typeMessage('a quantity such as "100m" or "128Mi"') })
  .transform((v, ctx) => {
    try {
      if (parseQuantity(v) < 0) {
        ctx.addIssue({ code: 'custom', message: `must be greater than or equal to 0, got ${JSON.stringify(v)}` });
        return z.NEVER;
      }
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
    return String(v).trim();
  });

const portNumber = () => int(1, 65535);
/** A port given by number or by a named container port (IANA_SVC_NAME). */
const portRef = () => z.union([portNumber(), nonEmpty()], { error: typeMessage('a port number or name') });

const ResourceListSchema = z.object({ cpu: QuantitySchema.optional(), memory: QuantitySchema.optional() });

/** `core/v1 Probe`: exactly one handler; timing fields per SetDefaults_Probe bounds. */
export const ProbeSchema = z
  .object({
    httpGet: z.object({ path: str().optional(), port: portRef() }).optional(),
    tcpSocket: z.object({ port: portRef() }).optional(),
    exec: z.object({ command: z.array(str(), { error: typeMessage('a list of strings') }).min(1, { error: 'Required value' }) }).optional(),
    grpc: z.object({ port: portNumber(), service: str().optional() }).optional(),
    initialDelaySeconds: int(0).optional(),
    periodSeconds: int(1).optional(),
    timeoutSeconds: int(1).optional(),
    successThreshold: int(1).optional(),
    failureThreshold: int(1).optional(),
  })
  .superRefine((p, ctx) => {
    const handlers = (['httpGet', 'tcpSocket', 'exec', 'grpc'] as const).filter((h) => p[h] !== undefined);
    if (handlers.length === 0) ctx.addIssue({ code: 'custom', message: 'must specify a handler type (httpGet, tcpSocket, exec or grpc)' });
    if (handlers.length > 1) ctx.addIssue({ code: 'custom', message: `may not specify more than 1 handler type (got ${handlers.join(', ')})` });
  });

/** A `configMapKeyRef` / `secretKeyRef` (core/v1 ConfigMapKeySelector, SecretKeySelector). */
const KeyRefSchema = z.object({ name: nonEmpty(), key: nonEmpty(), optional: bool().optional() });

/**
 * `core/v1 EnvVar`: a literal value or (issue 6) a `valueFrom` source: ConfigMap and Secret keys (the
 * kubelet resolves them), `fieldRef` and `resourceFieldRef` (kept as written). Exactly one source
 * (validation.go validateEnvVarValueFrom: "may not have more than one field specified at a time").
 */
const EnvVarSchema = z.object({
  name: nonEmpty(),
  value: str().optional(),
  valueFrom: z
    .object({
      configMapKeyRef: KeyRefSchema.optional(),
      secretKeyRef: KeyRefSchema.optional(),
      fieldRef: z.object({ fieldPath: nonEmpty(), apiVersion: str().optional() }).optional(),
      resourceFieldRef: z.object({ resource: nonEmpty(), containerName: str().optional(), divisor: z.union([str(), z.number()]).transform(String).optional() }).optional(),
    })
    .superRefine((v, ctx) => {
      const n = (['configMapKeyRef', 'secretKeyRef', 'fieldRef', 'resourceFieldRef'] as const).filter((k) => v[k] !== undefined).length;
      if (n > 1) ctx.addIssue({ code: 'custom', message: 'may not have more than one field specified at a time' });
    })
    .optional(),
});

/** `core/v1 EnvFromSource` (issue 6): every key of a ConfigMap or Secret, with an optional prefix. */
const EnvFromSchema = z
  .object({
    prefix: str().optional(),
    configMapRef: z.object({ name: nonEmpty(), optional: bool().optional() }).optional(),
    secretRef: z.object({ name: nonEmpty(), optional: bool().optional() }).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.configMapRef === undefined) === (v.secretRef === undefined)) ctx.addIssue({ code: 'custom', message: v.configMapRef === undefined ? 'must specify one of: `configMapRef` or `secretRef`' : 'may not have more than one field specified at a time' });
  });

/**
 * `core/v1 ContainerPort`. `hostPort` (0 = none, else 1-65535, validation.go validateContainerPorts) and
 * `hostIP` are kept (issue 6): the scheduler's NodePorts filter and the kubelet's admission check them.
 */
const ContainerPortSchema = z.object({
  containerPort: portNumber(),
  name: str().optional(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP'], { error: 'supported values: "TCP", "UDP", "SCTP"' }).optional(),
  hostPort: int(0, 65535).optional(),
  hostIP: str().optional(),
});

/** `core/v1 Container` (subset): DNS-1123 label name, image without surrounding spaces, env, ports, resources, probes. */
export const ContainerSchema = z.object({
  name: dnsName(dns1123LabelError),
  image: nonEmpty().refine((v) => v.trim() === v, { error: 'must not have leading or trailing whitespace' }),
  env: z.array(EnvVarSchema, { error: typeMessage('a list') }).optional(),
  envFrom: z.array(EnvFromSchema, { error: typeMessage('a list') }).optional(),
  ports: z.array(ContainerPortSchema, { error: typeMessage('a list') }).optional(),
  resources: z.object({ requests: ResourceListSchema.optional(), limits: ResourceListSchema.optional() }).optional(),
  readinessProbe: ProbeSchema.optional(),
  livenessProbe: ProbeSchema.optional(),
  startupProbe: ProbeSchema.optional(),
  /** (issue 6) The kubelet's pull rule (K pkg/apis/core/v1/defaults.go: Always for `:latest` / untagged, else IfNotPresent). */
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never'], { error: 'supported values: "Always", "IfNotPresent", "Never"' }).optional(),
  volumeMounts: z
    .array(z.object({ name: nonEmpty(), mountPath: nonEmpty(), readOnly: bool().optional(), subPath: str().optional() }), { error: typeMessage('a list of volume mounts') })
    .optional(),
});

/** `core/v1 Container` as an init container: the fields of {@link ContainerSchema} plus `command` / `args`. */
export const InitContainerSchema = ContainerSchema.extend({
  command: z.array(str(), { error: typeMessage('a list of strings') }).optional(),
  args: z.array(str(), { error: typeMessage('a list of strings') }).optional(),
  /** (issue 6) `Always`: a sidecar (restartable init container, SidecarContainers GA-track, on in 1.29+). */
  restartPolicy: z.enum(['Always'], { error: 'supported values: "Always"' }).optional(),
});

const optionalFlag = () => bool().optional();
const mode = () => int(0, 511).optional();
/** Volume source kinds kept as their name only (`other`): the sim mounts them as if present. */
const OTHER_VOLUME_SOURCES = ['gcePersistentDisk', 'awsElasticBlockStore', 'azureDisk', 'azureFile', 'nfs', 'iscsi', 'csi', 'ephemeral', 'cephfs', 'rbd', 'fc', 'flexVolume', 'cinder', 'gitRepo', 'glusterfs', 'image'] as const;

/**
 * `core/v1 Volume` (subset): emptyDir, configMap, secret, persistentVolumeClaim, hostPath, projected and
 * downwardAPI are typed; the other sources of {@link OTHER_VOLUME_SOURCES} are accepted and kept by name
 * (`other`). Exactly one source (validation.go validateVolumeSource: "may not specify more than 1 volume
 * type"); none means emptyDir, as the API server defaults it.
 */
/** (issue 6) `core/v1 KeyToPath`: a configMap / secret volume's `items` (the keys projected, at `path`). */
const KeyToPathSchema = z.object({ key: nonEmpty(), path: nonEmpty(), mode: mode() });

export const VolumeSchema = z
  .object({
    name: dnsName(dns1123LabelError),
    emptyDir: z.object({ medium: str().optional(), sizeLimit: QuantitySchema.optional() }).nullable().optional(),
    configMap: z.object({ name: nonEmpty(), optional: optionalFlag(), defaultMode: mode(), items: z.array(KeyToPathSchema, { error: typeMessage('a list') }).optional() }).optional(),
    secret: z.object({ secretName: nonEmpty(), optional: optionalFlag(), defaultMode: mode(), items: z.array(KeyToPathSchema, { error: typeMessage('a list') }).optional() }).optional(),
    persistentVolumeClaim: z.object({ claimName: nonEmpty(), readOnly: optionalFlag() }).optional(),
    hostPath: z.object({ path: nonEmpty(), type: str().optional() }).optional(),
    projected: z.object({ sources: z.array(z.record(z.string(), z.unknown()), { error: typeMessage('a list') }).optional(), defaultMode: mode() }).optional(),
    downwardAPI: z.object({ items: z.array(z.record(z.string(), z.unknown()), { error: typeMessage('a list') }).optional(), defaultMode: mode() }).optional(),
    ...Object.fromEntries(OTHER_VOLUME_SOURCES.map((k) => [k, z.unknown().optional()])),
  })
  .superRefine((v, ctx) => {
    const rec = v as Record<string, unknown>;
    const set = ['emptyDir', 'configMap', 'secret', 'persistentVolumeClaim', 'hostPath', 'projected', 'downwardAPI', ...OTHER_VOLUME_SOURCES].filter((k) => rec[k] !== undefined);
    if (set.length > 1) ctx.addIssue({ code: 'custom', message: `may not specify more than 1 volume type (got ${set.join(', ')})` });
  })
  .transform((v) => {
    const rec = v as Record<string, unknown>;
    const out: { name: string; emptyDir?: { medium?: string; sizeLimit?: string }; configMap?: typeof v.configMap; secret?: typeof v.secret; persistentVolumeClaim?: typeof v.persistentVolumeClaim; hostPath?: typeof v.hostPath; projected?: { sources: Record<string, unknown>[]; defaultMode?: number }; downwardAPI?: typeof v.downwardAPI; other?: string } = { name: v.name };
    const other = OTHER_VOLUME_SOURCES.find((k) => rec[k] !== undefined);
    if (v.configMap) out.configMap = v.configMap;
    else if (v.secret) out.secret = v.secret;
    else if (v.persistentVolumeClaim) out.persistentVolumeClaim = v.persistentVolumeClaim;
    else if (v.hostPath) out.hostPath = v.hostPath;
    else if (v.projected) out.projected = { sources: v.projected.sources ?? [], ...(v.projected.defaultMode !== undefined ? { defaultMode: v.projected.defaultMode } : {}) };
    else if (v.downwardAPI) out.downwardAPI = v.downwardAPI;
    else if (other) out.other = other;
    else out.emptyDir = v.emptyDir ?? {};
    return out;
  });

const intOrPercent = () =>
  z.union([int(0), str().regex(/^\d+%$/, { error: 'must be an integer or a percentage such as "25%"' })], {
    error: typeMessage('an integer or a percentage such as "25%"'),
  });

/** `core/v1 Toleration` (the scheduler's TaintToleration; tolerationSeconds for NoExecute). */
const TolerationSchema = z.object({
  key: str().optional(),
  operator: z.enum(['Exists', 'Equal'], { error: 'supported values: "Equal", "Exists"' }).optional(),
  value: str().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'], { error: 'supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"' }).optional(),
  tolerationSeconds: z.number({ error: typeMessage('an integer') }).int({ error: 'must be an integer' }).optional(),
});

/** `core/v1 NodeSelectorRequirement`. */
const NodeSelectorRequirementSchema = z.object({
  key: nonEmpty(),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'], { error: 'supported values: "DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"' }),
  values: z.array(str(), { error: typeMessage('a list of strings') }).optional(),
});

/** `core/v1 NodeSelectorTerm`. */
const NodeSelectorTermSchema = z.object({
  matchExpressions: z.array(NodeSelectorRequirementSchema, { error: typeMessage('a list') }).optional(),
  matchFields: z.array(NodeSelectorRequirementSchema, { error: typeMessage('a list') }).optional(),
});

/** `metav1.LabelSelector` with expressions (topology spread constraints). */
const FullLabelSelectorSchema = z.object({
  matchLabels: stringMap().optional(),
  matchExpressions: z
    .array(z.object({ key: nonEmpty(), operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist'], { error: 'supported values: "DoesNotExist", "Exists", "In", "NotIn"' }), values: z.array(str()).optional() }), { error: typeMessage('a list') })
    .optional(),
});

/** `core/v1 PodAffinityTerm` (K pkg/apis/core/validation validatePodAffinityTerm: topologyKey required). */
const PodAffinityTermSchema = z.object({
  labelSelector: FullLabelSelectorSchema.optional(),
  namespaces: z.array(str(), { error: typeMessage('a list of strings') }).optional(),
  namespaceSelector: FullLabelSelectorSchema.optional(),
  topologyKey: nonEmpty(),
});

/** `core/v1 PodAffinity` / `PodAntiAffinity`. */
const PodAffinityRulesSchema = z.object({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(PodAffinityTermSchema, { error: typeMessage('a list') }).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(z.object({ weight: int(1, 100), podAffinityTerm: PodAffinityTermSchema }), { error: typeMessage('a list') }).optional(),
});

/** `core/v1 Affinity`: nodeAffinity (NodeAffinity) and podAffinity / podAntiAffinity (InterPodAffinity) are simulated. */
const AffinitySchema = z.object({
  nodeAffinity: z
    .object({
      requiredDuringSchedulingIgnoredDuringExecution: z.object({ nodeSelectorTerms: z.array(NodeSelectorTermSchema, { error: typeMessage('a list') }).min(1, { error: 'Required value: must have at least one node selector term' }) }).optional(),
      preferredDuringSchedulingIgnoredDuringExecution: z.array(z.object({ weight: int(1, 100), preference: NodeSelectorTermSchema }), { error: typeMessage('a list') }).optional(),
    })
    .optional(),
  podAffinity: PodAffinityRulesSchema.optional(),
  podAntiAffinity: PodAffinityRulesSchema.optional(),
});


/** `core/v1 TopologySpreadConstraint`. */
const TopologySpreadConstraintSchema = z.object({
  maxSkew: int(1),
  topologyKey: nonEmpty(),
  whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway'], { error: 'supported values: "DoNotSchedule", "ScheduleAnyway"' }),
  labelSelector: FullLabelSelectorSchema.optional(),
  minDomains: int(1).optional(),
  matchLabelKeys: z.array(str(), { error: typeMessage('a list of strings') }).optional(),
  nodeAffinityPolicy: z.enum(['Honor', 'Ignore'], { error: 'supported values: "Honor", "Ignore"' }).optional(),
  nodeTaintsPolicy: z.enum(['Honor', 'Ignore'], { error: 'supported values: "Honor", "Ignore"' }).optional(),
});

const ObjectMetaSchema = (nameCheck: (n: string) => string | null) =>
  z.object({
    name: dnsName(nameCheck),
    namespace: dnsName(dns1123LabelError).optional(),
    labels: stringMap().optional(),
    annotations: stringMap().optional(),
  });

/** apps/v1 Deployment (subset the sim reads). */
export const DeploymentSchema = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  metadata: ObjectMetaSchema(dns1123SubdomainError),
  spec: z.object({
    replicas: int(0).optional(),
    selector: z.object({
      matchLabels: stringMap().optional(),
      matchExpressions: z.array(z.unknown()).optional(),
    }, { error: typeMessage('a label selector') }),
    template: z.object({
      metadata: z.object({ labels: stringMap().optional(), annotations: stringMap().optional() }).optional(),
      spec: z.object({
        containers: z.array(ContainerSchema, { error: typeMessage('a list of containers') }).min(1, { error: 'Required value: at least one container' }),
        /** (issue 6) Kept: a Pod with `nodeName` skips the scheduler; the kubelet of that Node admits it (a DNS subdomain, validation.go ValidateNodeName). */
        nodeName: dnsName(dns1123SubdomainError).optional(),
        initContainers: z.array(InitContainerSchema, { error: typeMessage('a list of containers') }).optional(),
        volumes: z.array(VolumeSchema, { error: typeMessage('a list of volumes') }).optional(),
        restartPolicy: z.enum(['Always', 'OnFailure', 'Never'], { error: 'supported values: "Always"' }).optional(),
        terminationGracePeriodSeconds: int(0).optional(),
        nodeSelector: stringMap().optional(),
        tolerations: z.array(TolerationSchema, { error: typeMessage('a list of tolerations') }).optional(),
        affinity: AffinitySchema.optional(),
        topologySpreadConstraints: z.array(TopologySpreadConstraintSchema, { error: typeMessage('a list of constraints') }).optional(),
        priorityClassName: str().optional(),
        priority: int(-2147483648, 2147483647).optional(),
        preemptionPolicy: z.enum(['PreemptLowerPriority', 'Never'], { error: 'supported values: "Never", "PreemptLowerPriority"' }).optional(),
      }),
    }),
    strategy: z
      .object({
        type: z.enum(['RollingUpdate', 'Recreate'], { error: 'supported values: "Recreate", "RollingUpdate"' }).optional(),
        rollingUpdate: z.object({ maxSurge: intOrPercent().optional(), maxUnavailable: intOrPercent().optional() }).optional(),
      })
      .optional(),
    revisionHistoryLimit: int(0).optional(),
    progressDeadlineSeconds: int(1).optional(),
    minReadySeconds: int(0).optional(),
    paused: bool().optional(),
  }),
});
/** A Deployment accepted by {@link DeploymentSchema}: quantities as trimmed strings, no defaults applied. */
export type DeploymentInput = z.output<typeof DeploymentSchema>;

/** v1 Service (subset the sim reads). */
export const ServiceSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  metadata: ObjectMetaSchema(dns1035LabelError),
  spec: z
    .object({
      type: z
        .enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'], {
          error: 'supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
        })
        .optional(),
      selector: stringMap().optional(),
      ports: z
        .array(
          z.object({
            name: str().optional(),
            port: portNumber(),
            targetPort: portRef().optional(),
            nodePort: int(1, 65535).optional(),
            protocol: z.enum(['TCP', 'UDP', 'SCTP'], { error: 'supported values: "SCTP", "TCP", "UDP"' }).optional(),
          }),
          { error: typeMessage('a list of ports') },
        )
        .optional(),
      clusterIP: str().optional(),
      externalName: str().optional(),
    })
    .optional(),
});
/** A Service accepted by {@link ServiceSchema}. */
export type ServiceInput = z.output<typeof ServiceSchema>;

// ---------------------------------------------------------------------------------------------------
// Other workload kinds (issue 6). They reuse the Deployment's pod template schema, so fields added to
// it (scheduling, probes...) apply to every workload kind.
// ---------------------------------------------------------------------------------------------------

const PodTemplateSchema = DeploymentSchema.shape.spec.shape.template;
const LabelSelectorSchema = DeploymentSchema.shape.spec.shape.selector;

/** apps/v1 ReplicaSet (subset the sim reads). */
export const ReplicaSetSchema = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('ReplicaSet'),
  metadata: ObjectMetaSchema(dns1123SubdomainError),
  spec: z.object({ replicas: int(0).optional(), selector: LabelSelectorSchema, template: PodTemplateSchema, minReadySeconds: int(0).optional() }),
});

/** v1 ReplicationController: `selector` is a plain label map, defaulted from the template labels. */
export const ReplicationControllerSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('ReplicationController'),
  metadata: ObjectMetaSchema(dns1123SubdomainError),
  spec: z.object({ replicas: int(0).optional(), selector: stringMap().optional(), template: PodTemplateSchema, minReadySeconds: int(0).optional() }),
});

/**
 * (added) `core/v1 PersistentVolumeClaim` (subset): a StatefulSet's `volumeClaimTemplates` entry or a
 * claim of the manifests. `resources.requests.storage` is required (K pkg/apis/core/validation
 * ValidatePersistentVolumeClaimSpec: "spec.resources[storage]: Required value"), as is one access mode.
 */
export const PersistentVolumeClaimSchema = z.object({
  metadata: ObjectMetaSchema(dns1123SubdomainError),
  spec: z.object({
    accessModes: z
      .array(z.enum(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'], { error: 'supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"' }), { error: typeMessage('a list') })
      .min(1, { error: 'Required value: at least 1 access mode is required' }),
    resources: z.object({ requests: z.object({ storage: QuantitySchema }, { error: 'Required value' }) }, { error: 'Required value' }),
    storageClassName: str().optional(),
    volumeMode: z.enum(['Filesystem', 'Block'], { error: 'supported values: "Block", "Filesystem"' }).optional(),
  }),
});

/** apps/v1 StatefulSet (subset): ordinal Pods `name-0..n-1`, OrderedReady or Parallel. */
export const StatefulSetSchema = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('StatefulSet'),
  metadata: ObjectMetaSchema(dns1123SubdomainError),
  spec: z.object({
    replicas: int(0).optional(),
    serviceName: str().optional(),
    selector: LabelSelectorSchema,
    template: PodTemplateSchema,
    podManagementPolicy: z.enum(['OrderedReady', 'Parallel'], { error: 'supported values: "OrderedReady", "Parallel"' }).optional(),
    minReadySeconds: int(0).optional(),
    /** (issue 6) Old ControllerRevisions kept (default 10). */
    revisionHistoryLimit: int(0).optional(),
    /** RollingUpdate (default; `rollingUpdate.partition`) or OnDelete. `maxUnavailable` (alpha) is accepted and ignored. */
    updateStrategy: z
      .object({
        type: z.enum(['RollingUpdate', 'OnDelete'], { error: 'supported values: "OnDelete", "RollingUpdate"' }).optional(),
        rollingUpdate: z.object({ partition: int(0).optional(), maxUnavailable: intOrPercent().optional() }).optional(),
      })
      .optional(),
    volumeClaimTemplates: z.array(PersistentVolumeClaimSchema, { error: typeMessage('a list') }).optional(),
    /** (issue 6) Retain (default) or Delete the claims when the set is deleted / scaled down (StatefulSetAutoDeletePVC, on in 1.32). */
    persistentVolumeClaimRetentionPolicy: z
      .object({
        whenDeleted: z.enum(['Retain', 'Delete'], { error: 'supported values: "Delete", "Retain"' }).optional(),
        whenScaled: z.enum(['Retain', 'Delete'], { error: 'supported values: "Delete", "Retain"' }).optional(),
      })
      .optional(),
  }),
});

/** apps/v1 DaemonSet (subset): one Pod per matching Node. */
export const DaemonSetSchema = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('DaemonSet'),
  metadata: ObjectMetaSchema(dns1123SubdomainError),
  spec: z.object({
    selector: LabelSelectorSchema,
    template: PodTemplateSchema,
    minReadySeconds: int(0).optional(),
    /** (issue 6) Old ControllerRevisions kept (default 10). */
    revisionHistoryLimit: int(0).optional(),
    /** RollingUpdate (default; maxUnavailable default 1; maxSurge default 0, above 0 the new Pod starts beside the old one) or OnDelete. */
    updateStrategy: z
      .object({
        type: z.enum(['RollingUpdate', 'OnDelete'], { error: 'supported values: "OnDelete", "RollingUpdate"' }).optional(),
        rollingUpdate: z.object({ maxUnavailable: intOrPercent().optional(), maxSurge: intOrPercent().optional() }).optional(),
      })
      .optional(),
  }),
});

/** v1 Pod (a bare Pod, issue 6): metadata and the pod template's spec fields; no owner, never recreated. */
export const PodSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Pod'),
  metadata: ObjectMetaSchema(dns1123SubdomainError),
  spec: PodTemplateSchema.shape.spec,
});
/** A bare Pod accepted by {@link PodSchema}. */
export type PodInput = z.output<typeof PodSchema>;

/** A workload accepted by one of the schemas above. */
export type WorkloadInput =
  | z.output<typeof ReplicaSetSchema>
  | z.output<typeof ReplicationControllerSchema>
  | z.output<typeof StatefulSetSchema>
  | z.output<typeof DaemonSetSchema>;

/**
 * Kinds accepted and validated (metadata; the typed fields the API server would reject) but not
 * simulated yet: the loader notes each one. Value: the apiVersions served.
 */
export const ACCEPTED_KINDS: Readonly<Record<string, readonly string[]>> = {
  Job: ['batch/v1'],
  CronJob: ['batch/v1'],
  ConfigMap: ['v1'],
  Secret: ['v1'],
  Namespace: ['v1'],
  ResourceQuota: ['v1'],
  LimitRange: ['v1'],
  HorizontalPodAutoscaler: ['autoscaling/v2', 'autoscaling/v1'],
  PodDisruptionBudget: ['policy/v1'],
  PriorityClass: ['scheduling.k8s.io/v1'],
};

/**
 * Kinds that do not affect the simulation (identity, access control, routing from outside, storage):
 * accepted and ignored with a note. Source: `kubectl api-resources` of Kubernetes 1.32.
 */
export const IGNORED_KINDS: ReadonlySet<string> = new Set([
  'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'Ingress', 'IngressClass',
  'NetworkPolicy', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'CSIDriver', 'VolumeSnapshotClass',
  'Endpoints', 'EndpointSlice', 'Lease', 'RuntimeClass', 'APIService',
]);

/** Metadata plus a few typed fields of the accepted-but-not-simulated kinds (wrong types fail with their path). */
export const AcceptedObjectSchema = z.object({
  apiVersion: nonEmpty(),
  kind: nonEmpty(),
  metadata: z.object({
    name: nonEmpty(),
    namespace: dnsName(dns1123LabelError).optional(),
    labels: stringMap().optional(),
    annotations: stringMap().optional(),
  }),
  data: stringMap().optional(),
  stringData: stringMap().optional(),
  spec: z
    .object({
      replicas: int(0).optional(),
      minReplicas: int(1).optional(),
      maxReplicas: int(1).optional(),
      schedule: str().optional(),
      parallelism: int(0).optional(),
      completions: int(0).optional(),
      backoffLimit: int(0).optional(),
      minAvailable: intOrPercent().optional(),
      maxUnavailable: intOrPercent().optional(),
      containers: z.array(ContainerSchema, { error: typeMessage('a list of containers') }).optional(),
    })
    .optional(),
  value: z.number({ error: typeMessage('an integer') }).int().optional(),
});

const HpaScalingRulesSchema = z.object({
  stabilizationWindowSeconds: int(0, 3600).optional(),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled'], { error: 'supported values: "Max", "Min", "Disabled"' }).optional(),
  policies: z
    .array(
      z.object({
        type: z.enum(['Pods', 'Percent'], { error: 'supported values: "Pods", "Percent"' }),
        value: int(1),
        periodSeconds: int(1, 1800),
      }),
      { error: typeMessage('a list of policies') },
    )
    .optional(),
});

const HpaMetricSchema = z.object({
  type: z.enum(['Resource', 'ContainerResource', 'Pods', 'Object', 'External'], { error: 'supported values: "Resource", "ContainerResource", "Pods", "Object", "External"' }),
  resource: z
    .object({
      name: nonEmpty(),
      target: z.object({
        type: z.enum(['Utilization', 'AverageValue', 'Value'], { error: 'supported values: "Utilization", "AverageValue", "Value"' }),
        averageUtilization: int(1).optional(),
        averageValue: QuantitySchema.optional(),
      }),
    })
    .optional(),
});

/**
 * autoscaling/v2 HorizontalPodAutoscaler (the subset the sim reads) and autoscaling/v1 (its
 * `targetCPUUtilizationPercentage`, converted by the loader). `scaleTargetRef` is checked by the loader
 * after the field types (K pkg/apis/autoscaling/validation: Required value).
 */
export const HorizontalPodAutoscalerSchema = z.object({
  apiVersion: z.enum(['autoscaling/v2', 'autoscaling/v1']),
  kind: z.literal('HorizontalPodAutoscaler'),
  metadata: ObjectMetaSchema(dns1123SubdomainError),
  spec: z.object({
    scaleTargetRef: z.object({ apiVersion: str().optional(), kind: nonEmpty(), name: nonEmpty() }).optional(),
    minReplicas: int(1).optional(),
    maxReplicas: int(1),
    metrics: z.array(HpaMetricSchema, { error: typeMessage('a list of metrics') }).optional(),
    behavior: z.object({ scaleUp: HpaScalingRulesSchema.optional(), scaleDown: HpaScalingRulesSchema.optional() }).optional(),
    targetCPUUtilizationPercentage: int(1).optional(),
  }),
});

/** A validated HorizontalPodAutoscaler (v2 or v1). */
export type HorizontalPodAutoscalerInput = z.output<typeof HorizontalPodAutoscalerSchema>;

const JobSpecSchema = z.object({
  completions: int(0).optional(),
  parallelism: int(0).optional(),
  backoffLimit: int(0).optional(),
  activeDeadlineSeconds: int(1).optional(),
  suspend: bool().optional(),
  template: PodTemplateSchema,
});

/** batch/v1 Job (subset the sim reads); the template's restartPolicy is checked by the loader (Never or OnFailure). */
export const JobSchema = z.object({
  apiVersion: z.literal('batch/v1'),
  kind: z.literal('Job'),
  metadata: ObjectMetaSchema(dns1123SubdomainError),
  spec: JobSpecSchema,
});

/** batch/v1 CronJob (subset the sim reads); the schedule is parsed by the loader. */
export const CronJobSchema = z.object({
  apiVersion: z.literal('batch/v1'),
  kind: z.literal('CronJob'),
  metadata: ObjectMetaSchema(dns1123SubdomainError),
  spec: z.object({
    schedule: nonEmpty(),
    timeZone: str().optional(),
    concurrencyPolicy: z.enum(['Allow', 'Forbid', 'Replace'], { error: 'supported values: "Allow", "Forbid", "Replace"' }).optional(),
    suspend: bool().optional(),
    successfulJobsHistoryLimit: int(0).optional(),
    failedJobsHistoryLimit: int(0).optional(),
    startingDeadlineSeconds: int(0).optional(),
    jobTemplate: z.object({ metadata: z.object({ labels: stringMap().optional(), annotations: stringMap().optional() }).optional(), spec: JobSpecSchema }),
  }),
});

/** A validated Job / CronJob. */
export type JobInput = z.output<typeof JobSchema>;
export type CronJobInput = z.output<typeof CronJobSchema>;
