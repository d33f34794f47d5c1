/**
 * `promtool test rules` on the generated rules, fed with the series the sim produced (a scenario with
 * incidents played headless, its SLI counters sampled once a tick at the scenario's time dilation,
 * written as `input_series`): at every tick the alerts Prometheus has firing are exactly the game's
 * pager's firing alerts, so they fire and resolve at the same sim times (converted to wall-clock time).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ALERT_NAME, prometheusDuration, prometheusRules, SLO_GOOD_METRIC, SLO_VALID_METRIC, type AlertingRule } from '../../shared/sim/prometheusRules.ts';
import { MISSING, PROMTOOL } from './bin.ts';
import { simSeries } from './sim-series.ts';

const dir = mkdtempSync(join(tmpdir(), 'gameday-promtest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const JOB = 'gameday-blue';

describe.skipIf(PROMTOOL === null)(`promtool test rules with the sim's series${PROMTOOL === null ? ` (${MISSING})` : ''}`, () => {
  // sock-shop-leak: a memory leak (OOM kills) at time dilation 4 (one tick = 250 ms);
  // first-oom: OOM kills at time dilation 3 (one tick = 333 ms, windows rounded to whole ms).
  // Ticks simulated: sock-shop-leak's first 1,000 s hold its first pages (fast, slow, ticket) firing and resolving.
  it.each([
    ['sock-shop-leak', 1000],
    ['first-oom', undefined],
  ] as const)('%s: Prometheus fires and resolves the alerts at the pager\'s ticks', { timeout: 90_000 }, (scenario, ticks) => {
    const sim = simSeries(scenario, ticks);
    const rules = prometheusRules(sim.state, sim.timeDilation);
    const tickMs = rules.tickWallMs;
    const transitions = sim.firing.filter((ids, k) => k > 0 && ids.join() !== sim.firing[k - 1]!.join()).length;
    expect(transitions).toBeGreaterThan(4); // the scenario pages, and the pages resolve

    const byId = new Map<string, AlertingRule>();
    for (const r of rules.file.groups.flatMap((g) => g.rules)) if ('alert' in r) byId.set(r.labels.alert_id!, r);
    const inputSeries = (['availability', 'latency'] as const).flatMap((slo) => [
      { series: `${SLO_GOOD_METRIC}{slo="${slo}",job="${JOB}"}`, values: sim.counters[slo].good.join(' ') },
      { series: `${SLO_VALID_METRIC}{slo="${slo}",job="${JOB}"}`, values: sim.counters[slo].valid.join(' ') },
    ]);
    // At each tick where the pager changed and the tick before it, and every 20th tick: the firing set
    // Prometheus computes equals the pager's (every tick passes too; this keeps promtool quick).
    const checked = sim.firing.map((_, k) => k).filter((k) => k > 0 && (k % 20 === 0 || [k, k + 1].some((j) => j < sim.firing.length && sim.firing[j]!.join() !== sim.firing[j - 1]!.join())));
    const alertTests = checked.map((k) => ({
      eval_time: prometheusDuration(k * tickMs),
      alertname: ALERT_NAME,
      exp_alerts: sim.firing[k]!.map((id) => {
        const rule = byId.get(id)!;
        return { exp_labels: { ...rule.labels, slo: id.split('-')[0]!, job: JOB }, exp_annotations: rule.annotations };
      }),
    }));
    const rulesFile = join(dir, `${scenario}.rules.yaml`);
    const testFile = join(dir, `${scenario}.test.yaml`);
    writeFileSync(rulesFile, stringify(rules.file, { lineWidth: 0 }));
    writeFileSync(
      testFile,
      stringify(
        {
          rule_files: [rulesFile],
          evaluation_interval: rules.evaluationInterval,
          tests: [{ interval: prometheusDuration(tickMs), input_series: inputSeries, alert_rule_test: alertTests }],
        },
        { lineWidth: 0 },
      ),
    );
    const res = spawnSync(PROMTOOL!, ['test', 'rules', testFile], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const out = `${res.stdout}${res.stderr}`;
    expect(res.status, out.slice(0, 4000)).toBe(0);
    expect(out).toContain('SUCCESS');
    expect(checked.length).toBeGreaterThan(2 * transitions);
  });
});
