/**
 * The golden cases (see harness.ts) and the known fix plans of the built-in scenarios, which the
 * invariant tests (test/sim/invariants.test.ts) replay too.
 *
 * May import: server/scenarios (built-in scenario files), shared/sim types, test/sim fixtures.
 */
import { resolveSimInput } from '../../server/scenarios/index.ts';
import type { LoggedAction, SimInput } from '../../shared/sim/types.ts';
import { nodeIncident, shopInput } from '../sim/game-fixtures.ts';
import type { GoldenCase } from './harness.ts';

/**
 * The fixes of each built-in scenario's incidents as a replay log (the plans test/scenario/play.test.ts
 * plays): Online Boutique rolls back the bad frontend at t=420 s, raises cartservice's memory limit at
 * t=1320 s and restores etcd-1 at t=2460 s; the guestbook rolls back its frontend at t=270 s.
 */
export const KNOWN_FIXES: Readonly<Record<string, readonly LoggedAction[]>> = {
  'online-boutique': [
    { tick: 420, player: 'p', action: { type: 'rolloutUndo', deployment: 'frontend' } },
    { tick: 1320, player: 'p', action: { type: 'setResources', deployment: 'cartservice', limits: { memory: '512Mi' } } },
    { tick: 2460, player: 'p', action: { type: 'restoreEtcdMember', member: 'etcd-1' } },
  ],
  guestbook: [{ tick: 270, player: 'p', action: { type: 'rolloutUndo', deployment: 'frontend' } }],
};

/** A built-in scenario's input (full length unless `durationSeconds`). */
export function builtIn(id: string, seed: number, durationSeconds?: number): SimInput {
  return resolveSimInput(durationSeconds === undefined ? { scenario: id, seed } : { scenario: id, seed, durationSeconds }).input;
}

function fixesOf(id: string): LoggedAction[] {
  return structuredClone([...(KNOWN_FIXES[id] ?? [])]);
}

// Online Boutique: bad rollout at 300, memory leak at 1200, etcd quorum loss at 2400 (3600 s match).
const OB_TICKS = [290, 330, 430, 480, 1250, 1330, 1400, 2410, 2500, 2510, 3600];

/** Every golden case, in file order. */
export const GOLDEN_CASES: readonly GoldenCase[] = [
  {
    name: 'online-boutique-passive',
    description: 'the default scenario played by a team that does nothing: every incident stays active',
    source: 'built-in scenario online-boutique, seed 1, 3600 s',
    input: () => builtIn('online-boutique', 1),
    actions: [],
    ticks: OB_TICKS,
    extraCommands: ['etcdctl member list'],
  },
  {
    name: 'online-boutique-fixed',
    description: 'the default scenario with each incident fixed (rollback, memory limit, etcd restore)',
    source: 'built-in scenario online-boutique, seed 1, 3600 s',
    input: () => builtIn('online-boutique', 1),
    actions: fixesOf('online-boutique'),
    ticks: OB_TICKS,
    extraCommands: ['etcdctl member list'],
  },
  {
    name: 'guestbook-rollback',
    description: 'the first-timers scenario: the bad frontend release is rolled back at t=270 s',
    source: 'built-in scenario guestbook, seed 1, 900 s',
    input: () => builtIn('guestbook', 1),
    actions: fixesOf('guestbook'),
    ticks: [170, 190, 240, 275, 300, 900],
  },
  {
    name: 'shop-node-failure-drain',
    description: 'test/sim/game-fixtures.ts shop: node-a dies at t=30 s; a player drains it at t=90 s',
    source: 'shopInput (test/sim/game-fixtures.ts), seed 3, 600 s, incident node-a-down at t=30 s',
    input: () => shopInput({ seed: 3, durationSeconds: 600, incidents: [{ ...nodeIncident }] }),
    actions: [{ tick: 90, player: 'p', action: { type: 'drainNode', node: 'node-a' } }],
    ticks: [29, 60, 85, 95, 130, 600],
    extraCommands: ['kubectl get nodes'],
  },
];
