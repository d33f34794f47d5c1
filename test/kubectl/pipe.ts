/**
 * A console stdin command (`kubectl apply|create -f -`, `kubectl edit`) run as the room runs it
 * (server/rooms/stdin.ts): each step's actions applied in order for `alice`, kubectl's lines joined;
 * an error or the YAML to edit as is. Not a test file.
 */
import { applyAction } from '../../shared/sim/actions/index.ts';
import { runKubectlInput } from '../../shared/kubectl/apply.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { K8S_WRITES } from '../../server/rooms/stdin.ts';

/** Runs `command` with `stdin` against `state`: the console's answer lines. */
export function pipe(state: SimState, command: string, stdin?: string): string {
  const r = runKubectlInput(state, command, stdin, K8S_WRITES);
  if (r.kind === 'error') return r.error;
  if (r.kind === 'edit') return r.yaml;
  return r.steps.map((st) => {
    if ('text' in st) return st.text;
    for (const a of st.actions) {
      const res = applyAction(state, 'alice', a);
      if (!res.ok) return res.error;
    }
    return st.done;
  }).join('\n');
}
