/**
 * Red vs blue (issue 8, mode `redblue`): two teams, `blue` and `red`, each with its own cluster from the
 * same scenario and seed. The scenario's scheduled incidents do not start in this mode: the attacks are
 * the incidents. In the first half red is the attacking side: it spends a chaos budget (points) on
 * catalog incidents (the incident registry's kinds, only those the scenario's `redTeam.allowed` lists,
 * each with a cost and a cooldown) injected into blue's cluster, and blue defends; at half time the
 * sides swap (blue attacks red's cluster). Each team's total = its defence score (the usual
 * `computeScore` on its own cluster over the whole match) + its attack score (the error budget it
 * burnt on the opponent's cluster during the half it attacked; see {@link attackScore}). Chaos
 * engineering as a game day: "Principles of Chaos Engineering" (principlesofchaos.org) and the SRE
 * Workbook ch. 2 (error budgets).
 *
 * Pure and deterministic: no I/O, no wall clock; every array in a documented total order. Units: `t`,
 * `at`, `halfTimeSeconds`, `cooldownSeconds` are sim seconds; `tick` counts ticks; costs and budgets are
 * chaos points.
 *
 * May import: shared/sim (public API and the incident registry, as ./postmortem.ts does), ./types.ts,
 * ./score.ts. Not ./match.ts (match.ts imports this file).
 */
import { injectIncident, isFinished } from '../sim/index.ts';
import { INCIDENT_KINDS, incidentModule, isIncidentType } from '../sim/incidents/registry.ts';
import type { IncidentSpec, IncidentType, SimState } from '../sim/types.ts';
import { computeScore } from './score.ts';
import type { Match, MatchPlayer, TeamState } from './types.ts';

/** The two teams of a red-vs-blue match. */
export const BLUE_TEAM = 'blue';
/** See {@link BLUE_TEAM}. */
export const RED_TEAM = 'red';

/** Chaos points each side may spend in the half it attacks, when the scenario says nothing. */
export const DEFAULT_CHAOS_BUDGET = 100;

/**
 * Cost (chaos points) and cooldown (sim seconds) of a kind the scenario allows without saying, by
 * what the kind targets (the registry module's `target.kind`): a Deployment is the cheapest and the
 * quickest to repeat, a Node more (it takes every Pod on it), etcd the most (the control plane).
 */
export const DEFAULT_CHAOS_COSTS = {
  Deployment: { cost: 20, cooldownSeconds: 120 },
  Node: { cost: 30, cooldownSeconds: 300 },
  EtcdMembers: { cost: 50, cooldownSeconds: 600 },
  /** (added) a whole zone cut off (`zone-partition`): every Node of it. */
  Zone: { cost: 60, cooldownSeconds: 900 },
} as const satisfies Record<string, { cost: number; cooldownSeconds: number }>;

/** Points of the attack score at a fully burnt error budget (see {@link attackScore}). */
export const ATTACK_POINTS = 500;

/** One incident kind red may use: its cost (chaos points) and cooldown (sim seconds, per side). */
export interface ChaosRule {
  kind: IncidentType;
  cost: number;
  cooldownSeconds: number;
}

/** The red team's rules of a scenario (scenario field `redTeam`, defaults applied). */
export interface RedTeamRules {
  /** Chaos points per side (spent in the half the side attacks). */
  budget: number;
  /** Allowed kinds, in the scenario's order (registry order by default); kinds unique. */
  allowed: ChaosRule[];
}

/** The scenario's `redTeam` as written (shared/scenario/schema.ts validates it): every field optional. */
export interface RedTeamRulesInput {
  budget?: number;
  allowed?: { kind: IncidentType; cost?: number; cooldownSeconds?: number }[];
}

/** Default cost and cooldown of `kind` ({@link DEFAULT_CHAOS_COSTS} by the kind's target). */
export function defaultChaosRule(kind: IncidentType): ChaosRule {
  const target = incidentModule(kind).target.kind as keyof typeof DEFAULT_CHAOS_COSTS;
  const d = DEFAULT_CHAOS_COSTS[target] ?? DEFAULT_CHAOS_COSTS.Deployment;
  return { kind, cost: d.cost, cooldownSeconds: d.cooldownSeconds };
}

/**
 * The rules with defaults: budget {@link DEFAULT_CHAOS_BUDGET}; `allowed` absent = every registry
 * kind; an entry without cost or cooldown takes {@link defaultChaosRule}'s.
 * @throws Error for an unknown kind or a kind listed twice (the scenario schema reports both first).
 */
