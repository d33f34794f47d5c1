/**
 * The red-side bot of red vs blue (mode `redblue`, issue 8): which catalog incident to launch now, from
 * what the attacking side sees (its chaos panel: budget left, each allowed kind's cost, cooldown left
 * and default target; shared/game/chaos.ts `chaosInfoFor`, the room's `chaos` message). It never reads
 * the defender's cluster. Deterministic: a pure function of that view and the sim time.
 *
 * Policy: no more than one attack per {@link RED_BOT_SPACING_SECONDS} sim seconds; then the strongest
 * affordable kind off cooldown: the highest cost (the scenario prices a kind by the harm it does),
 * ties by kind name, at its default target.
 *
 * May import: nothing (structural types only).
 */

/** Sim seconds a red bot waits between two of its attacks (so the defence sees each one). */
export const RED_BOT_SPACING_SECONDS = 60;

/** One allowed kind as the attacking side sees it (a structural subset of `ChaosSideInfo.kinds`). */
export interface RedKindView {
  kind: string;
  /** Chaos points. */
  cost: number;
  /** Sim seconds until it may be launched again (0: ready). */
  cooldownLeft: number;
  /** The kind's default target in the defender's cluster ('' = none). */
  target: string;
}

/** What the attacking side sees (a structural subset of shared/game `ChaosSideInfo`). */
export interface RedView {
  budgetRemaining: number;
  kinds: readonly RedKindView[];
}

/**
 * The attack to launch now, or null.
 * @param view the attacking side's chaos panel now (null: this side defends now).
 * @param t sim seconds now; `lastAttackAt` sim second of this bot's previous attack (null: none yet).
 */
export function chooseAttack(view: RedView | null, t: number, lastAttackAt: number | null): { kind: string; target?: string } | null {
  if (view === null) return null;
  if (lastAttackAt !== null && t - lastAttackAt < RED_BOT_SPACING_SECONDS) return null;
  const ready = view.kinds
    .filter((k) => k.cooldownLeft <= 0 && k.cost <= view.budgetRemaining)
    .sort((a, b) => b.cost - a.cost || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  const pick = ready[0];
  if (!pick) return null;
  return pick.target === '' ? { kind: pick.kind } : { kind: pick.kind, target: pick.target };
}
