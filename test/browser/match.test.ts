/**
 * A player's first minute, in a real browser: open the page, type a name, join; the cluster map is
 * drawn (6 nodes, 3 etcd members, pods) and the header shows the SLO figures; a kubectl command typed
 * in the console scales a Deployment and the view follows; long console output (`kubectl get pods -o
 * wide`) scrolls inside the console and never the page; clicking a pod opens its context panel and
 * Delete pod gets the server's answer. A screenshot is written to the OS temp dir for a human look.
 *
 * Needs Debian's Chromium at /usr/bin/chromium (`apt-get install -y chromium`); builds the client
 * first when client/dist is missing or older than the client's sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIsStale } from './build.ts';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'client', 'dist');
const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT = join(tmpdir(), 'gameday-match.png');

/** The page's read-only debug hook (client/src/main.ts DebugInfo). */
interface DebugInfo {
  ready: boolean;
  counts: { nodes: number; pods: number; etcd: number; services: number };
  deployments: Record<string, { replicas: number; ready: number }>;
  samplePod: { name: string; x: number; y: number } | null;
  sampleComponent: { name: string; x: number; y: number } | null;
}

let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

function debugInfo(p: Page): Promise<DebugInfo> {
  return p.evaluate(() => (window as unknown as { __gameday: DebugInfo }).__gameday);
}

/** The game screen fits the viewport: the document is not scrolled and has nothing to scroll. */
async function expectPageNotScrolled(p: Page): Promise<void> {
  const doc = await p.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return { scrollTop: root.scrollTop, scrollHeight: root.scrollHeight, innerHeight: window.innerHeight };
  });
  expect(doc.scrollTop, JSON.stringify(doc)).toBe(0);
  expect(doc.scrollHeight, JSON.stringify(doc)).toBeLessThanOrEqual(doc.innerHeight + 1);
}

