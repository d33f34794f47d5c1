/**
 * The per-team Kubernetes API on the server's port: `/k8s/MATCH/TEAM/...` answers what kubectl v1.32
 * asks (discovery, `/version`, list/get with label and field selectors, `meta.k8s.io/v1` Tables, the
 * writes of ./writes.ts) from the live match the bearer token was issued in (./gateway.ts), and
 * `/k8s/MATCH/TEAM/metrics` serves Prometheus metrics (./metrics.ts), and `GET /k8s/kubeconfig` returns the token holder's kubeconfig (./kubeconfig.ts).
 *
 * Access: a player reads and writes only their own team's cluster; a trainer reads every team's (and
 * writes their own, the match's rule); a spectator reads every team's and writes none (403). The token comes in `Authorization: Bearer TOKEN`, or in the
 * path (`/k8s/MATCH/TEAM/token/TOKEN/...`): kubectl sends credentials only over TLS
 * (kubernetes/kubectl#744), and the server speaks plain HTTP unless a proxy terminates TLS, so the
 * kubeconfig puts the token in the cluster URL (and in `user.token`, for HTTPS). Errors are `Status` bodies (./status.ts): 401 without a valid
 * token, 403 for another team's cluster or another match, 404 NotFound, 405 for verbs not served,
 * 422 Invalid, 503 `etcdserver: request timed out` while the team's etcd has no quorum (reads too:
 * kubectl's reads are quorum reads). Watch: ./watch.ts. OpenAPI v3: ./openapi.ts (`/openapi/v3...`). Creates
 * (POST of Deployments and Services, JSON or protobuf: ./protobuf.ts), metadata/taint patches and
 * Deployment deletes: ./writes.ts; PUT and server-side apply: ./desired.ts; `pods/log`: ./logs.ts;
 * `?dryRun=All` submits nothing. Not served: `/openapi/v2` (404), other subresources.
 *
 * May import: fastify, ./*, shared/sim (read only), shared/protocol.ts (types).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiWritable } from '../../shared/sim/apiserver.ts';
import type { ActionMessage } from '../../shared/protocol.ts';
import { DELETABLE_KINDS, type DeletableKind, type SimState } from '../../shared/sim/types.ts';
import { AGGREGATED_CONTENT_TYPE, SERVER_VERSION, aggregatedDiscovery, apiGroupList, apiResourceList, apiVersions, wantsAggregated } from './discovery.ts';
import { resolveK8sToken, type K8sPrincipal, type K8sSession } from './gateway.ts';
import { kubeconfigYaml } from './kubeconfig.ts';
import { closeAllLogStreams, followLogs, parseLogQuery, readLogs } from './logs.ts';
import { RESOURCES, fieldLabels, findResource, groupVersion, qualified, type Entry, type Resource } from './resources.ts';
import { clusterMetrics } from './metrics.ts';
import { openApiDocument, openApiIndex } from './openapi.ts';
import { PROTOBUF_CONTENT_TYPE, ProtobufError, decodeProtobufBody } from './protobuf.ts';
import { applyConflicts, desiredPatch, forgetOwners, previewPatch, recordCreated, recordOwners, staleVersion } from './desired.ts';
import { parse as parseYaml } from 'yaml';
import { served } from './served.ts';
import { WATCH_MAX_SECONDS, closeAllWatches, noteListed, noteServed, runWatch } from './watch.ts';
import { SelectorError, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { forbidden, notFound, statusError, statusFromText, unauthorized, type StatusError } from './status.ts';
import { APPLY_OBJECT_KINDS, applyObjectActions, strategicMerge, type ApplyObjectKind, actionRef, autoscalerCreateAction, createAction, deleteDeploymentAction, deleteObjectAction, POST_KINDS, type PostKind, policyPatchActions, deletePodAction, podUpdateActions, removedMetadata, replacedMetadata, deploymentActions, evictionActions, metadataOnlyActions, nodeActions, patchObject, scaleAction } from './writes.ts';

/** Content type of a Table answer. */
const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** Server-side apply's patch type (`kubectl apply --server-side`): a YAML (or JSON) apply configuration. */
const APPLY_PATCH_TYPE = 'application/apply-patch+yaml';

/** Patch and body content types kubectl sends (parsed as JSON). */
const JSON_BODY_TYPES = ['application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json'];

function sendStatus(reply: FastifyReply, s: StatusError): FastifyReply {
  return reply.code(s.code).type('application/json').send(s.body);
}

/** Sends `body` as JSON with exactly `contentType` (a Buffer: Fastify leaves its media type as written). */
function sendTyped(reply: FastifyReply, contentType: string, body: unknown): FastifyReply {
  return reply.header('content-type', contentType).send(Buffer.from(JSON.stringify(body)));
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h.trim());
  return m?.[1];
}

/**
 * The token's session and principal, or the 401 to send. `pathToken`: the token of a
 * `/k8s/MATCH/TEAM/token/TOKEN/...` URL, which wins over the `Authorization` header.
 */
function authenticate(req: FastifyRequest, pathToken?: string): { session: K8sSession; who: K8sPrincipal } | StatusError {
  const token = pathToken ?? bearer(req);
  const session = token === undefined ? undefined : resolveK8sToken(token);
  const who = session?.source.principal(session.sessionId);
  if (!session || !who) return unauthorized();
  return { session, who };
}

function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((s) => s.trim());
    return params[0] === 'application/json' && params.includes('as=Table') && params.includes('g=meta.k8s.io') && params.includes('v=v1');
  });
}

