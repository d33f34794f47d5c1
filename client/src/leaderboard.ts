/**
 * The leaderboard page: the ratings board (`GET /api/leaderboard?scope=&period=&page=&pageSize=&me=`)
 * with scope and period selectors, pagination, the player's own position (the signed-in session's, or
 * `?me=` / the Find box) shown even when off the page, and profile links; then the best scores
 * (`GET /api/leaderboard`) and recent finished matches (`GET /api/matches`). Each table has its own
 * loading / error line. The selection lives in the page's query string (`?scope=&period=&page=&me=`).
 */
import { formatWhen, parseLeaderboard, parseMatches, parseScenarios } from './view/api.ts';
import { formatBudget, formatPercent } from './view/format.ts';
import { restoreSession, SESSION_KEY } from './view/account.ts';
import {
  boardApiUrl,
  boardSearch,
  describeBoard,
  emptyBoardText,
  formatChange,
  formatRating,
  meOnPage,
  pageCount,
  parseBoard,
  PERIODS,
  profileUrl,
  readBoardParams,
  sessionKey,
  type Board,
  type BoardParams,
  type BoardRow,
} from './view/leaderboard.ts';
import { byId, el } from './ui/dom.ts';
import { replayUrl } from './view/replay.ts';
import { errorText } from './ui/joinScreen.ts';

function cell(text: string, numeric = false): HTMLTableCellElement {
  return el('td', { text, ...(numeric ? { class: 'num' } : {}) });
}

function playerCell(name: string, kind: 'account' | 'guest', id: string): HTMLTableCellElement {
  return el('td', {}, el('a', { text: name, attrs: { href: profileUrl(id) } }), ...(kind === 'guest' ? [el('span', { class: 'kind-guest', text: 'guest', title: 'Played as a guest: never merged with an account of the same name' })] : []));
}

// --- Ratings board -----------------------------------------------------------------------------

const session = restoreSession(localStorage.getItem(SESSION_KEY), Date.now());
const mine = sessionKey(session);
const explicitMe = new URLSearchParams(location.search).has('me');
let params: BoardParams = readBoardParams(location.search, mine);
let meTyped = explicitMe;

const scopeSelect = byId<HTMLSelectElement>('board-scope');
const periodSelect = byId<HTMLSelectElement>('board-period');
const meInput = byId<HTMLInputElement>('board-me');
const boardStatus = byId('board-status');
const boardBody = byId('board-body');
const meBody = byId('board-me-body');
const summary = byId('board-summary');
const prev = byId<HTMLButtonElement>('board-prev');
const next = byId<HTMLButtonElement>('board-next');
const pageLabel = byId('board-page');

for (const p of PERIODS) periodSelect.append(el('option', { text: p.label, attrs: { value: p.id } }));
periodSelect.value = params.period;
meInput.value = params.me ?? '';
if (params.scope !== 'overall') scopeSelect.append(el('option', { text: params.scope, attrs: { value: params.scope } }));
scopeSelect.value = params.scope;

function boardRow(r: BoardRow, me: boolean): HTMLTableRowElement {
  return el(
    'tr',
    me ? { class: 'me' } : {},
    cell(String(r.rank), true),
    playerCell(r.player, r.kind, r.id),
    cell(formatRating(r.ordinal), true),
    cell(formatRating(r.mu), true),
    cell(formatRating(r.sigma), true),
    cell(formatChange(r.change), true),
    cell(String(r.matches), true),
    cell(r.bestScore === null ? '–' : String(Math.round(r.bestScore)), true),
  );
}