/** Type one console line and wait for its reply; returns the log entry. */
async function runInConsole(p: Page, line: string) {
  const entries = p.locator('#console-output .console-entry');
  const before = await entries.count();
  await p.keyboard.type(line);
  await p.keyboard.press('Enter');
  await expect.poll(() => entries.count()).toBeGreaterThan(before);
  const entry = entries.last();
  await expect.poll(() => entry.getAttribute('class')).not.toContain('pending');
  return entry;
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
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // Browser-side failures are printed so a red test says why (WebGL "GPU stall" notes are noise).
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/GPU stall|ReadPixels/.test(msg.text())) console.error(`[browser] ${msg.text()}`);
    // The server's Content-Security-Policy (server/app.ts) must not block anything the client needs.
    if (/Content Security Policy/i.test(msg.text())) pageErrors.push(`CSP: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) console.error(`[browser] HTTP ${res.status()} ${res.url()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('playing a match in the browser', () => {
  it('joins from the form and draws the cluster with its SLO figures', async () => {
    await page.goto(server.url.replace('localhost', '127.0.0.1'));
    await page.locator('#join-scenario option[value="online-boutique"]').waitFor({ state: 'attached' });
    await page.fill('#join-name', 'ada');
    await page.click('#join-button');
    await page.locator('#game-screen').waitFor({ state: 'visible' });
    await page.waitForFunction(() => {
      const d = (window as unknown as { __gameday?: DebugInfo }).__gameday;
      return d?.ready === true && d.counts.pods > 0;
    });

    const info = await debugInfo(page);
    expect(info.counts.nodes).toBe(6);
    expect(info.counts.etcd).toBe(3);
    expect(info.counts.pods).toBeGreaterThanOrEqual(10);
    expect(info.counts.services).toBeGreaterThanOrEqual(10);
    const canvas = await page.locator('#map canvas').boundingBox();
    expect(canvas?.width).toBeGreaterThan(600);
    expect(canvas?.height).toBeGreaterThan(300);
    await expect.poll(() => page.textContent('#hud-availability')).toMatch(/availability \d+(\.\d+)? % \(SLO \d+(\.\d+)? %\)/);
    expect(await page.textContent('#hud-budget')).toMatch(/^budget (\d+ % left|exhausted|overspent \d+ %)$/);
    expect(await page.textContent('#hud-clock')).toMatch(/^\d+:\d\d \/ 1:00:00$/);
  });

  it('scales a Deployment from the kubectl console and the map follows', async () => {
    const before = (await debugInfo(page)).deployments.frontend?.replicas ?? 0;
    expect(before).toBeGreaterThan(0);
    const target = before + 1;
    await page.locator('#map canvas').click({ position: { x: 5, y: 5 } }); // a map click leaves any input
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('console-input');
    const entry = await runInConsole(page, `kubectl scale deployment/frontend --replicas=${target}`);
    expect(await entry.getAttribute('class')).not.toContain('failed');
    expect(await entry.locator('.console-cmd').textContent()).toContain(`--replicas=${target}`);
    expect((await entry.locator('pre').textContent())?.trim()).not.toBe('');
    await expect.poll(async () => (await debugInfo(page)).deployments.frontend?.replicas, { timeout: 15_000 }).toBe(target);
    await expectPageNotScrolled(page);
  });

  it('opens a pod from the map and deletes it, showing the reply', async () => {
    const info = await debugInfo(page);
    const pod = info.samplePod;
    if (!pod) throw new Error(`no pod tile drawn: ${JSON.stringify(info)}`);
    await page.locator('#map canvas').click({ position: { x: pod.x, y: pod.y } });
    await page.locator('#context-panel').waitFor({ state: 'visible' });
    expect(await page.textContent('#context-title')).toBe(`pod/${pod.name}`);
    expect(await page.textContent('#context-details')).toMatch(/Status.*Node.*Deployment/s);

    // A control-plane component has no actions: selecting one after the pod must not leave the pod's
    // buttons behind.
    const component = info.sampleComponent;
    if (!component) throw new Error(`no component chip drawn: ${JSON.stringify(info)}`);
    await page.locator('#map canvas').click({ position: { x: component.x, y: component.y } });
    await expect.poll(() => page.textContent('#context-title')).toBe(`component/${component.name}`);
    expect(await page.locator('#context-actions button').count()).toBe(0);
    await page.locator('#map canvas').click({ position: { x: pod.x, y: pod.y } });
    await expect.poll(() => page.textContent('#context-title')).toBe(`pod/${pod.name}`);

    await page.click('#context-actions button[data-action="pod:delete"]');
    await expect.poll(() => page.getAttribute('#context-result', 'class')).not.toContain('pending');
    const result = await page.textContent('#context-result');
    expect(await page.getAttribute('#context-result', 'class'), result ?? '').toContain('ok');
    const logged = page.locator('#console-output .console-entry').last();
    expect(await logged.locator('.console-cmd').textContent()).toContain(`kubectl delete pod ${pod.name}`);

    // Let a few patches arrive so the events table fills, then keep a picture for a human to check.
    await page.waitForTimeout(2500);
    await expectPageNotScrolled(page);
    await page.screenshot({ path: SCREENSHOT });
    console.log(`screenshot: ${SCREENSHOT}`);
    expect(pageErrors).toEqual([]);
  });

  it('files a follow-up from the pager panel and lists it at once under the declared incidents', async () => {
    await page.fill('#workflow-followup', 'Add a readiness probe to frontend');
    await page.click('#workflow-file');
    const row = page.locator('#workflow-declared li.followup').first();
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Add a readiness probe to frontend');
    expect(await row.locator('.meta').textContent()).toMatch(/^fu-1 by ada at \d+s$/);
    expect(await page.inputValue('#workflow-followup')).toBe('');
  });

  it('keeps long console output inside the console: the page never scrolls', async () => {
    // The pod deletion above filled the events table past its panel: a grid row sized by its content
    // once let that table stretch the bottom row and scroll the whole page.
    await expect.poll(() => page.locator('#events-body tr').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(12);
    await page.locator('#console-input').focus();
    const wide = await runInConsole(page, 'kubectl get pods -o wide');
    expect(await wide.getAttribute('class')).not.toContain('failed');
    expect(await wide.locator('pre').textContent()).toMatch(/NOMINATED NODE/);
    await expectPageNotScrolled(page);

    const box = await page.evaluate(() => {
      const out = document.getElementById('console-output') as HTMLElement;
      const pre = out.querySelector('.console-entry:last-child pre') as HTMLElement;
      const bottom = document.getElementById('bottom') as HTMLElement;
      return {
        bottomHeight: bottom.getBoundingClientRect().height,
        outScrollTop: out.scrollTop,
        outMaxScroll: out.scrollHeight - out.clientHeight,
        preScrollWidth: pre.scrollWidth,
        preClientWidth: pre.clientWidth,
        preRight: pre.getBoundingClientRect().right,
        outRight: out.getBoundingClientRect().right,
      };
    });
    // The console row keeps its 216 px track; the log scrolls vertically to the newest entry and the
    // wide table scrolls sideways inside its own entry, never widening the panel.
    expect(box.bottomHeight).toBeLessThanOrEqual(217);
    expect(box.outMaxScroll).toBeGreaterThan(0);
    expect(box.outScrollTop).toBeGreaterThanOrEqual(box.outMaxScroll - 1);
    expect(box.preScrollWidth).toBeGreaterThan(box.preClientWidth);
    expect(box.preRight).toBeLessThanOrEqual(box.outRight + 1);

    // A click on the map leaves the console, so the keyboard shortcuts work again: `?` opens help.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('console-input');
    await page.locator('#map canvas').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    await page.locator('#help-dialog').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    expect(pageErrors).toEqual([]);
  });
});