function queryString(q: unknown, key: string): string | undefined {
  if (q === null || typeof q !== 'object') return undefined;
  const v = (q as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

/** Where a request goes, parsed from the path after `/k8s/MATCH/TEAM/`. */
type Target =
  | { kind: 'version' }
  | { kind: 'metrics' }
  | { kind: 'openapi'; key: string | null }
  | { kind: 'api' }
  | { kind: 'apis' }
  | { kind: 'groupVersion'; group: string; version: string }
  | { kind: 'object'; resource: Resource; namespace: string | null; name: string | null; sub: string | null }
  | { kind: 'unknown'; path: string };

function parseTarget(path: string): Target {
  let parts: string[];
  try {
    parts = path.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  } catch {
    return { kind: 'unknown', path };
  }
  if (parts.length === 1 && parts[0] === 'version') return { kind: 'version' };
  if (parts.length === 1 && parts[0] === 'metrics') return { kind: 'metrics' };
  if (parts[0] === 'openapi' && parts[1] === 'v3') return { kind: 'openapi', key: parts.length === 2 ? null : parts.slice(2).join('/') };
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'api' };
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { kind: 'apis' };
    if (parts.length === 2) return { kind: 'unknown', path };
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else return { kind: 'unknown', path };
  if (rest.length === 0) return { kind: 'groupVersion', group, version };
  let namespace: string | null = null;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1]!;
    rest = rest.slice(2);
  }
  const resource = findResource(group, version, rest[0]!);
  if (!resource || rest.length > 3 || (namespace !== null && !resource.namespaced)) return { kind: 'unknown', path };
  return { kind: 'object', resource, namespace, name: rest[1] ?? null, sub: rest[2] ?? null };
}

/** PartialObjectMetadata of a served object (a Table row's `object` by default). */
function partialMetadata(api: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: api['metadata'] };
}

function table(resource: Resource, entries: Entry[], state: SimState, include: string | undefined, known?: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: String(state.counters.resourceVersion) },
    columnDefinitions: resource.columns,
    rows: entries.map((e) => {
      const row: Record<string, unknown> = { cells: e.cells() };
      if (include !== 'None') {
        const body = known ?? objectBody(resource, e, state);
        row['object'] = include === 'Object' ? body : partialMetadata(body);
      }
      return row;
    }),
  };
}

/** The body of a served object: its kind and apiVersion set, wall-clock timestamps (./served.ts). */
function objectBody(resource: Resource, e: Entry, state: SimState): Record<string, unknown> {
  return served({ apiVersion: groupVersion(resource), kind: resource.kind, ...e.api() }, state, Date.now());
}

function findEntry(resource: Resource, state: SimState, ns: string | null, name: string): Entry | undefined {
  return resource.entries(state, resource.namespaced ? ns : null).find((e) => e.name === name);
}

function scaleBody(state: SimState, ns: string, name: string): Record<string, unknown> | undefined {
  const d = state.deployments[`${ns}/${name}`];
  if (!d) return undefined;
  const selector = Object.keys(d.spec.selector.matchLabels).sort().map((k) => `${k}=${d.spec.selector.matchLabels[k]}`).join(',');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace: ns, uid: d.metadata.uid, resourceVersion: String(d.metadata.resourceVersion), creationTimestamp: null },
    spec: { replicas: d.spec.replicas },
    status: { replicas: d.status.replicas, selector },
  };
}

const VERB_OF: Record<string, string> = { GET: 'get', PATCH: 'patch', PUT: 'update', DELETE: 'delete', POST: 'create' };

