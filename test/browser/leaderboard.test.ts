/**
 * The leaderboard and profile pages in a real browser, over real stored results: two SDK clients play a
 * rated two-team race (ann, an account, on blue; Bob, an anonymous guest, on red, scaling his frontend
 * to zero), then Chromium opens the leaderboard: the ratings board lists both (Bob marked guest), the
 * period selector reloads it, Bob's own row (`?me=`) is highlighted on his page and shown below another
 * page; the profile link opens ann's profile with her ratings, an SVG rating-over-time chart, best
 * scores and match history. Screenshots: `$TMPDIR/gameday-leaderboard.png`, `$TMPDIR/gameday-profile.png`.
 *
 * Needs Debian's Chromium at /usr/bin/chromium; builds the client when client/dist is stale.
 */
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Client, type Room } from '@colyseus/sdk';
import { startServer, type RunningServer } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { MatchEndedMessage, ReplyMessage } from '../../shared/protocol.ts';
import { buildIsStale } from './build.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'client', 'dist');

let server: RunningServer;
let browser: Browser;
let page: Page;
let base: string;
const pageErrors: string[] = [];
const rooms: Room[] = [];

function ended(room: Room): Promise<MatchEndedMessage> {
  return new Promise((resolve) => room.onMessage('matchEnded', (m: MatchEndedMessage) => resolve(m)));
}

beforeAll(async () => {
  if (buildIsStale()) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory://', CLIENT_DIST: DIST, LOG_LEVEL: 'warn' }));
  base = server.url.replace('localhost', '127.0.0.1');
  // A rated race: ann (blue, a registered account) keeps her cluster, Bob (red, an anonymous guest)
  // scales his frontend to zero.
  const registered = await fetch(`${server.url}/api/session/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ann', password: 'correct horse battery' }) });
  const { token } = (await registered.json()) as { token: string };
  const client = new Client(server.url);
  const blue = await client.create('match', { name: 'ann', token, seed: 4, teams: 2, durationSeconds: 60, timeDilation: 6 });
  const red = await client.joinById(blue.roomId, { name: 'Bob', team: 'red' });
  rooms.push(blue, red);
  for (const room of rooms) for (const type of ['credentials', 'notice', 'clock', 'chaos']) room.onMessage(type, () => undefined);
  const done = Promise.all([ended(blue), ended(red)]);
  const reply = new Promise<ReplyMessage>((resolve) => red.onMessage('reply', (r: ReplyMessage) => resolve(r)));
  red.send('kubectl', { id: 1, command: 'kubectl scale deployment/frontend --replicas=0' });
  expect(await reply).toMatchObject({ ok: true });
  await done;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  for (const room of rooms) if (room.connection.isOpen) await room.leave().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

const rowsOf = (selector: string) => page.locator(`${selector} tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));

describe('the leaderboard and profile pages over stored results', () => {
  it('lists the rated race: the winner first, the guest marked, my row shown below another page', async () => {
    await page.goto(`${base}/leaderboard.html`);
    await page.locator('#board-body tr').nth(1).waitFor();
    const rows = await rowsOf('#board-body');
    expect(rows.map((r) => [r[0], r[1]])).toEqual([['1', 'ann'], ['2', 'Bobguest']]);
    expect(Number(rows[0]![2])).toBeGreaterThan(Number(rows[1]![2]));
    expect(await page.locator('#board-summary').textContent()).toBe('Page 1 of 1 · 2 players');
    expect((await rowsOf('#leaderboard-body')).map((r) => r[1]).sort()).toEqual(['Bob', 'ann']);

    // The scenario scope, this week: the same two.
    await page.selectOption('#board-period', 'week');
    await page.waitForFunction(() => (document.querySelector('#board-summary')?.textContent ?? '').includes('(UTC)'));
    expect((await rowsOf('#board-body')).map((r) => r[1])).toEqual(['ann', 'Bobguest']);
    expect(page.url()).toContain('period=week');

    // The scenario board with Bob as "me": highlighted on his page, shown below any other page.
    await page.goto(`${base}/leaderboard.html?scope=online-boutique&me=guest:Bob`);
    await page.locator('#board-body tr').nth(1).waitFor();
    expect(await page.locator('#board-body tr.me td').nth(1).textContent()).toBe('Bobguest');
    await page.goto(`${base}/leaderboard.html?scope=online-boutique&page=2&me=guest:Bob`);
    await page.locator('#board-me-body tr').waitFor();
    expect((await rowsOf('#board-me-body')).map((r) => [r[0], r[1]])).toEqual([['2', 'Bobguest']]);
    expect(await page.locator('#board-status').textContent()).toBe('No players on page 2.');
    expect(await page.locator('#board-next').isDisabled()).toBe(true);
    await page.click('#board-prev');
    await page.locator('#board-body tr').nth(1).waitFor();
    await page.screenshot({ path: join(tmpdir(), 'gameday-leaderboard.png'), fullPage: true });
  });

  it("opens a profile from the board: ratings, the rating-over-time chart, best scores and history", async () => {
    await page.click('#board-body tr:first-child a');
    await page.waitForURL(/profile\.html\?name=ann$/);
    await page.locator('#profile-body').waitFor({ state: 'visible' });
    expect(await page.locator('#profile-name').textContent()).toBe('ann');
    expect((await rowsOf('#ratings-body')).map((r) => [r[0], r[4], r[5]])).toEqual([['All scenarios', '1', '1'], ['online-boutique', '1', '1']]);
    expect(await page.locator('#rating-chart svg circle').count()).toBe(2);
    expect(await page.locator('#rating-chart svg path.line').getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+ L[\d.]+ [\d.]+$/);
    expect((await rowsOf('#best-body')).map((r) => r[0])).toEqual(['online-boutique']);
    expect((await rowsOf('#history-body')).map((r) => [r[1], r[2]])).toEqual([['online-boutique', 'blue']]);
    await page.screenshot({ path: join(tmpdir(), 'gameday-profile.png'), fullPage: true });

    await page.goto(`${base}/profile.html?name=guest:Bob`);
    await page.locator('#profile-body').waitFor({ state: 'visible' });
    expect(await page.locator('#profile-kind').textContent()).toMatch(/^Guest/);
    await page.goto(`${base}/profile.html`);
    await page.waitForFunction(() => (document.querySelector('#profile-status')?.textContent ?? '').startsWith('No player given'));
    expect(await page.locator('#profile-status').getAttribute('class')).toBe('status error');
    expect(pageErrors).toEqual([]);
  });
});
