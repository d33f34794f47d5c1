/**
 * Building blocks of the incident kinds' params schemas, shared by every kind and by the scenario format:
 * a DNS-label string, a 0..1 share, and the one-line wording of a params parse's issues. Nothing here is
 * kind-specific: each kind's strict params schema, with its defaults, lives in its own module
 * (./<kind>.ts), listed in ./registry.ts.
 *
 * May import: `zod` only.
 */
import { z } from 'zod';

/** A lowercase DNS-1123 label (`node-a1`, `etcd-0`): Node names, etcd member names, incident ids. */
export const dnsLabel = () =>
  z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'must be a lowercase DNS label (letters, digits and -, e.g. "node-a1")' });

/** A share between 0 and 1 inclusive (e.g. a share of requests failed); error `must be between 0 and 1`. */
export const share = () => z.number().min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' });

/**
 * The zod issues of a params parse as one line, `params.<path>: <message>; ...` (`params: unknown key "x"`
 * for a key the kind doesn't have), as the sim records it in `data.error` when a spec's params are
 * invalid; the scenario parser words its problems the same way, with the incident's path and line.
 */
export function formatParamIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = ['params', ...i.path.map(String)].join('.');
      const message = i.code === 'unrecognized_keys' ? `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => JSON.stringify(k)).join(', ')}` : i.message;
      return `${path}: ${message}`;
    })
    .join('; ');
}
