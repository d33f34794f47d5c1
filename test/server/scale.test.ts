import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client, type Room } from '@colyseus/sdk';
import type { ReplyMessage } from '../../shared/protocol.ts';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import type { RoomListing } from '../../server/http/api.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { freePort, nextMessage, waitFor } from './helpers.ts';

// Horizontal scale: two real server processes (`node server/main.ts`) share matchmaking through
// Colyseus' RedisPresence + RedisDriver, each with its own PUBLIC_ADDRESS and its own in-memory PGlite.
// Runs against real Redis only when TEST_REDIS_URL is set (like the db tests' optional Postgres);
// the configuration test below always runs.
//
// The Redis may be shared with other runs, so nothing is flushed: rooms are looked up by the roomId
// this run created, and stale listings of killed earlier runs are harmless (each process health-checks
// the processes listed in Redis when it starts and drops the dead ones).

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The Redis servers to run the two-process test against: TEST_REDIS_URL, or none. */
const redisUrls = process.env.TEST_REDIS_URL ? [process.env.TEST_REDIS_URL] : [];

describe('configuration for several processes', () => {
  it('reads REDIS_URL and PUBLIC_ADDRESS, and refuses a PUBLIC_ADDRESS with a scheme', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', PUBLIC_ADDRESS: '127.0.0.1:2568' });
    expect(config).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', publicAddress: '127.0.0.1:2568' });
    expect(loadConfig({ PUBLIC_ADDRESS: 'game.example.com/2568' }).publicAddress).toBe('game.example.com/2568');
    // Clients connect to ws://<PUBLIC_ADDRESS>/<processId>/<roomId>: a scheme there would break every join.
    expect(() => loadConfig({ PUBLIC_ADDRESS: 'http://game-1.example.com:2567' })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_ADDRESS: 'http://game-1.example.com:2567' })).toThrow(/PUBLIC_ADDRESS: expected host:port without a scheme/);
    expect(() => loadConfig({ REDIS_URL: 'http://cache:6379' })).toThrow(/REDIS_URL: expected a URL starting with redis:\/\/ or rediss:\/\//);
  });
});

/** A server process started by this test. */
interface ServerProcess {
  port: number;
  url: string;
  child: ChildProcess;
  /** Everything it printed (stdout + stderr), for failure messages. */
  output(): string;
  exited: Promise<number | null>;
}

/** Start `node server/main.ts` (this Node, 24) on `port` with Redis, and wait until /healthz answers. */
async function startProcess(port: number, redisUrl: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: REPO_ROOT,
    // Only what the server needs: no DATABASE_URL or other settings leak in from the test's environment.
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: 'memory://',
      REDIS_URL: redisUrl,
      PUBLIC_ADDRESS: `127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      CLIENT_DIST: 'test/server/no-client-here',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const proc: ServerProcess = { port, url, child, output: () => output, exited };

  // A cold start builds nothing heavy, but a loaded 2-core CI machine has taken over 20 s (Node 24 start,
  // PGlite migrations): allow 90 s, within the hook timeout.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server on port ${port} exited with ${child.exitCode}:\n${output}`);
    const healthy = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (healthy) return proc;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server on port ${port} not healthy within 90 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM (graceful shutdown) and wait for the exit code; SIGKILL after 15 s. */