/** Registers `/k8s/kubeconfig` and `/k8s/:match/:team/*` (mount with prefix `/k8s`). */
export async function registerK8sRoutes(app: FastifyInstance): Promise<void> {
  // Whatever fails (a body that is not JSON, a bad %-escape) answers a Status, as the API server does.
  app.setErrorHandler((err: { statusCode?: number; message?: string }, req, reply) => {
    const code = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (code === 500) req.log.error({ err }, 'k8s API request failed');
    return sendStatus(reply, statusError(code, code === 500 ? 'InternalError' : code === 415 ? 'UnsupportedMediaType' : 'BadRequest', code === 500 ? 'an internal error occurred' : (err.message ?? 'bad request')));
  });
  app.addHook('onClose', async () => {
    closeAllWatches();
    closeAllLogStreams();
  });
  app.addHook('preClose', async () => {
    closeAllWatches();
    closeAllLogStreams();
  });
  app.addContentTypeParser(JSON_BODY_TYPES, { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string));
    } catch (err) {
      done(Object.assign(new Error(`the request body is not valid JSON: ${(err as Error).message}`), { statusCode: 400 }), undefined);
    }
  });

  app.addContentTypeParser(APPLY_PATCH_TYPE, { parseAs: 'string' }, (_req, body, done) => {
    try {
      const doc: unknown = parseYaml(body as string);
      done(null, doc);
    } catch (err) {
      done(Object.assign(new Error(`the apply configuration is not valid YAML: ${(err as Error).message}`), { statusCode: 400 }), undefined);
    }
  });
  app.addContentTypeParser(PROTOBUF_CONTENT_TYPE, { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, decodeProtobufBody(body as Buffer));
    } catch (err) {
      if (!(err instanceof ProtobufError)) throw err;
      done(Object.assign(new Error(err.unsupported ? err.message : `the protobuf request body cannot be decoded: ${err.message}`), { statusCode: err.unsupported ? 415 : 400 }), undefined);
    }
  });

  app.get('/kubeconfig', { schema: { hide: true } }, (req, reply) => {
    const auth = authenticate(req);
    if ('code' in auth) return sendStatus(reply, auth);
    const { session, who } = auth;
    const teams = who.trainer || who.spectator === true ? session.source.teams() : [who.team];
    const yaml = kubeconfigYaml({ baseUrl: `${req.protocol}://${req.host}`, matchId: session.matchId, user: who.name, token: bearer(req)!, team: who.team, teams });
    return reply.type('application/yaml').header('content-disposition', 'attachment; filename="gameday.yaml"').header('cache-control', 'no-store').send(yaml);
  });

  app.route({
    method: ['GET', 'PATCH', 'PUT', 'DELETE', 'POST'],
    url: '/:match/:team/*',
    schema: { hide: true },
    // kubectl polls, and URLs may carry a token: no per-request info logs on these routes.
    logLevel: 'warn',
    handler: (req, reply) => {
      const params = req.params as { match: string; team: string; '*': string };
      let rest = params['*'];
      let pathToken: string | undefined;
      const tokenPath = /^token\/([^/]+)(?:\/(.*))?$/.exec(rest);
      if (tokenPath) {
        pathToken = tokenPath[1]!;
        rest = tokenPath[2] ?? '';
      }
      const auth = authenticate(req, pathToken);
      if ('code' in auth) return sendStatus(reply, auth);
      const { session, who } = auth;
      const target = parseTarget(rest);
      const verb = VERB_OF[req.method] ?? req.method.toLowerCase();
      const resourceName = target.kind === 'object' ? target.resource.plural : '';
      const group = target.kind === 'object' ? target.resource.group : '';
      const ns = target.kind === 'object' ? target.namespace : null;
      if (params.match !== session.matchId) {
        return sendStatus(reply, forbidden(who.name, verb, resourceName, group, ns, 'this token was issued for another match'));
      }
      const state = session.source.sim(params.team);
      if (!state) return sendStatus(reply, statusError(404, 'NotFound', `team "${params.team}" is not in this match (teams: ${session.source.teams().join(', ')})`));
      if (params.team !== who.team && !who.trainer && who.spectator !== true) {
        return sendStatus(reply, forbidden(who.name, verb, resourceName, group, ns, `${who.name} plays for team ${who.team}, not ${params.team}`));
      }
      const accept = req.headers.accept;

      switch (target.kind) {
        case 'version':
          return reply.send(SERVER_VERSION);
        case 'metrics':
          return clusterMetrics(state).then((m) => reply.header('content-type', m.contentType).send(Buffer.from(m.text)));
        case 'openapi': {
          if (target.key === null) return reply.send(openApiIndex(`/k8s/${params.match}/${params.team}${pathToken === undefined ? '' : `/token/${pathToken}`}`));
          const doc = openApiDocument(target.key);
          if (doc === undefined) return sendStatus(reply, statusError(404, 'NotFound', 'the server could not find the requested resource'));
          return reply.header('content-type', 'application/json').header('cache-control', 'public, immutable').send(doc);
        }
        case 'api':
          return wantsAggregated(accept) ? sendTyped(reply, AGGREGATED_CONTENT_TYPE, aggregatedDiscovery(true)) : reply.send(apiVersions());
        case 'apis':
          return wantsAggregated(accept) ? sendTyped(reply, AGGREGATED_CONTENT_TYPE, aggregatedDiscovery(false)) : reply.send(apiGroupList());
        case 'groupVersion': {
          const list = apiResourceList(target.group, target.version);
          if (!list) return sendStatus(reply, statusError(404, 'NotFound', 'the server could not find the requested resource'));
          return reply.send(list);
        }
        case 'unknown':
          return sendStatus(reply, statusError(404, 'NotFound', 'the server could not find the requested resource'));
        case 'object':
          break;
      }
      const { resource, name, sub } = target;
      if (!apiWritable(state)) return sendStatus(reply, statusError(503, '', 'etcdserver: request timed out'));
      if (req.method === 'GET') {
        if (name === null) {
          const team = params.team;
          const token = pathToken ?? bearer(req);
          const alive = () => token !== undefined && resolveK8sToken(token) !== undefined && session.source.sim(team) === state;
          return listObjects(req, reply, resource, state, target.namespace, alive);
        }
        if (sub === 'scale' && resource.kind === 'Deployment') {
          const scale = scaleBody(state, target.namespace ?? 'default', name);
          return scale ? reply.send(scale) : sendStatus(reply, notFound(qualified(resource), name, resource.group, resource.plural));
        }
        if (sub === 'log' && resource.kind === 'Pod') {
          const key = `${target.namespace ?? 'default'}/${name}`;
          if (!state.pods[key]) return sendStatus(reply, notFound(qualified(resource), name, resource.group, resource.plural));
          const q = parseLogQuery(req.query);
          if ('code' in q) return sendStatus(reply, q);
          if (q.follow) {
            const team = params.team;
            const token = pathToken ?? bearer(req);
            reply.hijack();
            followLogs(reply.raw, state, key, q, Date.now(), () => token !== undefined && resolveK8sToken(token) !== undefined && session.source.sim(team) === state);
            return reply;
          }
          const logs = readLogs(state, key, q, Date.now());
          if ('code' in logs) return sendStatus(reply, logs);
          return reply.header('content-type', 'text/plain').send(Buffer.from(logs.text));
        }
        // `status` (`kubectl get --subresource=status`): the whole object, as the API server answers it.
        if (sub !== null && !(sub === 'status' && resource.subresources.some((s) => s.name === 'status'))) return sendStatus(reply, statusError(404, 'NotFound', 'the server could not find the requested resource'));
        const entry = findEntry(resource, state, target.namespace, name);
        noteListed(state);
        if (!entry) return sendStatus(reply, notFound(qualified(resource), name, resource.group, resource.plural));
        return wantsTable(accept) ? sendTyped(reply, TABLE_CONTENT_TYPE, table(resource, [entry], state, queryString(req.query, 'includeObject'))) : reply.send(objectBody(resource, entry, state));
      }
      if (who.spectator === true) {
        return sendStatus(reply, forbidden(who.name, verb, resourceName, group, ns, 'spectators read every team\'s cluster and change none'));
      }
      if (who.team !== params.team) {
        return sendStatus(reply, forbidden(who.name, verb, resourceName, group, ns, `trainers read every team's cluster but act only on their own (${who.team})`));
      }
      return writeObject(req, reply, session, resource, state, target.namespace ?? 'default', name, sub);
    },
  });
}