export function chaosRules(input: RedTeamRulesInput | undefined): RedTeamRules {
  const budget = input?.budget ?? DEFAULT_CHAOS_BUDGET;
  const written: NonNullable<RedTeamRulesInput['allowed']> = input?.allowed ?? INCIDENT_KINDS.map((kind) => ({ kind }));
  const seen = new Set<string>();
  const allowed = written.map((entry): ChaosRule => {
    if (!isIncidentType(entry.kind)) throw new Error(`unknown incident kind ${JSON.stringify(entry.kind)} (kinds: ${INCIDENT_KINDS.join(', ')})`);
    if (seen.has(entry.kind)) throw new Error(`redTeam.allowed lists ${entry.kind} twice`);
    seen.add(entry.kind);
    const d = defaultChaosRule(entry.kind);
    return { kind: entry.kind, cost: entry.cost ?? d.cost, cooldownSeconds: entry.cooldownSeconds ?? d.cooldownSeconds };
  });
  return { budget, allowed };
}

/** Cumulative SLO event counts of a cluster at one moment (shared/sim `SloState.good` / `valid`). */
export interface SloCounts {
  availabilityGood: number;
  availabilityValid: number;
  latencyGood: number;
  latencyValid: number;
}

/** One side of a red-vs-blue match. */
export interface ChaosSide {
  /** `blue` or `red`. */
  team: string;
  /** Chaos points left. */
  budgetRemaining: number;
  /** Sim second each kind was last used by this side, in first-use order (one entry per kind). */
  lastUsed: { kind: IncidentType; t: number }[];
  /**
   * The opponent's SLO counts when this side's attacking half began, and when it ended (null while it
   * runs or has not begun: the opponent's live counts then). The attack score is the budget burnt
   * between the two.
   */
  attackFrom: SloCounts | null;
  attackTo: SloCounts | null;
  /**
   * This side's OWN cluster's counts over the same window (not attacked by the opponent then): the
   * control, so the burn the scenario causes by itself is not credited to an attack (see attackScore).
   */
  ownFrom: SloCounts | null;
  ownTo: SloCounts | null;
}

/** One accepted attack, as the match logged it (replay: the same `attack` call at the same tick). */
export interface ChaosAttack {
  /** The incident id it got in the defender's cluster: `attack-N`, N = its position + 1. */
  id: string;
  /** 1 or 2. */
  half: 1 | 2;
  /** The match tick (the defender's `sim.tick`) and sim second it started at. */
  tick: number;
  t: number;
  attacker: string;
  /** Name of the attacking player. */
  player: string;
  defender: string;
  kind: IncidentType;
  /** As requested (empty: the default target, see {@link defaultTarget}). */
  target: string;
  cost: number;
}

/** `Match.chaos`: the red-vs-blue state (null in every other mode). */
export interface ChaosState {
  rules: RedTeamRules;
  /** Sim second at which the sides swap: half the match, rounded down to a whole tick. */
  halfTimeSeconds: number;
  /** The half being played: 1 (red attacks blue) until half time, then 2 (blue attacks red). */
  half: 1 | 2;
  /** Both sides, sorted by team id (`blue`, `red`). */
  sides: ChaosSide[];
  /** Accepted attacks, in order. */
  attacks: ChaosAttack[];
}

/** What an attacker asks for (the room validates the shape with the protocol's zod schema). */
export interface AttackRequest {
  kind: string;
  /** In the kind's target syntax; absent or empty: the default target ({@link defaultTarget}). */
  target?: string;
}

/** `attack`'s answer. */
export type AttackResult = { ok: true; message: string; attack: ChaosAttack } | { ok: false; error: string };

/** Refusal texts of {@link attack} (the room sends them as `reply.error`). */
export const CHAOS_ERRORS = {
  notRedBlue: 'attacks are only for red-vs-blue matches (mode redblue)',
  notAPlayer: 'you are not a player in this match',
  spectator: 'spectators watch: they do not attack',
  lobby: 'the match has not started yet: attacks open when it starts',
  paused: 'the match is paused: attacks are accepted again when it resumes',
  ended: 'the match has ended: no more attacks',
  role: 'only operations or the incident commander may launch attacks',
  defending: (attacker: string, half: 1 | 2) => `your team defends in this half: team ${attacker} attacks in half ${half}`,
  notAllowed: (kind: string, allowed: readonly string[]) => `${kind} is not allowed in this scenario (allowed: ${allowed.join(', ') || 'none'})`,
  cooldown: (kind: string, seconds: number) => `${kind} is cooling down: ${seconds} s left`,
  budget: (kind: string, cost: number, left: number) => `${kind} costs ${cost} points: your team has ${left} left`,
  finished: 'the defending cluster is finished: no more attacks',
} as const;

