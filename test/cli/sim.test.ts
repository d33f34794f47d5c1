import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { runMatch } from '../../shared/game/index.ts';
import { simOf } from '../game/helpers.ts';
import { WEB_MANIFEST, gameday, gamedayJson } from './run-cli.ts';

interface SimOutput {
  stateHash: string;
  score: number;
  slo: { availability: number; errorBudgetRemaining: number };
  incidents: { type: string; startedAt: number | null; mitigatedAt: number | null }[];
  warnings: string[];
}

const tmp = mkdtempSync(join(tmpdir(), 'gameday-sim-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// The default scenario's bad rollout: the --actions test undoes it shortly after it strikes.
const defaults = resolveSimInput({ seed: 1 });
const badRollout = defaults.input.incidents.find((i) => i.type === 'bad-rollout');
if (!badRollout) throw new Error('the default scenario has no bad-rollout incident');
const duration = String(badRollout.at + 300);

function writeLines(name: string, lines: unknown[]): string {
  const file = join(tmp, name);
  writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}

describe('gameday sim', () => {
  it('prints a MatchSummary that is the same for the same seed and differs for another seed', () => {
    const a = gamedayJson<SimOutput>('sim', '--seed', '7', '--duration', '120', '--json');
    const b = gamedayJson<SimOutput>('sim', '--seed', '7', '--duration', '120', '--json');
    const c = gamedayJson<SimOutput>('sim', '--seed', '8', '--duration', '120', '--json');
    expect(a.stateHash).toMatch(/\S/);
    expect(b.stateHash).toBe(a.stateHash);
    expect(c.stateHash).not.toBe(a.stateHash);
    expect(a.slo.availability).toBeGreaterThanOrEqual(0);
    expect(a.slo.availability).toBeLessThanOrEqual(1);
    expect(typeof a.slo.errorBudgetRemaining).toBe('number');
    expect(typeof a.score).toBe('number');
    expect(Array.isArray(a.incidents)).toBe(true);
    expect(Array.isArray(a.warnings)).toBe(true);
  });

  it('undoing the bad rollout improves availability and score; a kubectl command does the same', () => {
    const none = gamedayJson<SimOutput>('sim', '--duration', duration, '--json');
    const undoAt = badRollout.at + 30;
    const structured = writeLines('undo.jsonl', [{ t: undoAt, action: { type: 'rolloutUndo', deployment: badRollout.target } }]);
    const command = writeLines('undo-command.jsonl', [{ t: undoAt, command: `kubectl rollout undo deployment/${badRollout.target}` }]);
    const undone = gamedayJson<SimOutput>('sim', '--duration', duration, '--actions', structured, '--json');
    const viaKubectl = gamedayJson<SimOutput>('sim', '--duration', duration, '--actions', command, '--json');

    expect(undone.slo.availability).toBeGreaterThan(none.slo.availability);
    expect(undone.slo.errorBudgetRemaining).toBeGreaterThan(none.slo.errorBudgetRemaining);
    expect(undone.score).toBeGreaterThan(none.score);
    const incident = undone.incidents.find((i) => i.type === 'bad-rollout');
    expect(incident?.startedAt).toBe(badRollout.at);
    expect(incident?.mitigatedAt).not.toBeNull();
    expect(none.incidents.find((i) => i.type === 'bad-rollout')?.mitigatedAt).toBeNull();
    expect(viaKubectl.stateHash).toBe(undone.stateHash);
  });

  it('--events writes the whole event stream as JSON lines', () => {
    const file = join(tmp, 'events.jsonl');
    const run = gameday('sim', '--duration', duration, '--events', file, '--json');
    expect(run.code).toBe(0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(Object.keys(e)).toEqual(['t', 'type', 'reason', 'object', 'message', 'count', 'firstT']);
      expect(e.count as number).toBeGreaterThanOrEqual(1);
      expect(e.firstT as number).toBeLessThanOrEqual(e.t as number);
      expect(['Normal', 'Warning']).toContain(e.type);
      expect(e.object).toEqual({ kind: expect.any(String), name: expect.any(String), namespace: expect.any(String) });
    }
    const times = events.map((e) => e.t as number);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    // Every event the sim recorded, not just the last eventLimit kept in the state, and the game's
    // notices (alerts, incidents: not Kubernetes Events, but what players saw in the feed).
    const state = simOf(runMatch(resolveSimInput({ seed: 1, durationSeconds: Number(duration) }).input, []));
    const notices = state.notices ?? [];
    expect(events).toHaveLength(state.counters.eventSeq + (notices.length === 0 ? 0 : notices[notices.length - 1]!.seq + 1));
    expect(events.filter((e) => notices.some((n) => n.reason === e.reason && n.t === e.t && n.message === e.message))).toHaveLength(notices.length);
    expect(run.stdout).not.toContain('missing from the stream');
  });

  it('reports a bad actions line with its file, line and field', () => {
    const file = writeLines('actions.jsonl', [
      { t: 10, action: { type: 'scaleDeployment', deployment: 'x', replicas: 2 } },
      '',
      { t: 20, action: { type: 'explode', deployment: 'x' } },
      { t: 30 },
    ]);
    const run = gameday('sim', '--duration', '60', '--actions', file, '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:3: action.type: `);
    expect(run.stderr).toContain(`${file}:4: each line needs exactly one of "action" or "command"`);
    expect(run.stdout).toBe('');
  });

  it('names the valid scenario ids when the scenario is unknown', () => {
    const ids = gamedayJson<{ id: string }[]>('scenarios', '--json').map((s) => s.id);
    const run = gameday('sim', '--scenario', 'no-such-scenario', '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Unknown scenario "no-such-scenario"');
    for (const id of ids) expect(run.stderr).toContain(id);
  });

  it('runs manifests alone on a default cluster without incidents, and prints a human summary', () => {
    const file = join(tmp, 'web.yaml');
    writeFileSync(file, WEB_MANIFEST);
    const json = gamedayJson<SimOutput>('sim', '--manifests', file, '--duration', '120', '--json');
    expect(json.incidents).toEqual([]);
    const text = gameday('sim', '--manifests', file, '--duration', '120');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`State hash     ${json.stateHash}`);
    expect(text.stdout).toMatch(/Availability\s+\d+\.\d\d%/);
  });

  it('--bot LEVEL plays the match through the console; the JSON gains "bots"; --actions still applies', () => {
    const idle = gamedayJson<SimOutput>('sim', '--scenario', 'guestbook', '--json');
    const expert = gamedayJson<SimOutput & { bots: { name: string; level: string; actions: number; writes: { t: number; command: string; ok: boolean }[] }[] }>(
      'sim', '--scenario', 'guestbook', '--bot', 'expert', '--json',
    );
    expect(expert.score).toBeGreaterThan(idle.score);
    expect(expert.bots).toEqual([expect.objectContaining({ name: 'bot-expert', level: 'expert' })]);
    expect(expert.bots[0]!.writes).toContainEqual(expect.objectContaining({ command: 'kubectl rollout undo deployment/frontend', ok: true }));
    expect(idle).not.toHaveProperty('bots');
    // With a planned action as well: both play the same match.
    const file = writeLines('scale.jsonl', [{ t: 60, command: 'kubectl scale deployment/frontend --replicas=4', player: 'ann' }]);
    const both = gamedayJson<SimOutput & { bots: { actions: number }[] }>('sim', '--scenario', 'guestbook', '--bot', 'expert', '--actions', file, '--json');
    expect(both.bots[0]!.actions).toBeGreaterThan(0);
    expect(both.stateHash).not.toBe(expert.stateHash);
    const bad = gameday('sim', '--scenario', 'guestbook', '--bot', 'genius', '--json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--bot must be one of idle, novice, expert, got "genius"');
  });
});
