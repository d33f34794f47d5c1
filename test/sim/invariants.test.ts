/**
 * The sim's bookkeeping invariants (test/sim/invariants.ts) hold after every tick of every built-in
 * scenario, played passively and with the known fixes, and under random player actions at random ticks
 * (fast-check) on a small shop that suffers every incident kind and on the guestbook.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BUILT_IN_SCENARIO_IDS } from '../../server/scenarios/index.ts';
import { applyAction, createSim, step } from '../../shared/sim/index.ts';
import { runMatch } from '../../shared/game/index.ts';
import { getIndex } from '../../shared/sim/cache.ts';
import type { IncidentSpec, LoggedAction, SimAction, SimInput, SimState } from '../../shared/sim/types.ts';
import { builtIn, KNOWN_FIXES } from '../golden/cases.ts';
import { badRolloutIncident, etcdIncident, memoryLeakIncident, nodeIncident, shopInput } from './game-fixtures.ts';
import { recordChange } from '../../shared/sim/changelog.ts';
import { changeLogChecker, checkInvariants } from './invariants.ts';

/**
 * THE way these tests act on a cluster: the sim's `applyAction` (the invariants are the cluster's; the
 * game layer's `submit` adds only permissions, logging and costs on top of it).
 */
function act(state: SimState, player: string, action: SimAction): void {
  applyAction(state, player, action);
}

/**
 * Plays `input` with `actions` through runMatch, collecting the first violations (tick-stamped) of the
 * invariants and of the change-log contract (checked from the first tick on).
 */
function violationsOfMatch(input: SimInput, actions: readonly LoggedAction[]): string[] {
  const found: string[] = [];
  let changeLog: ((s: SimState) => string[]) | undefined;
  runMatch(input, [...actions], {
    onTick: (s) => {
      if (found.length >= 20) return;
      for (const v of checkInvariants(s)) found.push(`tick ${s.tick}: ${v}`);
      if (changeLog) for (const v of changeLog(s)) found.push(`tick ${s.tick}: ${v}`);
      else changeLog = changeLogChecker(s);
    },
  });
  return found;
}

describe('checkInvariants notices a broken state (each check can fail)', () => {
  const healthy = () => {
    const s = createSim(shopInput({ durationSeconds: 60 }));
    for (let i = 0; i < 5; i++) step(s);
    return s;
  };
  const firstPod = (s: SimState) => s.pods[Object.keys(s.pods).sort()[0]!]!;

  it('a healthy running shop has none', () => {
    expect(checkInvariants(healthy())).toEqual([]);
  });

  it.each<[string, (s: SimState) => void, RegExp]>([
    ['node podCount', (s) => { s.nodes['node-a']!.sim.podCount += 1; }, /^\[nodeRequests\] node node-a: podCount/],
    ['node cpu sum', (s) => { s.nodes['node-b']!.sim.cpuRequestedMilli -= 100; }, /^\[nodeRequests\] node node-b: cpuRequestedMilli/],
    ['pod readiness cache', (s) => { firstPod(s).sim.ready = !firstPod(s).sim.ready; }, /^\[podReadiness\] pod default\/api-/],
    ['quorum flag', (s) => { s.controlPlane.etcd.hasQuorum = false; }, /^\[etcdQuorum\] etcd: hasQuorum false/],
    ['leader without quorum', (s) => {
      const etcd = s.controlPlane.etcd;
      for (const m of etcd.members) if (m.name !== etcd.leader) m.healthy = false;
      etcd.hasQuorum = false;
    }, /^\[etcdQuorum\] etcd: leader etcd-\d without quorum/],
    ['orphaned pod', (s) => { const k = Object.keys(s.replicaSets).sort()[0]!; delete s.replicaSets[k]; getIndex(s); }, /^\[podOwners\] pod .*: owner ReplicaSet .* does not exist/],
    ['stale index', (s) => { getIndex(s).podsByNode.get('node-a')?.add('default/ghost'); }, /^\[indexes\] index podsByNode\[node-a\]/],
    ['duplicate resourceVersion', (s) => { firstPod(s).metadata.resourceVersion = s.deployments['default/frontend']!.metadata.resourceVersion; }, /^\[resourceVersions\] .* also used by/],
    ['resourceVersion ahead of the counter', (s) => { firstPod(s).metadata.resourceVersion = s.counters.resourceVersion + 1; }, /^\[resourceVersions\] pod .* > counter/],
  ])('%s', (_what, breakIt, expected) => {
    const s = healthy();
    breakIt(s);
    const v = checkInvariants(s);
    expect(v.some((x) => expected.test(x)), v.join('\n')).toBe(true);
  });
});

