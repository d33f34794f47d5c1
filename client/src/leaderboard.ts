/**
 * The leaderboard page: `GET /api/leaderboard` (best score per player) and `GET /api/matches` (recent
 * finished matches), each table with its own loading / error line.
 */
import { formatWhen, parseLeaderboard, parseMatches } from './view/api.ts';
import { formatBudget, formatPercent } from './view/format.ts';
import { byId, el } from './ui/dom.ts';
import { replayUrl } from './view/replay.ts';
import { errorText } from './ui/joinScreen.ts';

function cell(text: string, numeric = false): HTMLTableCellElement {
  return el('td', { text, ...(numeric ? { class: 'num' } : {}) });
}

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
  (r) => el('tr', {}, cell(String(r.rank), true), cell(r.player), cell(String(Math.round(r.bestScore)), true), cell(String(r.matches), true), cell(formatWhen(r.lastPlayedAt))),
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
