/**
 * The account panel on the join screen (issue 10): Sign in / Register / Play as guest, or who is
 * signed in and Sign out. The session (token, name, kind, trainer) is kept in localStorage and added
 * to the join options by {@link AccountPanel.apply}. Decisions live in ../view/account.ts.
 *
 * Mounted at the top of `container` (the join card); builds its own elements, so index.html and the
 * join form stay as they are.
 */
import type { JoinOptions } from '../../../shared/protocol.ts';
import { SESSION_KEY, describeSession, readAccountForm, readSessionAnswer, restoreSession, withSession, type AccountMode, type Session } from '../view/account.ts';
import { el } from './dom.ts';

const LABELS: Record<AccountMode, string> = { login: 'Sign in', register: 'Register', guest: 'Play as guest' };

export class AccountPanel {
  #session: Session | null = restoreSession(localStorage.getItem(SESSION_KEY), Date.now());
  #mode: AccountMode = 'login';
  readonly #status = el('p', { class: 'hint', attrs: { role: 'status', 'aria-live': 'polite' } });
  readonly #error = el('p', { class: 'error', attrs: { role: 'alert' } });
  readonly #username = el('input', { attrs: { id: 'account-username', maxlength: '32', autocomplete: 'username' } });
  readonly #password = el('input', { attrs: { id: 'account-password', type: 'password', maxlength: '128', autocomplete: 'current-password' } });
  readonly #passwordLabel = el('label', { text: 'Password', attrs: { for: 'account-password' } });
  readonly #submit = el('button', { attrs: { type: 'submit' } });
  readonly #form = el('form', { class: 'account-form', attrs: { novalidate: '' } });
  readonly #signOut = el('button', { text: 'Sign out', attrs: { type: 'button' } });
  readonly #modes = el('div', { class: 'account-modes' });

  constructor(container: HTMLElement) {
    for (const mode of ['login', 'register', 'guest'] as const) {
      const button = el('button', { text: LABELS[mode], attrs: { type: 'button', 'data-mode': mode } });
      button.addEventListener('click', () => this.#setMode(mode));
      this.#modes.append(button);
    }
    this.#form.append(el('label', { text: 'Username', attrs: { for: 'account-username' } }), this.#username, this.#passwordLabel, this.#password, this.#submit);
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#send();
    });
    this.#signOut.addEventListener('click', () => this.#set(null));
    const panel = el('section', { class: 'account-panel', attrs: { 'aria-label': 'Account' } }, this.#status, this.#modes, this.#form, this.#signOut, this.#error);
    (container.querySelector('.join-card') ?? container).prepend(panel);
    this.#setMode('login');
    this.#render();
  }

  /** The join options with the session's token and name (unchanged when not signed in). */
  apply(options: JoinOptions): JoinOptions {
    return withSession(options, this.#session);
  }

  #setMode(mode: AccountMode): void {
    this.#mode = mode;
    this.#submit.textContent = LABELS[mode];
    this.#passwordLabel.hidden = this.#password.hidden = mode === 'guest';
    this.#password.autocomplete = mode === 'register' ? 'new-password' : 'current-password';
    for (const b of this.#modes.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
    this.#error.hidden = true;
  }

  async #send(): Promise<void> {
    const form = readAccountForm(this.#mode, this.#username.value, this.#password.value);
    if (!form.ok) return this.#fail(form.error, form.field === 'password' ? this.#password : this.#username);
    this.#submit.disabled = true;
    try {
      const res = await fetch(form.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(form.body) });
      const answer = readSessionAnswer(res.status, await res.json().catch(() => null));
      if (!answer.ok) return this.#fail(answer.error, this.#username);
      this.#password.value = '';
      this.#set(answer.session);
    } catch (err) {
      this.#fail(`Could not reach the server: ${err instanceof Error ? err.message : String(err)}`, this.#username);
    } finally {
      this.#submit.disabled = false;
    }
  }

  #set(session: Session | null): void {
    this.#session = session;
    if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    else localStorage.removeItem(SESSION_KEY);
    const name = document.getElementById('join-name') as HTMLInputElement | null;
    if (name && session) name.value = session.name;
    this.#render();
  }

  #render(): void {
    const signedIn = this.#session !== null;
    this.#status.textContent = describeSession(this.#session);
    this.#modes.hidden = this.#form.hidden = signedIn;
    this.#signOut.hidden = !signedIn;
    this.#error.hidden = true;
    const name = document.getElementById('join-name') as HTMLInputElement | null;
    if (name) {
      name.readOnly = signedIn;
      if (this.#session) name.value = this.#session.name;
    }
  }

  #fail(message: string, focus: HTMLInputElement): void {
    this.#error.textContent = message;
    this.#error.hidden = false;
    focus.focus();
  }
}
