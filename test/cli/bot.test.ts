/**
 * `gameday bot` (server/cli/bot-command.ts): bot players join a real server's match over WebSocket
 * (@colyseus/sdk) and play it through the `kubectl` message, reading only the state patches (their
 * team's alerts and events) and their replies. A real server (test/server/helpers.ts), real clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@colyseus/sdk';
import type { RunningServer } from '../../server/app.ts';
import { runBots } from '../../server/cli/bot-command.ts';
import type { MatchEndedMessage } from '../../shared/protocol.ts';
import { nextMessage, startTestServer } from '../server/helpers.ts';
import { gameday } from './run-cli.ts';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe('gameday bot against a real server', () => {
  it('an expert bot joins, finds the bad release from the pager and the console, rolls it back, and the match ends', async () => {
    // guestbook (900 sim s) at 60 sim s per real second: 15 real seconds; the bot's times scaled down 50x.
    const result = await runBots({ url: server.url, scenario: 'guestbook', level: 'expert', count: 1, timeDilation: 60, reactionScale: 0.02 });
    expect(result.ended).toBe(true);
    const [bot] = result.bots;
    expect(bot).toMatchObject({ name: 'bot-expert', level: 'expert', team: 'blue' });
    expect(bot!.writes).toContainEqual(expect.objectContaining({ command: 'kubectl rollout undo deployment/frontend', ok: true }));
    expect(bot!.actions).toBeGreaterThan(0);
    expect(bot!.score).not.toBeNull();
    // The stored match names the bot as the player who rolled back.
    const stored = (await (await fetch(`${server.url}/api/matches/${result.matchId}`)).json()) as { log?: { player: string; action: { type: string } }[] };
    expect(JSON.stringify(stored)).toContain('bot-expert');
  }, 60_000);

  it('several bots join a match a person created (--match) and play on its team', async () => {
    const client = new Client(server.url);
    const person = await client.joinOrCreate('match', { name: 'ann', scenario: 'first-oom', timeDilation: 60 });
    person.onMessage('credentials', () => undefined);
    const ended = nextMessage<MatchEndedMessage>(person, 'matchEnded', () => true, 40_000);
    const result = await runBots({ url: server.url, roomId: person.roomId, level: 'novice', count: 2, reactionScale: 0.02 });
    const end = await ended;
    await person.leave().catch(() => undefined);
    expect(result.bots.map((b) => b.name)).toEqual(['bot-novice-1', 'bot-novice-2']);
    expect(end.players.map((p) => p.name)).toEqual(expect.arrayContaining(['ann', 'bot-novice-1', 'bot-novice-2']));
    const fixes = result.bots.flatMap((b) => b.writes).filter((w) => w.ok && w.command.startsWith('kubectl set resources deployment/podinfo'));
    expect(fixes.length).toBeGreaterThan(0);
    expect(end.summary.incidents.every((i) => i.mitigatedAt !== null)).toBe(true);
    // first-oom pages: the bots acknowledge the pager over the wire (workflow ack).
    expect(result.bots.reduce((n, b) => n + b.acks, 0)).toBeGreaterThan(0);
  }, 60_000);

  it('the CLI refuses a missing --url and a bad level with usage errors', () => {
    expect(gameday('bot').code).toBe(2);
    const bad = gameday('bot', '--url', server.url, '--level', 'genius');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--level must be one of idle, novice, expert');
  });
});
