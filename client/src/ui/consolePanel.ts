/**
 * The kubectl console: an input with shell-like history (Up/Down) and a monospace log where each
 * command is followed by the server's reply (output as-is; errors in red, never dropped).
 * (added) `kubectl get ... -w` is followed: the command is re-run every {@link WATCH_INTERVAL_MS} and
 * only new or changed rows are appended (client/src/view/console.ts `WatchSession`) until Esc or
 * Ctrl+C in the console, the next command, or an error.
 * (added, issue 7) `kubectl apply -f -` / `apply -f FILE` / `create -f -` open a multi-line editor in
 * the panel to paste YAML into, `kubectl edit TYPE NAME` opens it on the object's YAML (as `kubectl get
 * -o yaml` prints it); Ctrl+Enter (or Cmd+Enter) applies, Esc cancels. A pasted heredoc (`kubectl apply
 * -f - <<EOF` ... `EOF`) runs at once; bare YAML pasted at the empty prompt opens the apply editor with it. The text goes to the server as a `stdin` message
 * (shared/kubectl/apply.ts); a refused apply or edit keeps the editor open with kubectl's error.
 */
import type { ReplyMessage } from '../../../shared/protocol.ts';
import { CommandHistory, WatchSession, errorLine, isWatchCommand, parseConsoleLine } from '../view/console.ts';
import { EDIT_HEADER, parseHeredoc, readsInput } from '../../../shared/kubectl/stdinLine.ts';
import { byId, el } from './dom.ts';

/** Most log entries kept in the DOM. */
const MAX_ENTRIES = 200;
/** How often a watched `get -w` is re-run, wall-clock ms (about a sim tick at normal speed). */
export const WATCH_INTERVAL_MS = 2000;

export interface ConsoleDeps {
  /** Send a kubectl command line; resolves with the reply. */
  run(command: string): Promise<ReplyMessage>;
  /** Send a command that reads standard input (`apply -f -` with the YAML; `edit` without it for the YAML, with it to save). */
  stdin?(command: string, stdin?: string): Promise<ReplyMessage>;
  /** `?` typed in the console. */
  showHelp(): void;
}

/** The open apply/edit editor: its command, DOM, the `edit` log entry, and whether the server is answering. */
interface EditorState {
  command: string;
  mode: 'apply' | 'edit';
  root: HTMLElement;
  text: HTMLTextAreaElement;
  status: HTMLElement;
  entry: HTMLElement | null;
  busy: boolean;
}

