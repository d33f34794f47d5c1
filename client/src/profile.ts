/**
 * The profile page (`profile.html?name=alice`, `?name=guest:Alice`): `GET /api/players/:name` shown as
 * ratings per scope, a rating-over-time chart (SVG drawn from view/profile.ts geometry, no chart
 * library), best scores per scenario and the match history with replay links. A loading line, and
 * the server's error when the request fails.
 */
import { formatWhen } from './view/api.ts';
import { formatRating } from './view/leaderboard.ts';
import { parseProfile, profileApiUrl, profileName, ratingChart, type Profile } from './view/profile.ts';
import { replayUrl } from './view/replay.ts';
import { byId, el } from './ui/dom.ts';
import { errorText } from './ui/joinScreen.ts';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 720;
const HEIGHT = 220;

function cell(text: string, numeric = false): HTMLTableCellElement {
  return el('td', { text, ...(numeric ? { class: 'num' } : {}) });
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function drawChart(profile: Profile, scope: string): void {
  const box = byId('rating-chart');
  const chart = ratingChart(profile.history, scope, WIDTH, HEIGHT);
  if (chart.points.length === 0) {
    box.replaceChildren(el('p', { class: 'hint', text: 'No rated matches in this scope yet.' }));
    return;
  }
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': `Rating over time (${scope})` });
  for (const t of chart.ticks) {
    root.append(svg('line', { class: 'grid', x1: 36, x2: WIDTH - 8, y1: t.y, y2: t.y }));
    root.append(svg('text', { x: 2, y: t.y + 3 }, t.value.toFixed(t.value % 1 === 0 ? 0 : 1)));
  }
  if (chart.zeroY !== null) root.append(svg('line', { class: 'zero', x1: 36, x2: WIDTH - 8, y1: chart.zeroY, y2: chart.zeroY }));
  root.append(svg('path', { class: 'line', d: chart.path }));
  for (const p of chart.points) {
    const dot = svg('circle', { cx: p.x, cy: p.y, r: 3.5 });
    dot.append(svg('title', {}, p.label));
    root.append(dot);
  }
  box.replaceChildren(root);
}

function render(profile: Profile): void {
  document.title = `Gameday · ${profile.name}`;
  byId('profile-name').textContent = profile.name;
  byId('profile-kind').textContent = profile.kind === 'guest' ? 'Guest: ratings kept under guest:' + profile.name + ', never merged with an account.' : `Registered player${profile.trainer ? ' (trainer)' : ''}.`;
  byId('ratings-body').replaceChildren(
    ...profile.ratings.map((r) =>
      el('tr', {}, el('td', {}, el('a', { text: r.scope === 'overall' ? 'All scenarios' : r.scope, attrs: { href: `leaderboard.html?scope=${encodeURIComponent(r.scope)}&me=${encodeURIComponent(profile.kind === 'guest' ? `guest:${profile.name}` : profile.name)}` } })), cell(formatRating(r.ordinal), true), cell(formatRating(r.mu), true), cell(formatRating(r.sigma), true), cell(String(r.matches), true), cell(String(r.rank), true)),
    ),
  );
  byId('ratings-empty').hidden = profile.ratings.length > 0;
  const scopes = profile.ratings.map((r) => r.scope);
  const select = byId<HTMLSelectElement>('chart-scope');
  select.replaceChildren(...(scopes.length ? scopes : ['overall']).map((s) => el('option', { text: s === 'overall' ? 'All scenarios' : s, attrs: { value: s } })));
  select.onchange = () => drawChart(profile, select.value);
  drawChart(profile, select.value || 'overall');
  byId('best-body').replaceChildren(...profile.best.map((b) => el('tr', {}, cell(b.scenarioId), cell(String(Math.round(b.bestScore)), true), cell(String(b.matches), true))));
  byId('history-body').replaceChildren(
    ...profile.matches.map((m) => el('tr', {}, cell(formatWhen(m.endedAt)), cell(m.scenarioId), cell(m.team), cell(String(Math.round(m.score)), true), cell(String(m.actions), true), el('td', {}, el('a', { text: 'Replay', attrs: { href: replayUrl(m.matchId) } })))),
  );
  if (profile.matches.length === 0) byId('history-body').replaceChildren(el('tr', {}, el('td', { text: 'No finished matches yet.', attrs: { colspan: '6' } })));
  byId('profile-body').hidden = false;
}

async function main(): Promise<void> {
  const status = byId('profile-status');
  const name = profileName(location.search);
  if (!name) {
    status.textContent = 'No player given: open a profile from the leaderboard (profile.html?name=NAME).';
    status.className = 'status error';
    return;
  }
  byId('profile-name').textContent = name;
  try {
    const res = await fetch(profileApiUrl(name));
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) throw new Error(json && typeof (json as { error?: unknown }).error === 'string' ? (json as { error: string }).error : `HTTP ${res.status}`);
    render(parseProfile(json));
    status.textContent = '';
  } catch (err) {
    status.textContent = `Could not load the profile: ${errorText(err)}`;
    status.className = 'status error';
  }
}

void main();
