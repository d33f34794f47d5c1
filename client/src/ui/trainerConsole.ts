/**
 * The live game-master console (issue 10, trainer.html `#workshop-live`): the join code, link and QR
 * code for a projector; start / pause / resume / speed / end / next-scenario controls with keyboard
 * shortcuts (`?` lists them); the side-by-side team cards (click one to watch its cluster live); the
 * roster by team with a Move picker; injecting any catalog incident into any team now or at a sim
 * second; hints and messages to one team or all; a log of the server's answers. Decisions live in
 * ../view/trainer.ts; this file places text and wires events. The room link is passed in (the SDK
 * stays in ../net/).
 */
import type { MatchStateView, ReplyMessage } from '../../../shared/protocol.ts';
import {
  TRAINER_SHORTCUTS,
  controlsFor,
  injectKinds,
  injectTargets,
  matchStatusLine,
  readInjectForm,
  readMessageForm,
  rosterByTeam,
  stepSpeed,
  teamCards,
  teamColor,
  planLine,
  trainerShortcut,
  type ControlOp,
  type PlannedInjection,
  type InjectKind,
  type TrainerWorkshop,
} from '../view/trainer.ts';
import { teamIds } from '../view/lobby.ts';
import { formatSimTime } from '../view/format.ts';
import { workshopLink } from '../view/workshop.ts';
import { byId, el, isTyping } from './dom.ts';

/** What the console sends: `control` ops and the lobby start (both answered with a reply). */
export interface TrainerLink {
  control(op: ControlOp): Promise<ReplyMessage>;
  start(): Promise<ReplyMessage>;
}

/** What the page does for the console. */
export interface TrainerActions {
  /** Watch a team's cluster on the map (null: stop). */
  watch(team: string | null): void;
  next(): Promise<void>;
  debrief(): void;
  close(): void;
}

