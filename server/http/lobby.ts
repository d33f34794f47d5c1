/**
 * `GET /api/lobby?scenario=&mode=`: the open matches a player may join (issue 8, "Lobby, teams and
 * modes"), from the matchmaker's listing (`matchMaker.query`, so with Redis every process' rooms) and
 * each room's metadata (server/rooms/MatchRoom.ts `MatchMetadata`, kept up to date on join, leave and
 * phase changes). Open = not locked (an ended match locks its room) and not ended. Join one with
 * `joinById(roomId, { name, team?, spectator? })`, or quick-play with `joinOrCreate('match', { scenario, mode })`.
 *
 * May import fastify, zod, @colyseus/core (room listing), shared/protocol.ts, shared/game types,
 * server/rooms types, ./query.ts.
 */
import type { FastifyInstance } from 'fastify';
import { matchMaker } from '@colyseus/core';
import { z } from 'zod';
import { ROOM_NAME } from '../../shared/protocol.ts';
import { MATCH_MODES, type MatchMode } from '../../shared/game/types.ts';
import type { MatchMetadata } from '../rooms/MatchRoom.ts';
import { docSchema, parseOr400, scenarioParam } from './query.ts';
import { API_RATE_LIMIT } from './api.ts';

/** `?scenario=&mode=` of `GET /api/lobby` (both optional filters). */
export const LobbyQuery = z.object({
  scenario: scenarioParam,
  mode: z.enum(MATCH_MODES, { error: `expected one of ${MATCH_MODES.join(', ')}` }).describe('Only this mode').optional(),
});

/** One open match as `GET /api/lobby` lists it. */
export interface LobbyListing {
  /** Join with `joinById(roomId, options)`. */
  roomId: string;
  matchId: string;
  scenario: string;
  scenarioTitle: string;
  mode: MatchMode;
  /** Roles enforced (only operations changes the cluster). */
  roles: boolean;
  /** `lobby` (not started: pick a team and ready up), `running` or `paused`. */
  phase: string;
  /** Team count. */
  teams: number;
  /** Players seated now (spectators not counted) and the player seats (1 for solo). */
  players: number;
  maxPlayers: number;
  /** Connections now (players and spectators) and the room's limit. */
  clients: number;
  maxClients: number;
}

/** Register `GET /lobby` on `app` (inside a plugin with prefix `/api`). */
export async function registerLobbyRoutes(app: FastifyInstance): Promise<void> {
  app.get('/lobby', {
    config: { rateLimit: API_RATE_LIMIT },
    schema: { tags: ['rooms'], summary: 'Open matches to join: scenario, mode, roles, phase, teams, players (lobby first, then by room id)', querystring: docSchema(LobbyQuery) },
  }, async (req, reply) => {
    const q = parseOr400(LobbyQuery, req.query, reply);
    if (!q) return reply;
    const rooms = await matchMaker.query({ name: ROOM_NAME });
    const out: LobbyListing[] = [];
    for (const r of rooms) {
      const m = (r.metadata ?? {}) as Partial<MatchMetadata>;
      if (r.locked || m.phase === 'ended' || m.scenario === undefined || m.mode === undefined) continue;
      if (q.scenario !== undefined && m.scenario !== q.scenario) continue;
      if (q.mode !== undefined && m.mode !== q.mode) continue;
      out.push({
        roomId: r.roomId,
        matchId: m.matchId ?? '',
        scenario: m.scenario,
        scenarioTitle: m.scenarioTitle ?? '',
        mode: m.mode,
        roles: m.roles ?? false,
        phase: m.phase ?? 'running',
        teams: m.teams ?? 1,
        players: m.players ?? 0,
        maxPlayers: m.maxPlayers ?? r.maxClients,
        clients: r.clients,
        maxClients: r.maxClients,
      });
    }
    // Matches still in the lobby first (they wait for players), then a total order by room id.
    out.sort((a, b) => Number(b.phase === 'lobby') - Number(a.phase === 'lobby') || (a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : 0));
    return out;
  });
}
