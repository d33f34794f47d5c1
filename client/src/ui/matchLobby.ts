/**
 * The lobby inside a match (issue 8): the waiting room over the map while the phase is `lobby`
 * (players by team with role and ready state, pick a team, pick a role, Ready, Start for the
 * host/trainer: disabled with the reason otherwise), and three sidebar panels: the live Scoreboard
 * (team races and red vs blue), Players (who is in, team, role, connected) and the match feed
 * (roster notices naming players). Spectators get a hint and no action UI. The panels are built here
 * and mounted into `#sidebar` / `#map-column` ({@link MatchLobby.mount}); decisions live in
 * ../view/lobby.ts.
 */
import type { LobbyMessage, MatchStateView, ReplyMessage } from '../../../shared/protocol.ts';
import { MODE_LABELS, NoticeFeed, ROLES, ROLE_LABELS, actionHint, roleLabel, roster, scoreLines, showsScoreboard, waitingRoom, type RosterEntry } from '../view/lobby.ts';
import { byId, el } from './dom.ts';

/** What the panels need from the room. */
export interface MatchLobbyDeps {
  /** Sends a `lobby` message; resolves with the reply (never rejects). */
  send(message: Omit<LobbyMessage, 'id'>): Promise<ReplyMessage>;
}

function roleSelect(id: string, current: string): HTMLSelectElement {
  const select = el('select', { attrs: { id, 'aria-label': 'Your role' } }, el('option', { text: 'Pick a role…', attrs: { value: '' } }), ...ROLES.map((r) => el('option', { text: ROLE_LABELS[r], attrs: { value: r } })));
  select.value = current;
  return select;
}

function teamChip(team: string): HTMLElement {
  return el('span', { class: `team-chip team-${team}`, text: team });
}

export class MatchLobby {
  readonly notices = new NoticeFeed();
  readonly #waiting = el('div', { class: 'waiting-room', attrs: { id: 'waiting-room', role: 'dialog', 'aria-label': 'Waiting room' } });
  readonly #hint = el('p', { class: 'action-hint', attrs: { id: 'action-hint', role: 'note' } });
  readonly #scorePanel = el('section', { class: 'panel', attrs: { id: 'scoreboard' } });
  readonly #scoreList = el('ol', { class: 'scoreboard-list', attrs: { id: 'scoreboard-list' } });
  readonly #playersPanel = el('section', { class: 'panel', attrs: { id: 'players-panel' } });
  readonly #playersCount = el('span', { class: 'count' });
  readonly #playersList = el('ul', { class: 'feed players-list', attrs: { id: 'players-list' } });
  readonly #playersRole = el('div', { class: 'players-role' });
  readonly #noticePanel = el('section', { class: 'panel', attrs: { id: 'notices' } });
  readonly #noticeList = el('ul', { class: 'feed notice-list', attrs: { id: 'notice-list' } });
  readonly #result = el('p', { class: 'result', attrs: { id: 'lobby-result', role: 'status' } });
  #deps: MatchLobbyDeps | null = null;
  #view: MatchStateView | null = null;
  #sessionId = '';
  #waitingKey = '';
  #scoreKey = '';
  /** Scoreboard rows by team id, updated in place. */
  readonly #scoreRows = new Map<string, HTMLLIElement>();
  #playersKey = '';
  #noticeVersion = -1;
  /** Team a spectator (or trainer) chose to watch on the scoreboard; '' = the default. */
  watching = '';

