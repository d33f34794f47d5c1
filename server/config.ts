/**
 * Server configuration from environment variables, validated with zod. One place that knows every
 * variable, its default and its unit; `loadConfig` throws a {@link ConfigError} naming the variable
 * when a value is wrong (`server/main.ts` prints it and exits with status 1).
 *
 * May import zod only.
 */
import { z } from 'zod';

/** Validated server configuration. */
export interface Config {
  /** TCP port for HTTP and WebSocket (one port for both). 0 = pick a free port (tests). Env `PORT`, default 2567. */
  port: number;
  /** Interface to bind. Env `HOST`, default `0.0.0.0` (all interfaces). */
  host: string;
  /** PostgreSQL connection string (`postgres://user:pass@host:5432/db`); when absent an embedded PGlite is used. Env `DATABASE_URL`. */
  databaseUrl: string | undefined;
  /** Directory for local data; PGlite lives in `${dataDir}/pglite`. `memory://` keeps PGlite in memory (tests). Env `DATA_DIR`, default `./data`. */
  dataDir: string;
  /** Redis URL (`redis://host:6379`); when set, Colyseus uses RedisPresence + RedisDriver so several processes share matchmaking. Env `REDIS_URL`. */
  redisUrl: string | undefined;
  /** Address other processes and clients use to reach this one (`host:port`), needed per process with Redis. Env `PUBLIC_ADDRESS`. */
  publicAddress: string | undefined;
  /** pino log level. Env `LOG_LEVEL`, default `info`. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Default time dilation: sim seconds per real second (a scenario or join option may override). Env `TIME_DILATION`, default 4. */
  timeDilation: number;
  /** Colyseus patch rate: milliseconds between state patches sent to clients. Env `PATCH_RATE_MS`, default 100. */
  patchRateMs: number;
  /** Directory of the built Phaser client served at `/`. Env `CLIENT_DIST`, default `client/dist`. */
  clientDist: string;
  /** Crash recovery lease of a live match, real milliseconds (server/recovery). Env `RECOVERY_LEASE_MS`, default 10000. */
  recoveryLeaseMs: number;
  /**
   * Matchmaking requests (`POST /matchmake/*`) per client address: `burst` at once, then `perMinute`
   * per minute; 429 with `Retry-After` beyond. Env `MATCHMAKE_BURST` (default 40), `MATCHMAKE_PER_MINUTE` (default 60).
   */
  matchmakeLimit: { burst: number; perMinute: number };
  /**
   * Rooms created per client address: `burst` at once, then `perMinute` per minute; 429 beyond.
   * Env `ROOM_CREATE_BURST` (default 10), `ROOM_CREATE_PER_MINUTE` (default 10).
   */
  roomCreateLimit: { burst: number; perMinute: number };
  /**
   * Origins allowed to call `/api` from a browser page of another origin (CORS), e.g.
   * `https://gameday.example.com`. Empty (the default) = same-origin only. Env `CORS_ORIGINS`, comma-separated.
   */
  corsOrigins: string[];
  /**
   * Messages per second one client may send to its room; the connection is closed (4002) above it
   * and its seat is not kept. Env `ROOM_MESSAGES_PER_SECOND`, default 30 (a person typing or
   * clicking sends a few; a bot polling `get pods` a few more).
   */
  roomMessagesPerSecond: number;
  /**
   * Secret signing session tokens (HS256), at least 32 characters. Env `SESSION_SECRET`; unset: one is
   * generated and kept in `${DATA_DIR}/session-secret` (in memory with `memory://`), see server/http/authTokens.ts.
   * Several processes (Redis) must share one: set it.
   */
  sessionSecret: string | undefined;
  /** Env `REQUIRE_AUTH=1`: room joins need a session token (account or guest). Default off (anonymous guests may join). */
  requireAuth: boolean;
  /** Env `TRAINER_USERS=alice,bob`: accounts with trainer rights besides those granted in the database. Lower-cased. */
  trainerUsers: string[];
  /** Env `AUTH_PER_MINUTE` (default 10): login, registration and guest-token requests per client address per minute (429 beyond). */
  authPerMinute: number;
  /** Longest a graceful shutdown (SIGTERM/SIGINT) may take before the process exits anyway, milliseconds. Env `SHUTDOWN_TIMEOUT_MS`, default 5000. */
  shutdownTimeoutMs: number;
}

/** Thrown by {@link loadConfig}: the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Empty strings count as unset, so `PORT= node server/main.ts` gets the default. */
const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);
/** Numbers are parsed from strings: an unset variable becomes its default's string before parsing. */
const orDefault = (dflt: number) => (v: unknown) => (v === '' || v === undefined ? String(dflt) : v);

function integer(min: number, max: number, dflt: number) {
  const msg = `expected an integer between ${min} and ${max}`;
  return z.preprocess(
    orDefault(dflt),
    z
      .string()
      .regex(/^\d+$/, { error: msg })
      .transform(Number)
      .pipe(z.number().int().min(min, { error: msg }).max(max, { error: msg })),
  );
}

function positiveNumber(min: number, max: number, dflt: number) {
  const msg = `expected a number between ${min} and ${max}`;
  return z.preprocess(
    orDefault(dflt),
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, { error: msg })
      .transform(Number)
      .pipe(z.number().min(min, { error: msg }).max(max, { error: msg })),
  );
}

