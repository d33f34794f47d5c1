/**
 * Accounts and sessions (issue 10): registration and login (argon2id through `@node-rs/argon2`),
 * guest tokens, and the profile routes. Sessions are signed tokens (JWT HS256, `@fastify/jwt`) that
 * the client keeps and sends as `Authorization: Bearer ...` and as the `token` join option, where the
 * match room checks them too (server/rooms/auth.ts).
 *
 * - `POST /api/session/register {username, password}` -> 201 {@link SessionResponse}; 409 name taken.
 * - `POST /api/session/login {username, password}` -> 200 {@link SessionResponse}; 401
 *   `invalid username or password` for an unknown user and for a wrong password alike (an unknown
 *   user is verified against a dummy hash, so both spend one argon2 verification).
 * - `POST /api/session/guest {name}` -> 201 guest token; 409 when a registered account has the name.
 * - `GET /api/me` -> {@link MeResponse} (401 without a valid token).
 * - `GET /api/players/:name` -> match history and best scores per scenario (server/db/accounts.ts).
 *
 * The three session routes are rate limited per client address ({@link AuthRoutesOptions.perMinute},
 * env `AUTH_PER_MINUTE`, default 10/min; 429 beyond). Passwords are never logged (Fastify logs the
 * URL, not the body) nor returned; hashes never leave the server.
 *
 * May import fastify and its plugins, zod, `@node-rs/argon2`, node:crypto / node:fs, server/db,
 * shared/protocol.ts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyJwt from '@fastify/jwt';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import { createAccount, findAccount, nameKey, playerProfile } from '../db/accounts.ts';
import { GUEST_PREFIX, ratingKey, ratingProfile } from '../db/ratings.ts';
import { Credentials, GuestRequest, SessionClaims, type MeResponse, type SessionResponse } from '../../shared/protocol.ts';
import { docSchema, parseOr400, type ErrorBody } from './query.ts';

/** How long a session token is valid: accounts 7 days, guests 1 day. */
export const SESSION_TTL = { account: '7d', guest: '1d' } as const;

/** The refusal of a failed login, the same for an unknown user and a wrong password. */
export const LOGIN_REFUSED = 'invalid username or password';

/** Name of the file in `DATA_DIR` holding the generated session secret. */
export const SESSION_SECRET_FILE = 'session-secret';

/**
 * The session-signing secret: `SESSION_SECRET` when set; else the one kept in
 * `${dataDir}/session-secret` (created with 48 random bytes, base64url, mode 0600, on first start);
 * with `memory://` a fresh random one per process (tokens die with it).
 * @throws Error when the file cannot be read or written.
 */
