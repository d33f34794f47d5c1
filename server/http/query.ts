/**
 * Query-string validation for the HTTP API with zod. Fastify's own (ajv) validation is switched off
 * in server/app.ts: route JSON schemas are documentation (OpenAPI at /docs), zod is the validator,
 * and a bad request always gets the same shape: `400 { error, details: [{ path, message }] }`.
 *
 * May import zod and fastify types.
 */
import { z } from 'zod';
import type { FastifyReply } from 'fastify';

/** Largest page the list endpoints return. */
export const MAX_PAGE = 100;
/** Page size when `limit` is absent. */
export const DEFAULT_PAGE = 20;

/** `limit`: a whole number 1..{@link MAX_PAGE}, default {@link DEFAULT_PAGE}. */
export const limitParam = z
  .string({ error: `expected a whole number from 1 to ${MAX_PAGE}` })
  .regex(/^\d+$/, { error: `expected a whole number from 1 to ${MAX_PAGE}` })
  .describe(`Page size, 1 to ${MAX_PAGE} (default ${DEFAULT_PAGE})`)
  .transform(Number)
  .pipe(z.number().int().min(1, { error: `expected a whole number from 1 to ${MAX_PAGE}` }).max(MAX_PAGE, { error: `expected a whole number from 1 to ${MAX_PAGE}` }))
  .optional()
  .transform((v) => v ?? DEFAULT_PAGE);

/** `scenario`: a scenario id (1-64 of a-z, 0-9, `-`, `_`, `.`). */
export const scenarioParam = z
  .string({ error: 'expected a scenario id' })
  .regex(/^[a-zA-Z0-9._-]{1,64}$/, { error: 'expected a scenario id (1-64 letters, digits, ".", "_" or "-")' })
  .describe('Only this scenario (an id from /api/scenarios)')
  .optional();

/** `?limit=&scenario=` of /api/matches and /api/leaderboard. */
export const ListQuery = z.object({ limit: limitParam, scenario: scenarioParam });
export type ListQuery = z.output<typeof ListQuery>;

/** A JSON error body: what went wrong, and per field where it applies. */
export interface ErrorBody {
  error: string;
  details?: { path: string; message: string }[];
}

/**
 * Parse `input` with `schema`; on failure send `400 { error: 'invalid query: limit: ...', details }`
 * and return undefined (the handler then returns the reply).
 */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, reply: FastifyReply, what = 'query'): z.output<S> | undefined {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
  const body: ErrorBody = { error: `invalid ${what}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details };
  void reply.code(400).send(body);
  return undefined;
}

/** JSON schema of a zod object's input side, for OpenAPI documentation of query strings. */
export function docSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