function urlWithScheme(schemes: string[]) {
  const msg = `expected a URL starting with ${schemes.map((s) => s + '://').join(' or ')}`;
  return z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine((v) => schemes.some((s) => v.startsWith(s + '://')), { error: msg })
      .optional(),
  );
}

const EnvSchema = z.object({
  PORT: integer(0, 65535, 2567),
  HOST: z.preprocess(unsetIfEmpty, z.string().default('0.0.0.0')),
  DATABASE_URL: urlWithScheme(['postgres', 'postgresql']),
  DATA_DIR: z.preprocess(unsetIfEmpty, z.string().default('./data')),
  REDIS_URL: urlWithScheme(['redis', 'rediss']),
  // No scheme: the SDK builds `ws://${publicAddress}/<processId>/<roomId>` from it, so `http://h:2567` would
  // pass the host:port pattern (`http:` + `//h:2567` as a path) yet send every client to `ws://http://h:2567`.
  PUBLIC_ADDRESS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^(?![a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^\s/]+(:\d+)?(\/\S*)?$/, {
        error: 'expected host:port without a scheme (optionally with a path), e.g. game1.example.com:2567',
      })
      .optional(),
  ),
  LOG_LEVEL: z.preprocess(unsetIfEmpty, z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info')),
  TIME_DILATION: positiveNumber(0.25, 120, 4),
  PATCH_RATE_MS: integer(10, 10_000, 100),
  CLIENT_DIST: z.preprocess(unsetIfEmpty, z.string().default('client/dist')),
  RECOVERY_LEASE_MS: integer(500, 600_000, 10_000),
  MATCHMAKE_BURST: integer(1, 100_000, 40),
  MATCHMAKE_PER_MINUTE: integer(1, 1_000_000, 60),
  ROOM_CREATE_BURST: integer(1, 10_000, 10),
  ROOM_CREATE_PER_MINUTE: integer(1, 100_000, 10),
  CORS_ORIGINS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((v) => v.split(',').map((o) => o.trim()).filter((o) => o !== ''))
      .pipe(z.array(z.string().regex(/^https?:\/\/[^\s/,]+$/, { error: 'expected comma-separated origins such as https://game.example.com (scheme, host, optional port; no path)' })))
      .default([]),
  ),
  SHUTDOWN_TIMEOUT_MS: integer(100, 120_000, 5_000),
  ROOM_MESSAGES_PER_SECOND: integer(1, 1_000_000, 30),
  SESSION_SECRET: z.preprocess(unsetIfEmpty, z.string().min(32, { error: 'expected at least 32 characters' }).optional()),
  REQUIRE_AUTH: z.preprocess(unsetIfEmpty, z.enum(['0', '1', 'true', 'false'], { error: 'expected 1 or 0' }).default('0')),
  TRAINER_USERS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((v) => v.split(',').map((u) => u.trim().toLowerCase()).filter((u) => u !== ''))
      .pipe(z.array(z.string().regex(/^[a-z0-9_-]{3,32}$/, { error: 'expected comma-separated usernames (3-32 of a-z, 0-9, _ and -)' })))
      .default([]),
  ),
  AUTH_PER_MINUTE: integer(1, 1_000_000, 10),
});

/**
 * Read and validate the configuration.
 *
 * @param env variables to read (default `process.env`); only the names above are looked at.
 * @throws {ConfigError} `Invalid configuration: PORT: expected an integer between 0 and 65535, got "abc"`
 *   (one `; `-separated clause per bad variable).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string | undefined> = Object.create(null);
  for (const key of Object.keys(EnvSchema.shape)) picked[key] = env[key];
  const parsed = EnvSchema.safeParse(picked);
  if (!parsed.success) {
    const clauses = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '?');
      // A secret is never echoed (the error goes to stderr and logs).
      return `${key}: ${issue.message}, got ${key === 'SESSION_SECRET' ? `${String(picked[key]).length} characters` : JSON.stringify(picked[key])}`;
    });
    throw new ConfigError(`Invalid configuration: ${[...new Set(clauses)].join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    publicAddress: e.PUBLIC_ADDRESS,
    logLevel: e.LOG_LEVEL,
    timeDilation: e.TIME_DILATION,
    patchRateMs: e.PATCH_RATE_MS,
    clientDist: e.CLIENT_DIST,
    recoveryLeaseMs: e.RECOVERY_LEASE_MS,
    matchmakeLimit: { burst: e.MATCHMAKE_BURST, perMinute: e.MATCHMAKE_PER_MINUTE },
    roomCreateLimit: { burst: e.ROOM_CREATE_BURST, perMinute: e.ROOM_CREATE_PER_MINUTE },
    corsOrigins: e.CORS_ORIGINS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    roomMessagesPerSecond: e.ROOM_MESSAGES_PER_SECOND,
    sessionSecret: e.SESSION_SECRET,
    requireAuth: e.REQUIRE_AUTH === '1' || e.REQUIRE_AUTH === 'true',
    trainerUsers: e.TRAINER_USERS,
    authPerMinute: e.AUTH_PER_MINUTE,
  };
}
