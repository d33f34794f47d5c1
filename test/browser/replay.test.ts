/**
 * The replay viewer in a real browser: a first-oom match at 40x ends by itself (900 sim s in about
 * 23 real s) after the player scaled the Deployment; the end dialog's "Replay" opens replay.html, whose
 * timeline marks the incident and the action; scrubbing to the incident and then to the end changes the
 * cluster shown (the Pod's restarts after its OOM kills), the keyboard steps 10 s, and "Download
 * postmortem" saves the team's postmortem.
 *
 * Needs Debian's Chromium at /usr/bin/chromium; builds the client when client/dist is stale.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { buildIsStale } from './build.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'client', 'dist');

let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (buildIsStale()) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory://', CLIENT_DIST: DIST, LOG_LEVEL: 'warn' }));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Debug = { ready: boolean; t: number; frameT: number };
const debug = async (): Promise<Debug> => page.evaluate(() => (window as unknown as { __replay: Debug }).__replay);

describe('the replay of a match in the browser', () => {
  it('finishes a match and opens its replay from the end dialog', async () => {
    await page.goto(`${server.url.replace('localhost', '127.0.0.1')}/?speed=40`);
    await page.locator('#join-scenario option[value="first-oom"]').waitFor({ state: 'attached' });
    await page.selectOption('#join-scenario', 'first-oom');
    await page.fill('#join-name', 'rae');
    await page.click('#join-button');
    await page.locator('#game-screen').waitFor({ state: 'visible' });
    await page.waitForFunction(() => (window as unknown as { __gameday?: { ready: boolean } }).__gameday?.ready === true);
    await page.locator('#console-input').focus();
    await page.keyboard.type('kubectl scale deployment/podinfo --replicas=2');
    await page.keyboard.press('Enter');
    const entry = page.locator('#console-output .console-entry').last();
    await expect.poll(() => entry.getAttribute('class')).not.toContain('pending');
    await page.locator('#end-dialog').waitFor({ state: 'visible', timeout: 60_000 });
    await page.click('#end-replay');
    await page.waitForURL(/replay\.html\?match=/);
    await page.waitForFunction(() => (window as unknown as { __replay?: { ready: boolean } }).__replay?.ready === true, undefined, { timeout: 30_000 });
    expect(await page.textContent('#replay-title')).toContain('First OOM kill');
    expect(await page.textContent('#replay-hash')).toContain("live match's final state");
    await expect.poll(async () => (await debug()).frameT).toBe(0);
  });

  it('marks the incident and the action; scrubbing to the incident and on changes the cluster', async () => {
    const incident = page.locator('.replay-mark.incident-start').first();
    expect(await incident.getAttribute('aria-label')).toMatch(/^2:00 Incident started: podinfo leaks memory/);
    expect(await page.locator('.replay-mark.action').first().getAttribute('aria-label')).toContain('rae: kubectl scale deployment/podinfo --replicas=2');
    await incident.focus();
    expect(await page.textContent('#replay-mark-label')).toContain('Incident started');
    await incident.click();
    await expect.poll(async () => (await debug()).frameT).toBe(120);
    expect(await page.textContent('#replay-incidents')).toContain('In progress: podinfo leaks memory');
    const atIncident = await page.textContent('#replay-pods');
    expect(atIncident).toContain('0 container restarts');

    // Keyboard: → steps 10 s, End jumps to the end of the match.
    await page.locator('#replay-scrubber').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await debug()).t).toBe(130);
    await page.keyboard.press('End');
    await expect.poll(async () => (await debug()).frameT).toBe(900);
    const atEnd = await page.textContent('#replay-pods');
    expect(atEnd).not.toBe(atIncident);
    expect(atEnd).not.toContain(' 0 container restarts');
    await page.screenshot({ path: join(process.env.TMPDIR ?? '/tmp', 'gameday-replay.png') });
  });

  it('downloads the postmortem from the replay page', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('#replay-postmortem')]);
    expect(download.suggestedFilename()).toMatch(/^postmortem-.+\.md$/);
    const markdown = readFileSync((await download.path())!, 'utf8');
    expect(markdown).toMatch(/^# Postmortem: /);
    expect(markdown).toContain('rae: kubectl scale deployment/podinfo --replicas=2');
    await expect.poll(() => page.textContent('#replay-postmortem-status')).toBe('Postmortem saved.');
    expect(pageErrors).toEqual([]);
  });
});