  /** Builds the panels into the page (once). */
  mount(): void {
    const sidebar = byId('sidebar');
    this.#scorePanel.append(el('h2', { text: 'Scoreboard' }), this.#scoreList);
    this.#scorePanel.hidden = true;
    this.#playersPanel.append(el('h2', {}, 'Players ', this.#playersCount), this.#playersRole, this.#playersList);
    this.#noticePanel.append(el('h2', { text: 'Match feed' }), this.#noticeList);
    this.#noticeList.replaceChildren(el('li', { class: 'empty', text: 'Joins, team changes and starts show here.' }));
    this.#hint.hidden = true;
    const pager = document.getElementById('pager');
    sidebar.insertBefore(this.#hint, sidebar.firstChild);
    sidebar.insertBefore(this.#scorePanel, pager);
    sidebar.append(this.#playersPanel, this.#noticePanel);
    this.#waiting.hidden = true;
    byId('map-column').append(this.#waiting);
    this.#waiting.addEventListener('click', (e) => this.#onWaitingClick(e));
    this.#waiting.addEventListener('change', (e) => this.#onRoleChange(e));
    this.#playersRole.addEventListener('change', (e) => this.#onRoleChange(e));
    this.#scoreList.addEventListener('click', (e) => {
      const li = (e.target as HTMLElement).closest<HTMLElement>('li[data-team]');
      const me = this.#me();
      if (!li || !(me?.spectator || me?.trainer)) return;
      this.watching = li.dataset.team ?? '';
      this.#scoreKey = '';
      if (this.#view) this.render(this.#view, this.#sessionId);
    });
  }

  attach(deps: MatchLobbyDeps | null): void {
    this.#deps = deps;
  }

  /** Forget the previous match. */
  reset(): void {
    this.notices.clear();
    this.#view = null;
    this.#waitingKey = this.#scoreKey = this.#playersKey = '';
    this.#noticeVersion = -1;
    this.watching = '';
    this.#result.textContent = '';
    this.#waiting.hidden = true;
    this.#spectatorMode(false);
  }

  /** True while the waiting room is shown. */
  get open(): boolean {
    return !this.#waiting.hidden;
  }

  /** The tab's player is a spectator (no action UI). */
  get spectating(): boolean {
    return this.#me()?.spectator === true;
  }

  /** `R`: toggles the tab's ready state (waiting room only). */
  toggleReady(): void {
    const me = this.#me();
    if (!me || me.spectator || this.#view?.phase !== 'lobby') return;
    void this.#send({ op: 'ready', value: !me.ready });
  }

  render(view: MatchStateView, sessionId: string): void {
    this.#view = view;
    this.#sessionId = sessionId;
    const me = this.#me();
    const hint = actionHint(view, me);
    this.#hint.textContent = hint;
    this.#hint.hidden = hint === '' || view.phase === 'lobby';
    this.#spectatorMode(me?.spectator === true);
    this.#renderWaiting(view, sessionId);
    this.#renderScoreboard(view, me);
    this.#renderPlayers(view, sessionId, me);
    this.#renderNotices();
  }

  /** Spectators get no action UI: the console is disabled with a hint, context-panel actions are hidden (CSS). */
  #spectatorMode(on: boolean): void {
    if (document.body.classList.contains('spectating') === on) return;
    document.body.classList.toggle('spectating', on);
    const input = document.getElementById('console-input');
    if (input instanceof HTMLInputElement) {
      input.disabled = on;
      input.placeholder = on ? 'spectators watch: the console is off' : 'kubectl get pods';
    }
  }

  #me(): RosterEntry | undefined {
    return this.#view ? roster(this.#view, this.#sessionId).find((p) => p.me) : undefined;
  }

  async #send(message: Omit<LobbyMessage, 'id'>): Promise<void> {
    if (!this.#deps) return;
    this.#result.className = 'result pending';
    this.#result.textContent = '…';
    const reply = await this.#deps.send(message);
    this.#result.className = `result ${reply.ok ? 'ok' : 'err'}`;
    this.#result.textContent = reply.ok ? (reply.output ?? 'ok') : `Refused: ${reply.error ?? 'unknown error'}`;
  }

  #onWaitingClick(e: Event): void {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-op]');
    if (!button || button.disabled) return;
    const me = this.#me();
    switch (button.dataset.op) {
      case 'team':
        void this.#send({ op: 'team', value: button.dataset.team ?? '' });
        return;
      case 'ready':
        void this.#send({ op: 'ready', value: !(me?.ready ?? false) });
        return;
      case 'start':
        void this.#send({ op: 'start' });
        return;
      case 'force':
        void this.#send({ op: 'start', value: true });
        return;
    }
  }

  #onRoleChange(e: Event): void {
    const select = e.target as HTMLSelectElement;
    if (!(select instanceof HTMLSelectElement) || !select.value) return;
    const role = ROLES.find((r) => r === select.value);
    if (role) void this.#send({ op: 'role', value: role });
  }