export class ConsolePanel {
  readonly history = new CommandHistory();
  readonly input = byId<HTMLInputElement>('console-input');
  readonly #output = byId('console-output');
  readonly #form = byId<HTMLFormElement>('console-form');
  #deps: ConsoleDeps | null = null;
  #watch: { session: WatchSession; timer: ReturnType<typeof setInterval>; out: HTMLElement; busy: boolean } | null = null;
  readonly #panel = byId('console');
  /** The open editor (apply / edit), or null. */
  #editor: EditorState | null = null;

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
    // A multi-line paste (a heredoc) would lose its newlines in the one-line input.
    this.input.addEventListener('paste', (e) => {
      const pasted = e.clipboardData?.getData('text/plain') ?? '';
      if (!pasted.includes('\n')) return;
      const before = this.input.value.slice(0, this.input.selectionStart ?? this.input.value.length);
      const heredoc = parseHeredoc(before + pasted);
      if (!heredoc) {
        // bare YAML pasted at the prompt: the apply editor, holding it
        if (before.trim() !== '' || !/^\s*(---|#|apiVersion:|kind:)/.test(pasted)) return;
        e.preventDefault();
        this.#openEditor('kubectl apply -f -', 'apply', pasted, null);
        return;
      }
      e.preventDefault();
      this.history.push(heredoc.command);
      this.input.value = '';
      if (heredoc.complete) void this.#applyNow(heredoc.command, heredoc.stdin);
      else this.#openEditor(heredoc.command, 'apply', heredoc.stdin, null);
    });
  }

  /** True while the apply/edit editor is open. */
  get editing(): boolean {
    return this.#editor !== null;
  }

  /** Connect to a room (commands typed before this get a clear error). */
  attach(deps: ConsoleDeps | null): void {
    this.#deps = deps;
  }

  /** Focus the prompt, or the editor while one is open. */
  focus(): void {
    if (this.#editor) this.#editor.text.focus();
    else this.input.focus();
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
    const reads = readsInput(cmd.command);
    if (reads === 'apply') {
      // `... <<EOF` typed by hand: the editor holds the document lines
      this.#openEditor(cmd.command.replace(/\s*<<-?\s*(['"]?)[A-Za-z_]\w*\1\s*$/, ''), 'apply', '', null);
      return;
    }
    const entry = this.#append(cmd.command);
    if (reads === 'edit' && this.#deps?.stdin) {
      const reply = await this.#deps.stdin(cmd.command);
      if (!reply.ok) this.#finish(entry, reply);
      else {
        entry.querySelector('pre')!.textContent = 'editing… (Ctrl+Enter saves, Esc cancels)';
        this.#openEditor(cmd.command, 'edit', EDIT_HEADER + (reply.output ?? ''), entry);
      }
      return;
    }
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

  /**
   * Opens the editor over the console log: `text` to start from (the object's YAML for `edit`), `entry`
   * the log entry of an `edit` (its outcome is written there).
   */
  #openEditor(command: string, mode: 'apply' | 'edit', text: string, entry: HTMLElement | null): void {
    this.stopWatch();
    this.closeEditor();
    const area = el('textarea', { class: 'console-editor-text', attrs: { spellcheck: 'false', autocapitalize: 'off', 'aria-label': mode === 'edit' ? 'object YAML to edit' : 'YAML to apply' } });
    area.value = text;
    const status = el('div', { class: 'console-editor-status muted', text: mode === 'edit' ? 'Edit the object; Ctrl+Enter saves, Esc cancels.' : 'Paste YAML (documents separated by ---); Ctrl+Enter applies, Esc cancels.' });
    const save = el('button', { class: 'console-editor-apply', text: mode === 'edit' ? 'Save' : 'Apply', attrs: { type: 'button' } });
    const cancel = el('button', { class: 'console-editor-cancel', text: 'Cancel', attrs: { type: 'button' } });
    const root = el(
      'div',
      { class: 'console-editor', attrs: { role: 'dialog', 'aria-label': command } },
      el('div', { class: 'console-editor-head' }, el('span', { class: 'prompt', text: '$ ' }), el('code', { text: command }), el('span', { class: 'console-editor-keys', text: `Ctrl+Enter ${mode === 'edit' ? 'save' : 'apply'} · Esc cancel · Tab indents` })),
      area,
      el('div', { class: 'console-editor-foot' }, status, save, cancel),
    );
    area.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void this.#saveEditor();
      } else if (e.key === 'Escape') {
        // handled here: the page's Esc (blur, close panels) must not see it
        e.preventDefault();
        e.stopPropagation();
        this.cancelEditor();
      } else if (e.key === 'Tab' && !e.shiftKey) {
        // YAML is indented with spaces: Tab inserts two instead of leaving the field
        e.preventDefault();
        area.setRangeText('  ', area.selectionStart, area.selectionEnd, 'end');
      }
    });
    save.addEventListener('click', () => void this.#saveEditor());
    cancel.addEventListener('click', () => this.cancelEditor());
    this.#editor = { command, mode, root, text: area, status, entry, busy: false };
    this.#panel.classList.add('editing');
    this.#panel.append(root);
    area.focus();
    area.setSelectionRange(0, 0);
  }

  /** Esc in the editor: closes it without sending anything (`edit`: `Edit cancelled, no changes made.`). */
  cancelEditor(): void {
    const ed = this.#editor;
    if (!ed || ed.busy) return;
    this.closeEditor();
    if (ed.mode === 'edit') this.#logStdin(ed.command, { id: null, type: 'stdin', ok: true, output: 'Edit cancelled, no changes made.' }, ed.entry);
    else this.note(`${ed.command}: cancelled, nothing applied`);
    this.input.focus();
  }