function listObjects(req: FastifyRequest, reply: FastifyReply, resource: Resource, state: SimState, ns: string | null, alive: () => boolean): FastifyReply {
  const q = req.query;
  let matches: (e: Entry, body: Record<string, unknown>) => boolean;
  try {
    const ls = queryString(q, 'labelSelector');
    const fs = queryString(q, 'fieldSelector');
    const lm = ls !== undefined && ls !== '' ? parseLabelSelector(ls) : undefined;
    const fm = fs !== undefined && fs !== '' ? parseFieldSelector(fs, fieldLabels(resource)) : undefined;
    matches = (e, body) => (lm === undefined || lm(e.labels)) && (fm === undefined || fm(body));
  } catch (err) {
    if (err instanceof SelectorError) return sendStatus(reply, statusError(400, 'BadRequest', err.message));
    throw err;
  }
  const watching = queryBool(q, 'watch') === true;
  const invalid = listOptionsErrors(q, watching);
  if (invalid) return sendStatus(reply, invalid);
  if (watching) {
    const timeout = Number(queryString(q, 'timeoutSeconds') ?? WATCH_MAX_SECONDS);
    const asTable = wantsTable(req.headers.accept);
    reply.hijack();
    runWatch(reply.raw, {
      resource,
      state,
      namespace: resource.namespaced ? ns : null,
      matches,
      body: (e) => objectBody(resource, e, state),
      present: asTable ? (e, body) => table(resource, [e], state, queryString(q, 'includeObject'), body) : (_e, body) => body,
      resourceVersion: queryString(q, 'resourceVersion'),
      bookmarks: queryBool(q, 'allowWatchBookmarks') === true,
      sendInitialEvents: queryBool(q, 'sendInitialEvents'),
      bookmark: (resourceVersion, annotations) => {
        const metadata = { resourceVersion, ...(annotations ? { annotations } : {}) };
        return asTable ? { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions: [], rows: [] } : { kind: resource.kind, apiVersion: groupVersion(resource), metadata };
      },
      timeoutSeconds: Number.isFinite(timeout) ? timeout : WATCH_MAX_SECONDS,
      alive,
    });
    return reply;
  }
  const entries: Entry[] = [];
  for (const e of resource.entries(state, ns)) {
    const body = objectBody(resource, e, state);
    if (!matches(e, body)) continue;
    entries.push(e);
    noteServed(state, resource, e, body);
  }
  noteListed(state);
  if (wantsTable(req.headers.accept)) return sendTyped(reply, TABLE_CONTENT_TYPE, table(resource, entries, state, queryString(q, 'includeObject')));
  return reply.send({
    kind: `${resource.kind}List`,
    apiVersion: groupVersion(resource),
    metadata: { resourceVersion: String(state.counters.resourceVersion) },
    items: entries.map((e) => objectBody(resource, e, state)),
  });
}

/**
 * A boolean query parameter as the API server's query conversion reads it (Go strconv.ParseBool:
 * `1`/`t`/`true`..., `0`/`f`/`false`...); undefined when absent or not a boolean.
 */
function queryBool(q: unknown, key: string): boolean | undefined {
  const v = queryString(q, key);
  if (v === undefined) return undefined;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  return undefined;
}

/**
 * The 422 of list and watch options the API server refuses (apimachinery
 * pkg/apis/meta/internalversion/validation ValidateListOptions, WatchList enabled as in 1.32+):
 * `sendInitialEvents` only on a watch, with `resourceVersionMatch=NotOlderThan` and
 * `allowWatchBookmarks=true`; a watch's `resourceVersionMatch` only with `sendInitialEvents`; a list's
 * only with a `resourceVersion`, `Exact` or `NotOlderThan`, not `Exact` for "0". Undefined when valid.
 */
