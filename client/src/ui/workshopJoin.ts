/**
 * "Join a workshop" on the start page (issue 10): a code field (filled from `/?workshop=CODE`), which
 * resolves the code with `GET /api/workshops/by-code/:code` (loading line; unknown code, ended
 * workshop and no-match-yet errors), shows the workshop's title and, when the workshop lets players
 * pick, a team picker; Join enters the workshop's room with `workshop: CODE`. Decisions live in
 * ../view/workshop.ts.
 *
 * Builds its own elements inside the join form, under the name and role and above Quick play
 * (index.html stays as it is).
 */
import { readJoinForm } from '../view/join.ts';
import { readByCodeAnswer, readWorkshopCode, workshopCodeFromUrl, workshopJoinOptions, type WorkshopInfo } from '../view/workshop.ts';
import type { JoinRequest } from '../view/lobby.ts';
import { el } from './dom.ts';

/** What the panel needs from the join screen: its busy line and its error line. */
export interface JoinStatus {
  busy(text: string): void;
  fail(message: string): void;
}

export class WorkshopJoin {
  readonly #code = el('input', { attrs: { id: 'workshop-code', maxlength: '200', autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. K7QM2XPA', 'aria-describedby': 'workshop-status' } });
  readonly #button = el('button', { text: 'Join workshop', attrs: { id: 'workshop-join', type: 'button' } });
  readonly #teamRow = el('div', { class: 'form-row', attrs: { id: 'workshop-team-row' } });
  readonly #team = el('select', { attrs: { id: 'workshop-team' } });
  readonly #status = el('p', { class: 'hint', attrs: { id: 'workshop-status', role: 'status', 'aria-live': 'polite' } });
  /** A section, not a form: it sits inside the join form, under the name (forms do not nest). */
  readonly #form = el('section', { class: 'workshop-form', attrs: { id: 'workshop-form', 'aria-label': 'Join a workshop' } });
  readonly #enter: (request: JoinRequest) => Promise<void>;
  readonly #joinStatus: JoinStatus;
  /** The workshop the current code resolved to (null until resolved, or after an error). */
  #workshop: WorkshopInfo | null = null;
  #resolving = 0;

  /**
   * @param container the join screen (the panel goes into its `.lobby-left` column).
   * @param enter joins the room (rejects with the SDK's error).
   */
  constructor(container: HTMLElement, enter: (request: JoinRequest) => Promise<void>, joinStatus: JoinStatus) {
    this.#enter = enter;
    this.#joinStatus = joinStatus;
    this.#teamRow.append(el('label', { text: 'Team', attrs: { for: 'workshop-team' } }), this.#team);
    this.#teamRow.hidden = true;
    this.#form.append(
      el('h2', { class: 'form-title', text: 'Join a workshop' }),
      el('label', { attrs: { for: 'workshop-code' } }, 'Workshop code ', el('span', { class: 'hint', text: '(from your trainer: the projector or the link)' })),
      this.#code,
      this.#teamRow,
      this.#button,
      this.#status,
    );
    this.#code.addEventListener('change', () => void this.resolve());
    this.#code.addEventListener('input', () => {
      this.#workshop = null;
      this.#teamRow.hidden = true;
      this.#status.textContent = '';
    });
    this.#button.addEventListener('click', () => void this.#join());
    // Enter in the code field joins the workshop (not Quick play, the join form's submit).
    this.#code.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      void this.#join();
    });
    // Under the player's name and role, above Quick play.
    const quickPlay = container.querySelector('#join-form h2.form-title');
    if (quickPlay) quickPlay.before(this.#form);
    else (container.querySelector('.lobby-left') ?? container).prepend(this.#form);
    const fromUrl = workshopCodeFromUrl(location.search);
    if (fromUrl) {
      this.#code.value = fromUrl;
      void this.resolve();
    }
  }

  /** True when the page was opened with `?workshop=CODE`. */
  get fromLink(): boolean {
    return workshopCodeFromUrl(location.search) !== null;
  }

  /** Look the typed code up; shows the workshop or the reason it cannot be joined. */
  async resolve(): Promise<WorkshopInfo | null> {
    const typed = this.#code.value;
    const code = readWorkshopCode(typed);
    this.#workshop = null;
    this.#teamRow.hidden = true;
    if (typed.trim() === '') {
      this.#show('', false);
      return null;
    }
    if (!code) {
      this.#show('That is not a workshop code: 4 or more letters and digits, as your trainer shows it.', true);
      return null;
    }
    const ticket = ++this.#resolving;
    this.#show(`Looking up workshop ${code}…`, false);
    this.#button.disabled = true;
    try {
      const res = await fetch(`/api/workshops/by-code/${encodeURIComponent(code)}`);
      const answer = readByCodeAnswer(code, res.status, await res.json().catch(() => null));
      if (ticket !== this.#resolving) return null;
      if (!answer.ok) {
        this.#show(answer.error, true);
        return null;
      }
      this.#workshop = answer.workshop;
      const w = answer.workshop;
      if (w.teamChoice === 'players' && w.teams.length > 1) {
        this.#team.replaceChildren(...w.teams.map((t) => el('option', { text: t, attrs: { value: t } })));
        this.#teamRow.hidden = false;
      }
      this.#show(`Workshop “${w.title}”${w.mode ? ` · ${w.mode}` : ''} · ${w.status || 'open'}: type your name above (or sign in) and join.`, false);
      return w;
    } catch (err) {
      if (ticket === this.#resolving) this.#show(`Could not reach the server: ${err instanceof Error ? err.message : String(err)}`, true);
      return null;
    } finally {
      if (ticket === this.#resolving) this.#button.disabled = false;
    }
  }

  async #join(): Promise<void> {
    const workshop = this.#workshop ?? (await this.resolve());
    if (!workshop) {
      this.#code.focus();
      return;
    }
    const nameInput = document.getElementById('join-name') as HTMLInputElement | null;
    const player = readJoinForm({ name: nameInput?.value ?? '', scenario: '', seed: '', search: '' });
    if (!player.ok) {
      this.#joinStatus.fail(player.error);
      nameInput?.focus();
      return;
    }
    localStorage.setItem('gameday.name', player.options.name);
    const options = workshopJoinOptions({ name: player.options.name }, workshop, this.#team.value);
    this.#joinStatus.busy(`Joining workshop “${workshop.title}”…`);
    this.#button.disabled = true;
    try {
      await this.#enter({ kind: 'join', roomId: workshop.roomId, options });
      this.#joinStatus.busy('');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.#joinStatus.fail(`Could not join the workshop: ${/not found|no rooms/i.test(message) ? 'its match is no longer open (it ended or moved on): look the code up again.' : message}`);
      this.#workshop = null;
    } finally {
      this.#button.disabled = false;
    }
  }

  #show(text: string, error: boolean): void {
    this.#status.textContent = text;
    this.#status.className = error ? 'hint error' : 'hint';
  }
}