/** The side attacking in `half`: red first, blue after half time. */
export function attackerOf(half: 1 | 2): string {
  return half === 1 ? RED_TEAM : BLUE_TEAM;
}

/** The other team of a red-vs-blue match. */
export function opponentOf(team: string): string {
  return team === RED_TEAM ? BLUE_TEAM : RED_TEAM;
}

function countsOf(sim: SimState): SloCounts {
  const { availability, latency } = sim.slos;
  return { availabilityGood: availability.good, availabilityValid: availability.valid, latencyGood: latency.good, latencyValid: latency.valid };
}

function sideOf(chaos: ChaosState, team: string): ChaosSide | undefined {
  return chaos.sides.find((s) => s.team === team);
}

function teamOf(match: Match, id: string): TeamState | undefined {
  return match.teams.find((t) => t.id === id);
}

/**
 * The chaos state of a new red-vs-blue match: both sides with the full budget, red attacking from
 * the opponent's counts now (a new cluster: zero). `teams` must be exactly blue and red.
 * @throws Error naming the teams otherwise.
 */
export function createChaos(teams: readonly TeamState[], rules: RedTeamRules, durationSeconds: number, tickSeconds: number): ChaosState {
  const ids = teams.map((t) => t.id).sort();
  if (ids.length !== 2 || ids[0] !== BLUE_TEAM || ids[1] !== RED_TEAM) throw new Error(`a redblue match plays teams blue and red (got: ${ids.join(', ')})`);
  const blue = teams.find((t) => t.id === BLUE_TEAM)!;
  const red = teams.find((t) => t.id === RED_TEAM)!;
  const halfTimeSeconds = Math.max(tickSeconds, Math.floor(durationSeconds / 2 / tickSeconds) * tickSeconds);
  return {
    rules: structuredClone(rules),
    halfTimeSeconds,
    half: 1,
    sides: [
      { team: BLUE_TEAM, budgetRemaining: rules.budget, lastUsed: [], attackFrom: null, attackTo: null, ownFrom: null, ownTo: null },
      { team: RED_TEAM, budgetRemaining: rules.budget, lastUsed: [], attackFrom: countsOf(blue.sim), attackTo: null, ownFrom: countsOf(red.sim), ownTo: null },
    ],
    attacks: [],
  };
}

/** The match's sim second: the furthest team's `t` (teams step together). */
function matchSeconds(match: Match): number {
  let t = 0;
  for (const team of match.teams) t = Math.max(t, team.sim.t);
  return t;
}

/**
 * Half time (called by `advance` after every tick): once the match's sim second reaches
 * `halfTimeSeconds` in half 1, red's attacking window closes (blue's counts now), blue's opens (red's
 * counts now) and `half` becomes 2. No effect otherwise (idempotent).
 */
export function chaosAfterTick(match: Match): void {
  const chaos = match.chaos ?? null;
  if (chaos === null || chaos.half !== 1 || matchSeconds(match) < chaos.halfTimeSeconds) return;
  const blue = teamOf(match, BLUE_TEAM);
  const red = teamOf(match, RED_TEAM);
  if (!blue || !red) return;
  const redSide = sideOf(chaos, RED_TEAM)!;
  const blueSide = sideOf(chaos, BLUE_TEAM)!;
  redSide.attackTo = countsOf(blue.sim);
  redSide.ownTo = countsOf(red.sim);
  blueSide.attackFrom = countsOf(red.sim);
  blueSide.ownFrom = countsOf(blue.sim);
  chaos.half = 2;
}

/**
 * The default target of `kind` in `sim` when the attacker names none, by the kind's target kind: for
 * a Deployment kind the first Deployment by `namespace/name`, for a Node kind the first Node by name,
 * for etcd `''` (the kind then stops just enough members to lose quorum).
 * Empty string when the cluster has none.
 */
export function defaultTarget(sim: SimState, kind: IncidentType): string {
  const target = incidentModule(kind).target.kind;
  if (target === 'Node') return Object.keys(sim.nodes).sort()[0] ?? '';
  if (target === 'EtcdMembers') return '';
  if (target === 'Zone') {
    const first = Object.keys(sim.nodes).sort()[0];
    return first === undefined ? '' : (sim.nodes[first]!.metadata.labels['topology.kubernetes.io/zone'] ?? '');
  }
  return Object.keys(sim.deployments).sort()[0] ?? '';
}

