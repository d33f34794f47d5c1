/**
 * The lobby screen (issue 8): the player (name, spectator, role), Quick play (scenario from
 * `GET /api/scenarios`, mode filter, optional seed), Create a match (scenario, mode, teams, duration,
 * time dilation, roles, start in the lobby) and the open matches of `GET /api/lobby` (refreshed every
 * {@link LOBBY_REFRESH_MS} while shown, and by Refresh), each with Join. Shows "Connecting…" while
 * matchmaking and the server's reason when it fails. Decisions: ../view/join.ts, ../view/lobby.ts.
 */
import { parseScenarios } from '../view/api.ts';
import { readJoinForm } from '../view/join.ts';
import { joinErrorText, joinListedOptions, lobbyRowText, parseLobby, readCreateForm, type FormField, type JoinRequest, type LobbyRow } from '../view/lobby.ts';
import { byId, el } from './dom.ts';

const NAME_KEY = 'gameday.name';
/** Real milliseconds between refreshes of the open-match list while the screen is shown. */
export const LOBBY_REFRESH_MS = 4000;

export class JoinScreen {
  readonly #screen = byId('join-screen');
  readonly #form = byId<HTMLFormElement>('join-form');
  readonly #name = byId<HTMLInputElement>('join-name');
  readonly #spectator = byId<HTMLInputElement>('join-spectator');
  readonly #roleRow = byId('join-role-row');
  readonly #role = byId<HTMLSelectElement>('join-role');
  readonly #scenario = byId<HTMLSelectElement>('join-scenario');
  readonly #mode = byId<HTMLSelectElement>('join-mode');
  readonly #description = byId('scenario-description');
  readonly #seed = byId<HTMLInputElement>('join-seed');
  readonly #button = byId<HTMLButtonElement>('join-button');
  readonly #createToggle = byId<HTMLButtonElement>('create-toggle');
  readonly #createForm = byId<HTMLFormElement>('create-form');
  readonly #createScenario = byId<HTMLSelectElement>('create-scenario');
  readonly #createMode = byId<HTMLSelectElement>('create-mode');
  readonly #createTeamsRow = byId('create-teams-row');
  readonly #createTeams = byId<HTMLInputElement>('create-teams');
  readonly #createDuration = byId<HTMLInputElement>('create-duration');
  readonly #createSpeed = byId<HTMLInputElement>('create-speed');
  readonly #createRoles = byId<HTMLInputElement>('create-roles');
  readonly #createLobby = byId<HTMLInputElement>('create-lobby');
  readonly #createButton = byId<HTMLButtonElement>('create-button');
  readonly #status = byId('join-status');
  readonly #error = byId('join-error');
  readonly #lobbyState = byId('lobby-state');
  readonly #lobbyList = byId<HTMLUListElement>('lobby-list');
  readonly #refresh = byId<HTMLButtonElement>('lobby-refresh');
  readonly #descriptions = new Map<string, string>();
  readonly #onJoin: (request: JoinRequest) => Promise<void>;
  #rows: LobbyRow[] = [];
  #busy = false;
  #timer: ReturnType<typeof setInterval> | null = null;
  #loaded = false;