describe('changeLogChecker (the change-log contract of shared/sim/changelog.ts)', () => {
  const running = () => {
    const s = createSim(shopInput({ durationSeconds: 60 }));
    step(s);
    return s;
  };

  it('has nothing to check while the log answers resync (a cloned state starts with an empty log)', () => {
    const s = structuredClone(running());
    const check = changeLogChecker(s);
    s.pods[Object.keys(s.pods).sort()[0]!]!.sim.memoryMiB += 1;
    expect(check(s)).toEqual([]);
  });

  it('once the log is live, flags an unrecorded write, memory change or deletion and accepts recorded ones', () => {
    const s = running();
    recordChange(s, 'Node', 'node-a', 'MODIFIED');
    const check = changeLogChecker(s);
    const [a, b, c] = Object.keys(s.pods).sort();
    s.pods[a!]!.metadata.resourceVersion = ++s.counters.resourceVersion;
    s.pods[b!]!.sim.memoryMiB += 1;
    delete s.pods[c!];
    expect(check(s)).toEqual([
      expect.stringMatching(new RegExp(`^\\[changeLog\\] Pod ${a} changed .* the change log has nothing`)),
      expect.stringMatching(new RegExp(`^\\[changeLog\\] Pod ${b} changed .*mem=`)),
      expect.stringMatching(new RegExp(`^\\[changeLog\\] Pod ${c} deleted but the change log has nothing`)),
    ]);
    const [d] = Object.keys(s.pods).sort();
    s.pods[d!]!.metadata.resourceVersion = ++s.counters.resourceVersion;
    recordChange(s, 'Pod', d!, 'MODIFIED');
    s.nodes['node-b']!.sim.podCount += 1;
    recordChange(s, 'Node', 'node-b', 'MODIFIED');
    expect(check(s)).toEqual([]);
  });
});

/**
 * Sim seconds checked in a built-in scenario: its whole length, but at most 900 s on large clusters
 * (>= 50 Nodes: invariants over 500+ Pods every tick cost seconds per minute of sim; 900 s covers their
 * first incidents). Keeps the suite fast.
 */
function checkedSeconds(id: string): number | undefined {
  return builtIn(id, 1).nodes.length >= 50 ? 900 : undefined;
}

describe('invariants hold after every tick of the built-in scenarios', () => {
  // "with the known fixes" only where fixes are known (otherwise it would replay the passive run).
  it.each(BUILT_IN_SCENARIO_IDS.flatMap((id) => (KNOWN_FIXES[id] ? [[id, 'passive'], [id, 'with the known fixes']] as const : [[id, 'passive']] as const)))('%s, %s', (id, how) => {
    const actions = how === 'passive' ? [] : (KNOWN_FIXES[id] ?? []);
    expect(violationsOfMatch(builtIn(id, 1, checkedSeconds(id)), actions)).toEqual([]);
  });
});

/**
 * A player action drawn abstractly and resolved against the state when it is applied: `i` picks the
 * Deployment / Pod / Node / etcd member among the existing ones (sorted, modulo their count), so random
 * plans hit real objects in any scenario; a few draws name objects that do not exist.
 */
interface Move {
  tick: number;
  kind: 'scale' | 'deletePod' | 'cordon' | 'uncordon' | 'drain' | 'setImage' | 'undo' | 'restart' | 'setResources' | 'restoreEtcd';
  i: number;
  n: number;
  flag: boolean;
}

function pick(keys: string[], i: number): string {
  return keys.length === 0 || i >= 90 ? 'ghost' : keys[i % keys.length]!;
}

