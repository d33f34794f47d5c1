/**
 * A whole workshop in the browser (issue 10, "Done when"): a trainer (its own browser context)
 * registers a trainer account on trainer.html, creates a 2-team race workshop and gets its code, link
 * and QR code; two players (two more contexts) join by code (one through the `/?workshop=CODE` link,
 * one typing the code) and are placed on different teams; the trainer starts with the `S` key,
 * injects a bad rollout into red's cluster, sends red a hint; bob (red) sees the hint and rolls the
 * Deployment back; the trainer watches red's cluster live, ends the match, opens the debrief (teams
 * side by side, red's incident and bob's action on its timeline, replay links at a moment) and
 * exports it as CSV (a download), JSON and Markdown. A wrong code gets a clear error.
 *
 * Needs Debian's Chromium at /usr/bin/chromium; builds the client when client/dist is stale.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildIsStale } from './build.ts';
import { startServer, type RunningServer } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'client', 'dist');
const CHROMIUM = '/usr/bin/chromium';

interface TrainerDebug {
  connected: boolean;
  phase: string;
  teams: string[];
  watching: string | null;
  workshop: { id: string; code: string } | null;
}
interface GameDebug {
  ready: boolean;
  phase: string;
}

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let origin: string;
let coach: Page;
let ann: Page;
let bob: Page;
let code = '';

async function open(name: string, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${name}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/GPU stall|ReadPixels|Failed to load resource/.test(msg.text())) console.error(`[${name}] ${msg.text()}`);
  });
  await page.goto(`${origin}${path}`);
  return page;
}

const trainerInfo = (p: Page): Promise<TrainerDebug> => p.evaluate(() => (window as unknown as { __trainer: TrainerDebug }).__trainer);
const gameInfo = (p: Page): Promise<GameDebug> => p.evaluate(() => (window as unknown as { __gameday: GameDebug }).__gameday);

/** Run a console command on a player's page and wait for its answer (not failed). */
async function kubectl(p: Page, command: string): Promise<void> {
  await p.locator('#console-input').focus();
  const before = await p.locator('#console-output .console-entry').count();
  await p.keyboard.type(command);
  await p.keyboard.press('Enter');
  await expect.poll(() => p.locator('#console-output .console-entry').count(), { timeout: 30_000 }).toBeGreaterThan(before);
  const entry = p.locator('#console-output .console-entry').last();
  await expect.poll(() => entry.getAttribute('class'), { timeout: 30_000 }).not.toContain('pending');
  expect(await entry.getAttribute('class'), (await entry.textContent()) ?? '').not.toContain('failed');
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`);
  if (buildIsStale()) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory://', CLIENT_DIST: DIST, LOG_LEVEL: 'warn', TRAINER_USERS: 'coach' }));
  origin = server.url.replace('localhost', '127.0.0.1');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

describe('a workshop from creation to the exported debrief', () => {
  it('an account without trainer rights is told so and gets no create form', async () => {
    const player = await open('player', '/trainer.html');
    await player.click('#trainer-account .account-modes button[data-mode="register"]');
    await player.fill('#account-username', 'dora');
    await player.fill('#account-password', 'correct horse battery');
    await player.click('#trainer-account .account-form button[type="submit"]');
    await expect.poll(() => player.textContent('#trainer-account'), { timeout: 15_000 }).toContain('dora has no trainer rights');
    expect(await player.locator('#workshop-setup').isHidden()).toBe(true);
    await player.close();
  });

  it('the trainer signs in and creates a workshop: code, link and QR code', async () => {
    coach = await open('coach', '/trainer.html');
    await coach.click('#trainer-account .account-modes button[data-mode="register"]');
    await coach.fill('#account-username', 'coach');
    await coach.fill('#account-password', 'correct horse battery');
    await coach.click('#trainer-account .account-form button[type="submit"]');
    await coach.locator('#workshop-setup').waitFor({ state: 'visible' });
    await coach.locator('#ws-scenarios option[value="guestbook"]').waitFor({ state: 'attached' });

    // A wrong value is named before anything is sent.
    await coach.selectOption('#ws-mode', 'redblue');
    await coach.fill('#ws-teams', '3');
    await coach.click('#ws-create');
    expect(await coach.textContent('#ws-error')).toBe('Red vs blue has exactly 2 teams.');

    await coach.fill('#ws-title', 'SRE 101');
    await coach.selectOption('#ws-scenarios', ['guestbook']);
    await coach.selectOption('#ws-mode', 'race');
    await coach.fill('#ws-teams', '2');
    await coach.fill('#ws-duration', '60');
    await coach.fill('#ws-speed', '10');
    await coach.click('#ws-create');
    await coach.locator('#workshop-live').waitFor({ state: 'visible' });
    await expect.poll(async () => (await coach.textContent('#ws-code'))?.trim() ?? '', { timeout: 15_000 }).toMatch(/^[0-9A-Z]{4,}$/);
    code = ((await coach.textContent('#ws-code')) ?? '').trim();
    expect(await coach.getAttribute('#ws-link', 'href')).toBe(`${origin}/?workshop=${code}`);
    await coach.locator('#ws-qr').waitFor({ state: 'visible' });
    expect(await coach.locator('#ws-qr').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await expect.poll(async () => (await trainerInfo(coach)).connected, { timeout: 30_000 }).toBe(true);
    await expect.poll(async () => (await trainerInfo(coach)).phase, { timeout: 15_000 }).toBe('lobby');
  });

  it('a wrong code gets a clear error; two players join by code on different teams', async () => {
    const stray = await open('stray', '/?workshop=ZZZZZZZZ');
    await expect.poll(() => stray.textContent('#workshop-status'), { timeout: 15_000 }).toContain('No workshop has the code ZZZZZZZZ');

    ann = await open('ann', `/?workshop=${code}`);
    await expect.poll(() => ann.textContent('#workshop-status'), { timeout: 15_000 }).toContain('SRE 101');
    await ann.fill('#join-name', 'ann');
    await ann.click('#workshop-join');
    await ann.locator('#game-screen').waitFor({ state: 'visible' });

    bob = await open('bob', '/');
    await bob.fill('#join-name', 'bob');
    await bob.fill('#workshop-code', code.toLowerCase());
    await bob.locator('#workshop-code').press('Enter');
    await bob.locator('#game-screen').waitFor({ state: 'visible' });

    // The trainer's roster: one player per team (the server balances them).
    await expect.poll(() => coach.locator('#roster-body li[data-player]').count(), { timeout: 15_000 }).toBe(2);
    const teamOf = (name: string) => coach.locator(`#roster-body li[data-player="${name}"]`).evaluate((li) => li.closest<HTMLElement>('[data-team]')?.dataset.team ?? '');
    const annTeam = await teamOf('ann');
    const bobTeam = await teamOf('bob');
    expect(new Set([annTeam, bobTeam])).toEqual(new Set(['blue', 'red']));
    // Move the players so bob is on red (a no-op when the server already put him there).
    if (bobTeam !== 'red') {
      await coach.selectOption('#roster-body select[data-player="bob"]', 'red');
      await expect.poll(() => teamOf('bob'), { timeout: 15_000 }).toBe('red');
      await coach.selectOption('#roster-body select[data-player="ann"]', 'blue');
      await expect.poll(() => teamOf('ann'), { timeout: 15_000 }).toBe('blue');
    }
  });

  it('the trainer starts (S), injects into red, hints red; bob sees the hint and fixes it', async () => {
    // Keys work when no field has the focus (the Move picker may still hold it).
    await coach.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await coach.keyboard.press('s');
    await expect.poll(async () => (await trainerInfo(coach)).phase, { timeout: 15_000, message: (await coach.textContent('#trainer-log')) ?? '' }).toBe('running');
    await expect.poll(async () => (await gameInfo(bob)).ready, { timeout: 30_000 }).toBe(true);
    await expect.poll(async () => (await gameInfo(bob)).phase, { timeout: 30_000 }).toBe('running');
    expect(await coach.locator('#team-cards .team-card').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.team))).toEqual(['blue', 'red']);

    // The `?` help lists the keys.
    await coach.keyboard.press('?');
    await coach.locator('#trainer-help').waitFor({ state: 'visible' });
    expect(await coach.textContent('#trainer-shortcuts')).toContain('pause / resume');
    await coach.keyboard.press('Escape');

    await coach.selectOption('#inject-kind', 'bad-rollout');
    await coach.selectOption('#inject-team', 'red');
    await coach.fill('#inject-target', 'frontend');
    await coach.click('#inject-button');
    await expect.poll(() => coach.textContent('#trainer-result'), { timeout: 15_000 }).toMatch(/^inject bad-rollout on frontend into team red now: (?!refused)/);
    await expect.poll(() => coach.textContent('#team-cards [data-team="red"] .card-incidents'), { timeout: 30_000 }).toMatch(/^1 incident open/);
    expect(await coach.textContent('#team-cards [data-team="blue"] .card-incidents')).toMatch(/^0 incidents open/);

    await coach.selectOption('#message-team', 'red');
    await coach.selectOption('#message-kind', 'hint');
    await coach.fill('#message-text', 'Something changed in the frontend rollout.');
    await coach.click('#message-button');
    await expect.poll(() => coach.textContent('#trainer-result'), { timeout: 15_000 }).toMatch(/^hint to team red: Something changed/);
    await expect.poll(() => bob.textContent('#connection-banner'), { timeout: 15_000 }).toContain('Hint from coach: Something changed in the frontend rollout.');
    await expect.poll(() => bob.textContent('#notice-list'), { timeout: 15_000 }).toContain('Something changed in the frontend rollout.');
    expect(await ann.textContent('#notice-list')).not.toContain('Something changed in the frontend rollout.');

    await kubectl(bob, 'kubectl rollout undo deployment/frontend');

    // Watch red's cluster live.
    await coach.click('#team-cards [data-team="red"]');
    await coach.locator('#trainer-watch').waitFor({ state: 'visible' });
    await coach.locator('#trainer-map canvas').waitFor({ state: 'attached' });
    await expect.poll(async () => (await trainerInfo(coach)).watching, { timeout: 15_000 }).toBe('red');
    await coach.screenshot({ path: join(tmpdir(), 'gameday-trainer.png'), fullPage: true });
  }, 240_000);

  it('the trainer ends the match and opens the debrief', async () => {
    await coach.click('#ctl-end');
    await coach.locator('#ctl-end-confirm').waitFor({ state: 'visible' });
    await coach.click('#ctl-end-confirm');
    await expect.poll(async () => (await trainerInfo(coach)).phase, { timeout: 15_000 }).toBe('ended');
    await bob.locator('#end-dialog').waitFor({ state: 'visible', timeout: 15_000 });

    await coach.click('#ctl-debrief');
    await coach.locator('#debrief').waitFor({ state: 'visible' });
    const red = coach.locator('.debrief-team[data-team="red"]');
    await red.waitFor({ state: 'visible', timeout: 60_000 });
    await coach.locator('.debrief-team[data-team="blue"]').waitFor({ state: 'visible' });
    expect(await red.locator('.debrief-figures').textContent()).toContain('bob');
    expect(await red.locator('.debrief-incidents').textContent()).toContain('bad-rollout');
    expect(await red.locator('.debrief-actions').textContent()).toContain('bob: kubectl rollout undo deployment/frontend');
    expect(await red.locator('.timeline .mark.incident').count()).toBeGreaterThan(0);
    const actionLink = await red.locator('.debrief-actions a').first().getAttribute('href');
    expect(actionLink).toMatch(/replay\.html\?match=[^&]+&t=\d+$/);
    expect(await red.locator('.debrief-postmortem pre').textContent()).toMatch(/Postmortem/);

    await coach.screenshot({ path: join(tmpdir(), 'gameday-debrief.png'), fullPage: true });
    // The action's link opens red's replay at that moment.
    const moment = Number(/&t=(\d+)$/.exec(actionLink ?? '')?.[1]);
    const [replay] = await Promise.all([coach.context().waitForEvent('page'), red.locator('.debrief-actions a').first().click()]);
    replay.on('pageerror', (err) => pageErrors.push(`replay: ${err.message}`));
    await replay.waitForFunction((t) => {
      const r = (window as unknown as { __replay?: { ready: boolean; t: number } }).__replay;
      return r?.ready === true && r.t === t;
    }, moment, { timeout: 60_000 });
    expect(await replay.textContent('#replay-title')).toContain('team red');
    await replay.close();
  }, 240_000);

  it('exports the debrief as CSV, JSON and Markdown', async () => {
    const [csv] = await Promise.all([coach.waitForEvent('download', { timeout: 30_000 }), coach.click('#export-csv')]);
    expect(csv.suggestedFilename()).toBe(`workshop-${code}-debrief.csv`);
    const rows = readFileSync((await csv.path())!, 'utf8').trim().split(/\r?\n/);
    expect(rows[0]).toMatch(/^workshop,/);
    expect(rows.slice(1).map((r) => r.split(',')[4]).sort()).toEqual(['blue', 'red']);

    const [json] = await Promise.all([coach.waitForEvent('download', { timeout: 30_000 }), coach.click('#export-json')]);
    const debrief = JSON.parse(readFileSync((await json.path())!, 'utf8')) as { matches: { teams: { team: string }[] }[] };
    expect(debrief.matches[0]?.teams.map((t) => t.team).sort()).toEqual(['blue', 'red']);

    const [md] = await Promise.all([coach.waitForEvent('download', { timeout: 60_000 }), coach.click('#export-md')]);
    expect(md.suggestedFilename()).toMatch(/\.md$/);
    expect(readFileSync((await md.path())!, 'utf8')).toContain('# SRE 101: postmortems');
    await expect.poll(() => coach.textContent('#debrief-status'), { timeout: 15_000 }).toMatch(/^Saved /);
    expect(pageErrors).toEqual([]);
  });
});