  /** @param onJoin called with a validated request; reject to show the error. */
  constructor(onJoin: (request: JoinRequest) => Promise<void>) {
    this.#onJoin = onJoin;
    this.#name.value = localStorage.getItem(NAME_KEY) ?? '';
    this.#scenario.addEventListener('change', () => this.#describe());
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault();
      const result = readJoinForm({ ...this.#player(), scenario: this.#scenario.value, seed: this.#seed.value, search: location.search, mode: this.#mode.value });
      if (!result.ok) {
        this.#fieldError(result.field, result.error);
        return;
      }
      this.#enter({ kind: 'quick', options: result.options });
    });
    this.#createToggle.addEventListener('click', () => this.#openCreate(this.#createForm.hidden));
    byId('create-cancel').addEventListener('click', () => this.#openCreate(false));
    this.#createMode.addEventListener('change', () => this.#syncCreate());
    this.#createRoles.addEventListener('change', () => this.#syncRole());
    this.#spectator.addEventListener('change', () => this.#renderList());
    this.#createForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const result = readCreateForm({
        ...this.#player(),
        scenario: this.#createScenario.value,
        mode: this.#createMode.value,
        teams: this.#createTeams.value,
        durationMinutes: this.#createDuration.value,
        timeDilation: this.#createSpeed.value,
        roles: this.#createRoles.checked,
        lobby: this.#createLobby.checked,
        seed: '',
      });
      if (!result.ok) {
        this.#fieldError(result.field, result.error);
        return;
      }
      this.#enter({ kind: 'create', options: result.options });
    });
    // Esc closes the Create form (the page's other Esc handling leaves inputs).
    this.#createForm.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      this.#openCreate(false);
    });
    this.#refresh.addEventListener('click', () => void this.refreshList());
    this.#lobbyList.addEventListener('click', (e) => {
      const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-room]');
      const row = button && this.#rows.find((r) => r.roomId === button.dataset.room);
      if (!row) return;
      const result = joinListedOptions(this.#player(), row);
      if (!result.ok) {
        this.#fieldError(result.field, result.error);
        return;
      }
      this.#enter({ kind: 'join', roomId: row.roomId, options: result.options });
    });
    this.#syncCreate();
  }

  /** Fill the scenario selects from the server (keeps the "Default scenario" entry when that fails). */
  async loadScenarios(): Promise<void> {
    try {
      const res = await fetch('/api/scenarios');
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const list = parseScenarios(await res.json());
      if (!list.length) return;
      const dflt = list.find((s) => s.isDefault) ?? list[0];
      for (const select of [this.#scenario, this.#createScenario]) {
        select.replaceChildren(...list.map((s) => el('option', { text: s.title, attrs: { value: s.id } })));
        if (dflt) select.value = dflt.id;
      }
      for (const s of list) this.#descriptions.set(s.id, s.description);
      this.#describe();
    } catch (err) {
      this.#description.textContent = `Scenario list unavailable (${errorText(err)}); the default scenario will be used.`;
    }
  }

  /** Fetch `GET /api/lobby` and redraw the list (loading, empty and error states). */
  async refreshList(): Promise<void> {
    if (!this.#loaded) this.#lobbyState.textContent = 'Loading open matches…';
    this.#refresh.disabled = true;
    try {
      const res = await fetch('/api/lobby');
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.#rows = parseLobby(await res.json());
      this.#loaded = true;
      this.#lobbyState.className = 'hint';
      this.#renderList();
    } catch (err) {
      this.#lobbyState.className = 'hint error';
      this.#lobbyState.textContent = `Could not load the open matches (${errorText(err)}); retrying every ${LOBBY_REFRESH_MS / 1000} s.`;
    } finally {
      this.#refresh.disabled = false;
    }
  }

  show(): void {
    this.#screen.hidden = false;
    this.busy('');
    this.#name.focus();
    void this.refreshList();
    this.#timer ??= setInterval(() => {
      if (!this.#screen.hidden) void this.refreshList();
    }, LOBBY_REFRESH_MS);
  }

  hide(): void {
    this.#screen.hidden = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Disable the forms and the list's buttons and show a status line ('' re-enables). */
  busy(text: string): void {
    this.#busy = text !== '';
    this.#button.disabled = this.#busy;
    this.#createButton.disabled = this.#busy;
    for (const b of this.#lobbyList.querySelectorAll<HTMLButtonElement>('button[data-room]')) b.disabled = this.#busy || b.dataset.blocked === 'true';
    this.#status.textContent = text;
    if (text) this.#error.hidden = true;
  }

  fail(message: string): void {
    this.busy('');
    this.#error.textContent = message;
    this.#error.hidden = false;
  }

  #player(): { name: string; spectator: boolean; role: string } {
    return { name: this.#name.value, spectator: this.#spectator.checked, role: this.#role.value };
  }

  #enter(request: JoinRequest): void {
    localStorage.setItem(NAME_KEY, request.options.name);
    this.busy(request.kind === 'create' ? 'Creating the match…' : 'Connecting…');
    this.#onJoin(request).then(
      () => this.busy(''),
      (err: unknown) => {
        this.fail(`Could not ${request.kind === 'create' ? 'create the match' : 'join'}: ${joinErrorText(errorText(err), request.kind)}`);
        void this.refreshList();
      },
    );
  }

  #fieldError(field: FormField, message: string): void {
    this.fail(message);
    const inputs: Partial<Record<FormField, HTMLElement>> = {
      name: this.#name,
      seed: this.#createForm.hidden ? this.#seed : undefined,
      mode: this.#createMode,
      teams: this.#createTeams,
      duration: this.#createDuration,
      speed: this.#createSpeed,
      scenario: this.#createScenario,
    };
    (inputs[field] ?? this.#name).focus();
  }

  #openCreate(open: boolean): void {
    this.#createForm.hidden = !open;
    this.#createToggle.setAttribute('aria-expanded', String(open));
    this.#createToggle.textContent = open ? 'Hide the Create form' : 'Create a match…';
    if (open) {
      if (this.#scenario.value) this.#createScenario.value = this.#scenario.value;
      this.#createMode.focus();
    } else this.#createToggle.focus();
    this.#syncRole();
  }

  #syncCreate(): void {
    const race = this.#createMode.value === 'race';
    this.#createTeamsRow.hidden = !race;
  }

  /** The role picker shows when a role can matter: creating with roles, or a listed match plays with them. */
  #syncRole(): void {
    this.#roleRow.hidden = !((!this.#createForm.hidden && this.#createRoles.checked) || this.#rows.some((r) => r.roles));
  }

  #renderList(): void {
    this.#syncRole();
    if (!this.#rows.length) {
      this.#lobbyState.textContent = 'No open matches. Quick play or create one.';
      this.#lobbyList.replaceChildren();
      return;
    }
    this.#lobbyState.textContent = `${this.#rows.length} open match${this.#rows.length === 1 ? '' : 'es'}`;
    const spectator = this.#spectator.checked;
    this.#lobbyList.replaceChildren(
      ...this.#rows.map((row) => {
        const text = lobbyRowText(row, spectator);
        const button = el('button', {
          text: spectator ? 'Watch' : 'Join',
          title: text.joinable ? `${spectator ? 'Watch' : 'Join'} ${text.title} (${row.matchId || row.roomId})` : text.reason,
          attrs: { type: 'button', 'data-room': row.roomId, 'data-blocked': String(!text.joinable) },
        });
        button.disabled = this.#busy || !text.joinable;
        return el(
          'li',
          { class: `lobby-row phase-${row.phase}`, attrs: { 'data-room-id': row.roomId } },
          el(
            'div',
            { class: 'lobby-info' },
            el('div', { class: 'lobby-title' }, el('span', { text: text.title }), ' ', el('span', { class: `badge phase ${row.phase}`, text: text.phase })),
            el('div', { class: 'lobby-meta', text: `${text.mode} · ${text.players}` }),
            ...(text.joinable ? [] : [el('div', { class: 'hint', text: text.reason })]),
          ),
          button,
        );
      }),
    );
  }

  #describe(): void {
    this.#description.textContent = this.#descriptions.get(this.#scenario.value) ?? '';
  }
}

/** A readable reason from whatever the SDK or fetch threw. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  return 'unknown error';
}
