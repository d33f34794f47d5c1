/**
 * The Red team panel's decisions (red vs blue, shared/game/chaos.ts): from the last `chaos` message the
 * attacking side got, the match phase and the sim second now, whether the panel shows, and for each
 * allowed kind whether it may be launched now or why not (cooldown left, not enough points, the match
 * not running), with its cost, cooldown and the targets to pick from. Pure: runs under vitest.
 *
 * May import: shared/protocol.ts types.
 */
import type { ChaosMessage } from '../../../shared/protocol.ts';

/** One row of the panel. */
export interface ChaosKindRow {
  kind: string;
  cost: number;
  /** Cooldown after use, sim seconds. */
  cooldownSeconds: number;
  /** What the kind targets (`Deployment`, `Node`, `EtcdMembers`) and the defender's objects of that kind, sorted. */
  targetKind: string;
  targets: string[];
  /** The default target (first in `targets`, '' for etcd: enough members to lose quorum). */
  target: string;
  /** Null when it may be launched now, else why not (shown next to the disabled button). */
  disabled: string | null;
}

/** What the panel shows: hidden for the defending side (and in other modes). */
export interface ChaosPanelModel {
  visible: boolean;
  /** `Half 1: red attacks blue · 80 / 100 points` style heading. */
  heading: string;
  rows: ChaosKindRow[];
  /** Launched attacks, newest last: `attack-1 bad-rollout on frontend (20 pts, t=42s)`. */
  attacks: string[];
}

/**
 * The panel model. `t`: the room state's sim second now; `phase`: the room state's phase.
 * Cooldowns count down from each kind's `readyAt` (sim seconds).
 */
export function chaosPanelModel(msg: ChaosMessage | null, t: number, phase: string): ChaosPanelModel {
  if (!msg || !msg.attacking || !msg.info) return { visible: false, heading: '', rows: [], attacks: [] };
  const info = msg.info;
  const rows = info.kinds.map((k): ChaosKindRow => {
    const targets = k.targetKind === 'Node' ? info.targets.Node : k.targetKind === 'EtcdMembers' ? info.targets.EtcdMembers : info.targets.Deployment;
    const wait = Math.max(0, Math.ceil(k.readyAt - t));
    const disabled =
      phase !== 'running'
        ? `match ${phase}`
        : wait > 0
          ? `cooling down: ${wait} s`
          : info.budgetRemaining < k.cost
            ? `needs ${k.cost} points, ${info.budgetRemaining} left`
            : null;
    return { kind: k.kind, cost: k.cost, cooldownSeconds: k.cooldownSeconds, targetKind: k.targetKind, targets: [...targets], target: k.target, disabled };
  });
  return {
    visible: true,
    heading: `Half ${info.half}: ${info.attacker} attacks ${info.defender} · ${info.budgetRemaining} / ${info.budget} points`,
    rows,
    attacks: info.attacks.map((a) => `${a.id} ${a.kind}${a.target ? ` on ${a.target}` : ''} (${a.cost} pts, t=${a.t}s)`),
  };
}
