/**
 * The JSON API under `/api`: scenarios, finished matches, the leaderboard and the open rooms. Query
 * strings are validated with zod (`400 { error, details }`), unknown ids give `404 { error }`, and
 * every route is rate limited per client IP ({@link API_RATE_LIMIT}).
 *
 * May import fastify, zod, @colyseus/core (room listing), server/db, server/scenarios.
 */
import type { FastifyInstance } from 'fastify';
import { matchMaker } from '@colyseus/core';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import { getMatch, leaderboard, listMatches } from '../db/repository.ts';
import { listScenarios } from '../scenarios/index.ts';
import { ROOM_NAME } from '../../shared/protocol.ts';
import type { MatchMetadata } from '../rooms/MatchRoom.ts';
import { ListQuery, docSchema, parseOr400, type ErrorBody } from './query.ts';
import { RatingBoardQuery, ratingBoard, wantsRatingBoard } from './leaderboard.ts';

/** Requests per IP per minute on each /api route (`@fastify/rate-limit`; 429 beyond). */
export const API_RATE_LIMIT = { max: 300, timeWindow: '1 minute' } as const;

const MatchIdParams = z.object({
  id: z.string().regex(/^[a-zA-Z0-9-]{1,80}$/, { error: 'expected a match id (letters, digits and "-")' }),
});

/** One open match as listed by `GET /api/rooms`. */
export interface RoomListing {
  roomId: string;
  matchId: string;
  clients: number;
  maxClients: number;
  locked: boolean;
  scenario: string;
  title: string;
  phase: string;
  /** Sim seconds elapsed (refreshed every 2 s) and the match length (sim seconds). */
  t: number;
  durationSeconds: number;
}

/** Register the /api routes on `app` (call inside a plugin with prefix `/api`). */
export async function registerApiRoutes(app: FastifyInstance, db: Database): Promise<void> {
  const config = { rateLimit: API_RATE_LIMIT };

  app.get('/scenarios', {
    config,
    schema: { tags: ['scenarios'], summary: 'Built-in scenarios, the default first' },
  }, async () => {
    const all = listScenarios();
    return [...all.filter((s) => s.default), ...all.filter((s) => !s.default)];
  });

  app.get('/leaderboard', {
    config,
    schema: {
      tags: ['matches'],
      summary: 'Ratings leaderboard (scope, period, page, pageSize, me), or the best score per player (limit, scenario)',
      description:
        'With any of `scope`, `period`, `page`, `pageSize`, `me`: a page of the ratings board ' +
        '`{ scope, period, from, to, page, pageSize, total, entries: [{ rank, player, kind, id, ordinal, mu, sigma, matches, change, bestScore }], me }` ' +
        '(ordinal = mu - 3 sigma; docs/ratings.md). Otherwise (`limit`, `scenario`): the best score per player, an array of ' +
        '`{ rank, player, bestScore, matches, lastPlayedAt }`.',
      querystring: docSchema(z.object({ ...RatingBoardQuery.shape, ...ListQuery.shape })),
    },
  }, async (req, reply) => {
    if (wantsRatingBoard(req.query)) {
      const rq = parseOr400(RatingBoardQuery, req.query, reply);
      if (!rq) return reply;
      const board = await ratingBoard(db, rq);
      if ('error' in board) {
        const body: ErrorBody = { error: board.error, details: [{ path: 'scope', message: board.error }] };
        return reply.code(400).send(body);
      }
      return board;
    }
    const q = parseOr400(ListQuery, req.query, reply);
    if (!q) return reply;
    return leaderboard(db, { limit: q.limit, scenarioId: q.scenario });
  });

  app.get('/matches', {
    config,
    schema: { tags: ['matches'], summary: 'Finished matches, most recent first', querystring: docSchema(ListQuery) },
  }, async (req, reply) => {
    const q = parseOr400(ListQuery, req.query, reply);
    if (!q) return reply;
    return listMatches(db, { limit: q.limit, scenarioId: q.scenario });
  });

  app.get('/matches/:id', {
    config,
    schema: { tags: ['matches'], summary: 'One finished match (one team) with its replay log (actions and runtime injections) and summary', params: docSchema(MatchIdParams) },
  }, async (req, reply) => {
    const p = parseOr400(MatchIdParams, req.params, reply, 'match id');
    if (!p) return reply;
    const match = await getMatch(db, p.id);
    if (!match) {
      const body: ErrorBody = { error: `match ${p.id} not found` };
      return reply.code(404).send(body);
    }
    return match;
  });

  app.get('/rooms', {
    config,
    schema: { tags: ['rooms'], summary: 'Open matches (join with joinById(roomId, options))' },
  }, async (): Promise<RoomListing[]> => {
    const rooms = await matchMaker.query({ name: ROOM_NAME });
    return rooms.map((r) => {
      const m = (r.metadata ?? {}) as Partial<MatchMetadata>;
      return {
        roomId: r.roomId,
        matchId: m.matchId ?? '',
        clients: r.clients,
        maxClients: r.maxClients,
        locked: r.locked ?? false,
        scenario: m.scenarioId ?? '',
        title: m.title ?? '',
        phase: m.phase ?? 'running',
        t: m.t ?? 0,
        durationSeconds: m.durationSeconds ?? 0,
      };
    });
  });
}
