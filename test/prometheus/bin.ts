/**
 * The real Prometheus binaries the Prometheus tests run: `$PROMTOOL` / `$PROMETHEUS` (what `.ci/run`
 * exports after installing Debian's `prometheus` package), else `/usr/bin/promtool` / `/usr/bin/prometheus`,
 * else the ones on the PATH. `null` when absent: the tests then skip with {@link MISSING}. CI always
 * has them (`.ci/run` installs the package when promtool is missing).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function find(envName: string, name: string): string | null {
  const fromEnv = process.env[envName];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  if (existsSync(`/usr/bin/${name}`)) return `/usr/bin/${name}`;
  try {
    const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    return path !== '' ? path : null;
  } catch {
    return null;
  }
}

/** Path of promtool, or null when not installed. */
export const PROMTOOL = find('PROMTOOL', 'promtool');
/** Path of the prometheus server binary, or null when not installed. */
export const PROMETHEUS = find('PROMETHEUS', 'prometheus');

/** Why a test skipped: the binary is missing on this machine. */
export const MISSING = 'Prometheus binaries not found (set $PROMTOOL/$PROMETHEUS or `apt-get install -y prometheus`; .ci/run installs them)';
if (PROMTOOL === null || PROMETHEUS === null) console.warn(`test/prometheus: ${MISSING}: skipping`);
