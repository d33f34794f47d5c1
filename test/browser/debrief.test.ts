/**
 * The end of a match in a real browser: a guestbook match at 40x ends by itself (900 sim s in about
 * 23 real s); the end dialog keeps its heading and buttons in view while its body scrolls, names the
 * score components in words, and "Download postmortem" saves the team's blameless postmortem.
 *
 * Needs Debian's Chromium at /usr/bin/chromium; builds the client when client/dist is stale (see
 * match.test.ts).
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

describe('the end of a match in the browser', () => {
  it('shows the end dialog with its heading in view and readable score components', async () => {
    await page.goto(`${server.url.replace('localhost', '127.0.0.1')}/?speed=40`);
    await page.locator('#join-scenario option[value="guestbook"]').waitFor({ state: 'attached' });
    await page.selectOption('#join-scenario', 'guestbook');
    await page.fill('#join-name', 'deb');
    await page.click('#join-button');
    await page.locator('#game-screen').waitFor({ state: 'visible' });
    await page.waitForFunction(() => (window as unknown as { __gameday?: { ready: boolean } }).__gameday?.ready === true);
    // An action, so the postmortem has something the team did.
    await page.locator('#console-input').focus();
    await page.keyboard.type('kubectl scale deployment/frontend --replicas=4');
    await page.keyboard.press('Enter');
    const entry = page.locator('#console-output .console-entry').last();
    await expect.poll(() => entry.getAttribute('class')).not.toContain('pending');
    expect(await entry.getAttribute('class'), (await entry.textContent()) ?? '').not.toContain('failed');
    await page.locator('#end-dialog').waitFor({ state: 'visible', timeout: 60_000 });

    // Scroll the dialog's body to the end: the heading and the buttons stay visible.
    await page.locator('#end-dialog .dialog-body').evaluate((el) => (el.scrollTop = el.scrollHeight));
    const inView = async (sel: string): Promise<boolean> =>
      page.locator(sel).evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
      });
    expect(await inView('#end-title')).toBe(true);
    expect(await inView('#end-postmortem')).toBe(true);
    const labels = await page.locator('#end-breakdown dt').allTextContents();
    expect(labels).toContain('Cost of actions taken');
    for (const l of labels) expect(l).not.toMatch(/^[a-z]+[A-Z]\w*$/); // no raw camelCase keys
  });

  it('downloads the blameless postmortem of the match', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('#end-postmortem')]);
    expect(download.suggestedFilename()).toMatch(/^postmortem-.+\.md$/);
    const markdown = readFileSync((await download.path())!, 'utf8');
    expect(markdown).toMatch(/^# Postmortem: /);
    expect(markdown).toContain('## Timeline');
    expect(markdown, markdown).toContain('deb: kubectl scale deployment/frontend --replicas=4');
    await expect.poll(() => page.textContent('#end-postmortem-status')).toBe('Postmortem saved.');
    expect(pageErrors).toEqual([]);
  });
});
