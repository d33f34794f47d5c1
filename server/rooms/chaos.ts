/**
 * Red vs blue in the match room (mode `redblue`, issue 8): the `chaos` client message (an attack of the
 * side attacking now, shared/game/chaos.ts `attack`, journaled as a `chaos` entry for crash recovery),
 * the `chaos` server message to each team (the attacking side gets its budget, cooldowns, allowed kinds
 * and targets; the defending side gets `attacking: false` and nothing else: it sees only the symptoms on
 * its own cluster), and the red-vs-blue totals of the `matchEnded` message. MatchRoom registers it with
 * one call ({@link registerChaos}); nothing here runs in a match of another mode.
 *
 * Also a trainer's chaos manifest injected live (`control` op `inject` with `manifest`, issue 7):
 * {@link injectChaosManifest} (every run of a Schedule on its sim-clock times, via the desk's timed injections).
 *
 * May import @colyseus/core types, shared/ (game, chaos, sim incident registry, protocol), server/db types,
 * ./messages.ts.
 */
import type { Client, Room } from '@colyseus/core';
import { CHAOS_ERRORS, MATCH_ERRORS, attack, chaosInfoFor, chaosTotals, type Match, type MatchPlayer } from '../../shared/game/index.ts';
import { ChaosError, chaosClusterOfState, translateChaos, type AppInfo } from '../../shared/chaos/index.ts';
import type { IncidentSpec } from '../../shared/sim/types.ts';
import { incidentModule, isIncidentType } from '../../shared/sim/incidents/index.ts';
import { targetSyntax } from '../../shared/sim/incidents/targets.ts';
import type { ChaosMessage, ClientMessageType, InjectIncident, MatchEndedMessage, ReplyMessage } from '../../shared/protocol.ts';
import type { JournalEntry } from '../db/journal.ts';
import { describeZodError, errorReply, okReply, parseClientMessage, type MessageId } from './messages.ts';

/** Real milliseconds between checks whether a client's `chaos` message is out of date. */
export const CHAOS_SYNC_MS = 200;

/** What the room lends this module (its private parts, as closures). */
export interface ChaosHost {
  /** The room's match. */
  match(): Match;
  /** The client's seat, or the match's refusal text. */
  playerOf(client: Client): MatchPlayer | string;
  /** Journals an accepted event (the reply waits until durable). */
  journal(entry: JournalEntry): void;
  /** The team's cluster changed: project it before the next patch. */
  dirty(team: string): void;
  /** The room's guard: runs a handler and delivers its reply (as a request response or a `reply`). */
  guard(client: Client, type: ClientMessageType, raw: unknown, requestId: number | undefined, handler: () => ReplyMessage): ReplyMessage | Promise<ReplyMessage> | undefined;
}

/**
 * Handles one `chaos` message: shape (protocol zod), the target's syntax for a known kind (the incident
 * registry's `targetSyntax`), then the match's `attack` (phase, spectator, role, side, allowed kind,
 * cooldown, budget, the cluster's answer). Accepted: journaled (`kind: 'chaos'`, target as resolved)
 * and the defender's cluster marked for projection.
 */
export function handleChaos(host: ChaosHost, client: Client, raw: unknown): ReplyMessage {
  const parsed = parseClientMessage('chaos', raw);
  if (!parsed.ok) return parsed.reply;
  const { id, message } = parsed;
  const who = host.playerOf(client);
  if (typeof who === 'string') return errorReply('chaos', id, who);
  const match = host.match();
  if ((match.chaos ?? null) === null) return errorReply('chaos', id, CHAOS_ERRORS.notRedBlue);
  if (isIncidentType(message.kind) && message.target !== undefined && message.target !== '') {
    const syntax = targetSyntax[incidentModule(message.kind).target.kind]().safeParse(message.target);
    if (!syntax.success) return errorReply('chaos', id, `invalid message: target: ${describeZodError(syntax.error)}`);
  }
  const result = attack(match, who.id, { kind: message.kind, ...(message.target !== undefined ? { target: message.target } : {}) });
  if (!result.ok) return errorReply('chaos', id, result.error);
  host.journal({ kind: 'chaos', team: who.team, player: who.name, attack: { kind: result.attack.kind, target: result.attack.target } });
  host.dirty(result.attack.defender);
  return okReply('chaos', id, result.message);
}

/** The `chaos` message for a client of `team` now, or null when the match has no chaos. */
export function chaosMessageFor(match: Match, team: string): ChaosMessage | null {
  const chaos = match.chaos ?? null;
  if (chaos === null) return null;
  const info = chaosInfoFor(match, team);
  const attacker = chaos.half === 1 ? 'red' : 'blue';
  const t = match.teams.reduce((max, x) => Math.max(max, x.sim.t), 0);
  return {
    attacking: info !== null,
    half: chaos.half,
    attacker,
    t,
    info: info === null ? null : { ...info, kinds: info.kinds.map((k) => ({ ...k, readyAt: t + k.cooldownLeft })) },
  };
}

/** What decides whether a client's last `chaos` message is still current. */
function versionOf(match: Match, team: string): string {
  const chaos = match.chaos!;
  return `${team}|${chaos.half}|${chaos.attacks.length}|${match.phase}`;
}

/**
 * Registers red vs blue on a room: the `chaos` message handler and, in a red-vs-blue match, a
 * {@link CHAOS_SYNC_MS} check that sends each client a `chaos` message when what it shows changed (it
 * joined or reconnected, an attack was accepted, half time came, the match ended). No-op sync in
 * other modes.
 */
