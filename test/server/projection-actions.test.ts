/**
 * The events feed interleaves the cluster's Events with the game's action log (issue 6 deviation 5:
 * actions record no Kubernetes Event; issue 8: the feed names the player who acted).
 */
import { describe, expect, it } from 'vitest';
import { applyAction, step } from '../../shared/sim/index.ts';
import type { LoggedAction } from '../../shared/sim/types.ts';
import { TeamSchema } from '../../server/rooms/schema.ts';
import { projectTeam } from '../../server/rooms/projection.ts';
import { sim } from '../sim/fixtures.ts';

describe('events feed', () => {
  it('shows an accepted action as a row naming its player, before the kubelet event it caused', () => {
    const s = sim();
    const team = new TeamSchema();
    const log: LoggedAction[] = [];
    projectTeam(team, s, { score: 0, actions: log });
    step(s);
    const action = { type: 'cordonNode', node: 'node-a' } as const;
    expect(applyAction(s, 'bob', action).ok).toBe(true);
    log.push({ tick: s.tick, player: 'bob', action });
    step(s);
    projectTeam(team, s, { score: 0, actions: log });
    projectTeam(team, s, { score: 0, actions: log }); // no duplicate rows
    const rows = team.events.map((e) => [e.source, e.reason, `${e.kind}/${e.name}`, e.message]);
    const at = rows.findIndex((r) => r[0] === 'bob');
    expect(rows[at]).toEqual(['bob', '', 'Node/node-a', 'kubectl cordon node-a']);
    expect(rows.filter((r) => r[0] === 'bob')).toHaveLength(1);
    expect(rows.slice(at + 1)).toContainEqual(['', 'NodeNotSchedulable', 'Node/node-a', 'Node node-a status is now: NodeNotSchedulable']);
    const seqs = team.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});
