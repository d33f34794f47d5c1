import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { DEFAULT_TEAM_ID, runMatch, teamSummary, type Match } from '../../shared/game/index.ts';
import type { LoggedAction } from '../../shared/sim/index.ts';

const summarize = (match: Match) => teamSummary(match, DEFAULT_TEAM_ID);
const fixture = (rel: string) => fileURLToPath(new URL(`../fixtures/${rel}`, import.meta.url));

describe('the scenarios play as intended in the sim', () => {
  it.each(['online-boutique.yaml', 'bookinfo.yaml', 'guestbook-all-in-one.yaml'])('demo manifests %s (our own, modelled on public demos) alone run healthy and meet their SLOs', (file) => {
    const { input } = resolveSimInput({ manifests: fixture(`manifests/${file}`), seed: 4, durationSeconds: 600 });
    const s = summarize(runMatch(input, []));
    expect(s.slo.availability).toBeGreaterThanOrEqual(input.slo.availability);
    expect(s.slo.latency).toBeGreaterThanOrEqual(input.slo.latency.target);
  });

  it.each(['online-boutique', 'guestbook'])('built-in %s without its incidents meets its SLOs', (id) => {
    const { input } = resolveSimInput({ scenario: id, seed: 2, durationSeconds: 900 });
    input.incidents = [];
    const s = summarize(runMatch(input, []));
    expect(s.slo.availability).toBeGreaterThanOrEqual(input.slo.availability);
    expect(s.slo.latency).toBeGreaterThanOrEqual(input.slo.latency.target);
  });

  const fixes: Record<string, LoggedAction[]> = {
    'online-boutique': [
      { tick: 420, player: 'p', action: { type: 'rolloutUndo', deployment: 'frontend' } },
      { tick: 1320, player: 'p', action: { type: 'setResources', deployment: 'cartservice', limits: { memory: '512Mi' } } },
      { tick: 2460, player: 'p', action: { type: 'restoreEtcdMember', member: 'etcd-1' } },
    ],
    guestbook: [{ tick: 270, player: 'p', action: { type: 'rolloutUndo', deployment: 'frontend' } }],
  };

  it.each(['online-boutique', 'guestbook'])('in %s a passive team loses far more error budget than one that fixes the incidents', (id) => {
    const { input } = resolveSimInput({ scenario: id, seed: 1 });
    const passive = summarize(runMatch(input, []));
    const active = summarize(runMatch(input, fixes[id]!));
    expect(passive.incidents.every((i) => i.startedAt !== null && i.mitigatedAt === null)).toBe(true);
    expect(active.incidents.every((i) => i.mitigatedAt !== null)).toBe(true);
    const passiveSpent = 1 - passive.slo.errorBudgetRemaining;
    const activeSpent = 1 - active.slo.errorBudgetRemaining;
    expect(passiveSpent).toBeGreaterThan(5 * activeSpent);
    expect(active.score).toBeGreaterThan(passive.score);
  });
});
