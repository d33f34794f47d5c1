/** Whether client/dist must be rebuilt before a browser test (shared by the browser test files). */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'client', 'dist');

/** Newest modification time (ms) of the client's sources (everything under client/ but dist). */
function newestSource(dir = join(ROOT, 'client')): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** client/dist is missing or older than a source file (a stale build would test old code). */
export function buildIsStale(): boolean {
  const index = join(DIST, 'index.html');
  return !existsSync(index) || statSync(index).mtimeMs < newestSource();
}