function listOptionsErrors(q: unknown, watching: boolean): StatusError | undefined {
  const errors: { field: string; reason: string; message: string }[] = [];
  const forbid = (field: string, message: string) => errors.push({ field, reason: 'FieldValueForbidden', message: `Forbidden: ${message}` });
  const unsupported = (field: string, value: string, allowed: string[]) =>
    errors.push({ field, reason: 'FieldValueNotSupported', message: `Unsupported value: "${value}": supported values: ${allowed.map((a) => `"${a}"`).join(', ')}` });
  const match = queryString(q, 'resourceVersionMatch') ?? '';
  const initial = queryString(q, 'sendInitialEvents');
  const rv = queryString(q, 'resourceVersion') ?? '';
  if (watching) {
    if (initial !== undefined) {
      if (match !== 'NotOlderThan') forbid('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
      if (queryBool(q, 'allowWatchBookmarks') !== true) forbid('allowWatchBookmarks', 'sendInitialEvents requires setting allowWatchBookmarks to true');
    }
    if (match !== '') {
      if (initial === undefined) forbid('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
      if (match !== 'NotOlderThan') unsupported('resourceVersionMatch', match, ['NotOlderThan']);
    }
  } else {
    if (match !== '') {
      if (rv === '') forbid('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided');
      if (match !== 'Exact' && match !== 'NotOlderThan') unsupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']);
      if (match === 'Exact' && rv === '0') forbid('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    }
    if (initial !== undefined) forbid('sendInitialEvents', 'sendInitialEvents is forbidden for list');
  }
  if (errors.length === 0) return undefined;
  const text = errors.map((e) => `${e.field}: ${e.message}`);
  const message = `ListOptions.meta.k8s.io "" is invalid: ${text.length === 1 ? text[0] : `[${text.join(', ')}]`}`;
  return statusError(422, 'Invalid', message, { group: 'meta.k8s.io', kind: 'ListOptions', causes: errors });
}

const methodNotAllowed = (resource: Resource, verb: string): StatusError =>
  statusError(405, 'MethodNotAllowed', `${verb} of ${qualified(resource)} is not supported by this game's API (supported: ${resource.verbs.join(', ')})`);

/**
 * Creates a Deployment or Service from `body` (a POST, or a server-side apply of a new object): the
 * game's create action, its fields owned by the request's `fieldManager`; `--dry-run=server` answers
 * the object as sent.
 */
async function createFrom(req: FastifyRequest, reply: FastifyReply, session: K8sSession, resource: Resource, state: SimState, ns: string, body: unknown, code: number): Promise<FastifyReply> {
  const kind = resource.kind as PostKind;
  const a = createAction(kind, ns, body);
  if ('code' in a) return sendStatus(reply, a);
  const created = (body as { metadata?: { name?: unknown } }).metadata?.name;
  if (dryRun(req)) {
    if (typeof created === 'string' && findEntry(resource, state, ns, created)) return sendStatus(reply, statusError(409, 'AlreadyExists', `${qualified(resource)} "${created}" already exists`));
    const copy = structuredClone(body as Record<string, unknown>);
    copy['metadata'] = { ...(copy['metadata'] as Record<string, unknown>), namespace: ns };
    return reply.code(code).send(copy);
  }
  const result = await session.source.submit(session.sessionId, a);
  if (!result.ok) return sendStatus(reply, statusFromText(result.error, /paused|ended|over|not a player|you play for/.test(result.error) ? { code: 409, reason: 'Conflict' } : { code: 422, reason: 'Invalid' }));
  const manager = fieldManagerOf(req);
  if (typeof created === 'string' && manager) recordCreated(state, `${resource.kind}/${ns}/${created}`, manager, body as Record<string, unknown>);
  const e = typeof created === 'string' ? findEntry(resource, state, ns, created) : undefined;
  return e ? reply.code(code).send(objectBody(resource, e, state)) : sendStatus(reply, statusError(500, 'InternalError', 'the object was created but cannot be read back'));
}

async function writeObject(req: FastifyRequest, reply: FastifyReply, session: K8sSession, resource: Resource, state: SimState, ns: string, name: string | null, sub: string | null): Promise<FastifyReply> {
  const verb = VERB_OF[req.method] ?? req.method;
  if (name === null && req.method === 'POST' && (POST_KINDS as readonly string[]).includes(resource.kind) && sub === null) {
    return createFrom(req, reply, session, resource, state, ns, req.body, 201);
  }
  if (name === null && req.method === 'POST' && resource.kind === 'HorizontalPodAutoscaler' && sub === null) {
    const a = autoscalerCreateAction(ns, req.body);
    if ('code' in a) return sendStatus(reply, a);
    const hpaName = a.type === 'autoscale' ? (a.name ?? splitRef(a.deployment)) : '';
    if (findEntry(resource, state, ns, hpaName)) return sendStatus(reply, statusError(409, 'AlreadyExists', `${qualified(resource)} "${hpaName}" already exists`));
    if (dryRun(req)) return reply.code(201).send(req.body);
    const result = await session.source.submit(session.sessionId, a);
    if (!result.ok) return sendStatus(reply, statusFromText(result.error, { code: 422, reason: 'Invalid' }));
    const e = findEntry(resource, state, ns, hpaName);
    if (!e) return sendStatus(reply, statusError(500, 'InternalError', 'the object was created but cannot be read back'));
    const created = objectBody(resource, e, state);
    return reply.code(201).send(req.url.includes('/apis/autoscaling/v1/') ? hpaV1Body(created) : created);
  }
  if (name === null) return sendStatus(reply, methodNotAllowed(resource, verb));
  const contentType = String(req.headers['content-type'] ?? 'application/json');
  let actions: ActionMessage[] | StatusError;
  let answer: () => Record<string, unknown> | undefined;
  /** A Deployment patch, for a dry run's answer (`kubectl diff`). */
  let preview: Record<string, unknown> | undefined;
  const entryBody = (): Record<string, unknown> | undefined => {
    const e = findEntry(resource, state, ns, name);
    return e ? objectBody(resource, e, state) : undefined;
  };
  const missing = (): StatusError => notFound(qualified(resource), name, resource.group, resource.plural);
  // A merge or strategic-merge patch carrying `metadata.resourceVersion` is a precondition (optimistic
  // concurrency: `kubectl label|annotate --resource-version=N`): 409 Conflict when it is not the current one.
  if (req.method === 'PATCH' && sub === null && isObj(req.body) && /^application\/(merge|strategic-merge)-patch\+json/.test(contentType)) {
    const current = entryBody();
    const stale = current ? staleVersion(resource.kind, qualified(resource), name, current, req.body) : undefined;
    if (stale) return sendStatus(reply, stale);
  }

  if (resource.kind === 'Deployment' && sub === 'scale' && (req.method === 'PATCH' || req.method === 'PUT')) {
    if (!state.deployments[`${ns}/${name}`]) return sendStatus(reply, missing());
    const body = req.method === 'PUT' ? req.body : patchObject(contentType, req.body);
    if (body !== null && typeof body === 'object' && 'code' in body && 'body' in body) return sendStatus(reply, body as StatusError);
    const a = scaleAction(ns, name, (body ?? {}) as Record<string, unknown>);
    actions = 'code' in a ? a : [a];
    answer = () => scaleBody(state, ns, name);
  } else if (resource.kind === 'Pod' && sub === 'eviction' && req.method === 'POST') {
    const key = `${ns}/${name}`;
    const pod = state.pods[key];
    if (!pod) return sendStatus(reply, missing());
    const e = evictionActions(state, key, pod);
    if ('code' in e) return sendStatus(reply, e);
    actions = e;
    answer = () => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    reply.code(201);
  } else if (sub === 'status' && resource.subresources.some((s) => s.name === 'status')) {
    return sendStatus(reply, statusError(405, 'MethodNotAllowed', `${verb} of ${qualified(resource)}/status is not supported by this game's API: the game's controllers own status (supported: get)`));
  } else if (sub !== null) {
    return sendStatus(reply, statusError(404, 'NotFound', 'the server could not find the requested resource'));
  } else if ((resource.kind === 'Deployment' || resource.kind === 'Service') && ((req.method === 'PATCH' && contentType.startsWith(APPLY_PATCH_TYPE)) || req.method === 'PUT')) {
    const ssa = req.method === 'PATCH';
    const desired = req.body;
    if (!isObj(desired)) return sendStatus(reply, statusError(400, 'BadRequest', 'the request body must be an object'));
    const bodyName = isObj(desired['metadata']) ? desired['metadata']['name'] : undefined;
    if (bodyName !== undefined && bodyName !== name) return sendStatus(reply, statusError(400, 'BadRequest', `the name of the object (${String(bodyName)}) does not match the name on the URL (${name})`));
    const manager = queryString(req.query, 'fieldManager');
    if (ssa && !manager) return sendStatus(reply, statusError(400, 'BadRequest', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch'));
    const served = entryBody();
    if (!served) {
      if (!ssa) return sendStatus(reply, missing());
      // Server-side apply of a new object creates it.
      return createFrom(req, reply, session, resource, state, ns, { ...desired, metadata: { ...(desired['metadata'] as Record<string, unknown> | undefined), name } }, 201);
    }
    if (!ssa) {
      const stale = staleVersion(resource.kind, qualified(resource), name, served, desired);
      if (stale) return sendStatus(reply, stale);
    }
    const patch = desiredPatch(resource.kind, served, desired, !ssa);
    actions = resource.kind === 'Deployment' ? deploymentActions(ns, name, patch) : metadataOnlyActions('Service', ns, name, patch);
    if (ssa && Array.isArray(actions) && queryString(req.query, 'force') !== 'true') {
      const conflict = applyConflicts(state, `${resource.kind}/${ns}/${name}`, manager!, actions, groupVersion(resource), name, resource.plural);
      if (conflict) return sendStatus(reply, conflict);
    }
    if (dryRun(req) && Array.isArray(actions)) return reply.send(previewPatch(served, patch));
    answer = entryBody;
  } else if ((APPLY_OBJECT_KINDS as readonly string[]).includes(resource.kind) && (req.method === 'PUT' || req.method === 'PATCH')) {
    // (issue 6) an update of a LimitRange, Job, CronJob, StatefulSet, DaemonSet, ConfigMap or Secret
    // (`kubectl apply -f`'s strategic merge patch, `replace -f`, `apply --server-side`): the desired
    // object -> action applyObject, validated by the sim as the API server validates the update
    const served = entryBody();
    const ssa = req.method === 'PATCH' && contentType.startsWith(APPLY_PATCH_TYPE);
    if (!served && ssa && isObj(req.body)) {
      // Server-side apply of a new object creates it.
      return createFrom(req, reply, session, resource, state, ns, { ...req.body, metadata: { ...(req.body['metadata'] as Record<string, unknown> | undefined), name } }, 201);
    }
    if (!served) return sendStatus(reply, missing());
    let desired: unknown = req.body;
    let removed = { labels: [] as string[], annotations: [] as string[] };
    if (req.method === 'PATCH' && !ssa) {
      const body = patchObject(contentType, req.body);
      if ('code' in body && 'body' in body) return sendStatus(reply, body as StatusError);
      const { status: _status, ...current } = served;
      desired = strategicMerge(current, body);
      removed = removedMetadata(body, undefined); // the patch's nulls (kubectl apply's three-way patch)
    } else if (req.method === 'PUT') removed = removedMetadata(desired, served); // a replace removes what it leaves out
    if (!isObj(desired)) return sendStatus(reply, statusError(400, 'BadRequest', 'the request body must be an object'));
    const stale = req.method === 'PUT' ? staleVersion(resource.kind, qualified(resource), name, served, desired) : undefined;
    if (stale) return sendStatus(reply, stale);
    actions = applyObjectActions(resource.kind as ApplyObjectKind, ns, name, served, desired, removed);
    answer = entryBody;
  } else if (resource.kind === 'Deployment' && req.method === 'PATCH' && isTemplateReplace(contentType, req.body)) {
    if (!state.deployments[`${ns}/${name}`]) return sendStatus(reply, missing());
    const a = undoPatchAction(state, ns, name, req.body as unknown[]);
    actions = 'code' in a ? a : [a];
    answer = entryBody;
  } else if (resource.kind === 'Deployment' && req.method === 'PATCH') {
    if (!state.deployments[`${ns}/${name}`]) return sendStatus(reply, missing());
    const body = patchObject(contentType, req.body);
    actions = 'code' in body && 'body' in body ? (body as StatusError) : deploymentActions(ns, name, body);
    if (!('code' in body && 'body' in body)) preview = body;
    answer = entryBody;
  } else if (resource.kind === 'Node' && req.method === 'PATCH') {
    if (!state.nodes[name]) return sendStatus(reply, missing());
    const body = patchObject(contentType, req.body);
    actions = 'code' in body && 'body' in body ? (body as StatusError) : nodeActions(name, body);
    answer = entryBody;
  } else if (resource.kind === 'Pod' && ((req.method === 'PATCH' && !contentType.startsWith(APPLY_PATCH_TYPE)) || req.method === 'PUT')) {
    // (issue 6) a Pod's update: metadata -> label / annotate; a changed spec -> applyObject (ValidatePodUpdate in the sim)
    const served = entryBody();
    if (!served) return sendStatus(reply, missing());
    const { status: _status, ...current } = served;
    if (req.method === 'PATCH') {
      const body = patchObject(contentType, req.body);
      if ('code' in body && 'body' in body) return sendStatus(reply, body as StatusError);
      actions = body['spec'] === undefined ? metadataOnlyActions('Pod', ns, name, body) : podUpdateActions(ns, name, served, strategicMerge(current, body) as Record<string, unknown>, body['metadata']);
    } else {
      const desired = req.body;
      if (!isObj(desired)) return sendStatus(reply, statusError(400, 'BadRequest', 'the request body must be an object'));
      const stale = staleVersion(resource.kind, qualified(resource), name, served, desired);
      if (stale) return sendStatus(reply, stale);
      actions = podUpdateActions(ns, name, served, desired, replacedMetadata(served, desired));
    }
    answer = entryBody;
  } else if ((resource.kind === 'Pod' || resource.kind === 'Service') && req.method === 'PATCH') {
    if (!findEntry(resource, state, ns, name)) return sendStatus(reply, missing());
    const body = patchObject(contentType, req.body);
    actions = 'code' in body && 'body' in body ? (body as StatusError) : metadataOnlyActions(resource.kind, ns, name, body);
    answer = entryBody;
  } else if ((resource.kind === 'HorizontalPodAutoscaler' || resource.kind === 'PodDisruptionBudget' || resource.kind === 'ResourceQuota') && req.method === 'PATCH') {
    if (!findEntry(resource, state, ns, name)) return sendStatus(reply, missing());
    const body = patchObject(contentType, req.body);
    actions = 'code' in body && 'body' in body ? (body as StatusError) : policyPatchActions(resource.kind, ns, name, body);
    answer = entryBody;
  } else if (resource.kind === 'Deployment' && req.method === 'DELETE') {
    const d = state.deployments[`${ns}/${name}`];
    if (!d) return sendStatus(reply, missing());
    const uid = d.metadata.uid;
    const a = deleteDeploymentAction(ns, name, req.query as Record<string, unknown>, req.body);
    actions = 'code' in a ? a : [a];
    answer = () => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: 'apps', kind: 'deployments', uid } });
  } else if ((DELETABLE_KINDS as readonly string[]).includes(resource.kind) && req.method === 'DELETE') {
    // (issue 11) Services, policies, batch and workload objects: the generic owner-deletion cascade.
    const e = findEntry(resource, state, ns, name);
    if (!e) return sendStatus(reply, missing());
    const uid = (objectBody(resource, e, state)['metadata'] as { uid?: string }).uid;
    const a = deleteObjectAction(resource.kind as DeletableKind, ns, name, req.query as Record<string, unknown>, req.body);
    actions = 'code' in a ? a : [a];
    answer = () => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, ...(resource.group === '' ? {} : { group: resource.group }), kind: resource.plural, uid } });
  } else if (resource.kind === 'Pod' && req.method === 'DELETE') {
    const pod = state.pods[`${ns}/${name}`];
    if (!pod) return sendStatus(reply, missing());
    const uid = pod.metadata.uid;
    const a = deletePodAction(ns, name, req.query as Record<string, unknown>, req.body);
    actions = 'code' in a ? a : [a];
    answer = () => entryBody() ?? { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, kind: 'pods', uid } };
  } else {
    return sendStatus(reply, methodNotAllowed(resource, verb));
  }
  if (!Array.isArray(actions)) return sendStatus(reply, actions);
  // Server-side dry run (`--dry-run=server`): the request maps to game actions, none is submitted.
  if (dryRun(req)) {
    const body = answer();
    return body ? reply.send(preview ? previewPatch(body, preview) : body) : sendStatus(reply, missing());
  }
  for (const action of actions) {
    // Applied at once; awaited until durable in the match's journal before the reply.
    const result = await session.source.submit(session.sessionId, action);
    if (!result.ok) {
      const fallback = /paused|ended|over|not a player|you play for/.test(result.error) ? { code: 409, reason: 'Conflict' } : { code: 422, reason: 'Invalid' };
      return sendStatus(reply, statusFromText(result.error, fallback));
    }
  }
  const manager = fieldManagerOf(req);
  const ownerKey = `${resource.kind}/${resource.namespaced ? ns : ''}/${name}`;
  if (req.method === 'DELETE') forgetOwners(state, ownerKey);
  else if (manager) recordOwners(state, ownerKey, manager, actions);
  const body = answer();
  return body ? reply.send(body) : sendStatus(reply, missing());
}