/** Seconds of `kind`'s cooldown left for `side` at sim second `t` (0: ready). */
export function cooldownLeft(chaos: ChaosState, side: ChaosSide, kind: IncidentType, t: number): number {
  const rule = chaos.rules.allowed.find((r) => r.kind === kind);
  const last = side.lastUsed.find((u) => u.kind === kind);
  if (!rule || !last) return 0;
  return Math.max(0, last.t + rule.cooldownSeconds - t);
}

function freeAttackId(chaos: ChaosState, defender: TeamState): string {
  for (let n = chaos.attacks.length + 1; ; n++) {
    const id = `attack-${n}`;
    if (!defender.schedule.some((s) => s.id === id) && !defender.sim.incidents.some((i) => i.spec.id === id)) return id;
  }
}

/**
 * A player of the attacking side launches an attack now (between ticks, like an action): an incident
 * of `req.kind` injected into the defending team's cluster through shared/sim `injectIncident` (target
 * resolved, default params, the usual `IncidentStarted` notice; the incident id `attack-N`, the title
 * neutral: `Chaos attack N`), the cost taken from the side's budget, the kind's cooldown started, the
 * attack logged in `match.chaos.attacks`. Checks, in this order: a red-vs-blue match; a known player;
 * not a spectator; phase running (not lobby, paused or ended); with roles, operations or commander;
 * the player's team attacks in this half; the kind allowed by the scenario; its cooldown over; the
 * budget enough; the defending cluster not finished; then the cluster's answer (`deployment x not
 * found`...), which changes nothing when it refuses. `req` must already be validated for shape.
 *
 * @returns `{ok: true, message, attack}` or `{ok: false, error}` ({@link CHAOS_ERRORS}).
 */
export function attack(match: Match, playerId: string, req: AttackRequest): AttackResult {
  const chaos = match.chaos ?? null;
  if (chaos === null || match.settings.mode !== 'redblue') return { ok: false, error: CHAOS_ERRORS.notRedBlue };
  const player: MatchPlayer | undefined = match.players.find((p) => p.id === playerId);
  if (!player) return { ok: false, error: CHAOS_ERRORS.notAPlayer };
  if (player.spectator) return { ok: false, error: CHAOS_ERRORS.spectator };
  if (match.phase === 'lobby') return { ok: false, error: CHAOS_ERRORS.lobby };
  if (match.phase === 'paused') return { ok: false, error: CHAOS_ERRORS.paused };
  if (match.phase === 'ended') return { ok: false, error: CHAOS_ERRORS.ended };
  if (match.settings.roles && player.role !== 'operations' && player.role !== 'commander') return { ok: false, error: CHAOS_ERRORS.role };
  const attacker = attackerOf(chaos.half);
  if (player.team !== attacker) return { ok: false, error: CHAOS_ERRORS.defending(attacker, chaos.half) };
  const rule = chaos.rules.allowed.find((r) => r.kind === req.kind);
  if (!rule) return { ok: false, error: CHAOS_ERRORS.notAllowed(req.kind, chaos.rules.allowed.map((r) => r.kind)) };
  const side = sideOf(chaos, attacker)!;
  const defender = teamOf(match, opponentOf(attacker));
  if (!defender || isFinished(defender.sim)) return { ok: false, error: CHAOS_ERRORS.finished };
  const t = defender.sim.t;
  const wait = cooldownLeft(chaos, side, rule.kind, t);
  if (wait > 0) return { ok: false, error: CHAOS_ERRORS.cooldown(rule.kind, wait) };
  if (side.budgetRemaining < rule.cost) return { ok: false, error: CHAOS_ERRORS.budget(rule.kind, rule.cost, side.budgetRemaining) };
  const target = req.target !== undefined && req.target !== '' ? req.target : defaultTarget(defender.sim, rule.kind);
  const id = freeAttackId(chaos, defender);
  const n = chaos.attacks.length + 1;
  const spec: IncidentSpec = { id, type: rule.kind, at: t, target, params: {}, title: `Chaos attack ${n}` };
  const result = injectIncident(defender.sim, spec);
  if (!result.ok) return { ok: false, error: result.retry ? `${rule.kind} cannot start now (${result.error}): try again later` : `cannot attack with ${rule.kind}: ${result.error}` };
  side.budgetRemaining -= rule.cost;
  // Also a runtime injection of the defender's (as a trainer's inject is): the archived record of its
  // cluster then replays the attack (server/scenarios/replay.ts, with the schedule off for redblue).
  defender.injections.push({ tick: defender.sim.tick, player: player.name, logIndex: defender.log.length, spec: structuredClone(spec) });
  const last = side.lastUsed.find((u) => u.kind === rule.kind);
  if (last) last.t = t;
  else side.lastUsed.push({ kind: rule.kind, t });
  const logged: ChaosAttack = { id, half: chaos.half, tick: defender.sim.tick, t, attacker, player: player.name, defender: defender.id, kind: rule.kind, target, cost: rule.cost };
  chaos.attacks.push(logged);
  return {
    ok: true,
    message: `attack ${id} (${rule.kind}${target ? ` on ${target}` : ''}) started on team ${defender.id} at t=${t}s: ${side.budgetRemaining} points left`,
    attack: structuredClone(logged),
  };
}

