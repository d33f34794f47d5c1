import { describe, it, expect } from 'vitest';
import { Client } from '@colyseus/sdk';
import { CloseCode } from '@colyseus/sdk';
import { startTestServer, waitFor } from './helpers.ts';

describe('graceful shutdown', () => {
  it('closes rooms (clients get SERVER_SHUTDOWN), then HTTP, and a second close is a no-op', async () => {
    const server = await startTestServer();
    const client = new Client(server.url);
    const room = await client.joinOrCreate('match', { name: 'last-one-out' });
    room.reconnection.enabled = false;
    await waitFor(() => (room.state as unknown as { matchId?: string }).matchId, 'the first state');
    const left = new Promise<number>((resolve) => room.onLeave.once((code) => resolve(code)));

    await Promise.all([server.close(), server.close()]);
    expect(await left).toBe(CloseCode.SERVER_SHUTDOWN);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
