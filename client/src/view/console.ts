/**
 * Console logic without the DOM: command history (Up/Down like a shell), what a typed line means
 * (a local command or a kubectl command for the server), and keyboard shortcut resolution. Pure.
 */

/**
 * Shell-like history. `up()`/`down()` walk older/newer entries; the line being typed is kept as the
 * newest "draft" so Down past the newest entry gives it back. Consecutive duplicates are stored once.
 */
export class CommandHistory {
  readonly #entries: string[] = [];
  readonly #limit: number;
  /** Index into entries while browsing; entries.length = at the draft. */
  #cursor = 0;
  #draft = '';

  /** @param limit most entries kept (oldest dropped first). */
  constructor(limit = 100) {
    this.#limit = limit;
  }

  /** Entries, oldest first. */
  get entries(): readonly string[] {
    return this.#entries;
  }

  /** Record a submitted line (blank lines are ignored) and reset browsing. */
  push(line: string): void {
    const text = line.trim();
    if (text && this.#entries[this.#entries.length - 1] !== text) {
      this.#entries.push(text);
      if (this.#entries.length > this.#limit) this.#entries.shift();
    }
    this.#cursor = this.#entries.length;
    this.#draft = '';
  }

  /**
   * Older entry (Up arrow).
   * @param current what the input holds now (saved as the draft when leaving it).
   * @returns the text to show, or null when already at the oldest entry or there is no history.
   */
  up(current: string): string | null {
    if (this.#cursor === 0) return null;
    if (this.#cursor === this.#entries.length) this.#draft = current;
    this.#cursor--;
    return this.#entries[this.#cursor] ?? null;
  }

  /**
   * Newer entry (Down arrow); past the newest entry returns the draft.
   * @returns the text to show, or null when already at the draft.
   */
  down(): string | null {
    if (this.#cursor >= this.#entries.length) return null;
    this.#cursor++;
    return this.#cursor === this.#entries.length ? this.#draft : (this.#entries[this.#cursor] ?? null);
  }
}

/** What a console line asks for. */
export type ConsoleCommand =
  | { kind: 'empty' }
  | { kind: 'local'; name: 'help' | 'clear' }
  | { kind: 'server'; command: string };

/**
 * Interpret a console line. `?` (the help dialog) and `clear` are handled locally; everything else goes
 * to the server as typed (whitespace collapsed), where shared/kubectl parses it: `kubectl` in front is
 * optional there, `etcdctl ...` and `help` are understood. The common alias `k` is expanded to `kubectl`.
 */
export function parseConsoleLine(line: string): ConsoleCommand {
  const text = line.trim().replace(/\s+/g, ' ');
  if (!text) return { kind: 'empty' };
  if (text === '?') return { kind: 'local', name: 'help' };
  if (text === 'clear' || text === 'cls') return { kind: 'local', name: 'clear' };
  if (text === 'k' || text.startsWith('k ')) return { kind: 'server', command: `kubectl${text.slice(1)}` };
  return { kind: 'server', command: text };
}

/**
 * A refusal as one console line, `error: <reason>`, without doubling a prefix the server already put
 * there (kubectl's own messages start with `error:`).
 */
export function errorLine(error: string | undefined): string {
  const text = (error ?? '').replace(/^error:\s*/i, '').trim() || 'the server refused the command';
  return `error: ${text}`;
}

/** Page-level keyboard commands. */
export type ShortcutCommand = 'focusConsole' | 'escape' | 'help' | 'leaderboard' | 'ack';

/**
 * Resolve a key press to a page command.
 *
 * @param key `KeyboardEvent.key`.
 * @param typing focus is in a text field (then only Escape is a shortcut).
 * @param modifiers Ctrl/Alt/Meta held (browser shortcuts are left alone).
 */
export function resolveShortcut(key: string, typing: boolean, modifiers = false): ShortcutCommand | null {
  if (key === 'Escape') return 'escape';
  if (typing || modifiers) return null;
  if (key === '/' || key === ':') return 'focusConsole';
  if (key === '?') return 'help';
  if (key === 'l' || key === 'L') return 'leaderboard';
  if (key === 'a' || key === 'A') return 'ack';
  return null;
}

/** The shortcut list shown by the help dialog. */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: '/ or :', does: 'focus the kubectl console' },
  { keys: 'Up / Down', does: 'previous / next command in the console' },
  { keys: 'Enter', does: 'run the command' },
  { keys: 'Esc or Ctrl+C', does: 'stop following a kubectl get -w' },
  { keys: 'Ctrl+Enter', does: 'apply / save in the console editor (kubectl apply -f -, kubectl edit)' },
  { keys: 'Esc (editor)', does: 'cancel the console editor: nothing is applied' },
  { keys: 'Tab (editor)', does: 'indent two spaces' },
  { keys: 'Esc', does: 'close panels and dialogs, leave the console' },
  { keys: '?', does: 'this help' },
  { keys: 'L', does: 'open the leaderboard' },
  { keys: 'R', does: 'ready / not ready (waiting room)' },
  { keys: 'A', does: 'acknowledge every open page (the pager)' },
  { keys: 'click', does: 'select a pod, node, etcd member or Service for its actions' },
];

/** The console's command reference (shared with the server's `help` reply). */
export { KUBECTL_HELP } from '../../../shared/kubectl/help.ts';

/**
 * (added) True when a console line is `kubectl get ... -w|--watch` (the console then follows it:
 * {@link WatchSession}). `rollout status -w` is not a `get` and is answered once.
 */
export function isWatchCommand(command: string): boolean {
  const words = command.trim().split(/\s+/);
  const start = words[0] === 'kubectl' || words[0] === 'k' ? 1 : 0;
  let verb: string | undefined;
  for (let i = start; i < words.length && verb === undefined; i++) {
    const w = words[i]!;
    if (!w.startsWith('-')) verb = w;
    else if (['-n', '--namespace', '--context', '--kubeconfig', '-l', '--selector', '-o', '--output'].includes(w)) i++;
  }
  if (verb !== 'get') return false;
  return words.some((w) => w === '-w' || w === '--watch' || w === '--watch=true');
}

/** Columns ignored when deciding whether a watched row changed (they tick by themselves). */
const AGE_COLUMNS = new Set(['AGE', 'LAST SEEN', 'DURATION']);

/** A kubectl table split into its header and its rows' cells (by the header's column offsets). */
interface ParsedTable {
  header: string;
  columns: string[];
  rows: { line: string; cells: string[] }[];
}

/** Parses a kubectl table (columns separated by 2+ spaces in the header), or null for other output. */
function parseTable(text: string): ParsedTable | null {
  const lines = text.replace(/\s+$/, '').split('\n');
  const header = lines[0] ?? '';
  if (!/^[A-Z][A-Z0-9 ()%/-]*$/.test(header.trim()) || lines.length === 0) return null;
  const starts: number[] = [];
  const columns: string[] = [];
  for (const m of header.matchAll(/\S+(?: \S+)*/g)) {
    starts.push(m.index);
    columns.push(m[0]);
  }
  const rows = lines.slice(1).filter((l) => l.trim() !== '').map((line) => ({
    line,
    cells: starts.map((s, i) => line.slice(s, i + 1 < starts.length ? starts[i + 1] : undefined).trim()),
  }));
  return { header, columns, rows };
}

/**
 * (added) The console side of `kubectl get -w`: the first answer prints the whole table; each later
 * answer of the same command (the console re-runs it as the state changes) prints only the rows that
 * are new or changed, ignoring AGE-like columns, as kubectl's watch prints an object each time it
 * changes (rows that disappear are not printed: kubectl prints deletions only with
 * `--output-watch-events`). Output that is not a table (`-o json`) is printed again whenever it changes.
 * Pure: the DOM side (client/src/ui/consolePanel.ts) owns the timer and Esc / Ctrl+C.
 */
export class WatchSession {
  readonly command: string;
  #last: Map<string, string> | null = null;
  #lastText: string | null = null;

  constructor(command: string) {
    this.command = command;
  }

  /** Feeds one answer of the watched command; returns the text to print ('' = nothing changed). */
  update(output: string): string {
    const t = parseTable(output);
    if (!t) {
      if (output === this.#lastText) return '';
      this.#lastText = output;
      return output;
    }
    const keyCols = t.columns.map((c, i) => (c === 'NAMESPACE' || c === 'NAME' ? i : -1)).filter((i) => i >= 0);
    const ageCols = new Set(t.columns.map((c, i) => (AGE_COLUMNS.has(c) ? i : -1)).filter((i) => i >= 0));
    const next = new Map<string, string>();
    const changed: string[] = [];
    for (const r of t.rows) {
      const key = (keyCols.length > 0 ? keyCols.map((i) => r.cells[i]) : r.cells.filter((_, i) => !ageCols.has(i))).join('\u0000');
      const sig = r.cells.filter((_, i) => !ageCols.has(i)).join('\u0000');
      next.set(key, sig);
      if (this.#last === null || this.#last.get(key) !== sig) changed.push(r.line);
    }
    const first = this.#last === null;
    this.#last = next;
    if (first) return [t.header, ...changed].join('\n');
    return changed.join('\n');
  }
}
