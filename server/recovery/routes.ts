/**
 * `GET /api/matches/:id/live`: a running match as its room sees it now (phase, tick, state hash,
 * teams' scores, players with team, role and action count; see {@link LiveMatchInfo}). The room is
 * found through the live-match journal (`roomId`), asked locally or, on another process, over Redis
 * presence (`remoteRoomCall`). 404 when the match is not running (finished ones: `GET /api/matches/:id`).
 *
 * May import fastify, zod, @colyseus/core, server/db, server/http/api.ts (rate limit), server/rooms types.
 */
import type { FastifyInstance } from 'fastify';
import { matchMaker } from '@colyseus/core';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import { getLiveMatch } from '../db/journal.ts';
import { API_RATE_LIMIT } from '../http/api.ts';
import { docSchema, parseOr400, type ErrorBody } from '../http/query.ts';
import type { LiveMatchInfo, MatchRoom } from '../rooms/MatchRoom.ts';

const MatchIdParams = z.object({
  id: z.string().regex(/^[a-zA-Z0-9-]{1,80}$/, { error: 'expected a match id (letters, digits and "-")' }),
});

/** Register the live-match route on `app` (inside the `/api` prefix). */
export async function registerRecoveryRoutes(app: FastifyInstance, db: Database): Promise<void> {
  app.get('/matches/:id/live', {
    config: { rateLimit: API_RATE_LIMIT },
    schema: { tags: ['matches'], summary: 'A running match now: phase, tick, state hash, scores, players (team, role, actions)', params: docSchema(MatchIdParams) },
  }, async (req, reply) => {
    const p = parseOr400(MatchIdParams, req.params, reply, 'match id');
    if (!p) return reply;
    const notRunning = (): ErrorBody => ({ error: `match ${p.id} is not running here (a finished match: GET /api/matches/${p.id})` });
    const live = await getLiveMatch(db, p.id);
    if (!live) return reply.code(404).send(notRunning());
    const local = matchMaker.getLocalRoomById(live.roomId) as MatchRoom | undefined;
    let info: LiveMatchInfo | undefined;
    if (local && typeof local.liveInfo === 'function') {
      info = local.liveInfo();
    } else {
      const listed = await matchMaker.getRoomById(live.roomId);
      if (listed) info = (await matchMaker.remoteRoomCall(live.roomId, 'liveInfo').catch(() => undefined)) as LiveMatchInfo | undefined;
    }
    if (!info || info.matchId !== p.id) return reply.code(404).send(notRunning());
    return info;
  });
}
