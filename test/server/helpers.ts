/**
 * Test helpers for the server tests: a real server on a random port with an in-memory database, and
 * small waits for room messages and state. Not a test file itself.
 */
import { createServer } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Room } from '@colyseus/sdk';
import type { ReplyMessage } from '../../shared/protocol.ts';
import { loadConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/app.ts';
import { MIGRATIONS_FOLDER, openDatabase, type Database } from '../../server/db/index.ts';

/**
 * A migrated PGlite data directory shared by the server tests. Creating a PGlite database (initdb +
 * migrations) takes 3-10 s; opening a copy of a migrated one takes well under a second. The template
 * is keyed by the migration files, built once per machine (atomically renamed into place, so test
 * files racing to build it are harmless) and copied per test file.
 */
export async function pgliteTemplate(): Promise<string> {
  const hash = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_FOLDER, { recursive: true }).map(String).sort()) {
    hash.update(f + ':' + statSync(join(MIGRATIONS_FOLDER, f)).size + ';');
  }
  const template = join(tmpdir(), `gameday-test-pglite-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(template, 'pglite', 'PG_VERSION'))) return template;
  const building = join(tmpdir(), `gameday-test-pglite-building-${randomUUID()}`);
  const db = await openDatabase({ dataDir: join(building, 'pglite') });
  await db.close();
  try {
    renameSync(building, template);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another test file won the race
  }
  return template;
}

/** A temporary DATA_DIR holding a copy of the migrated PGlite template (for a server in a child process); remove it when done. */
export async function testDataDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gameday-data-test-'));
  cpSync(join(await pgliteTemplate(), 'pglite'), join(dataDir, 'pglite'), { recursive: true });
  return dataDir;
}

/** A fresh, migrated database in a temporary directory (a copy of the template); close it when done. */
export async function openTestDatabase(): Promise<{ db: Database; dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gameday-db-test-'));
  cpSync(join(await pgliteTemplate(), 'pglite'), join(dataDir, 'pglite'), { recursive: true });
  const db = await openDatabase({ dataDir: join(dataDir, 'pglite') });
  return {
    db,
    dispose: async () => {
      await db.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Start a real server: PORT 0 (random), a fresh PGlite in a temporary DATA_DIR (a copy of the
 * migrated template, removed on close), quiet logs, no client build.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gameday-server-test-'));
  cpSync(join(await pgliteTemplate(), 'pglite'), join(dataDir, 'pglite'), { recursive: true });
  const server = await startServer(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', CLIENT_DIST: 'test/server/no-client-here', ...env }),
  );
  const close = server.close;
  return {
    ...server,
    close: async () => {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The next message of `type` on `room` that satisfies `accept`, or a rejection after `timeoutMs`. */
export function nextMessage<T = unknown>(room: Room, type: string, accept: (m: T) => boolean = () => true, timeoutMs = 5_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no "${type}" message within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = room.onMessage(type, (message: T) => {
      if (!accept(message)) return;
      clearTimeout(timer);
      off();
      resolve(message);
    });
  });
}

/** Poll `probe` every 20 ms until it returns a truthy value (returned), or fail after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends `message` (which carries an `id`) as `type` and resolves with the `reply` echoing that id. */
export async function ask(room: Room, type: string, message: Record<string, unknown>): Promise<ReplyMessage> {
  const reply = nextMessage<ReplyMessage>(room, 'reply', (r) => r.id === message.id);
  room.send(type, message);
  return reply;
}

/** A port that was free a moment ago (bind to 0, read it, close), for a server started as a child process. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Password the test accounts of {@link signIn} register with. */
export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * A session token for account `username` on the server at `url`, over real HTTP: registers it
 * (`POST /api/session/register`), or logs in when it exists already (another process of the same
 * database registered it). A trainer token is this on a server started with `TRAINER_USERS=username`
 * (or after `gameday trainer grant`).
 * @throws Error with the server's answer when neither works.
 */
export async function signIn(url: string, username: string, password = TEST_PASSWORD): Promise<string> {
  const post = (path: string) =>
    fetch(`${url}/api/session/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  let res = await post('register');
  if (res.status === 409) res = await post('login');
  const body = (await res.json()) as { token?: string; error?: string };
  if (!res.ok || !body.token) throw new Error(`signing in ${username} failed: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}
