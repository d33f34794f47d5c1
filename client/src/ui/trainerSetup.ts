/**
 * The trainer page's first screen (issue 10): the account panel (Sign in / Register, the same
 * session as the player page), then, for a trainer account, the create-workshop form (scenarios from
 * `GET /api/scenarios`, mode, teams, duration, time dilation, who picks teams, roles) with field
 * messages, and the trainer's own workshops (`GET /api/workshops`) with Open and Debrief. Decisions:
 * ../view/trainer.ts, ../view/account.ts.
 */
import { SESSION_KEY, restoreSession, type Session } from '../view/account.ts';
import { parseScenarios } from '../view/api.ts';
import { httpErrorText, parseTrainerWorkshop, parseWorkshopList, readWorkshopForm, type TrainerWorkshop, type WorkshopField } from '../view/trainer.ts';
import { AccountPanel } from './accountPanel.ts';
import type { AuthFetch } from './debriefView.ts';
import { byId, el } from './dom.ts';

/** What the page does when a workshop is created or picked. */
export interface SetupActions {
  open(workshop: TrainerWorkshop): void;
  debrief(workshop: TrainerWorkshop): void;
  /** The session changed (signed in or out). */
  session(session: Session | null): void;
}

export class TrainerSetup {
  readonly #root = byId('trainer-account');
  readonly #setup = byId('workshop-setup');
  readonly #form = byId<HTMLFormElement>('workshop-form-create');
  readonly #scenarios = byId<HTMLSelectElement>('ws-scenarios');
  readonly #status = byId('ws-status');
  readonly #error = byId('ws-error');
  readonly #listStatus = byId('ws-list-status');
  readonly #list = byId<HTMLUListElement>('ws-list');
  readonly #create = byId<HTMLButtonElement>('ws-create');
  readonly #fetch: AuthFetch;
  readonly #actions: SetupActions;
  #session: Session | null = null;

  constructor(authFetch: AuthFetch, actions: SetupActions) {
    this.#fetch = authFetch;
    this.#actions = actions;
    // The account panel mounts into the first `.join-card` (the account card); it keeps the session in localStorage.
    new AccountPanel(this.#root);
    new MutationObserver(() => this.#sessionChanged()).observe(this.#root, { subtree: true, childList: true, characterData: true });
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#submit();
    });
    byId<HTMLSelectElement>('ws-mode').addEventListener('change', () => this.#syncMode());
    this.#sessionChanged();
  }

  get session(): Session | null {
    return this.#session;
  }

  show(): void {
    this.#root.hidden = false;
    void this.refreshList();
  }

  hide(): void {
    this.#root.hidden = true;
  }

  /** Fill the scenario list (the first one picked). */
  async loadScenarios(): Promise<void> {
    try {
      const res = await fetch('/api/scenarios');
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const list = parseScenarios(await res.json());
      this.#scenarios.replaceChildren(...list.map((s) => el('option', { text: s.title, title: s.description, attrs: { value: s.id } })));
      const first = list.find((s) => s.isDefault) ?? list[0];
      if (first) this.#scenarios.value = first.id;
    } catch (err) {
      this.#fail(`The scenario list is unavailable (${err instanceof Error ? err.message : String(err)}): reload the page.`, this.#scenarios);
    }
  }

  /** `GET /api/workshops`: the trainer's workshops, newest first as the server lists them. */
  async refreshList(): Promise<void> {
    if (!this.#session?.trainer) return;
    this.#listStatus.textContent = 'Loading…';
    try {
      const res = await this.#fetch('/api/workshops');
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) throw new Error(httpErrorText(res.status, body));
      const list = parseWorkshopList(body);
      this.#listStatus.textContent = list.length ? '' : 'None yet: create one above.';
      this.#list.replaceChildren(
        ...list.map((w) => {
          const open = el('button', { text: 'Open', attrs: { type: 'button' } });
          open.addEventListener('click', () => this.#actions.open(w));
          const debrief = el('button', { text: 'Debrief', attrs: { type: 'button', class: 'ghost' } });
          debrief.addEventListener('click', () => this.#actions.debrief(w));
          return el('li', { attrs: { 'data-workshop': w.id } }, el('span', {}, el('strong', { text: w.title }), ` · ${w.code}${w.status ? ` · ${w.status}` : ''}`), el('span', {}, open, ' ', debrief));
        }),
      );
    } catch (err) {
      this.#listStatus.textContent = `Could not load your workshops: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  #sessionChanged(): void {
    const session = restoreSession(localStorage.getItem(SESSION_KEY), Date.now());
    const same = session?.token === this.#session?.token && session?.trainer === this.#session?.trainer;
    this.#session = session;
    this.#setup.hidden = !session?.trainer;
    let note = this.#root.querySelector<HTMLElement>('.trainer-rights');
    if (session && !session.trainer) {
      if (!note) {
        note = el('p', { class: 'error trainer-rights', attrs: { role: 'alert' } });
        this.#root.querySelector('.account-panel')?.after(note);
      }
      const text = `${session.name} has no trainer rights: ask an admin to run npx gameday trainer grant ${session.name} (or list the account in TRAINER_USERS), then sign in again.`;
      // Only on a change: this runs from a MutationObserver of the same subtree.
      if (note.textContent !== text) note.textContent = text;
    } else note?.remove();
    if (same) return;
    this.#actions.session(session);
    if (session?.trainer) void this.refreshList();
  }

  #syncMode(): void {
    const mode = byId<HTMLSelectElement>('ws-mode').value;
    const teams = byId<HTMLInputElement>('ws-teams');
    if (mode === 'redblue') teams.value = '2';
    if (mode === 'coop') teams.value = '1';
    if (mode === 'race' && Number(teams.value) < 2) teams.value = '2';
  }

  async #submit(): Promise<void> {
    const inputs: Record<WorkshopField, HTMLElement> = {
      title: byId('ws-title'),
      scenarios: this.#scenarios,
      teams: byId('ws-teams'),
      mode: byId('ws-mode'),
      duration: byId('ws-duration'),
      speed: byId('ws-speed'),
      teamChoice: byId('ws-team-choice'),
    };
    const value = (id: string): string => byId<HTMLInputElement | HTMLSelectElement>(id).value;
    const form = readWorkshopForm({
      title: value('ws-title'),
      scenarios: [...this.#scenarios.selectedOptions].map((o) => o.value),
      teams: value('ws-teams'),
      mode: value('ws-mode'),
      durationMinutes: value('ws-duration'),
      timeDilation: value('ws-speed'),
      roles: byId<HTMLInputElement>('ws-roles').checked,
      teamChoice: value('ws-team-choice'),
    });
    if (!form.ok) return this.#fail(form.error, inputs[form.field]);
    this.#error.hidden = true;
    this.#status.textContent = 'Creating the workshop…';
    this.#create.disabled = true;
    try {
      const res = await this.#fetch('/api/workshops', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(form.body) });
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) throw new Error(httpErrorText(res.status, body));
      const workshop = parseTrainerWorkshop(body);
      if (!workshop) throw new Error('the server answered without a workshop id and code');
      this.#status.textContent = '';
      this.#actions.open(workshop);
    } catch (err) {
      this.#status.textContent = '';
      this.#fail(`Could not create the workshop: ${err instanceof Error ? err.message : String(err)}`, this.#create);
    } finally {
      this.#create.disabled = false;
    }
  }

  #fail(message: string, focus: HTMLElement): void {
    this.#error.textContent = message;
    this.#error.hidden = false;
    focus.focus();
  }
}
