/**
 * Workshops over HTTP (issue 10): a trainer creates a workshop (its first match room right away, in
 * the lobby), players look it up by code, the trainer moves on to the next scenario and downloads the
 * debrief. Trainer routes need `Authorization: Bearer TOKEN` of a trainer account (`TRAINER_USERS` or
 * `gameday trainer grant`), and the workshop's own trainer for everything under `/workshops/:id`.
 *
 * Refusals are JSON `{ error }`: 400 invalid body / params / query (with `details`), 401 no valid
 * session token, 403 a guest or an account without trainer rights, or another trainer's workshop,
 * 404 unknown workshop, 409 a `next` that cannot happen now.
 *
 * - `POST /api/workshops` -> 201 {@link WorkshopCreated}
 * - `GET /api/workshops` -> the caller's workshops, newest first
 * - `GET /api/workshops/:id` -> settings, status, room, roster by team, finished match groups
 * - `GET /api/workshops/by-code/:code` (anyone) -> {@link WorkshopPublic} (never the trainer's plan)
 * - `GET /api/workshops/:id/qr.svg` -> the join URL as a QR code (package `qrcode`)
 * - `POST /api/workshops/:id/next` -> 201 the next scenario's room; the old room says `workshop` op `next`
 * - `GET /api/workshops/:id/debrief[?format=csv]` -> {@link Debrief} (JSON) or one CSV row per team per match
 * - `GET /api/workshops/:id/postmortems.md` -> every team's postmortem, Markdown
 *
 * May import fastify, zod, qrcode, @colyseus/core (remote room calls), server/db, server/scenarios,
 * server/rooms/workshop.ts (room creation), shared/protocol.ts, shared/game (mode rules, team ids),
 * shared/kubectl/equivalent.ts (actions as commands).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { matchMaker } from '@colyseus/core';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import { findAccount } from '../db/accounts.ts';
import { getMatch, type MatchRecord } from '../db/repository.ts';
import { createWorkshop, getWorkshop, getWorkshopByCode, listWorkshops, updateWorkshop, workshopMatchRows, workshopSettingsSchema, type Workshop } from '../db/workshops.ts';
import type { StoredWorkshopSettings } from '../db/schema.ts';
import { BUILT_IN_SCENARIO_IDS, resolveSimInput } from '../scenarios/index.ts';
import { postmortemInWorker } from '../scenarios/replay.ts';
import { createWorkshopRoom } from '../rooms/workshop.ts';
import { checkModeTeams, TEAM_IDS } from '../../shared/game/index.ts';
import { kubectlEquivalent } from '../../shared/kubectl/equivalent.ts';
import type { SimAction } from '../../shared/sim/types.ts';
import type { VerifySession } from './auth.ts';
import { isTrainer } from './auth.ts';
import { docSchema, parseOr400, type ErrorBody } from './query.ts';

/** Options of {@link registerWorkshopRoutes}. */
export interface WorkshopRoutesOptions {
  db: Database;
  /** Session-token verifier (server/http/auth.ts). */
  verify: VerifySession;
  /** `TRAINER_USERS`, lower case. */
  trainerUsers: readonly string[];
  /** Sim seconds per real second when neither the request nor the first scenario sets one. */
  defaultTimeDilation: number;
}

/** `POST /api/workshops` answer. */
export interface WorkshopCreated {
  id: string;
  code: string;
  title: string;
  settings: StoredWorkshopSettings;
  status: Workshop['status'];
  roomId: string | null;
  /** Absolute: `<origin>/?workshop=CODE`. */
  joinUrl: string;
}

/** `GET /api/workshops/by-code/:code`: what a player needs to join; nothing of the trainer's plan. */
export interface WorkshopPublic {
  id: string;
  title: string;
  status: Workshop['status'];
  roomId: string | null;
  teams: number;
  teamChoice: StoredWorkshopSettings['teamChoice'];
  mode: StoredWorkshopSettings['mode'];
}

/** One team of one match in the debrief. Times in sim seconds. */
export interface DebriefTeam {
  team: string;
  matchId: string;
  score: number;
  /** Availability SLI over the match, 0..1. */
  availability: number;
  /** Availability error budget left, fraction (negative when overspent). */
  errorBudgetRemaining: number;
  players: string[];
  incidents: { id: string; kind: string; title: string; startedAt: number | null; mitigatedAt: number | null }[];
  /** `t`: sim seconds (tick x tickSeconds); `command`: the kubectl equivalent. */
  actions: { t: number; player: string; command: string }[];
  /** The blameless postmortem (Markdown; empty with a note when the match does not replay). */
  postmortem: string;
  /** `/replay.html?match=ID`. */
  replayUrl: string;
}

