/**
 * Two players in two browser contexts, from the lobby through a team race to the scoreboard (issue 8,
 * "Done when"): ann creates a race with 2 teams that starts in the lobby; bob sees it in the
 * open-match list and joins it; they pick different teams, both ready up (ann with the `R` key), ann
 * starts; both see their own cluster and a scoreboard listing both teams; ann restarts a Deployment
 * from the console, the events table names her, and bob (team red) sees team blue's score move on
 * his scoreboard while his own cluster is untouched. A third context watches as a spectator: every
 * team on the scoreboard, no console. bob's window is 800 px wide (the lobby and the match fit). A
 * fourth creates a match with roles: the role picked on the lobby screen, then changed in the waiting room.
 *
 * Needs Debian's Chromium at /usr/bin/chromium; builds the client when client/dist is stale.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

interface DebugInfo {
  ready: boolean;
  phase: string;
  counts: { nodes: number; pods: number };
  deployments: Record<string, { replicas: number; ready: number }>;
}

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let ann: Page;
let bob: Page;

async function open(name: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${name}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/GPU stall|ReadPixels/.test(msg.text())) console.error(`[${name}] ${msg.text()}`);
  });
  await page.goto(server.url.replace('localhost', '127.0.0.1'));
  await page.locator('#join-scenario option[value="online-boutique"]').waitFor({ state: 'attached' });
  await page.fill('#join-name', name);
  return page;
}

const debugInfo = (p: Page): Promise<DebugInfo> => p.evaluate(() => (window as unknown as { __gameday: DebugInfo }).__gameday);
const inTeam = (p: Page, team: string, player: string) => p.locator(`#waiting-room .waiting-team[data-team="${team}"] li[data-player="${player}"]`);
/** The scoreboard's rows as `team=score`, best first. */
const board = (p: Page) => p.$$eval('#scoreboard-list .score-row', (rows) => rows.map((r) => `${r.getAttribute('data-team')}=${r.querySelector('.score-points')?.textContent ?? ''}`));
const scoreOf = async (p: Page, team: string) => Number((await p.textContent(`#scoreboard-list .score-row[data-team="${team}"] .score-points`)) ?? NaN);