/**
 * Error budget burnt between two SLO counts of one SLI, as a fraction of that window's budget:
 * `((valid - good) / valid) / (1 - target)` over the events in the window (0 when none); 1 = the
 * window's whole budget (its average burn rate was 1), more = overspent. SRE Workbook ch. 5 (burn rate).
 */
export function budgetBurnt(good: number, valid: number, target: number): number {
  if (!(valid > 0) || !(target < 1)) return 0;
  const burnt = (valid - good) / valid / (1 - target);
  return Number.isFinite(burnt) ? Math.max(0, burnt) : 0;
}

/** Burn of each SLI over a window of one cluster's counts ({@link budgetBurnt}). */
function windowBurn(from: SloCounts, to: SloCounts, sim: SimState): { availability: number; latency: number } {
  return {
    availability: budgetBurnt(to.availabilityGood - from.availabilityGood, to.availabilityValid - from.availabilityValid, sim.slos.availability.target),
    latency: budgetBurnt(to.latencyGood - from.latencyGood, to.latencyValid - from.latencyValid, sim.slos.latency.target),
  };
}

/**
 * The scenario's own burn (the control), per SLI: the smallest burn of a cluster over a half in which
 * the opponent was not attacking it: red's cluster in half 1, blue's in half 2 (once it began). Same
 * scenario and seed, no attack aimed at it in that window; the smaller of the two, so an attack that
 * still hurts blue after half time does not hide blue's own attack on red.
 */
function controlBurn(match: Match, chaos: ChaosState): { availability: number; latency: number } {
  let availability = Infinity;
  let latency = Infinity;
  for (const side of chaos.sides) {
    const own = teamOf(match, side.team);
    if (!own || !side.ownFrom) continue;
    const b = windowBurn(side.ownFrom, side.ownTo ?? countsOf(own.sim), own.sim);
    availability = Math.min(availability, b.availability);
    latency = Math.min(latency, b.latency);
  }
  return { availability: Number.isFinite(availability) ? availability : 0, latency: Number.isFinite(latency) ? latency : 0 };
}

/**
 * A side's attack score and its inputs: `round(500 * clamp(0.7 * availabilityBurnt + 0.3 *
 * latencyBurnt, 0, 1))`, where each burn is the error budget ({@link budgetBurnt}) burnt on the
 * opponent's cluster during the half this side attacked, minus the scenario's own burn over a half
 * (the control, {@link controlBurn}), at least 0: only the burn the attacks caused counts. Live while
 * the half runs; 0 before it begins and for a side that launched no attack.
 */
export function attackScore(match: Match, team: string): { attack: number; availabilityBurnt: number; latencyBurnt: number } {
  const chaos = match.chaos ?? null;
  const side = chaos ? sideOf(chaos, team) : undefined;
  const opponent = teamOf(match, opponentOf(team));
  // No attack launched: nothing to credit (the scenario's own burn varies a little from half to half).
  if (!chaos || !side || !side.attackFrom || !opponent || !chaos.attacks.some((a) => a.attacker === team)) return { attack: 0, availabilityBurnt: 0, latencyBurnt: 0 };
  const hit = windowBurn(side.attackFrom, side.attackTo ?? countsOf(opponent.sim), opponent.sim);
  const control = controlBurn(match, chaos);
  const availabilityBurnt = Math.max(0, hit.availability - control.availability);
  const latencyBurnt = Math.max(0, hit.latency - control.latency);
  const weighted = Math.min(1, Math.max(0, 0.7 * availabilityBurnt + 0.3 * latencyBurnt));
  return { attack: Math.round(ATTACK_POINTS * weighted), availabilityBurnt: Math.round(availabilityBurnt * 10000) / 10000, latencyBurnt: Math.round(latencyBurnt * 10000) / 10000 };
}

