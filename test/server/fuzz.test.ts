/**
 * Property tests (fast-check) over the room protocol and every HTTP route, against a real server with
 * a real @colyseus/sdk client: every client message type with near-valid and arbitrary payloads gets
 * a clear reply and the connection stays open; raw frames of any bytes leave the connection working;
 * no HTTP request gets a 5xx. The big run (100,000 inputs) is `npm run fuzz` (bench/fuzz.ts).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { Client, type Room } from '@colyseus/sdk';
import type { RunningServer } from '../../server/app.ts';
import { checkHttp, checkRawFrame, checkRoomMessage, httpRequest, rawFrame, roomMessage } from '../../bench/fuzz-inputs.ts';
import { signIn, startTestServer, waitFor } from './helpers.ts';

let server: RunningServer;
let room: Room;

beforeAll(async () => {
  // Limits raised so one fuzzing client is not closed for flooding (that is tested in hostile.test.ts).
  server = await startTestServer({ ROOM_MESSAGES_PER_SECOND: '1000000', MATCHMAKE_BURST: '100000', MATCHMAKE_PER_MINUTE: '100000', ROOM_CREATE_BURST: '3', TRAINER_USERS: 'fuzzer' });
  room = await new Client(server.url).create('match', { name: 'fuzzer', trainer: true, token: await signIn(server.url, 'fuzzer'), seed: 3, teams: 2 });
  room.onMessage('reply', () => undefined);
  room.onMessage('matchEnded', () => undefined);
  await waitFor(() => (room.state as unknown as { matchId?: string }).matchId, 'the first state');
});

afterAll(async () => {
  await room?.leave().catch(() => undefined);
  await server?.close();
});

describe('fuzzing the room protocol', () => {
  it('every message type, near-valid or garbage payloads: a clear reply, the connection stays open', async () => {
    await fc.assert(
      fc.asyncProperty(roomMessage, async (message) => {
        const verdict = await checkRoomMessage(room, message);
        expect(verdict.ok ? '' : verdict.problem).toBe('');
      }),
      { numRuns: 1500 },
    );
  });

  it('raw frames of any bytes: the connection keeps answering', async () => {
    await fc.assert(
      fc.asyncProperty(rawFrame, async (frame) => {
        const verdict = await checkRawFrame(room, frame);
        expect(verdict.ok ? '' : verdict.problem).toBe('');
      }),
      { numRuns: 400 },
    );
  });
});

describe('fuzzing the HTTP routes', () => {
  it('any method, path, query and body: never a 5xx, a JSON error text on 4xx, no file leaks', async () => {
    await fc.assert(
      fc.asyncProperty(httpRequest, async (input) => {
        const verdict = await checkHttp(server.url, input);
        expect(verdict.ok ? '' : verdict.problem).toBe('');
      }),
      { numRuns: 1000 },
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
