/**
 * Request bodies in `application/vnd.kubernetes.protobuf`: what kubectl's typed clients send for its
 * imperative generators (`kubectl create deployment NAME --image=...`, `kubectl create service
 * clusterip|nodeport|loadbalancer NAME --tcp=...`). client-go sends protobuf for built-in kinds and
 * falls back to JSON after a 415 only for CBOR, so the API decodes the envelope itself: the magic
 * `k8s\0`, then a `runtime.Unknown` (typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2, contentEncoding
 * = 3, contentType = 4) whose `raw` is the object's message
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#protobuf-encoding).
 *
 * Only apps/v1 Deployment, v1 Service, autoscaling/v1 HorizontalPodAutoscaler and (issue 6) v1
 * ConfigMap / Secret (`kubectl create configmap|secret generic`; bytes values returned base64) are
 * decoded, and only the fields the game reads (the
 * field numbers of k8s.io/api's generated.proto, which never change); other fields are skipped like
 * unknown JSON fields. The result is the object's JSON form (`apiVersion`, `kind` from the envelope),
 * for the same create path as a JSON body. Responses stay JSON (kubectl accepts
 * `application/vnd.kubernetes.protobuf,application/json`).
 *
 * May import: nothing of ours.
 */

/** Content type of a protobuf request body. */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** A body that cannot be decoded (the route answers 415 or 400 with the message). */
export class ProtobufError extends Error {
  override name = 'ProtobufError';
  /** True for a well-formed body of a kind not decoded here (415). */
  readonly unsupported: boolean;
  constructor(message: string, unsupported = false) {
    super(message);
    this.unsupported = unsupported;
  }
}

type FieldType = 'string' | 'int' | 'bool' | 'stringMap' | 'quantityMap' | 'bytesMap' | 'intOrString' | { msg: Schema };
interface Field {
  name: string;
  type: FieldType;
  repeated?: boolean;
  /** A non-pointer int whose 0 means unset (Go's `omitempty`): dropped. */
  omitZero?: boolean;
}
type Schema = Record<number, Field>;

const LABEL_SELECTOR: Schema = { 1: { name: 'matchLabels', type: 'stringMap' } };
const OBJECT_META: Schema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  11: { name: 'labels', type: 'stringMap' },
  12: { name: 'annotations', type: 'stringMap' },
};
const CONTAINER_PORT: Schema = {
  1: { name: 'name', type: 'string' },
  3: { name: 'containerPort', type: 'int' },
  4: { name: 'protocol', type: 'string' },
};
const ENV_VAR: Schema = { 1: { name: 'name', type: 'string' }, 2: { name: 'value', type: 'string' } };
const RESOURCES: Schema = { 1: { name: 'limits', type: 'quantityMap' }, 2: { name: 'requests', type: 'quantityMap' } };
const CONTAINER: Schema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'image', type: 'string' },
  3: { name: 'command', type: 'string', repeated: true },
  4: { name: 'args', type: 'string', repeated: true },
  6: { name: 'ports', type: { msg: CONTAINER_PORT }, repeated: true },
  7: { name: 'env', type: { msg: ENV_VAR }, repeated: true },
  8: { name: 'resources', type: { msg: RESOURCES } },
  14: { name: 'imagePullPolicy', type: 'string' },
};
const POD_SPEC: Schema = {
  2: { name: 'containers', type: { msg: CONTAINER }, repeated: true },
  3: { name: 'restartPolicy', type: 'string' },
  7: { name: 'nodeSelector', type: 'stringMap' },
};
const POD_TEMPLATE: Schema = { 1: { name: 'metadata', type: { msg: OBJECT_META } }, 2: { name: 'spec', type: { msg: POD_SPEC } } };
const DEPLOYMENT_SPEC: Schema = {
  1: { name: 'replicas', type: 'int' },
  2: { name: 'selector', type: { msg: LABEL_SELECTOR } },
  3: { name: 'template', type: { msg: POD_TEMPLATE } },
  5: { name: 'minReadySeconds', type: 'int' },
  6: { name: 'revisionHistoryLimit', type: 'int' },
  7: { name: 'paused', type: 'bool' },
  9: { name: 'progressDeadlineSeconds', type: 'int' },
};
const DEPLOYMENT: Schema = { 1: { name: 'metadata', type: { msg: OBJECT_META } }, 2: { name: 'spec', type: { msg: DEPLOYMENT_SPEC } } };
const SERVICE_PORT: Schema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'protocol', type: 'string' },
  3: { name: 'port', type: 'int' },
  4: { name: 'targetPort', type: 'intOrString' },
  5: { name: 'nodePort', type: 'int', omitZero: true },
};
const SERVICE_SPEC: Schema = {
  1: { name: 'ports', type: { msg: SERVICE_PORT }, repeated: true },
  2: { name: 'selector', type: 'stringMap' },
  3: { name: 'clusterIP', type: 'string' },
  4: { name: 'type', type: 'string' },
};
const SERVICE: Schema = { 1: { name: 'metadata', type: { msg: OBJECT_META } }, 2: { name: 'spec', type: { msg: SERVICE_SPEC } } };

