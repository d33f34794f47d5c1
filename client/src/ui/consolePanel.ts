/**
 * The kubectl console: an input with shell-like history (Up/Down) and a monospace log where each
 * command is followed by the server's reply (output as-is; errors in red, never dropped).
 * (added) `kubectl get ... -w` is followed: the command is re-run every {@link WATCH_INTERVAL_MS} and
 * only new or changed rows are appended (client/src/view/console.ts `WatchSession`) until Esc or
 * Ctrl+C in the console, the next command, or an error.
 */
import type { ReplyMessage } from '../../../shared/protocol.ts';
import { CommandHistory, WatchSession, errorLine, isWatchCommand, parseConsoleLine } from '../view/console.ts';
import { byId, el } from './dom.ts';

/** Most log entries kept in the DOM. */
const MAX_ENTRIES = 200;
/** How often a watched `get -w` is re-run, wall-clock ms (about a sim tick at normal speed). */
export const WATCH_INTERVAL_MS = 2000;

export interface ConsoleDeps {
  /** Send a kubectl command line; resolves with the reply. */
  run(command: string): Promise<ReplyMessage>;
  /** `?` typed in the console. */
  showHelp(): void;
}

export class ConsolePanel {
  readonly history = new CommandHistory();
  readonly input = byId<HTMLInputElement>('console-input');
  readonly #output = byId('console-output');
  readonly #form = byId<HTMLFormElement>('console-form');
  #deps: ConsoleDeps | null = null;
  #watch: { session: WatchSession; timer: ReturnType<typeof setInterval>; out: HTMLElement; busy: boolean } | null = null;

  constructor() {
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit(this.input.value);
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowUp') {
        const prev = this.history.up(this.input.value);
        if (prev !== null) this.#setInput(prev);
        e.preventDefault();
      } else if (this.#watch && (e.key === 'Escape' || (e.key === 'c' && e.ctrlKey))) {
        this.stopWatch();
        if (e.key === 'c') e.preventDefault();
      } else if (e.key === 'ArrowDown') {
        const next = this.history.down();
        if (next !== null) this.#setInput(next);
        e.preventDefault();
      }
    });
  }

  /** Connect to a room (commands typed before this get a clear error). */
  attach(deps: ConsoleDeps | null): void {
    this.#deps = deps;
  }

  focus(): void {
    this.input.focus();
  }

  /** Stops following a `get -w` (Esc / Ctrl+C, the next command); prints `^C` like a terminal. */
  stopWatch(): void {
    const w = this.#watch;
    if (!w) return;
    clearInterval(w.timer);
    this.#watch = null;
    w.out.textContent = `${w.out.textContent ?? ''}\n^C`;
    this.#scroll();
  }

  /** Run one console line (what Enter does). */
  async submit(line: string): Promise<void> {
    this.stopWatch();
    const cmd = parseConsoleLine(line);
    this.history.push(line);
    this.input.value = '';
    if (cmd.kind === 'empty') return;
    if (cmd.kind === 'local') {
      if (cmd.name === 'clear') this.#output.replaceChildren();
      else this.#deps?.showHelp();
      return;
    }
    const entry = this.#append(cmd.command);
    if (!this.#deps) {
      this.#finish(entry, { id: null, type: 'kubectl', ok: false, error: 'not connected to a match' });
      return;
    }
    const reply = await this.#deps.run(cmd.command);
    if (reply.ok && isWatchCommand(cmd.command)) this.#startWatch(entry, cmd.command, reply.output ?? '');
    else this.#finish(entry, reply);
  }

  #startWatch(entry: HTMLElement, command: string, first: string): void {
    this.stopWatch();
    entry.classList.remove('pending');
    const out = entry.querySelector('pre');
    if (!out) return;
    const session = new WatchSession(command);
    out.className = 'console-out ok';
    out.textContent = session.update(first).trimEnd();
    const timer = setInterval(() => {
      const w = this.#watch;
      if (!w || w.busy || !this.#deps) return;
      w.busy = true;
      void this.#deps.run(command).then((reply) => {
        w.busy = false;
        if (this.#watch !== w) return;
        if (!reply.ok) {
          this.stopWatch();
          out.textContent = `${out.textContent ?? ''}\n${errorLine(reply.error)}`;
          return;
        }
        const text = w.session.update(reply.output ?? '').trimEnd();
        if (text !== '') {
          out.textContent = `${out.textContent ?? ''}\n${text}`;
          this.#scroll();
        }
      });
    }, WATCH_INTERVAL_MS);
    this.#watch = { session, timer, out, busy: false };
    this.#scroll();
  }

  /** Show the outcome of something not typed here (a click in the context panel, a stray reply). */
  log(title: string, reply: ReplyMessage): void {
    this.#finish(this.#append(title), reply);
  }

  /** Show a plain line (connection notices). */
  note(text: string, kind: 'info' | 'error' = 'info'): void {
    this.#push(el('div', { class: `console-line ${kind === 'error' ? 'err' : 'muted'}`, text }));
  }

  #setInput(text: string): void {
    this.input.value = text;
    this.input.setSelectionRange(text.length, text.length);
  }

  #append(command: string): HTMLElement {
    const entry = el(
      'div',
      { class: 'console-entry pending' },
      el('div', { class: 'console-cmd' }, el('span', { class: 'prompt', text: '$ ' }), command),
      el('pre', { class: 'console-out muted', text: '…' }),
    );
    this.#push(entry);
    return entry;
  }

  #finish(entry: HTMLElement, reply: ReplyMessage): void {
    entry.classList.remove('pending');
    const out = entry.querySelector('pre');
    if (!out) return;
    if (reply.ok) {
      out.className = 'console-out ok';
      out.textContent = reply.output?.trimEnd() || 'ok';
    } else {
      entry.classList.add('failed');
      out.className = 'console-out err';
      out.textContent = errorLine(reply.error);
    }
    this.#scroll();
  }

  #push(node: HTMLElement): void {
    this.#output.append(node);
    while (this.#output.childElementCount > MAX_ENTRIES) this.#output.firstElementChild?.remove();
    this.#scroll();
  }

  #scroll(): void {
    this.#output.scrollTop = this.#output.scrollHeight;
  }
}