/** `GET /api/workshops/:id/debrief`. */
export interface Debrief {
  workshop: { id: string; code: string; title: string; trainer: string; status: Workshop['status']; settings: StoredWorkshopSettings };
  matches: { matchGroup: string; scenarioId: string; endedAt: string; teams: DebriefTeam[] }[];
}

/** Postmortem replays the debrief runs at once (server/http/postmortem.ts runs 2 too). */
const POSTMORTEMS_AT_ONCE = 2;

const IdParams = z.object({ id: z.string().regex(/^[0-9a-f-]{36}$/, { error: 'expected a workshop id (a UUID)' }) });
const CodeParams = z.object({ code: z.string().min(1).max(32) });
const DebriefQuery = z.object({ format: z.enum(['json', 'csv'], { error: 'format must be json or csv' }).optional() });

/** The request body of `POST /api/workshops`. */
export const WorkshopRequest = workshopSettingsSchema(BUILT_IN_SCENARIO_IDS).extend({
  title: z.string().trim().min(1, { error: 'title must be 1 to 120 characters' }).max(120, { error: 'title must be 1 to 120 characters' }).regex(/^\P{Cc}*$/u, { error: 'title must not hold control characters' }).optional(),
});

const AUTH_ERRORS = {
  noToken: 'sign in as a trainer: no valid session token (send Authorization: Bearer TOKEN)',
  guest: 'workshops are run by trainer accounts: a guest cannot (register and ask for trainer rights)',
  gone: 'this account no longer exists',
  notTrainer: 'only trainer accounts may run workshops (npx gameday trainer grant USERNAME, or TRAINER_USERS)',
  otherTrainer: 'this workshop belongs to another trainer: only its own trainer may see or run it',
} as const;

function fail(reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).send({ error } satisfies ErrorBody);
}