const CROSS_VERSION_REF: Schema = { 1: { name: 'kind', type: 'string' }, 2: { name: 'name', type: 'string' }, 3: { name: 'apiVersion', type: 'string' } };
const HPA_V1_SPEC: Schema = {
  1: { name: 'scaleTargetRef', type: { msg: CROSS_VERSION_REF } },
  2: { name: 'minReplicas', type: 'int' },
  3: { name: 'maxReplicas', type: 'int' },
  4: { name: 'targetCPUUtilizationPercentage', type: 'int' },
};
/** autoscaling/v1 HorizontalPodAutoscaler (k8s.io/api/autoscaling/v1 generated.proto): what `kubectl autoscale` sends. */
const HPA_V1: Schema = { 1: { name: 'metadata', type: { msg: OBJECT_META } }, 2: { name: 'spec', type: { msg: HPA_V1_SPEC } } };

/** (issue 6) v1 ConfigMap (generated.proto: data = 2, binaryData = 3 bytes, immutable = 4): what `kubectl create configmap` sends. */
const CONFIG_MAP: Schema = {
  1: { name: 'metadata', type: { msg: OBJECT_META } },
  2: { name: 'data', type: 'stringMap' },
  3: { name: 'binaryData', type: 'bytesMap' },
  4: { name: 'immutable', type: 'bool' },
};
/** (issue 6) v1 Secret (data = 2 bytes, served base64; type = 3; stringData = 4; immutable = 5): `kubectl create secret generic`. */
const SECRET: Schema = {
  1: { name: 'metadata', type: { msg: OBJECT_META } },
  2: { name: 'data', type: 'bytesMap' },
  3: { name: 'type', type: 'string' },
  4: { name: 'stringData', type: 'stringMap' },
  5: { name: 'immutable', type: 'bool' },
};

/** The kinds decoded, by `apiVersion/kind`. */
const KINDS = new Map<string, Schema>([
  ['apps/v1/Deployment', DEPLOYMENT],
  ['v1/Service', SERVICE],
  ['autoscaling/v1/HorizontalPodAutoscaler', HPA_V1],
  ['v1/ConfigMap', CONFIG_MAP],
  ['v1/Secret', SECRET],
]);

/** A protobuf wire reader over one message's bytes. */
class Reader {
  pos = 0;
  readonly buf: Uint8Array;
  constructor(buf: Uint8Array) {
    this.buf = buf;
  }
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw new ProtobufError('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new ProtobufError('varint too long');
    }
  }
  bytes(): Uint8Array {
    const n = this.varint();
    if (this.pos + n > this.buf.length) throw new ProtobufError('truncated length-delimited field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new ProtobufError(`unsupported wire type ${wire}`);
  }
}

const text = new TextDecoder('utf-8', { fatal: true });

function str(b: Uint8Array): string {
  try {
    return text.decode(b);
  } catch {
    throw new ProtobufError('a string field is not UTF-8');
  }
}

/** A signed int32/int64 from a varint (two's complement above 2^63 is not expected for these fields). */
function int(n: number): number {
  return n >= 2 ** 63 ? n - 2 ** 64 : n >= 2 ** 31 && n < 2 ** 32 ? n - 2 ** 32 : n;
}

