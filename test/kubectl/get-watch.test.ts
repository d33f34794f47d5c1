/**
 * `kubectl get ... -w` (shared/kubectl/index.ts answers the table; the client's console follows it,
 * client/src/view/console.ts `WatchSession`): the answer equals the plain get, and the console, fed
 * the answers of successive ticks, prints a Pod's row again only when it changed.
 */
import { describe, expect, it } from 'vitest';
import { WatchSession } from '../../client/src/view/console.ts';
import { createSim } from '../../shared/sim/index.ts';
import { shopInput, stepN, typeCommand } from '../sim/game-fixtures.ts';

describe('kubectl get -w', () => {
  it('answers the table; the console prints only rows that changed', () => {
    const s = createSim(shopInput());
    stepN(s, 30);
    expect(typeCommand(s, 'kubectl get pods -w')).toBe(typeCommand(s, 'kubectl get pods'));
    expect(typeCommand(s, 'kubectl get pods --watch -l app=api')).toBe(typeCommand(s, 'kubectl get pods -l app=api'));
    const w = new WatchSession('kubectl get pods -w');
    const first = w.update(typeCommand(s, 'kubectl get pods -w'));
    expect(first.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    stepN(s, 5);
    expect(w.update(typeCommand(s, 'kubectl get pods -w'))).toBe(''); // only AGE moved
    const victim = Object.values(s.pods).find((p) => p.metadata.labels['app'] === 'api')!.metadata.name;
    typeCommand(s, `kubectl delete pod ${victim}`);
    stepN(s, 1);
    const changed = w.update(typeCommand(s, 'kubectl get pods -w')).split('\n');
    expect(changed.some((l) => l.startsWith(`${victim} `) && /Terminating/.test(l))).toBe(true);
    expect(changed.some((l) => l.startsWith('api-') && !l.startsWith(victim))).toBe(true); // its replacement
    expect(changed.every((l) => l.startsWith('api-'))).toBe(true);
  });
});