let loading = 0;
async function loadBoard(): Promise<void> {
  const ticket = ++loading;
  history.replaceState(null, '', `${location.pathname}${boardSearch(params, meTyped)}`);
  boardStatus.textContent = 'Loading…';
  boardStatus.className = 'status';
  prev.disabled = true;
  next.disabled = true;
  let board: Board;
  try {
    const res = await fetch(boardApiUrl(params));
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) throw new Error(json && typeof (json as { error?: unknown }).error === 'string' ? (json as { error: string }).error : `HTTP ${res.status}`);
    board = parseBoard(json);
  } catch (err) {
    if (ticket !== loading) return;
    boardStatus.textContent = `Could not load the ratings: ${errorText(err)}`;
    boardStatus.className = 'status error';
    return;
  }
  if (ticket !== loading) return;
  const myId = board.me?.id;
  boardBody.replaceChildren(...board.entries.map((r) => boardRow(r, r.id === myId)));
  meBody.replaceChildren(...(board.me && !meOnPage(board) ? [boardRow(board.me, true)] : []));
  summary.textContent = describeBoard(board);
  const notFound = params.me && !board.me ? ` (${params.me} is not on this board)` : '';
  boardStatus.textContent = board.total === 0 ? emptyBoardText(board.period) : board.entries.length === 0 ? `No players on page ${board.page}.${notFound}` : notFound.trim();
  const pages = pageCount(board.total, board.pageSize);
  pageLabel.textContent = `${board.page} / ${pages}`;
  prev.disabled = board.page <= 1;
  next.disabled = board.page >= pages;
}

byId<HTMLFormElement>('board-controls').addEventListener('submit', (e) => {
  e.preventDefault();
  const typed = meInput.value.trim();
  meTyped = typed !== '' && typed !== mine;
  params = { scope: scopeSelect.value, period: periodSelect.value as BoardParams['period'], page: 1, me: typed !== '' ? typed : mine };
  void loadBoard();
});
for (const select of [scopeSelect, periodSelect]) {
  select.addEventListener('change', () => {
    params = { ...params, scope: scopeSelect.value, period: periodSelect.value as BoardParams['period'], page: 1 };
    void loadBoard();
  });
}
prev.addEventListener('click', () => {
  params = { ...params, page: Math.max(1, params.page - 1) };
  void loadBoard();
});
next.addEventListener('click', () => {
  params = { ...params, page: params.page + 1 };
  void loadBoard();
});

void fetch('/api/scenarios')
  .then((res) => (res.ok ? res.json() : []))
  .then((json: unknown) => {
    const scenarios = parseScenarios(json);
    const extra = params.scope !== 'overall' && !scenarios.some((s) => s.id === params.scope) ? [el('option', { text: params.scope, attrs: { value: params.scope } })] : [];
    scopeSelect.replaceChildren(el('option', { text: 'All scenarios', attrs: { value: 'overall' } }), ...scenarios.map((s) => el('option', { text: s.title, attrs: { value: s.id } })), ...extra);
    scopeSelect.value = params.scope;
  })
  .catch(() => undefined);
void loadBoard();

// --- Best scores and recent matches ------------------------------------------------------------

async function load<T>(url: string, parse: (json: unknown) => T[], status: HTMLElement, body: HTMLElement, row: (item: T) => HTMLTableRowElement, empty: string): Promise<void> {
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`);
    const items = parse(await res.json());
    body.replaceChildren(...items.map(row));
    status.textContent = items.length ? '' : empty;
    status.className = 'status';
  } catch (err) {
    status.textContent = `Could not load: ${errorText(err)}`;
    status.className = 'status error';
  }
}

void load(
  '/api/leaderboard',
  parseLeaderboard,
  byId('leaderboard-status'),
  byId('leaderboard-body'),
  (r) => el('tr', {}, cell(String(r.rank), true), el('td', {}, el('a', { text: r.player, attrs: { href: profileUrl(r.player) } })), cell(String(Math.round(r.bestScore)), true), cell(String(r.matches), true), cell(formatWhen(r.lastPlayedAt))),
  'No finished matches yet: be the first.',
);

void load(
  '/api/matches',
  parseMatches,
  byId('matches-status'),
  byId('matches-body'),
  (m) =>
    el(
      'tr',
      {},
      cell(formatWhen(m.endedAt)),
      cell(m.scenarioId),
      cell(m.players.join(', ')),
      cell(String(Math.round(m.score)), true),
      cell(m.availability === null ? '–' : formatPercent(m.availability), true),
      cell(m.errorBudgetRemaining === null ? '–' : formatBudget(m.errorBudgetRemaining).replace('error budget ', '')),
      el('td', {}, el('a', { text: 'Replay', attrs: { href: replayUrl(m.id) } })),
    ),
  'No finished matches yet.',
);