/** `a,b` with RFC 4180 quoting: a field with `"`, `,`, CR or LF is quoted, quotes doubled. */
export function csvRow(fields: readonly (string | number | null)[]): string {
  return fields
    .map((f) => {
      const s = f === null ? '' : String(f);
      return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(',');
}

/** Register the workshop routes on `app` (inside the `/api` plugin). */
export async function registerWorkshopRoutes(app: FastifyInstance, opts: WorkshopRoutesOptions): Promise<void> {
  const { db } = opts;
  const postmortems = new Map<string, string>();

  const joinUrl = (req: FastifyRequest, code: string) => `${req.protocol}://${req.host}/?workshop=${code}`;

  /** The trainer account calling, or the refusal sent (undefined). */
  const trainerOf = async (req: FastifyRequest, reply: FastifyReply): Promise<string | undefined> => {
    const h = req.headers.authorization;
    const claims = typeof h === 'string' && h.startsWith('Bearer ') ? opts.verify(h.slice('Bearer '.length).trim()) : null;
    if (!claims) return void fail(reply, 401, AUTH_ERRORS.noToken);
    if (claims.kind !== 'account') return void fail(reply, 403, AUTH_ERRORS.guest);
    const account = await findAccount(db, claims.name);
    if (!account) return void fail(reply, 401, AUTH_ERRORS.gone);
    if (!isTrainer(account, opts.trainerUsers)) return void fail(reply, 403, AUTH_ERRORS.notTrainer);
    return account.username;
  };

  /** The caller's own workshop `:id`, or the refusal sent (undefined). */
  const ownWorkshop = async (req: FastifyRequest, reply: FastifyReply): Promise<Workshop | undefined> => {
    const trainer = await trainerOf(req, reply);
    if (trainer === undefined) return undefined;
    const p = parseOr400(IdParams, req.params, reply, 'workshop id');
    if (!p) return undefined;
    const ws = await getWorkshop(db, p.id);
    if (!ws) return void fail(reply, 404, `workshop ${p.id} not found`);
    if (ws.trainer !== trainer) return void fail(reply, 403, AUTH_ERRORS.otherTrainer);
    return ws;
  };

  const roomInfo = async (roomId: string | null) => {
    if (roomId === null) return null;
    try {
      return (await matchMaker.remoteRoomCall(roomId, 'workshopInfo', [], 3_000)) as WorkshopRoomInfo;
    } catch {
      return null; // the room is gone (closed after its debrief)
    }
  };

  const groupsOf = async (ws: Workshop) => {
    const rows = await workshopMatchRows(db, ws.id);
    const groups = new Map<string, { matchGroup: string; scenarioId: string; endedAt: Date; ids: string[] }>();
    for (const r of rows) {
      const g = groups.get(r.matchGroup);
      if (g) {
        g.ids.push(r.id);
        if (r.endedAt > g.endedAt) g.endedAt = r.endedAt;
      } else groups.set(r.matchGroup, { matchGroup: r.matchGroup, scenarioId: r.scenarioId, endedAt: r.endedAt, ids: [r.id] });
    }
    return [...groups.values()];
  };

  const summaryOf = (req: FastifyRequest, ws: Workshop): WorkshopCreated & { createdAt: string; startedAt: string | null; endedAt: string | null } => ({
    id: ws.id,
    code: ws.code,
    title: ws.title,
    settings: ws.settings,
    status: ws.status,
    roomId: ws.roomId,
    joinUrl: joinUrl(req, ws.code),
    createdAt: ws.createdAt.toISOString(),
    startedAt: ws.startedAt?.toISOString() ?? null,
    endedAt: ws.endedAt?.toISOString() ?? null,
  });

  const tags = ['workshops'];

  app.post('/workshops', {
    config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: { tags, summary: 'Create a workshop (trainer): its join code and its first match room, in the lobby', body: docSchema(WorkshopRequest) },
  }, async (req, reply) => {
    const trainer = await trainerOf(req, reply);
    if (trainer === undefined) return reply;
    const body = parseOr400(WorkshopRequest, req.body, reply, 'workshop');
    if (!body) return reply;
    const wrong = checkModeTeams(body.mode, body.teams);
    if (wrong !== null) return fail(reply, 400, `invalid workshop: ${wrong}`);
    const first = resolveSimInput({ scenario: body.scenarios[0], seed: 1 });
    const settings: StoredWorkshopSettings = {
      scenarios: body.scenarios,
      teams: body.teams,
      mode: body.mode,
      durationSeconds: body.durationSeconds ?? null,
      timeDilation: body.timeDilation ?? first.timeDilation ?? opts.defaultTimeDilation,
      roles: body.roles ?? false,
      teamChoice: body.teamChoice ?? 'auto',
    };
    const created = await createWorkshop(db, { trainer, title: body.title ?? `${first.title} workshop`, settings });
    let roomId: string;
    try {
      roomId = await createWorkshopRoom(created, 0);
    } catch (err) {
      req.log.error({ err, workshop: created.id }, 'creating the workshop room failed');
      return fail(reply, 500, `the workshop was created but its match room was not: ${err instanceof Error ? err.message : String(err)}`);
    }
    const ws = (await updateWorkshop(db, created.id, { roomId })) ?? created;
    req.log.info({ workshop: ws.id, trainer, roomId }, 'workshop created');
    const answer: WorkshopCreated = { id: ws.id, code: ws.code, title: ws.title, settings: ws.settings, status: ws.status, roomId: ws.roomId, joinUrl: joinUrl(req, ws.code) };
    return reply.code(201).send(answer);
  });

  app.get('/workshops', { schema: { tags, summary: "The caller's workshops (trainer), newest first" } }, async (req, reply) => {
    const trainer = await trainerOf(req, reply);
    if (trainer === undefined) return reply;
    return (await listWorkshops(db, trainer)).map((ws) => summaryOf(req, ws));
  });

  app.get('/workshops/by-code/:code', {
    // A class of 40 behind one NAT looks the code up at once, some twice.
    config: { rateLimit: { max: 300, timeWindow: '1 minute' } },
    schema: { tags, summary: 'Look a workshop up by its join code (anyone): where to join, never the trainer\'s plan', params: docSchema(CodeParams) },
  }, async (req, reply) => {
    const p = parseOr400(CodeParams, req.params, reply, 'code');
    if (!p) return reply;
    const ws = await getWorkshopByCode(db, p.code);
    if (!ws) return fail(reply, 404, 'no workshop has this code: check it with your trainer');
    const answer: WorkshopPublic = { id: ws.id, title: ws.title, status: ws.status, roomId: ws.roomId, teams: ws.settings.teams, teamChoice: ws.settings.teamChoice, mode: ws.settings.mode };
    return answer;
  });

  app.get('/workshops/:id', { schema: { tags, summary: 'A workshop (its trainer): settings, status, room, roster by team, finished matches', params: docSchema(IdParams) } }, async (req, reply) => {
    const ws = await ownWorkshop(req, reply);
    if (!ws) return reply;
    const [room, groups] = await Promise.all([roomInfo(ws.roomId), groupsOf(ws)]);
    return {
      ...summaryOf(req, ws),
      room: room ? { roomId: room.roomId, matchId: room.matchId, phase: room.phase, t: room.t, pending: room.pending } : null,
      roster: room?.roster ?? [],
      matches: groups.map((g) => ({ matchGroup: g.matchGroup, scenarioId: g.scenarioId, endedAt: g.endedAt.toISOString(), matchIds: g.ids })),
    };
  });

  app.get('/workshops/:id/qr.svg', { schema: { tags, summary: "The workshop's join URL as a QR code (SVG, for a projector)", params: docSchema(IdParams) } }, async (req, reply) => {
    const ws = await ownWorkshop(req, reply);
    if (!ws) return reply;
    const svg = await QRCode.toString(joinUrl(req, ws.code), { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    return reply.type('image/svg+xml; charset=utf-8').send(svg);
  });

  app.post('/workshops/:id/next', { schema: { tags, summary: "After a match ended: the room of the workshop's next scenario", params: docSchema(IdParams) } }, async (req, reply) => {
    const ws = await ownWorkshop(req, reply);
    if (!ws) return reply;
    const groups = await groupsOf(ws);
    if (groups.length >= ws.settings.scenarios.length) return fail(reply, 409, 'every scenario of this workshop has been played: the workshop has ended');
    const room = await roomInfo(ws.roomId);
    if (room && room.phase !== 'ended') return fail(reply, 409, `the current match has not ended yet (phase ${room.phase}): end it first (control op end)`);
    if (room && !groups.some((g) => g.matchGroup === room.matchId)) return fail(reply, 409, 'the current match is still being archived: try again in a moment');
    if (!room && groups.length === 0) return fail(reply, 409, 'the first match has not been played yet');
    const index = groups.length;
    let roomId: string;
    try {
      roomId = await createWorkshopRoom(ws, index);
    } catch (err) {
      req.log.error({ err, workshop: ws.id }, 'creating the next workshop room failed');
      return fail(reply, 500, `the next match room could not be created: ${err instanceof Error ? err.message : String(err)}`);
    }
    await updateWorkshop(db, ws.id, { roomId, status: 'open' });
    if (ws.roomId) await matchMaker.remoteRoomCall(ws.roomId, 'workshopNext', [roomId], 3_000).catch(() => undefined);
    req.log.info({ workshop: ws.id, roomId, index }, 'workshop moved to its next scenario');
    return reply.code(201).send({ roomId, index, scenarioId: ws.settings.scenarios[index] });
  });

  const postmortemOf = async (record: MatchRecord): Promise<string> => {
    const cached = postmortems.get(record.id);
    if (cached !== undefined) return cached;
    const result = await postmortemInWorker(record);
    const markdown = result.ok ? result.markdown : `_The postmortem of ${record.id} could not be written: ${result.error}_\n`;
    if (result.ok) postmortems.set(record.id, markdown);
    return markdown;
  };

  const debriefOf = async (ws: Workshop, withPostmortems: boolean): Promise<Debrief> => {
    const groups = await groupsOf(ws);
    const matches: Debrief['matches'] = [];
    for (const g of groups) {
      const titles = new Map<string, string>();
      try {
        for (const spec of resolveSimInput({ scenario: g.scenarioId, seed: 1 }).input.incidents ?? []) if (spec.title !== undefined) titles.set(spec.id, spec.title);
      } catch {
        // a scenario that no longer loads: kinds stand for titles
      }
      const teams: DebriefTeam[] = [];
      const records = new Map<string, MatchRecord>();
      for (const id of g.ids) {
        const record = await getMatch(db, id);
        if (!record) continue;
        records.set(id, record);
        for (const inj of record.injections) if (inj.spec.title !== undefined) titles.set(inj.spec.id, inj.spec.title);
        const tick = record.settings.tickSeconds;
        teams.push({
          team: id.startsWith(`${g.matchGroup}-`) ? id.slice(g.matchGroup.length + 1) : (record.players[0]?.team ?? TEAM_IDS[0]),
          matchId: id,
          score: record.summary.score,
          availability: record.summary.slo.availability,
          errorBudgetRemaining: record.summary.slo.errorBudgetRemaining,
          players: record.players.map((p) => p.name),
          incidents: record.summary.incidents.map((i) => ({ id: i.id, kind: i.type, title: titles.get(i.id) ?? i.type, startedAt: i.startedAt, mitigatedAt: i.mitigatedAt })),
          actions: record.actions.map((a) => ({ t: a.tick * tick, player: a.player, command: kubectlEquivalent(a.action as SimAction) })),
          postmortem: '',
          replayUrl: `/replay.html?match=${encodeURIComponent(id)}`,
        });
      }
      if (withPostmortems) {
        // Two replays at a time (each about a second of CPU in a worker; cached once written).
        for (let i = 0; i < teams.length; i += POSTMORTEMS_AT_ONCE) {
          await Promise.all(teams.slice(i, i + POSTMORTEMS_AT_ONCE).map(async (t) => {
            const record = records.get(t.matchId);
            if (record) t.postmortem = await postmortemOf(record);
          }));
        }
      }
      teams.sort((a, b) => TEAM_IDS.indexOf(a.team as never) - TEAM_IDS.indexOf(b.team as never) || (a.team < b.team ? -1 : a.team > b.team ? 1 : 0));
      matches.push({ matchGroup: g.matchGroup, scenarioId: g.scenarioId, endedAt: g.endedAt.toISOString(), teams });
    }
    return { workshop: { id: ws.id, code: ws.code, title: ws.title, trainer: ws.trainer, status: ws.status, settings: ws.settings }, matches };
  };

  app.get('/workshops/:id/debrief', {
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { tags, summary: 'The debrief (trainer): every team of every match side by side; ?format=csv for a spreadsheet', params: docSchema(IdParams), querystring: docSchema(DebriefQuery) },
  }, async (req, reply) => {
    const ws = await ownWorkshop(req, reply);
    if (!ws) return reply;
    const q = parseOr400(DebriefQuery, req.query, reply);
    if (!q) return reply;
    const csv = q.format === 'csv';
    const debrief = await debriefOf(ws, !csv);
    if (!csv) return debrief;
    const header = ['workshop', 'match_group', 'scenario', 'ended_at', 'team', 'match_id', 'score', 'availability', 'error_budget_remaining', 'players', 'incidents', 'mitigated', 'actions', 'replay_url'];
    const lines = [csvRow(header)];
    for (const m of debrief.matches) {
      for (const t of m.teams) {
        lines.push(csvRow([ws.title, m.matchGroup, m.scenarioId, m.endedAt, t.team, t.matchId, t.score, t.availability, t.errorBudgetRemaining, t.players.join(' '), t.incidents.length, t.incidents.filter((i) => i.mitigatedAt !== null).length, t.actions.length, t.replayUrl]));
      }
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="debrief-${ws.code}.csv"`)
      .send(lines.join('\r\n') + '\r\n');
  });

  app.get('/workshops/:id/postmortems.md', {
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { tags, summary: "Every team's postmortem of every match of the workshop (Markdown)", params: docSchema(IdParams) },
  }, async (req, reply) => {
    const ws = await ownWorkshop(req, reply);
    if (!ws) return reply;
    const debrief = await debriefOf(ws, true);
    const parts = [`# ${ws.title}: postmortems\n`];
    for (const m of debrief.matches) {
      for (const t of m.teams) parts.push(`\n---\n\n<!-- match ${m.matchGroup}, scenario ${m.scenarioId}, team ${t.team} (${t.matchId}) -->\n\n${t.postmortem}`);
    }
    if (debrief.matches.length === 0) parts.push('\nNo match of this workshop has ended yet.\n');
    return reply
      .type('text/markdown; charset=utf-8')
      .header('content-disposition', `attachment; filename="postmortems-${ws.code}.md"`)
      .send(parts.join(''));
  });
}

/** What a workshop room's `workshopInfo()` answers (server/rooms/MatchRoom.ts). */
interface WorkshopRoomInfo {
  roomId: string;
  matchId: string;
  phase: string;
  t: number;
  roster: { team: string; players: { name: string; present: boolean; spectator: boolean; trainer: boolean; bot: boolean }[] }[];
  pending: unknown[];
}
