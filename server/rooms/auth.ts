/**
 * Who joins a match (issue 10): the room's `onAuth` runs {@link authenticateJoin} on the join options
 * and the session token (the `token` join option, or the SDK's `client.auth.token` sent as
 * `Authorization: Bearer`). The result replaces the options the client sent:
 *
 * - a valid token: the player's `name` is the token's, whatever `name` says; `trainer: true` is kept
 *   only for a registered account with trainer rights (the `accounts.trainer` flag or `TRAINER_USERS`),
 *   read from the database at each join;
 * - an invalid or expired token: refused;
 * - no token: an anonymous guest, as before accounts existed; refused when `REQUIRE_AUTH=1`, and
 *   refused when the name is a registered account's (case-insensitive) or when it asks `trainer: true`.
 *
 * Refusals throw a `ServerError` (APPLICATION_ERROR), which the client's `joinOrCreate` rejects with.
 *
 * May import @colyseus/core, server/db, shared/protocol.ts. Not Fastify: the token verifier is a function
 * handed in by the composition root (server/app.ts, from server/http/auth.ts).
 */
import { ErrorCode, ServerError } from '@colyseus/core';
import type { Database } from '../db/index.ts';
import { findAccount } from '../db/accounts.ts';
import type { JoinOptions, SessionClaims } from '../../shared/protocol.ts';

/** What the room needs to check a join (bound in server/app.ts). */
export interface RoomAuth {
  /** Signature, expiry and shape of a session token: its claims, or null. */
  verify(token: string | undefined): SessionClaims | null;
  /** REQUIRE_AUTH: refuse joins without a token. */
  requireAuth: boolean;
  /** TRAINER_USERS, lower-case. */
  trainerUsers: readonly string[];
  db: Database;
}

/** A join that passed {@link authenticateJoin}: what `onJoin` seats (`client.auth`). */
export interface AuthedJoin {
  authed: true;
  /** The join options with `name` and `trainer` as the session allows. */
  options: JoinOptions;
  /** `account`, `guest` (guest token) or `anonymous` (no token). */
  kind: SessionClaims['kind'] | 'anonymous';
}

/** Refusal texts (what a refused client's `joinOrCreate` rejects with). */
export const JOIN_AUTH_ERRORS = {
  badToken: 'invalid or expired session token: sign in again or play as a guest',
  required: 'this server requires signing in: register, log in or get a guest token (POST /api/session/guest) and join with it',
  nameTaken: (name: string) => `the name "${name}" belongs to a registered account: sign in to play as it, or pick another name`,
  notTrainer: 'trainer rights need a signed-in account with the trainer flag (npx gameday trainer grant USERNAME, or TRAINER_USERS)',
  gone: 'this account no longer exists',
} as const;

/** Is `value` an {@link AuthedJoin} (what `onAuth` returned). */
export function isAuthedJoin(value: unknown): value is AuthedJoin {
  return typeof value === 'object' && value !== null && (value as { authed?: unknown }).authed === true;
}

/**
 * Check a join. `parse` validates raw options (the room's zod parse, which throws its own error).
 * @param token the SDK's auth token (may be empty); the `token` option is used when it is absent.
 * @throws ServerError (APPLICATION_ERROR) with one of {@link JOIN_AUTH_ERRORS}.
 */
export async function authenticateJoin(
  auth: RoomAuth | undefined,
  token: string | undefined,
  raw: unknown,
  parse: (raw: unknown) => JoinOptions,
): Promise<AuthedJoin> {
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const given = token || (typeof record.token === 'string' ? record.token : undefined);
  // Without accounts wired in (a room bound without `auth`), joins are anonymous and never trainers.
  if (!given) {
    const options = parse(raw);
    if (auth?.requireAuth) throw new ServerError(ErrorCode.APPLICATION_ERROR, JOIN_AUTH_ERRORS.required);
    if (options.trainer) throw new ServerError(ErrorCode.APPLICATION_ERROR, JOIN_AUTH_ERRORS.notTrainer);
    if (auth && (await findAccount(auth.db, options.name))) throw new ServerError(ErrorCode.APPLICATION_ERROR, JOIN_AUTH_ERRORS.nameTaken(options.name));
    return { authed: true, options, kind: 'anonymous' };
  }
  const claims = auth?.verify(given) ?? null;
  if (!auth || !claims) throw new ServerError(ErrorCode.APPLICATION_ERROR, JOIN_AUTH_ERRORS.badToken);
  const options = parse({ ...record, name: claims.name });
  if (claims.kind === 'guest') {
    if (options.trainer) throw new ServerError(ErrorCode.APPLICATION_ERROR, JOIN_AUTH_ERRORS.notTrainer);
    // Registered after the guest token was issued: the account owns the name now.
    if (await findAccount(auth.db, claims.name)) throw new ServerError(ErrorCode.APPLICATION_ERROR, JOIN_AUTH_ERRORS.nameTaken(claims.name));
    return { authed: true, options, kind: 'guest' };
  }
  const account = await findAccount(auth.db, claims.name);
  if (!account) throw new ServerError(ErrorCode.APPLICATION_ERROR, JOIN_AUTH_ERRORS.gone);
  const trainer = account.trainer || auth.trainerUsers.includes(account.username);
  if (options.trainer && !trainer) throw new ServerError(ErrorCode.APPLICATION_ERROR, JOIN_AUTH_ERRORS.notTrainer);
  return { authed: true, options: { ...options, name: account.username }, kind: 'account' };
}