/** `map<string, V>` entry: key = 1, value = 2 (V a string, a Quantity message {string = 1}, or bytes: returned base64 as JSON carries them). */
function mapEntry(b: Uint8Array, quantity: boolean, bytes = false): [string, string] {
  const r = new Reader(b);
  let key = '';
  let value = '';
  while (!r.done) {
    const tag = r.varint();
    const no = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire !== 2) {
      r.skip(wire);
      continue;
    }
    const v = r.bytes();
    if (no === 1) key = str(v);
    else if (no === 2) value = bytes ? Buffer.from(v).toString('base64') : quantity ? (decode(v, { 1: { name: 's', type: 'string' } })['s'] as string | undefined) ?? '' : str(v);
  }
  return [key, value];
}

function intOrString(b: Uint8Array): number | string {
  const o = decode(b, { 1: { name: 'type', type: 'int' }, 2: { name: 'intVal', type: 'int' }, 3: { name: 'strVal', type: 'string' } });
  return o['type'] === 1 ? ((o['strVal'] as string | undefined) ?? '') : ((o['intVal'] as number | undefined) ?? 0);
}

/** Decodes one message after `schema` into its JSON form (empty strings and empty objects dropped, as `omitempty`). */
function decode(buf: Uint8Array, schema: Schema): Record<string, unknown> {
  const r = new Reader(buf);
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  while (!r.done) {
    const tag = r.varint();
    const no = Math.floor(tag / 8);
    const wire = tag & 7;
    const f = Object.hasOwn(schema, no) ? schema[no] : undefined;
    if (!f) {
      r.skip(wire);
      continue;
    }
    let value: unknown;
    if (f.type === 'int' || f.type === 'bool') {
      if (wire !== 0) throw new ProtobufError(`field ${f.name}: wire type ${wire}, want varint`);
      const n = r.varint();
      value = f.type === 'bool' ? n !== 0 : int(n);
    } else {
      if (wire !== 2) throw new ProtobufError(`field ${f.name}: wire type ${wire}, want length-delimited`);
      const b = r.bytes();
      if (f.type === 'string') value = str(b);
      else if (f.type === 'stringMap' || f.type === 'quantityMap' || f.type === 'bytesMap') {
        const [k, v] = mapEntry(b, f.type === 'quantityMap', f.type === 'bytesMap');
        const m = (out[f.name] as Record<string, string> | undefined) ?? (Object.create(null) as Record<string, string>);
        m[k] = v;
        out[f.name] = m;
        continue;
      } else if (f.type === 'intOrString') value = intOrString(b);
      else value = decode(b, f.type.msg);
    }
    if (f.repeated) {
      const list = (out[f.name] as unknown[] | undefined) ?? [];
      list.push(value);
      out[f.name] = list;
    } else out[f.name] = value;
  }
  for (const k of Object.keys(out)) {
    const v = out[k];
    const f = Object.values(schema).find((x) => x.name === k);
    if (v === '' || (v === 0 && f?.omitZero) || (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) delete out[k];
  }
  return { ...out };
}

/**
 * The JSON form of a protobuf request body (`k8s\0` + `runtime.Unknown`).
 * @throws ProtobufError (`unsupported` for a kind not decoded here: the route answers 415).
 */
export function decodeProtobufBody(body: Uint8Array): Record<string, unknown> {
  if (body.length < 4 || body[0] !== 0x6b || body[1] !== 0x38 || body[2] !== 0x73 || body[3] !== 0) throw new ProtobufError('the body does not start with the protobuf magic "k8s\\0"');
  const env = new Reader(body.subarray(4));
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array | undefined;
  while (!env.done) {
    const tag = env.varint();
    const no = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire !== 2) {
      env.skip(wire);
      continue;
    }
    const b = env.bytes();
    if (no === 1) {
      const tm = decode(b, { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } });
      apiVersion = (tm['apiVersion'] as string | undefined) ?? '';
      kind = (tm['kind'] as string | undefined) ?? '';
    } else if (no === 2) raw = b;
    else if (no === 3 && b.length > 0) throw new ProtobufError(`content encoding ${str(b)} is not supported`, true);
  }
  const schema = KINDS.get(`${apiVersion}/${kind}`);
  if (!schema) throw new ProtobufError(`protobuf bodies of ${apiVersion === '' ? '' : `${apiVersion} `}${kind || 'this kind'} are not supported by this game's API (send JSON: kubectl create -f)`, true);
  return { apiVersion, kind, ...decode(raw ?? new Uint8Array(), schema) };
}