/** Nothing scrolls sideways (the layout fits the window's width). */
async function expectFitsWidth(p: Page): Promise<void> {
  const doc = await p.evaluate(() => ({ scrollWidth: (document.scrollingElement ?? document.documentElement).scrollWidth, innerWidth: window.innerWidth }));
  expect(doc.scrollWidth, JSON.stringify(doc)).toBeLessThanOrEqual(doc.innerWidth + 1);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`);
  if (buildIsStale()) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory://', CLIENT_DIST: DIST, LOG_LEVEL: 'warn' }));
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

describe('a team race from the lobby, in two browsers', () => {
  it('ann creates a race with 2 teams in the lobby and waits in the waiting room', async () => {
    ann = await open('ann', { width: 1280, height: 720 });
    await expect.poll(() => page0State(ann), { timeout: 30_000 }).toBe('No open matches. Quick play or create one.');
    await ann.click('#create-toggle');
    await ann.locator('#create-form').waitFor({ state: 'visible' });
    await ann.selectOption('#create-mode', 'race');
    await ann.fill('#create-teams', '2');
    expect(await ann.isChecked('#create-lobby')).toBe(true);
    await ann.press('#create-teams', 'Enter'); // Enter submits the form
    await ann.locator('#waiting-room').waitFor({ state: 'visible' });
    await expect.poll(() => ann.locator('#waiting-room .waiting-team').count(), { timeout: 30_000 }).toBe(2);
    await inTeam(ann, 'blue', 'ann').waitFor();
    expect(await ann.textContent('#waiting-room h2')).toContain('Team race');
    expect(await ann.isDisabled('#start-button')).toBe(true);
    expect(await ann.textContent('#start-reason')).toBe('Waiting for ann to be ready.');
  });

  it('bob sees it in the lobby list, joins it and picks the other team', async () => {
    bob = await open('bob', { width: 800, height: 720 });
    const row = bob.locator('#lobby-list .lobby-row').first();
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Online Boutique.*in lobby.*Team race · 2 teams · 1 \/ \d+ players/s);
    await expectFitsWidth(bob);
    await bob.screenshot({ path: join(tmpdir(), 'gameday-lobby-list.png') });
    await row.locator('button[data-room]').click();
    await bob.locator('#waiting-room').waitFor({ state: 'visible' });
    await bob.click('#waiting-room .waiting-team[data-team="red"] button[data-op="team"]');
    await inTeam(bob, 'red', 'bob').waitFor();
    await inTeam(ann, 'red', 'bob').waitFor();
    // bob is not the host: Start is disabled and says why.
    expect(await bob.isDisabled('#start-button')).toBe(true);
    expect(await bob.textContent('#start-reason')).toBe('Only the host (ann) or a trainer can start the match.');
    await expectFitsWidth(bob);
    await ann.screenshot({ path: join(tmpdir(), 'gameday-lobby-waiting.png') });
  });

  it('both ready up (ann with R), ann starts, both see their cluster and both teams on the scoreboard', async () => {
    await ann.locator('#waiting-room h2').click(); // nothing focused: R is a shortcut
    await ann.keyboard.press('r');
    await inTeam(ann, 'blue', 'ann').and(ann.locator('.ready')).waitFor();
    await bob.click('#ready-button');
    await expect.poll(() => ann.isDisabled('#start-button'), { timeout: 30_000 }).toBe(false);
    await ann.click('#start-button');
    for (const p of [ann, bob]) {
      await p.locator('#waiting-room').waitFor({ state: 'hidden' });
      await p.waitForFunction(() => {
        const d = (window as unknown as { __gameday?: DebugInfo }).__gameday;
        return d?.ready === true && d.phase === 'running' && d.counts.pods > 0;
      });
      await p.locator('#scoreboard').waitFor({ state: 'visible' });
      await expect.poll(async () => (await board(p)).map((r) => r.split('=')[0]).sort(), { timeout: 30_000 }).toEqual(['blue', 'red']);
      expect(await p.textContent('#players-list')).toMatch(/ann.*blue/s);
      expect(await p.textContent('#players-list')).toMatch(/bob.*red/s);
    }
    const feed = await ann.textContent('#notice-list');
    expect(feed).toContain('bob moved to team red');
    expect(feed).toContain('bob is ready');
    expect(feed).toContain('ann started the match');
    await expectFitsWidth(bob);
  });

  it("ann acts on blue's cluster: the events name her, bob sees blue's score move and not her cluster", async () => {
    const bobReplicasBefore = (await debugInfo(bob)).deployments.frontend?.replicas;
    expect(await scoreOf(bob, 'blue')).toBe(await scoreOf(bob, 'red'));
    await ann.locator('#map canvas').click({ position: { x: 5, y: 5 } });
    await ann.keyboard.press('/');
    const before = await ann.locator('#console-output .console-entry').count();
    await ann.keyboard.type('kubectl scale deployment/frontend --replicas=5');
    await ann.keyboard.press('Enter');
    await expect.poll(() => ann.locator('#console-output .console-entry').count(), { timeout: 30_000 }).toBeGreaterThan(before);
    await expect.poll(() => ann.locator('#console-output .console-entry').last().getAttribute('class'), { timeout: 30_000 }).not.toContain('pending');
    expect(await ann.locator('#console-output .console-entry').last().getAttribute('class')).not.toContain('failed');
    await ann.keyboard.type('kubectl rollout restart deployment/frontend');
    await ann.keyboard.press('Enter');
    await expect.poll(() => ann.locator('#events-body .event-source').first().textContent(), { timeout: 30_000 }).toBe('by ann');
    // The actions cost team blue points: bob's scoreboard shows blue below red; bob's cluster is his own.
    await expect.poll(async () => (await scoreOf(bob, 'red')) - (await scoreOf(bob, 'blue')), { timeout: 30_000 }).toBeGreaterThan(0);
    expect((await board(bob))[0]).toMatch(/^red=/);
    await expect.poll(async () => (await debugInfo(ann)).deployments.frontend?.replicas, { timeout: 30_000 }).toBe(5);
    expect((await debugInfo(bob)).deployments.frontend?.replicas).toBe(bobReplicasBefore);
    await bob.screenshot({ path: join(tmpdir(), 'gameday-lobby-race-800.png') });
    await ann.screenshot({ path: join(tmpdir(), 'gameday-lobby-race.png') });
  });

  it('a spectator watches every team without acting', async () => {
    const sam = await open('sam', { width: 1280, height: 720 });
    await sam.check('#join-spectator');
    const row = sam.locator('#lobby-list .lobby-row').first();
    await row.waitFor();
    expect(await row.locator('button[data-room]').textContent()).toBe('Watch');
    await row.locator('button[data-room]').click();
    await sam.locator('#game-screen').waitFor({ state: 'visible' });
    await sam.locator('#scoreboard').waitFor({ state: 'visible' });
    await expect.poll(async () => (await board(sam)).length, { timeout: 30_000 }).toBe(2);
    await expect.poll(() => sam.isDisabled('#console-input'), { timeout: 30_000 }).toBe(true);
    expect(await sam.textContent('#action-hint')).toMatch(/spectator/);
    await expect.poll(() => ann.textContent('#notice-list'), { timeout: 30_000 }).toContain('sam is watching (spectator)');
    // The spectator sees every team's cluster: blue's (frontend scaled by ann to 5) by default, red's
    // after a click on red's scoreboard row.
    await expect.poll(async () => (await debugInfo(sam)).deployments.frontend?.replicas, { timeout: 30_000 }).toBe(5);
    await sam.click('#scoreboard-list .score-row[data-team="red"]');
    await expect.poll(async () => (await debugInfo(sam)).deployments.frontend?.replicas, { timeout: 30_000 }).not.toBe(5);
    expect(await sam.getAttribute('#scoreboard-list .score-row[data-team="red"]', 'class')).toContain('watched');
    expect(pageErrors).toEqual([]);
  });

  it('a match with roles: the role picked on the lobby screen, changed in the waiting room', async () => {
    const cy = await open('cy', { width: 1280, height: 720 });
    expect(await cy.isHidden('#join-role-row')).toBe(true);
    await cy.click('#create-toggle');
    await cy.check('#create-roles');
    await cy.locator('#join-role-row').waitFor({ state: 'visible' });
    await cy.selectOption('#join-role', 'commander');
    await cy.click('#create-button');
    await cy.locator('#waiting-room').waitFor({ state: 'visible' });
    const me = cy.locator('#waiting-room .waiting-team li[data-player="cy"] .role');
    await expect.poll(() => me.textContent(), { timeout: 30_000 }).toBe('Incident commander');
    await cy.selectOption('#waiting-role', 'operations');
    await expect.poll(() => me.textContent(), { timeout: 30_000 }).toBe('Operations');
    await expect.poll(() => cy.textContent('#notice-list'), { timeout: 30_000 }).toContain('cy is operations');
    expect(await cy.textContent('#players-list')).toContain('Operations');
    expect(pageErrors).toEqual([]);
  });
});

/** The lobby list's status line. */
function page0State(p: Page): Promise<string | null> {
  return p.textContent('#lobby-state');
}