async function stopProcess(proc: ServerProcess): Promise<number | null> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
  try {
    return await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

// The room's state as the SDK decodes it (MapSchema behaves like a Map here).
type MatchState = {
  matchId: string;
  players: Map<string, { name: string; connected: boolean }>;
  teams: Map<string, { pods: Map<string, { name: string }> }>;
};
const state = (room: Room) => room.state as unknown as MatchState;
const playerNames = (room: Room) => [...(state(room).players?.values() ?? [])].map((p) => p.name).sort();

/** `host:port` a room's WebSocket is connected to (the PUBLIC_ADDRESS of the process hosting the room). */
const socketAddress = (room: Room) => new URL(room.connection.url ?? 'ws://unknown').host;

for (const redisUrl of redisUrls) {
  describe(`two server processes sharing Redis (${redisUrl})`, () => {
    let processes: ServerProcess[] = [];
    let creator: Room | undefined;
    let joiner: Room | undefined;
    /** The process the room lives on, and the other one (whose matchmaker the joiner used). */
    let host: ServerProcess;
    let other: ServerProcess;

    beforeAll(async () => {
      const [portA, portB] = [await freePort(), await freePort()];
      const started = await Promise.allSettled([startProcess(portA!, redisUrl), startProcess(portB!, redisUrl)]);
      processes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      for (const s of started) if (s.status === 'rejected') throw s.reason;
      const [a, b] = processes as [ServerProcess, ServerProcess];

      creator = await new Client(a.url).create('match', { name: 'a', seed: 1, timeDilation: 4 });
      // Colyseus creates a room on the process with the fewest rooms, which may be B even though the
      // request went to A: the WebSocket address (the host's PUBLIC_ADDRESS) says where it lives.
      host = socketAddress(creator) === `127.0.0.1:${b.port}` ? b : a;
      other = host === a ? b : a;
      expect(socketAddress(creator)).toBe(`127.0.0.1:${host.port}`);

      // Matchmaking on the process that does NOT host the room: it finds the room through the Redis
      // driver, reserves the seat on the host over Redis presence, and sends the client to the host.
      joiner = await new Client(other.url).joinById(creator.roomId, { name: 'b' });
      await waitFor(() => playerNames(creator!).length === 2 && playerNames(joiner!).length === 2, 'both players in both states', 5_000);
    }, 120_000);

    afterAll(async () => {
      // Only rooms still connected: leave() on a room already left never settles.
      for (const room of [joiner, creator]) if (room?.connection.isOpen) await room.leave().catch(() => undefined);
      await Promise.all(processes.map(stopProcess));
    }, 30_000);

    it('seats a client that matchmade on the other process in the same match, on the host', () => {
      expect(joiner!.roomId).toBe(creator!.roomId);
      expect(socketAddress(joiner!)).toBe(`127.0.0.1:${host.port}`);
      expect(other.port).not.toBe(host.port);
      expect(state(joiner!).matchId).toMatch(/^[0-9a-f-]{36}$/);
      expect(state(joiner!).matchId).toBe(state(creator!).matchId);
      expect(playerNames(creator!)).toEqual(['a', 'b']);
      expect(playerNames(joiner!)).toEqual(['a', 'b']);
    });

    it('answers `kubectl get pods` from the joined client with the pod table', async () => {
      await waitFor(() => (snapshotState(joiner!.state).teams.get('blue')?.pods.size ?? 0) > 0, 'pods in the joiner state');
      const reply = nextMessage<ReplyMessage>(joiner!, 'reply', (r) => r.id === 'scale-1');
      joiner!.send('kubectl', { id: 'scale-1', command: 'kubectl get pods' });
      const answer = await reply;
      expect(answer).toMatchObject({ id: 'scale-1', type: 'kubectl', ok: true });
      expect(answer.output).toMatch(/^NAME\s+READY\s+STATUS/);
      const somePod = [...snapshotState(joiner!.state).teams.get('blue')!.pods.values()][0]!.name;
      expect(answer.output).toContain(somePod);
    });

    it('lists the room in GET /api/rooms on both processes (room listings live in Redis)', async () => {
      for (const proc of [other, host]) {
        const res = await fetch(`${proc.url}/api/rooms`);
        expect(res.status).toBe(200);
        const rooms = (await res.json()) as RoomListing[];
        const mine = rooms.find((r) => r.roomId === creator!.roomId);
        expect(mine, `room ${creator!.roomId} on ${proc.url}`).toMatchObject({
          matchId: state(creator!).matchId,
          clients: 2,
          locked: false,
          scenario: 'online-boutique',
        });
      }
    });

    it('both processes shut down gracefully on SIGTERM once the players leave', async () => {
      await joiner!.leave();
      await creator!.leave();
      const codes = await Promise.all(processes.map(stopProcess));
      expect(codes, processes.map((p) => p.output()).join('\n')).toEqual([0, 0]);
    }, 20_000);
  });
}
