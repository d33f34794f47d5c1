/**
 * `gameday prometheus-rules` writes a rules file that real `promtool check rules` accepts (syntax, PromQL,
 * and its lint: no duplicate rules) for every built-in scenario, with the pager's windows converted to
 * wall-clock time at the scenario's time dilation.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILT_IN_SCENARIO_IDS } from '../../server/scenarios/index.ts';
import { prometheusRulesCommand } from '../../server/cli/prometheus-rules-command.ts';
import { gameday } from '../cli/run-cli.ts';
import { MISSING, PROMTOOL } from './bin.ts';

const dir = mkdtempSync(join(tmpdir(), 'gameday-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function checkRules(file: string): { code: number | null; out: string } {
  const res = spawnSync(PROMTOOL!, ['check', 'rules', file], { encoding: 'utf8' });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}

describe.skipIf(PROMTOOL === null)(`promtool check rules${PROMTOOL === null ? ` (${MISSING})` : ''}`, () => {
  it.each(BUILT_IN_SCENARIO_IDS)('passes on the rules of %s', (id) => {
    const file = join(dir, `${id}.yaml`);
    expect(prometheusRulesCommand(['--scenario', id, '--out', file], () => undefined)).toBe(0);
    const check = checkRules(file);
    expect(check.out).toContain('SUCCESS');
    expect(check.code, check.out).toBe(0);
    const rules = parse(readFileSync(file, 'utf8')) as { groups: { rules: { alert?: string; labels?: Record<string, string> }[] }[] };
    const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined);
    // One alert per pager alert: 3 tiers x 2 SLOs.
    expect(alerts.map((a) => a.labels!.alert_id).sort()).toEqual(
      ['availability-page-fast', 'availability-page-slow', 'availability-ticket', 'latency-page-fast', 'latency-page-slow', 'latency-ticket'],
    );
  });

  it('the CLI prints the file on stdout, with windows at the asked time dilation', () => {
    const run = gameday('prometheus-rules', '--scenario', 'online-boutique', '--time-dilation', '2');
    expect(run.code, run.stderr).toBe(0);
    // online-boutique: a 3,600 s match -> page-fast 20 s / 2 s of sim time = 10 s / 1 s at 2 sim s per real s.
    expect(run.stdout).toContain('availability-page-fast (page): burn rate > 14.4x over 10s (20 sim s) and 1s (2 sim s)');
    expect(run.stdout).toContain('gameday:slo_burn_rate:rate10s{slo="availability"} > 14.4 and gameday:slo_burn_rate:rate1s{slo="availability"} > 14.4');
    const file = join(dir, 'stdout.yaml');
    execFileSync('sh', ['-c', `cat > ${file}`], { input: run.stdout });
    expect(checkRules(file).code).toBe(0);
  });

  it('refuses a bad time dilation or scenario with a clear message', () => {
    const bad = gameday('prometheus-rules', '--time-dilation', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--time-dilation must be a number of sim seconds per real second');
    const unknown = gameday('prometheus-rules', '--scenario', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown scenario "nope"');
  });
});