export class TrainerConsole {
  readonly #root = byId('workshop-live');
  readonly #status = byId('trainer-status');
  readonly #result = byId('trainer-result');
  readonly #cards = byId('team-cards');
  readonly #roster = byId('roster-body');
  readonly #log = byId('trainer-log');
  readonly #speed = byId('ctl-speed');
  readonly #buttons = {
    start: byId<HTMLButtonElement>('ctl-start'),
    pause: byId<HTMLButtonElement>('ctl-pause'),
    resume: byId<HTMLButtonElement>('ctl-resume'),
    slower: byId<HTMLButtonElement>('ctl-slower'),
    faster: byId<HTMLButtonElement>('ctl-faster'),
    end: byId<HTMLButtonElement>('ctl-end'),
    next: byId<HTMLButtonElement>('ctl-next'),
  };
  readonly #endConfirmRow = byId('ctl-end-confirm-row');
  readonly #injectKind = byId<HTMLSelectElement>('inject-kind');
  readonly #injectHelp = byId('inject-help');
  readonly #injectTeam = byId<HTMLSelectElement>('inject-team');
  readonly #injectTarget = byId<HTMLInputElement>('inject-target');
  readonly #injectTargets = byId<HTMLDataListElement>('inject-targets');
  readonly #injectAt = byId<HTMLInputElement>('inject-at');
  readonly #messageTeam = byId<HTMLSelectElement>('message-team');
  readonly #messageKind = byId<HTMLSelectElement>('message-kind');
  readonly #messageText = byId<HTMLTextAreaElement>('message-text');
  readonly #help = byId<HTMLDialogElement>('trainer-help');
  readonly #kinds: InjectKind[] = injectKinds();
  readonly #actions: TrainerActions;
  #link: TrainerLink | null = null;
  #view: MatchStateView | null = null;
  #watching: string | null = null;
  #teamsShape = '';
  #cardsShape = '';
  #rosterShape = '';
  #targetsShape = '';
  #logged = 0;

  constructor(actions: TrainerActions) {
    this.#actions = actions;
    this.#injectKind.replaceChildren(...this.#kinds.map((k) => el('option', { text: `${k.kind} — ${k.title}`, attrs: { value: k.kind } })));
    this.#injectKind.addEventListener('change', () => this.#syncTargets(true));
    this.#injectTeam.addEventListener('change', () => this.#syncTargets(true));
    byId<HTMLFormElement>('inject-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.#inject();
    });
    byId<HTMLFormElement>('message-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.#message();
    });
    this.#messageText.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        this.#message();
      }
    });
    this.#buttons.start.addEventListener('click', () => this.#start());
    this.#buttons.pause.addEventListener('click', () => this.#send({ op: 'pause' }, 'pause'));
    this.#buttons.resume.addEventListener('click', () => this.#send({ op: 'resume' }, 'resume'));
    this.#buttons.slower.addEventListener('click', () => this.#changeSpeed(-1));
    this.#buttons.faster.addEventListener('click', () => this.#changeSpeed(1));
    this.#buttons.end.addEventListener('click', () => this.#askEnd());
    byId('ctl-end-confirm').addEventListener('click', () => this.#end());
    byId('ctl-end-cancel').addEventListener('click', () => this.#cancelEnd());
    this.#buttons.next.addEventListener('click', () => void this.#actions.next());
    byId('ctl-debrief').addEventListener('click', () => this.#actions.debrief());
    byId('ctl-close').addEventListener('click', () => this.#actions.close());
    byId('watch-close').addEventListener('click', () => this.watch(null));
    this.#cards.addEventListener('click', (e) => {
      const card = (e.target as HTMLElement).closest<HTMLElement>('[data-team]');
      if (card?.dataset.team) this.watch(this.#watching === card.dataset.team ? null : card.dataset.team);
    });
    this.#roster.addEventListener('change', (e) => {
      const select = (e.target as HTMLElement).closest<HTMLSelectElement>('select[data-player]');
      if (!select?.dataset.player || !select.value) return;
      this.#send({ op: 'move', player: select.dataset.player, team: select.value }, `move ${select.dataset.player} to ${select.value}`);
    });
    byId('trainer-shortcuts').replaceChildren(...TRAINER_SHORTCUTS.flatMap(([key, what]) => [el('dt', {}, el('kbd', { text: key })), el('dd', { text: what })]));
    byId('trainer-help-button').addEventListener('click', () => this.#toggleHelp());
    document.addEventListener('keydown', (e) => this.#key(e));
  }

  /** Show the console for `workshop` (code, link, QR image URL or null). */
  show(workshop: TrainerWorkshop, qrUrl: string | null): void {
    this.#root.hidden = false;
    byId('ws-code').textContent = workshop.code;
    byId('ws-title-shown').textContent = workshop.title;
    const link = byId<HTMLAnchorElement>('ws-link');
    link.href = workshopLink(location.origin, workshop.code);
    link.textContent = link.href;
    const qr = byId<HTMLImageElement>('ws-qr');
    if (qrUrl) qr.src = qrUrl;
    qr.hidden = qrUrl === null;
  }

  hide(): void {
    this.#root.hidden = true;
  }

  get shown(): boolean {
    return !this.#root.hidden;
  }

  /** The room link (null when not connected). */
  attach(link: TrainerLink | null): void {
    this.#link = link;
    this.render(this.#view);
  }

  /** Watch `team`'s cluster (null: stop). */
  watch(team: string | null): void {
    this.#watching = team;
    byId('trainer-watch').hidden = team === null;
    if (team) byId('watch-title').textContent = `Watching team ${team} live`;
    this.#actions.watch(team);
    if (team && this.#injectTeam.querySelector(`option[value="${CSS.escape(team)}"]`)) {
      this.#injectTeam.value = team;
      this.#syncTargets(true);
    }
    this.render(this.#view);
  }

  get watching(): string | null {
    return this.#watching;
  }

  /** A line in the console log (newest first, at most 50). */
  log(text: string, ok = true): void {
    if (this.#logged === 0) this.#log.replaceChildren();
    this.#logged++;
    this.#log.prepend(el('li', { class: ok ? '' : 'failed', text }));
    while (this.#log.children.length > 50) this.#log.lastElementChild?.remove();
  }

  /** The timed injections not started yet (`workshop` op `plan`). */
  plan(pending: readonly PlannedInjection[]): void {
    byId('inject-plan').replaceChildren(...(pending.length ? pending.map((p) => el('li', { text: planLine(p) })) : [el('li', { class: 'empty', text: 'No timed injections.' })]));
  }

  /** Say what happened on the result line (and log it). */
  report(text: string, ok: boolean): void {
    this.#result.textContent = text;
    this.#result.className = ok ? 'result' : 'result error';
    this.log(text, ok);
  }

  render(view: MatchStateView | null): void {
    this.#view = view;
    const connected = this.#link !== null;
    const phase = view?.phase ?? '';
    const allowed = controlsFor(phase, connected);
    this.#buttons.start.disabled = !allowed.start;
    this.#buttons.pause.disabled = !allowed.pause;
    this.#buttons.resume.disabled = !allowed.resume;
    this.#buttons.slower.disabled = this.#buttons.faster.disabled = !allowed.speed;
    this.#buttons.end.disabled = !allowed.end;
    this.#status.textContent = view ? matchStatusLine(view) : connected ? 'Connecting…' : 'Not connected to the match.';
    this.#status.dataset.phase = phase;
    this.#speed.textContent = view ? `${view.timeDilation}×` : '–';
    if (!view) return;
    this.#renderTeams(view);
    this.#renderCards(view);
    this.#renderRoster(view);
  }

  #renderTeams(view: MatchStateView): void {
    const teams = teamIds(view);
    const shape = teams.join(',');
    if (shape === this.#teamsShape) return;
    this.#teamsShape = shape;
    const keepInject = this.#injectTeam.value;
    const keepMessage = this.#messageTeam.value;
    this.#injectTeam.replaceChildren(...teams.map((t) => el('option', { text: t, attrs: { value: t } })));
    this.#messageTeam.replaceChildren(el('option', { text: 'All teams', attrs: { value: '' } }), ...teams.map((t) => el('option', { text: `Team ${t}`, attrs: { value: t } })));
    if (teams.includes(keepInject)) this.#injectTeam.value = keepInject;
    if (keepMessage === '' || teams.includes(keepMessage)) this.#messageTeam.value = keepMessage;
    this.#syncTargets(false);
  }

  #renderCards(view: MatchStateView): void {
    const cards = teamCards(view);
    // Rebuild only on a change (a click must not land on a card replaced under the pointer).
    const shape = JSON.stringify([cards, this.#watching]);
    if (shape === this.#cardsShape) return;
    this.#cardsShape = shape;
    this.#cards.replaceChildren(
      ...cards.map((c) =>
        el(
          'button',
          {
            class: `team-card${c.team === this.#watching ? ' watched' : ''}`,
            title: `Watch team ${c.team}'s cluster live`,
            attrs: { type: 'button', 'data-team': c.team, style: `--team: ${teamColor(c.team)}`, 'aria-pressed': String(c.team === this.#watching) },
          },
          el('h3', {}, el('span', { text: c.team }), el('span', { class: 'card-score', text: `${Math.round(c.score)} pts` })),
          c.visible
            ? el(
                'span',
                {},
                el('span', { class: `big card-availability ${c.breaching ? 'bad' : 'ok'}`, text: c.availability }),
                el('span', { class: 'hint', text: ` SLO ${c.target}` }),
              )
            : el('span', { class: 'hint', text: 'cluster not visible yet' }),
          el('span', { class: `card-budget ${c.budgetRemaining < 0.25 ? 'bad' : c.budgetRemaining < 0.5 ? 'warn' : ''}`, text: c.budget }),
          el('span', { class: `card-burn ${c.burning ? 'warn' : ''}`, text: `burn ${c.burn}` }),
          el('span', { class: `card-pages ${c.paging ? 'bad' : ''}`, text: `${c.paging ? '⚠ paging · ' : ''}${c.alerts} alert${c.alerts === 1 ? '' : 's'} · ${c.unackedPages} unacked page${c.unackedPages === 1 ? '' : 's'}` }),
          el('span', { class: `card-incidents ${c.openIncidents ? 'bad' : ''}`, text: `${c.openIncidents} incident${c.openIncidents === 1 ? '' : 's'} open${c.openTitles.length ? `: ${c.openTitles.join(', ')}` : ''}` }),
          el('span', { class: 'players', text: c.players.length ? c.players.join(', ') : 'no players yet' }),
        ),
      ),
    );
  }

  #renderRoster(view: MatchStateView): void {
    const groups = rosterByTeam(view);
    const teams = groups.map((g) => g.team);
    const shape = JSON.stringify(groups.map((g) => [g.team, g.players.map((p) => [p.name, p.connected, p.role])]));
    if (shape === this.#rosterShape) return;
    this.#rosterShape = shape;
    if (!groups.some((g) => g.players.length)) {
      this.#roster.replaceChildren(el('p', { class: 'hint', text: 'Nobody has joined yet: share the code.' }));
      return;
    }
    this.#roster.replaceChildren(
      ...groups.map((g) =>
        el(
          'div',
          { class: 'roster-team', attrs: { 'data-team': g.team } },
          el('h3', { text: `Team ${g.team} (${g.players.length})` }),
          el(
            'ul',
            {},
            ...g.players.map((p) => {
              const move = el('select', { attrs: { 'data-player': p.name, 'aria-label': `Move ${p.name} to team` } }, el('option', { text: 'Move to…', attrs: { value: '' } }), ...teams.filter((t) => t !== p.team).map((t) => el('option', { text: t, attrs: { value: t } })));
              return el(
                'li',
                { class: p.connected ? '' : 'offline', attrs: { 'data-player': p.name } },
                el('span', { class: 'roster-name', text: `${p.name}${p.role ? ` (${p.role})` : ''}${p.connected ? '' : ' · offline'}` }),
                move,
              );
            }),
            ...(g.players.length ? [] : [el('li', { class: 'hint', text: 'empty' })]),
          ),
        ),
      ),
    );
  }

  /** Refill the target suggestions for the picked kind and team (`reset`: put the first in the field). */
  #syncTargets(reset: boolean): void {
    const kind = this.#kinds.find((k) => k.kind === this.#injectKind.value);
    this.#injectHelp.textContent = kind ? `Target: ${kind.targetHelp}` : '';
    const targets = kind ? injectTargets(kind.targetKind, this.#view?.teams.get(this.#injectTeam.value)) : [];
    const shape = `${kind?.kind}|${this.#injectTeam.value}|${targets.join(',')}`;
    if (shape === this.#targetsShape && !reset) return;
    this.#targetsShape = shape;
    this.#injectTargets.replaceChildren(...targets.map((t) => el('option', { attrs: { value: t } })));
    if ((reset || this.#injectTarget.value === '') && targets[0] !== undefined) this.#injectTarget.value = kind?.targetKind === 'EtcdMembers' ? targets.slice(0, Math.floor(targets.length / 2) + 1).join(',') : targets[0];
  }

  #inject(): void {
    const form = readInjectForm({ kind: this.#injectKind.value, team: this.#injectTeam.value, target: this.#injectTarget.value, delay: this.#injectAt.value }, this.#kinds);
    if (!form.ok) {
      this.report(form.error, false);
      ({ kind: this.#injectKind, team: this.#injectTeam, target: this.#injectTarget, delay: this.#injectAt })[form.field].focus();
      return;
    }
    const op = form.op;
    if (op.op !== 'inject') return;
    this.#send(op, `inject ${op.incident.type} on ${op.incident.target} into team ${op.team}${op.atSeconds === undefined ? ' now' : ` in ${formatSimTime(op.atSeconds)} (sim)`}`);
  }

  #message(): void {
    const form = readMessageForm({ team: this.#messageTeam.value, text: this.#messageText.value, kind: this.#messageKind.value });
    if (!form.ok) {
      this.report(form.error, false);
      this.#messageText.focus();
      return;
    }
    const op = form.op;
    if (op.op !== 'message') return;
    this.#send(op, `${op.kind} to ${op.team ? `team ${op.team}` : 'all teams'}: ${op.text}`, () => {
      this.#messageText.value = '';
    });
  }

  #start(): void {
    const link = this.#link;
    if (!link) return this.report('Not connected to the match.', false);
    this.#result.textContent = 'starting…';
    void link.start().then((r) => this.report(r.ok ? `started${r.output ? `: ${r.output}` : ''}` : `start refused: ${r.error ?? ''}`, r.ok));
  }

  #changeSpeed(dir: 1 | -1): void {
    const current = this.#view?.timeDilation ?? 1;
    const next = stepSpeed(current, dir);
    if (next === current) return;
    this.#send({ op: 'speed', timeDilation: next }, `speed ${next}×`);
  }

  #askEnd(): void {
    this.#endConfirmRow.hidden = false;
    this.#buttons.end.hidden = true;
    byId('ctl-end-confirm').focus();
  }

  #cancelEnd(): void {
    this.#endConfirmRow.hidden = true;
    this.#buttons.end.hidden = false;
  }

  #end(): void {
    this.#cancelEnd();
    this.#send({ op: 'end' }, 'end the match');
  }

  #send(op: ControlOp, what: string, onOk?: () => void): void {
    const link = this.#link;
    if (!link) return this.report('Not connected to the match.', false);
    this.#result.className = 'result';
    this.#result.textContent = `${what}…`;
    void link.control(op).then((r) => {
      if (r.ok) onOk?.();
      this.report(r.ok ? `${what}: ${r.output ?? 'done'}` : `${what}: refused: ${r.error ?? 'no reason given'}`, r.ok);
    });
  }

  #toggleHelp(): void {
    if (this.#help.open) this.#help.close();
    else this.#help.showModal();
  }

  #key(e: KeyboardEvent): void {
    const cmd = trainerShortcut(e.key, isTyping(e.target), e.ctrlKey || e.metaKey || e.altKey);
    if (!cmd) return;
    if (cmd === 'help') {
      e.preventDefault();
      this.#toggleHelp();
      return;
    }
    if (this.#help.open || !this.shown) return;
    e.preventDefault();
    const allowed = controlsFor(this.#view?.phase ?? '', this.#link !== null);
    switch (cmd) {
      case 'start':
        if (allowed.start) this.#start();
        return;
      case 'pauseResume':
        if (allowed.pause) this.#send({ op: 'pause' }, 'pause');
        else if (allowed.resume) this.#send({ op: 'resume' }, 'resume');
        return;
      case 'faster':
      case 'slower':
        if (allowed.speed) this.#changeSpeed(cmd === 'faster' ? 1 : -1);
        return;
      case 'end':
        if (!allowed.end) return;
        if (this.#endConfirmRow.hidden) this.#askEnd();
        else this.#end();
        return;
      case 'next':
        void this.#actions.next();
        return;
      case 'focusInject':
        this.#injectKind.focus();
        return;
      case 'focusMessage':
        this.#messageText.focus();
        return;
      case 'watchAll':
        this.watch(null);
        return;
      default: {
        const n = Number(cmd.slice('watch:'.length));
        const team = this.#view ? teamIds(this.#view)[n - 1] : undefined;
        if (team) this.watch(team);
      }
    }
  }
}