export function registerChaos(room: Room, host: ChaosHost): void {
  room.onMessage('chaos', (client, raw, ctx) => host.guard(client, 'chaos', raw, ctx?.id, () => handleChaos(host, client, raw)));
  if ((host.match().chaos ?? null) === null) return;
  const sent = new WeakMap<Client, string>();
  room.clock.setInterval(() => {
    const match = host.match();
    for (const client of room.clients) {
      const who = host.playerOf(client);
      if (typeof who === 'string') continue;
      const version = versionOf(match, who.team);
      if (sent.get(client) === version) continue;
      const message = chaosMessageFor(match, who.team);
      if (!message) continue;
      sent.set(client, version);
      client.send('chaos', message);
    }
  }, CHAOS_SYNC_MS);
}

/** The red-vs-blue part of the `matchEnded` message: both teams' totals (empty object in other modes). */
export function chaosEnded(match: Match): Pick<MatchEndedMessage, 'redBlue'> {
  return (match.chaos ?? null) === null ? {} : { redBlue: chaosTotals(match) };
}

/** What {@link injectChaosManifest} needs from its room (MatchRoom passes closures). */
export interface ManifestHost {
  match(): Match;
  /** The room's immediate injection (`control` op `inject` now): validation, `inject`, journal. */
  injectNow(id: MessageId, who: MatchPlayer, team: string, incident: InjectIncident): ReplyMessage;
  /** The desk's timed injection (`control` op `inject` with `atSeconds`): journaled `timedInject`, fired between ticks. */
  plan(id: MessageId, who: MatchPlayer, team: string, incident: InjectIncident, atSeconds: number): ReplyMessage;
  /** Incident ids of the timed injections still pending (any team). */
  plannedIds(): readonly string[];
}

/**
 * `control` op `inject` with `manifest` (issue 7): the chaos experiment (Chaos Mesh / LitmusChaos
 * YAML) is translated by shared/chaos against the team's cluster as it is now (`at` = the team's sim
 * second), then every incident of it runs at its own sim time:
 * - the ones due now start through the room's immediate injection (journaled `inject`);
 * - the later ones (each run of a Schedule on its cron or `@every` times, with its concurrencyPolicy
 *   and startingDeadlineSeconds; Litmus `CHAOS_INTERVAL` repeats) become the desk's timed injections
 *   (./workshop.ts: journaled `timedInject`, re-planned after a crash, started between ticks once the
 *   team's sim clock reaches them, then ordinary injections that replay exactly). Driven by the
 *   match's sim clock only: no wall clock.
 * Ids: `injected-N-<document>-<k>`, N the first number no incident, schedule entry or pending timed
 * injection of the room uses as a prefix. Refused whole (nothing started or planned) when the
 * translation fails (the {@link ChaosError} problems, each naming the document and field) or nothing
 * falls within the match.
 */
export function injectChaosManifest(host: ManifestHost, id: MessageId, who: MatchPlayer, teamId: string | undefined, manifest: string, appinfo: AppInfo | undefined): ReplyMessage {
  if (!who.trainer) return errorReply('control', id, MATCH_ERRORS.notTrainerInject);
  const match = host.match();
  const teamKey = teamId ?? who.team;
  const team = match.teams.find((t) => t.id === teamKey);
  if (!team) return errorReply('control', id, `team "${teamKey}" is not in this match (teams: ${match.teams.map((t) => t.id).join(', ')})`);
  const used = [...team.schedule.map((s) => s.id), ...team.sim.incidents.map((i) => i.spec.id), ...host.plannedIds()];
  let n = team.injections.length + 1;
  while (used.some((u) => u.startsWith(`injected-${n}-`))) n++;
  let translation: ReturnType<typeof translateChaos>;
  try {
    translation = translateChaos(manifest, 'manifest', chaosClusterOfState(team.sim), { at: team.sim.t, idPrefix: `injected-${n}`, ...(appinfo ? { appinfo: { ...appinfo } } : {}) });
  } catch (e) {
    if (!(e instanceof ChaosError)) throw e;
    return errorReply('control', id, `cannot inject the manifest: ${(e.problems.length > 0 ? e.problems : [e.message]).join('; ')}`);
  }
  const t = team.sim.t;
  const now = translation.incidents.filter((inc) => inc.at <= t);
  const later = translation.incidents.filter((inc) => inc.at > t);
  if (now.length === 0 && later.length === 0) return errorReply('control', id, `the manifest starts no incident${translation.notes.length ? ` (${translation.notes.join('; ')})` : ''}`);
  const incidentOf = (inc: IncidentSpec): InjectIncident => ({ type: inc.type, target: inc.target, params: inc.params, id: inc.id, ...(inc.title !== undefined ? { title: inc.title.slice(0, 120) } : {}) });
  const started: string[] = [];
  for (const inc of now) {
    const reply = host.injectNow(id, who, teamKey, incidentOf(inc));
    if (!reply.ok) return started.length === 0 ? reply : errorReply('control', id, `${started.join('; ')}; then: ${reply.error}`);
    started.push(reply.output ?? inc.id);
  }
  const planned: number[] = [];
  for (const inc of later) {
    const reply = host.plan(id, who, teamKey, incidentOf(inc), inc.at - t);
    if (!reply.ok) return errorReply('control', id, `${[...started, `${planned.length} later run(s) planned`].join('; ')}; then: ${reply.error}`);
    planned.push(inc.at);
  }
  const times = [...new Set(planned)];
  const plannedText = planned.length === 0 ? [] : [`${planned.length} later run${planned.length === 1 ? '' : 's'} planned on team ${teamKey} at t=${times.slice(0, 12).join(', ')}${times.length > 12 ? ', ...' : ''}s`];
  const head = [...started, ...(started.length === 0 ? plannedText : [])];
  const tail = [...(started.length > 0 ? plannedText : []), ...translation.notes];
  return okReply('control', id, `${head.join('; ')}${tail.length ? ` (${tail.join('; ')})` : ''}`);
}