  #renderWaiting(view: MatchStateView, sessionId: string): void {
    if (view.phase !== 'lobby') {
      this.#waiting.hidden = true;
      this.#waitingKey = '';
      return;
    }
    this.#waiting.hidden = false;
    const room = waitingRoom(view, sessionId);
    const key = JSON.stringify([room, view.mode, view.roles, view.scenarioTitle]);
    if (key === this.#waitingKey) return;
    this.#waitingKey = key;
    const me = room.me;
    const canPlay = me !== undefined && !me.spectator;
    const teams = room.teams.map(({ team, players }) => {
      const mine = me?.team === team && canPlay;
      const pick = el('button', { text: mine ? 'Your team' : `Join ${team}`, class: mine ? 'ghost' : '', attrs: { type: 'button', 'data-op': 'team', 'data-team': team } });
      pick.disabled = !canPlay || mine;
      return el(
        'section',
        { class: `waiting-team team-${team}${mine ? ' mine' : ''}`, attrs: { 'data-team': team } },
        el('h3', {}, teamChip(team), ` ${players.length} player${players.length === 1 ? '' : 's'}`, pick),
        el(
          'ul',
          {},
          ...(players.length
            ? players.map((p) =>
                el(
                  'li',
                  { class: `${p.ready ? 'ready' : 'not-ready'}${p.me ? ' me' : ''}`, attrs: { 'data-player': p.name } },
                  el('span', { class: 'who', text: `${p.name}${p.me ? ' (you)' : ''}${p.host ? ' · host' : ''}` }),
                  ...(view.roles ? [el('span', { class: 'role', text: roleLabel(p.role) })] : []),
                  el('span', { class: 'ready-state', text: p.ready ? '✓ ready' : 'not ready' }),
                ),
              )
            : [el('li', { class: 'empty', text: 'Nobody yet.' })]),
        ),
      );
    });
    const ready = el('button', { text: me?.ready ? 'Not ready' : 'Ready', class: me?.ready ? 'ghost' : '', attrs: { type: 'button', 'data-op': 'ready', id: 'ready-button', title: 'Toggle ready (R)' } });
    ready.disabled = !canPlay;
    const start = el('button', { text: 'Start match', attrs: { type: 'button', 'data-op': 'start', id: 'start-button', title: room.start.reason || 'Start the match for everyone' } });
    start.disabled = !room.start.canStart;
    const controls: (Node | string)[] = [ready, start];
    if (room.start.canForce) controls.push(el('button', { text: 'Start anyway', class: 'ghost', attrs: { type: 'button', 'data-op': 'force', id: 'force-start-button', title: 'Start without waiting for everyone to be ready' } }));
    controls.push(el('span', { class: 'hint start-reason', text: room.start.reason, attrs: { id: 'start-reason' } }));
    const spectators = room.spectators.length ? [el('p', { class: 'hint', text: `Watching: ${room.spectators.map((p) => p.name).join(', ')}` })] : [];
    const roleRow = view.roles && canPlay ? [el('label', { class: 'waiting-role' }, 'Your role ', roleSelect('waiting-role', me.role))] : [];
    this.#waiting.replaceChildren(
      el(
        'div',
        { class: 'waiting-card' },
        el('h2', { text: `Waiting room · ${MODE_LABELS[view.mode]} · ${view.scenarioTitle || view.scenarioId}` }),
        el('p', { class: 'hint', text: me?.spectator ? 'You are watching as a spectator: the host starts the match.' : `${room.ready} of ${room.seated} ready. Pick a team, then Ready (or press R).` }),
        el('div', { class: 'waiting-teams' }, ...teams),
        ...spectators,
        ...roleRow,
        el('div', { class: 'waiting-controls' }, ...controls),
        this.#result,
      ),
    );
  }

  #renderScoreboard(view: MatchStateView, me: RosterEntry | undefined): void {
    const shown = showsScoreboard(view);
    this.#scorePanel.hidden = !shown;
    if (!shown) return;
    const myTeam = me && !me.spectator ? me.team : '';
    const lines = scoreLines(view, myTeam);
    const watch = me?.spectator || me?.trainer ? this.watching || me.team : '';
    const key = JSON.stringify([lines, watch]);
    if (key === this.#scoreKey) return;
    this.#scoreKey = key;
    if (!lines.length) {
      this.#scoreRows.clear();
      this.#scoreList.replaceChildren(el('li', { class: 'empty', text: 'No scores yet.' }));
      return;
    }
    // Rows are kept per team and updated in place (scores change every tick): a row being clicked
    // must not be replaced under the pointer.
    const rows = lines.map((l) => {
      let row = this.#scoreRows.get(l.team);
      if (!row) {
        row = el('li', { attrs: { 'data-team': l.team } }, el('span', { class: 'rank' }), teamChip(l.team), el('span', { class: 'score-players' }), el('span', { class: 'score-points' }));
        this.#scoreRows.set(l.team, row);
      }
      row.className = `score-row${l.mine ? ' mine' : ''}${watch && l.team === watch ? ' watched' : ''}`;
      row.title = l.players.length ? `players: ${l.players.join(', ')}` : 'no players';
      const [rank, , players, points] = Array.from(row.children);
      if (rank) rank.textContent = `#${l.rank}`;
      if (players) players.textContent = l.players.join(', ') || '—';
      if (points) points.textContent = String(l.score);
      return row;
    });
    for (const team of [...this.#scoreRows.keys()]) if (!lines.some((l) => l.team === team)) this.#scoreRows.delete(team);
    const current = Array.from(this.#scoreList.children);
    if (current.length !== rows.length || rows.some((r, i) => current[i] !== r)) this.#scoreList.replaceChildren(...rows);
  }

  #renderPlayers(view: MatchStateView, sessionId: string, me: RosterEntry | undefined): void {
    const list = roster(view, sessionId);
    const key = JSON.stringify([list, view.roles, view.phase]);
    if (key === this.#playersKey) return;
    this.#playersKey = key;
    this.#playersCount.textContent = String(list.length);
    const canRole = view.roles && me !== undefined && !me.spectator && view.phase !== 'ended';
    this.#playersRole.replaceChildren(...(canRole ? [el('label', {}, 'Your role ', roleSelect('players-role', me.role))] : []));
    this.#playersList.replaceChildren(
      ...list.map((p) =>
        el(
          'li',
          { class: `player${p.connected ? '' : ' offline'}${p.me ? ' me' : ''}`, attrs: { 'data-player': p.name } },
          el('span', { class: `dot ${p.connected ? 'on' : 'off'}`, title: p.connected ? 'connected' : 'disconnected (seat kept 60 s)' }),
          el('span', { class: 'who', text: `${p.name}${p.me ? ' (you)' : ''}` }),
          p.spectator ? el('span', { class: 'team-chip spectator', text: 'spectator' }) : teamChip(p.team),
          el('span', { class: 'meta', text: [view.roles && !p.spectator ? roleLabel(p.role) : '', p.host ? 'host' : '', p.trainer ? 'trainer' : '', view.phase === 'lobby' && !p.spectator ? (p.ready ? 'ready' : 'not ready') : ''].filter(Boolean).join(' · ') }),
        ),
      ),
    );
  }

  #renderNotices(): void {
    if (this.notices.version === this.#noticeVersion) return;
    this.#noticeVersion = this.notices.version;
    const entries = this.notices.entries;
    this.#noticeList.replaceChildren(...(entries.length ? entries.map((n) => el('li', { class: 'notice', text: n.line })) : [el('li', { class: 'empty', text: 'Joins, team changes and starts show here.' })]));
  }
}