function resolve(state: SimState, m: Move): SimAction {
  const deployments = Object.keys(state.deployments).sort().map((k) => state.deployments[k]!.metadata.name);
  const deployment = pick(deployments, m.i);
  const node = pick(Object.keys(state.nodes).sort(), m.i);
  switch (m.kind) {
    case 'scale': return { type: 'scaleDeployment', deployment, replicas: m.n % 7 };
    case 'deletePod': {
      const pods = Object.keys(state.pods).sort();
      const key = pick(pods, m.i);
      return { type: 'deletePod', pod: key === 'ghost' ? 'ghost' : state.pods[key]!.metadata.name, force: m.flag };
    }
    case 'cordon': return { type: 'cordonNode', node };
    case 'uncordon': return { type: 'uncordonNode', node };
    case 'drain': return { type: 'drainNode', node };
    case 'setImage': {
      const images = Object.keys(state.images).sort();
      return { type: 'setImage', deployment, image: m.flag ? pick(images, m.n) : `registry.example/new:v${m.n % 3}` };
    }
    case 'undo': return m.flag ? { type: 'rolloutUndo', deployment } : { type: 'rolloutUndo', deployment, toRevision: 1 + (m.n % 3) };
    case 'restart': return { type: 'rolloutRestart', deployment };
    case 'setResources': return { type: 'setResources', deployment, limits: { memory: m.flag ? '512Mi' : '64Mi' }, ...(m.n % 2 === 0 ? { requests: { cpu: '50m' } } : {}) };
    case 'restoreEtcd': return { type: 'restoreEtcdMember', member: pick(state.controlPlane.etcd.members.map((x) => x.name).sort(), m.i) };
  }
}

const KINDS: Move['kind'][] = ['scale', 'deletePod', 'cordon', 'uncordon', 'drain', 'setImage', 'undo', 'restart', 'setResources', 'restoreEtcd'];

function movesArb(ticks: number): fc.Arbitrary<Move[]> {
  return fc
    .array(fc.record({ tick: fc.integer({ min: 0, max: ticks - 1 }), kind: fc.constantFrom(...KINDS), i: fc.integer({ min: 0, max: 99 }), n: fc.nat(20), flag: fc.boolean() }), { maxLength: 14 })
    .map((ms) => [...ms].sort((a, b) => a.tick - b.tick));
}

/** Plays `input` tick by tick with `moves`, returning the first violations (after actions and after steps). */
function violationsUnderMoves(input: SimInput, moves: Move[]): string[] {
  const state = createSim(input);
  const changeLog = changeLogChecker(state);
  const all = (s: SimState) => [...checkInvariants(s), ...changeLog(s)];
  const ticks = Math.ceil(input.settings.durationSeconds / input.settings.tickSeconds);
  let next = 0;
  for (let t = 0; t < ticks; t++) {
    let acted = false;
    while (next < moves.length && moves[next]!.tick === state.tick) {
      const action = resolve(state, moves[next]!);
      act(state, 'player', action);
      acted = true;
      next++;
      const v = all(state);
      if (v.length > 0) return v.map((x) => `after ${JSON.stringify(action)} at tick ${state.tick}: ${x}`);
    }
    step(state);
    const v = all(state);
    if (v.length > 0) return v.map((x) => `tick ${state.tick}${acted ? ' (after actions)' : ''}: ${x}`);
  }
  return [];
}

/** Multiplies the property runs for a deeper search: `INVARIANT_RUNS=20 npx vitest run test/sim/invariants.test.ts`. */
const RUNS = Math.max(1, Number(process.env['INVARIANT_RUNS'] ?? '1') || 1);

describe('invariants hold under random player actions at random ticks (fast-check)', () => {
  const SHOP_TICKS = 200;
  const at = (max: number) => fc.integer({ min: 1, max });

  it('shop with a bad rollout, a memory leak, an etcd quorum loss and a node failure at random times', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 31 - 1), at(SHOP_TICKS - 1), at(SHOP_TICKS - 1), at(SHOP_TICKS - 1), at(SHOP_TICKS - 1), movesArb(SHOP_TICKS), (seed, bad, leak, etcd, node, moves) => {
        const incidents: IncidentSpec[] = [
          { ...badRolloutIncident, at: bad },
          { ...memoryLeakIncident, at: leak },
          { ...etcdIncident, at: etcd },
          { ...nodeIncident, at: node, params: { recoverAfter: 60 } },
        ];
        expect(violationsUnderMoves(shopInput({ seed, durationSeconds: SHOP_TICKS, incidents }), moves)).toEqual([]);
      }),
      { numRuns: 40 * RUNS },
    );
  });

  it('guestbook (bad release at t=180 s) over its first 400 s', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 31 - 1), movesArb(400), (seed, moves) => {
        expect(violationsUnderMoves(builtIn('guestbook', seed, 400), moves)).toEqual([]);
      }),
      { numRuns: 15 * RUNS },
    );
  });
});