/**
 * The request's field manager: `?fieldManager=`, else the User-Agent's product name (`kubectl` of
 * `kubectl/v1.32.5 (...)`), as the API server defaults it for non-apply requests.
 */
function fieldManagerOf(req: FastifyRequest): string | undefined {
  const explicit = queryString(req.query, 'fieldManager');
  if (explicit) return explicit;
  const ua = req.headers['user-agent'];
  const name = typeof ua === 'string' ? ua.split('/')[0]!.trim() : '';
  return name === '' ? undefined : name.slice(0, 128);
}

/** `?dryRun=All` (kubectl `--dry-run=server`): validated, not applied. */
function dryRun(req: FastifyRequest): boolean {
  return queryString(req.query, 'dryRun') === 'All';
}

const REVISION = 'deployment.kubernetes.io/revision';

/** A JSON patch replacing the whole `/spec/template` (what `kubectl rollout undo` sends). */
function isTemplateReplace(contentType: string, body: unknown): boolean {
  return contentType.startsWith('application/json-patch+json') && Array.isArray(body) && body.some((op: unknown) => isObj(op) && op['op'] === 'replace' && op['path'] === '/spec/template');
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An omitted field in Go's JSON (`omitempty`): null, undefined, '' and empty arrays and objects. */
function omitted(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
}

/**
 * JSON with sorted keys and without omitted fields: a served template and kubectl's copy of it (decoded
 * into Go structs and encoded again) compare equal.
 */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v)) {
    const keys = Object.keys(v).filter((k) => !omitted(v[k])).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * `kubectl rollout undo deployment/NAME [--to-revision=N]` (done client-side since kubectl 1.x: it lists
 * the Deployment's ReplicaSets, picks the revision and sends a JSON patch replacing `/spec/template` with
 * that ReplicaSet's template minus `pod-template-hash`, plus `/metadata/annotations`): the ReplicaSet
 * whose served template equals the patch's -> the game's `rolloutUndo` to its revision (the annotations
 * op is the sim's to keep). Any other op, or a template of no revision: 422 Invalid.
 * Source: K staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollback.go (DeploymentRollbacker).
 */
function undoPatchAction(state: SimState, ns: string, name: string, ops: unknown[]): ActionMessage | StatusError {
  const invalid = (why: string) => statusError(422, 'Invalid', `deployments.apps "${name}" patch ${why}: this game's API sets spec.template only to a previous revision's (kubectl rollout undo)`);
  let template: unknown;
  for (const op of ops) {
    if (!isObj(op) || op['op'] !== 'replace') return invalid('has an operation other than replace');
    if (op['path'] === '/spec/template') template = op['value'];
    else if (op['path'] !== '/metadata/annotations') return invalid(`replaces ${String(op['path'])}`);
  }
  const want = canonical(template);
  const rsResource = RESOURCES.find((r) => r.kind === 'ReplicaSet')!;
  for (const e of rsResource.entries(state, ns)) {
    const body = objectBody(rsResource, e, state);
    const meta = body['metadata'] as { ownerReferences?: { kind: string; name: string }[]; annotations?: Record<string, string> };
    if (!(meta.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.name === name)) continue;
    const tpl = structuredClone((body['spec'] as { template: { metadata?: { labels?: Record<string, string> } } }).template);
    if (tpl.metadata?.labels) delete tpl.metadata.labels['pod-template-hash'];
    const revision = Number(meta.annotations?.[REVISION]);
    if (canonical(tpl) === want && Number.isInteger(revision) && revision >= 1) return { type: 'rolloutUndo', deployment: actionRef(ns, name), toRevision: revision };
  }
  return invalid('sets a template that is no revision of this Deployment');
}

/** Every served resource's `group/version plural`, for the README and tests. */
export const SERVED_RESOURCES: readonly string[] = RESOURCES.map((r) => `${groupVersion(r)} ${r.plural}`);

/** The name part of an action reference (`name` or `namespace/name`). */
function splitRef(ref: string): string {
  return ref.slice(ref.indexOf('/') + 1);
}

/** An autoscaling/v2 HPA body in the autoscaling/v1 shape (the answer to a v1 create: `kubectl autoscale`). */
function hpaV1Body(v2: Record<string, unknown>): Record<string, unknown> {
  const spec = (v2['spec'] ?? {}) as Record<string, unknown>;
  const status = (v2['status'] ?? {}) as Record<string, unknown>;
  const metrics = Array.isArray(spec['metrics']) ? (spec['metrics'] as { resource?: { name?: string; target?: { averageUtilization?: number } } }[]) : [];
  const cpu = metrics.find((m) => m.resource?.name === 'cpu')?.resource?.target?.averageUtilization;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: v2['metadata'],
    spec: { scaleTargetRef: spec['scaleTargetRef'], ...(spec['minReplicas'] !== undefined ? { minReplicas: spec['minReplicas'] } : {}), maxReplicas: spec['maxReplicas'], ...(cpu !== undefined ? { targetCPUUtilizationPercentage: cpu } : {}) },
    status: { currentReplicas: status['currentReplicas'] ?? 0, desiredReplicas: status['desiredReplicas'] ?? 0 },
  };
}