export function resolveSessionSecret(opts: { sessionSecret: string | undefined; dataDir: string }): string {
  if (opts.sessionSecret) return opts.sessionSecret;
  if (opts.dataDir === 'memory://') return randomBytes(48).toString('base64url');
  const file = join(opts.dataDir, SESSION_SECRET_FILE);
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/** Options of {@link registerAuthRoutes}. */
export interface AuthRoutesOptions {
  /** Session-signing secret ({@link resolveSessionSecret}). */
  secret: string;
  /** Login / registration / guest requests per client address per minute. */
  perMinute: number;
  /** Usernames with trainer rights from `TRAINER_USERS` (lower-case). */
  trainerUsers: readonly string[];
}

/** Verifies a session token: its claims, or null when it is missing, forged, expired or malformed. */
export type VerifySession = (token: string | undefined) => SessionClaims | null;

/** Is `username` (lower-case) a trainer: the account's flag or `TRAINER_USERS`. */
export function isTrainer(account: { username: string; trainer: boolean }, trainerUsers: readonly string[]): boolean {
  return account.trainer || trainerUsers.includes(account.username);
}

const PlayerParams = z.object({ name: z.string().trim().min(1).max(38) });

/**
 * Register `@fastify/jwt` and the session and profile routes on `app` (call inside a plugin with
 * prefix `/api`; the plugin is not encapsulated away: use the returned verifier outside).
 * @returns a verifier for the room (server/rooms/auth.ts).
 */
export async function registerAuthRoutes(app: FastifyInstance, db: Database, opts: AuthRoutesOptions): Promise<VerifySession> {
  await app.register(fastifyJwt, { secret: opts.secret });
  // One argon2id hash of a random password: an unknown user's login verifies against it, so it
  // spends the same time as a wrong password.
  const dummyHash = await hash(randomBytes(32).toString('base64url'));
  const rateLimit = { max: opts.perMinute, timeWindow: '1 minute' };
  const sessionFor = (kind: SessionClaims['kind'], name: string, trainer: boolean): SessionResponse => {
    const claims: SessionClaims = { kind, name };
    return { token: app.jwt.sign(claims, { expiresIn: SESSION_TTL[kind] }), name, kind, trainer };
  };
  const verifySession: VerifySession = (token) => {
    if (!token) return null;
    try {
      const parsed = SessionClaims.safeParse(app.jwt.verify(token));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  };
  const bearer = (req: FastifyRequest): SessionClaims | null => {
    const h = req.headers.authorization;
    return typeof h === 'string' && h.startsWith('Bearer ') ? verifySession(h.slice('Bearer '.length).trim()) : null;
  };

  app.post('/session/register', {
    config: { rateLimit },
    schema: { tags: ['accounts'], summary: 'Register an account (argon2id); answers a session token', body: docSchema(Credentials) },
  }, async (req, reply) => {
    const body = parseOr400(Credentials, req.body, reply, 'registration');
    if (!body) return reply;
    const created = await createAccount(db, { username: body.username, passwordHash: await hash(body.password) });
    if (!created.ok) {
      const err: ErrorBody = { error: `the name "${body.username}" is taken` };
      return reply.code(409).send(err);
    }
    req.log.info({ username: created.account.username }, 'account registered');
    return reply.code(201).send(sessionFor('account', created.account.username, isTrainer(created.account, opts.trainerUsers)));
  });

  app.post('/session/login', {
    config: { rateLimit },
    schema: { tags: ['accounts'], summary: 'Log in; the same 401 for an unknown user and a wrong password', body: docSchema(Credentials) },
  }, async (req, reply) => {
    const body = parseOr400(Credentials, req.body, reply, 'login');
    if (!body) return reply;
    const account = await findAccount(db, body.username);
    const ok = await verify(account?.passwordHash ?? dummyHash, body.password).catch(() => false);
    if (!account || !ok) {
      const err: ErrorBody = { error: LOGIN_REFUSED };
      return reply.code(401).send(err);
    }
    return sessionFor('account', account.username, isTrainer(account, opts.trainerUsers));
  });

  app.post('/session/guest', {
    config: { rateLimit },
    schema: { tags: ['accounts'], summary: 'A signed guest token for a name no account has', body: docSchema(GuestRequest) },
  }, async (req, reply) => {
    const body = parseOr400(GuestRequest, req.body, reply, 'guest');
    if (!body) return reply;
    if (await findAccount(db, body.name)) {
      const err: ErrorBody = { error: `the name "${body.name}" belongs to a registered account: sign in or pick another name` };
      return reply.code(409).send(err);
    }
    return reply.code(201).send(sessionFor('guest', body.name, false));
  });

  app.get('/me', {
    schema: { tags: ['accounts'], summary: 'Who the bearer token says: name, guest or registered, trainer' },
  }, async (req, reply) => {
    const claims = bearer(req);
    if (!claims) return reply.code(401).send({ error: 'no valid session token: sign in, register or play as a guest' } satisfies ErrorBody);
    let trainer = false;
    if (claims.kind === 'account') {
      const account = await findAccount(db, claims.name);
      if (!account) return reply.code(401).send({ error: 'this account no longer exists' } satisfies ErrorBody);
      trainer = isTrainer(account, opts.trainerUsers);
    }
    const me: MeResponse = { name: claims.name, kind: claims.kind, trainer };
    return me;
  });

  app.get('/players/:name', {
    config: { rateLimit: { max: 300, timeWindow: '1 minute' } },
    schema: {
      tags: ['accounts'],
      summary: 'A player profile: recent matches, best score per scenario, ratings per scope and rating over time (NAME, or guest:NAME for a guest)',
      params: docSchema(PlayerParams),
    },
  }, async (req, reply) => {
    const p = parseOr400(PlayerParams, req.params, reply, 'player name');
    if (!p) return reply;
    // `guest:NAME` asks for the guest's ratings even when an account has the name (server/db/ratings.ts).
    const guest = p.name.startsWith(GUEST_PREFIX) ? p.name.slice(GUEST_PREFIX.length) : undefined;
    const name = guest ?? p.name;
    const account = guest === undefined ? await findAccount(db, name) : undefined;
    const profile = await playerProfile(db, name, 20, account ? 'account' : 'guest');
    const rated = await ratingProfile(db, guest !== undefined ? p.name : account ? account.username : ratingKey(name, 'guest'));
    return { ...profile, name: account?.username ?? name, registered: account !== undefined, trainer: account ? isTrainer(account, opts.trainerUsers) : false, ...rated };
  });

  return verifySession;
}

/** Re-exported for the CLI and tests: the lower-case key of a name. */
export { nameKey };