/** One team's red-vs-blue total. */
export interface ChaosTotal {
  team: string;
  /** `computeScore` of the team's own cluster (points). */
  defence: number;
  /** {@link attackScore} (points, 0..500). */
  attack: number;
  /** defence + attack. */
  total: number;
  /** Budget fractions burnt on the opponent's cluster in the attacking half. */
  availabilityBurnt: number;
  latencyBurnt: number;
  /** Attacks launched and chaos points spent. */
  attacks: number;
  spent: number;
  /** 1 = winner. */
  rank: number;
}

/**
 * Both teams' totals, best first: total descending, then defence descending, then team id (string
 * order): a deterministic order for ties. Empty for a match without chaos.
 */
export function chaosTotals(match: Match): ChaosTotal[] {
  const chaos = match.chaos ?? null;
  if (chaos === null) return [];
  const rows = chaos.sides.map((side): Omit<ChaosTotal, 'rank'> => {
    const team = teamOf(match, side.team);
    const defence = team ? computeScore(team).score : 0;
    const a = attackScore(match, side.team);
    const mine = chaos.attacks.filter((x) => x.attacker === side.team);
    return {
      team: side.team,
      defence,
      attack: a.attack,
      total: defence + a.attack,
      availabilityBurnt: a.availabilityBurnt,
      latencyBurnt: a.latencyBurnt,
      attacks: mine.length,
      spent: mine.reduce((s, x) => s + x.cost, 0),
    };
  });
  rows.sort((a, b) => b.total - a.total || b.defence - a.defence || (a.team < b.team ? -1 : a.team > b.team ? 1 : 0));
  return rows.map((r, i) => ({ ...r, rank: i + 1 }));
}

/** What the attacking side sees of the chaos state (the room sends it to that team only). */
export interface ChaosSideInfo {
  half: 1 | 2;
  halfTimeSeconds: number;
  /** The team attacking now. */
  attacker: string;
  defender: string;
  budgetRemaining: number;
  budget: number;
  /** Each allowed kind, in the rules' order, with its cooldown left (sim seconds) and default target. */
  kinds: { kind: IncidentType; cost: number; cooldownSeconds: number; cooldownLeft: number; target: string; targetKind: string }[];
  /** Targets in the defender's cluster by target kind (sorted): Deployments `namespace/name`, Nodes, etcd members. */
  targets: { Deployment: string[]; Node: string[]; EtcdMembers: string[] };
  /** This side's attacks so far, in order. */
  attacks: ChaosAttack[];
}

/**
 * The attacking side's view of the chaos state (budget, cooldowns, allowed kinds, targets), or null
 * when `team` is not attacking now (the defender sees only symptoms) or the match has no chaos.
 */
export function chaosInfoFor(match: Match, team: string): ChaosSideInfo | null {
  const chaos = match.chaos ?? null;
  if (chaos === null) return null;
  const attacker = attackerOf(chaos.half);
  if (team !== attacker) return null;
  const side = sideOf(chaos, attacker)!;
  const defender = teamOf(match, opponentOf(attacker));
  if (!defender) return null;
  const t = defender.sim.t;
  const sim = defender.sim;
  return {
    half: chaos.half,
    halfTimeSeconds: chaos.halfTimeSeconds,
    attacker,
    defender: defender.id,
    budgetRemaining: side.budgetRemaining,
    budget: chaos.rules.budget,
    kinds: chaos.rules.allowed.map((r) => ({
      kind: r.kind,
      cost: r.cost,
      cooldownSeconds: r.cooldownSeconds,
      cooldownLeft: cooldownLeft(chaos, side, r.kind, t),
      target: defaultTarget(sim, r.kind),
      targetKind: incidentModule(r.kind).target.kind,
    })),
    targets: {
      Deployment: Object.keys(sim.deployments).sort(),
      Node: Object.keys(sim.nodes).sort(),
      EtcdMembers: sim.controlPlane.etcd.members.map((m) => m.name).sort(),
    },
    attacks: chaos.attacks.filter((a) => a.attacker === attacker).map((a) => structuredClone(a)),
  };
}