  /** Removes the editor (no message). */
  closeEditor(): void {
    const ed = this.#editor;
    if (!ed) return;
    ed.root.remove();
    this.#editor = null;
    this.#panel.classList.remove('editing');
  }

  /** Ctrl+Enter: sends the text; success closes the editor and logs kubectl's lines, a refusal keeps it open with the error. */
  async #saveEditor(): Promise<void> {
    const ed = this.#editor;
    if (!ed || ed.busy) return;
    if (!this.#deps?.stdin) {
      this.#editorStatus(ed, 'error: not connected to a match', 'err');
      return;
    }
    const buttons = [...ed.root.querySelectorAll('button')];
    ed.busy = true;
    ed.root.classList.add('busy');
    ed.text.readOnly = true;
    for (const b of buttons) b.disabled = true;
    this.#editorStatus(ed, ed.mode === 'edit' ? 'saving…' : 'applying…', 'muted');
    const reply = await this.#deps.stdin(ed.command, ed.text.value);
    ed.busy = false;
    ed.root.classList.remove('busy');
    ed.text.readOnly = false;
    for (const b of buttons) b.disabled = false;
    if (this.#editor !== ed) return;
    if (!reply.ok) {
      this.#editorStatus(ed, reply.error ?? 'error: the server refused the command', 'err');
      this.#logStdin(ed.command, reply, ed.entry);
      ed.entry = null;
      ed.text.focus();
      return;
    }
    this.closeEditor();
    this.#logStdin(ed.command, reply, ed.entry);
    this.input.focus();
  }

  #editorStatus(ed: EditorState, text: string, kind: 'muted' | 'err'): void {
    ed.status.className = `console-editor-status ${kind}`;
    ed.status.textContent = text;
  }

  /** Runs a pasted heredoc at once (like a shell), logging kubectl's lines. */
  async #applyNow(command: string, stdin: string): Promise<void> {
    this.stopWatch();
    this.closeEditor();
    if (!this.#deps?.stdin) {
      this.#finish(this.#append(command), { id: null, type: 'stdin', ok: false, error: 'not connected to a match' });
      return;
    }
    const entry = this.#append(`${command} <<EOF (${stdin.split('\n').filter((l) => l.trim() !== '').length} lines)`);
    const reply = await this.#deps.stdin(command, stdin);
    this.#logStdin(command, reply, entry);
    // a refused heredoc opens the editor on it, to fix and apply again
    if (!reply.ok) {
      this.#openEditor(command, 'apply', stdin, null);
      if (this.#editor) this.#editorStatus(this.#editor, reply.error ?? '', 'err');
    }
  }

  /** kubectl's lines of a stdin reply, as they are (one per document, errors included, in order). */
  #logStdin(command: string, reply: ReplyMessage, entry: HTMLElement | null): void {
    const target = entry ?? this.#append(command);
    target.classList.remove('pending');
    const out = target.querySelector('pre');
    if (!out) return;
    const text = (reply.ok ? reply.output : reply.error)?.trimEnd() || (reply.ok ? 'ok' : 'error: the server refused the command');
    if (reply.ok) {
      out.className = 'console-out ok';
      out.textContent = text;
    } else {
      // one line per document: the applied ones stay plain, kubectl's errors (and what follows them) in red
      target.classList.add('failed');
      out.className = 'console-out ok mixed';
      let inError = false;
      out.replaceChildren(...text.split('\n').map((line, i) => {
        if (/^(error|Error from server)\b/.test(line)) inError = true;
        else if (/^\S+\/\S+ (created|configured|unchanged|edited)/.test(line)) inError = false;
        return el('span', { class: inError ? 'err-line' : '', text: `${i > 0 ? '\n' : ''}${line}` });
      }));
    }
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

