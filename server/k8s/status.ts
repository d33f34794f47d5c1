/**
 * `meta.k8s.io/v1` Status bodies, as the Kubernetes API server answers errors
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#response-status-kind): kubectl prints
 * them as `Error from server (REASON): MESSAGE`, or `Error from server: MESSAGE` when `reason` is empty.
 *
 * May import: nothing of ours.
 */

/** A Status body and the HTTP code it goes with. */
export interface StatusError {
  code: number;
  body: {
    kind: 'Status';
    apiVersion: 'v1';
    metadata: Record<string, never>;
    status: 'Failure';
    message: string;
    reason: string;
    details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message: string; field?: string }[] };
    code: number;
  };
}

/** A Status error of HTTP `code` (reason '' prints as `Error from server: MESSAGE`). */
export function statusError(code: number, reason: string, message: string, details?: StatusError['body']['details']): StatusError {
  const body: StatusError['body'] = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) body.details = details;
  return { code, body };
}

/** 401: no or unknown bearer token (kubectl: `error: You must be logged in to the server (Unauthorized)`). */
export const unauthorized = (): StatusError => statusError(401, 'Unauthorized', 'Unauthorized');

/** 404 `RESOURCE "NAME" not found` (RESOURCE is `pods`, `deployments.apps`...). */
export function notFound(resource: string, name: string, group: string, kind: string): StatusError {
  return statusError(404, 'NotFound', `${resource} "${name}" not found`, { name, group, kind });
}

/** 403 with the API server's RBAC wording: `pods is forbidden: User "alice" cannot list resource "pods" in API group "" ...: why`. */
export function forbidden(user: string, verb: string, resource: string, group: string, namespace: string | null, why: string): StatusError {
  const where = namespace === null ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  const subject = resource === '' ? 'forbidden' : `${resource}${group === '' ? '' : `.${group}`} is forbidden`;
  const what = resource === '' ? `cannot ${verb} this path` : `cannot ${verb} resource "${resource}" in API group "${group}" ${where}`;
  return statusError(403, 'Forbidden', `${subject}: User "${user}" ${what}: ${why}`, resource === '' ? undefined : { group, kind: resource });
}

/** Status codes of the reasons kubectl-like error texts carry (`Error from server (NotFound): ...`). */
const REASON_CODES: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
});

/**
 * The Status for a kubectl-like error text from the sim or the match: `Error from server (REASON): M`
 * keeps its reason; `...etcdserver: request timed out` is 503 with no reason (kubectl prints
 * `Error from server: etcdserver: request timed out`, as against a real cluster); `The KIND "NAME" is
 * invalid: FIELD: DETAIL` is 422 Invalid with its details and cause; other texts are
 * `fallback` (e.g. 422 Invalid or 409 Conflict) with the `error: ` prefix dropped.
 */
export function statusFromText(text: string, fallback: { code: number; reason: string }): StatusError {
  const m = /^Error from server \(([A-Za-z]+)\): ([\s\S]*)$/.exec(text);
  if (m) return statusError(REASON_CODES[m[1]!] ?? 500, m[1]!, m[2]!);
  if (text.includes('etcdserver: request timed out')) return statusError(503, '', 'etcdserver: request timed out');
  // a validation error worded as the API server's (`The Pod "x" is invalid: spec: Forbidden: ...`): 422 with
  // the details kubectl prints it from (kind, name, one cause per field), as apimachinery NewInvalid builds them
  const inv = /^The ([A-Za-z]+) "([^"]+)" is invalid: ([\w.[\]*-]+): ([\s\S]*)$/.exec(text);
  if (inv) {
    const [, kind, name, field, detail] = inv as unknown as [string, string, string, string, string];
    const reason = /^Forbidden/.test(detail) ? 'FieldValueForbidden' : /^Required value/.test(detail) ? 'FieldValueRequired' : /^Unsupported value/.test(detail) ? 'FieldValueNotSupported' : /^Duplicate value/.test(detail) ? 'FieldValueDuplicate' : 'FieldValueInvalid';
    return statusError(422, 'Invalid', `${kind} "${name}" is invalid: ${field}: ${detail}`, { name, kind, causes: [{ reason, message: detail, field }] });
  }
  const plain = text.replace(/^Error from server: /, '').replace(/^error: /, '');
  return statusError(fallback.code, fallback.reason, plain);
}
