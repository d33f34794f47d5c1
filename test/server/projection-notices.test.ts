/**
 * The game's own alerts and incident markers (shared/sim/notices.ts) are rows of the client's events
 * feed, with the Events' look, and never Kubernetes Events: not in `kubectl get events`, not in the
 * API's core/v1 or events.k8s.io/v1 events list (issue 6 "A faithful cluster").
 */
import { describe, expect, it } from 'vitest';
import { createSim, step } from '../../shared/sim/index.ts';
import { TeamSchema } from '../../server/rooms/schema.ts';
import { PROJECTED_EVENTS, projectTeam } from '../../server/rooms/projection.ts';
import { coreEventResource, eventsV1Resource } from '../../server/k8s/events.ts';
import { badRolloutIncident, shopInput, typeCommand } from '../sim/game-fixtures.ts';
import { feedRows } from '../sim/fixtures.ts';

const GAME_REASONS = ['IncidentStarted', 'SLOBurnRateHigh'];

describe('events feed: the game notices', () => {
  it('shows IncidentStarted and the page SLOBurnRateHigh as Warning rows in order; kubectl and the API list none', () => {
    const s = createSim(shopInput({ incidents: [{ ...badRolloutIncident, at: 20 }] }));
    const team = new TeamSchema();
    for (let i = 0; i < 60; i++) {
      step(s);
      projectTeam(team, s, { score: 0, actions: [] });
    }
    const rows = team.events.map((e) => ({ seq: e.seq, type: e.type, reason: e.reason, object: `${e.kind}/${e.name}`, message: e.message }));
    expect(rows.find((r) => r.reason === 'IncidentStarted')).toEqual({
      seq: expect.any(Number),
      type: 'Warning',
      reason: 'IncidentStarted',
      object: 'Deployment/frontend',
      message: 'An incident started: watch the alerts, events and metrics for its symptoms',
    });
    const page = rows.find((r) => r.reason === 'SLOBurnRateHigh');
    expect(page?.type).toBe('Warning');
    expect(page?.message).toMatch(/^Alert availability-page-\S+ firing: frontend availability burn rate/);
    // One row each, in the order written, the same as the whole feed's newest rows.
    const seqs = rows.map((r) => r.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(rows).toEqual(
      feedRows(s)
        .slice(-PROJECTED_EVENTS)
        .map((r) => ({ seq: r.seq, type: r.type, reason: r.reason, object: `${r.kind}/${r.name}`, message: r.message })),
    );
    // The Kubernetes side: the rollout's own events are there, the game's markers are not.
    const kubectl = typeCommand(s, 'kubectl get events -A');
    expect(kubectl).toMatch(/ScalingReplicaSet/);
    for (const reason of GAME_REASONS) expect(kubectl).not.toContain(reason);
    for (const resource of [coreEventResource, eventsV1Resource]) {
      const reasons = resource.entries(s, null).map((e) => JSON.stringify(e.api()));
      expect(reasons.length).toBeGreaterThan(0);
      for (const reason of GAME_REASONS) expect(reasons.some((r) => r.includes(reason))).toBe(false);
    }
  });
});
