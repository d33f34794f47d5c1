/**
 * Side panels fed by each snapshot: the pager (alerts fired and resolved), the incident list and the
 * `kubectl get events` table. Each list is rebuilt only when its content changed.
 */
import type { MatchStateView, TeamView } from '../../../shared/protocol.ts';
import { PagerFeed, sortIncidents, timeToMitigate } from '../view/feeds.ts';
import { incidentName } from '../view/workflow.ts';
import { formatAge, formatSimTime } from '../view/format.ts';
import { eventSource } from '../view/lobby.ts';
import { byId, el } from './dom.ts';

export class Feeds {
  readonly pager = new PagerFeed();
  readonly #pagerList = byId<HTMLUListElement>('pager-list');
  readonly #pagerCount = byId('pager-count');
  readonly #incidentList = byId<HTMLUListElement>('incident-list');
  readonly #eventsBody = byId<HTMLTableSectionElement>('events-body');
  #pagerKey = '';
  #incidentKey = '';
  #eventsKey = '';

  /** Forget the previous match's history. */
  reset(): void {
    this.pager.clear();
    this.#pagerKey = this.#incidentKey = this.#eventsKey = '';
  }

  render(view: MatchStateView, team: TeamView): void {
    this.pager.update(team.alerts, view.t);
    this.#renderPager();
    this.#renderIncidents(team, view.t);
    this.#renderEvents(team, view.t);
  }

  #renderPager(): void {
    const entries = this.pager.entries;
    const key = entries.map((e) => `${e.id}@${e.firedAt}-${e.resolvedAt}:${e.summary}`).join('|');
    const firing = this.pager.firing.length;
    this.#pagerCount.textContent = firing ? `${firing} firing` : '';
    this.#pagerCount.className = firing ? 'count hot' : 'count';
    if (key === this.#pagerKey) return;
    this.#pagerKey = key;
    if (!entries.length) {
      this.#pagerList.replaceChildren(el('li', { class: 'empty', text: 'No alerts. Quiet is good.' }));
      return;
    }
    this.#pagerList.replaceChildren(
      ...entries.map((e) => {
        const sev = e.severity === 'page' ? 'PAGE' : e.severity.toUpperCase() || 'ALERT';
        const state = e.resolvedAt === null ? `firing since ${formatSimTime(e.firedAt)}` : `resolved ${formatSimTime(e.resolvedAt)} after ${formatAge(e.resolvedAt - e.firedAt)}`;
        return el(
          'li',
          { class: `alert ${e.resolvedAt === null ? 'firing' : 'resolved'} sev-${e.severity}`, title: e.id },
          el('span', { class: 'sev', text: e.resolvedAt === null ? sev : 'OK' }),
          el('span', { class: 'summary', text: e.summary || e.id }),
          el('span', { class: 'meta', text: `${e.slo} · ${state}` }),
        );
      }),
    );
  }

  #renderIncidents(team: TeamView, now: number): void {
    const list = sortIncidents(team.incidents);
    const key = list.map((i) => `${i.id}:${i.status}:${i.mitigatedAt}:${i.revealed}`).join('|') + (list.some((i) => i.status !== 'mitigated') ? `@${Math.floor(now / 10)}` : '');
    if (key === this.#incidentKey) return;
    this.#incidentKey = key;
    if (!list.length) {
      this.#incidentList.replaceChildren(el('li', { class: 'empty', text: 'None yet.' }));
      return;
    }
    this.#incidentList.replaceChildren(
      ...list.map((i) => {
        const ttm = timeToMitigate(i);
        const meta = ttm === null ? `active for ${formatAge(now - i.startedAt)} (since ${formatSimTime(i.startedAt)})` : `mitigated in ${formatAge(ttm)}`;
        return el(
          'li',
          { class: `incident ${ttm === null ? 'active' : 'mitigated'}` },
          el('span', { class: 'sev', text: ttm === null ? 'ACTIVE' : 'FIXED' }),
          el('span', { class: 'summary', text: incidentName(i) }),
          el('span', { class: 'meta', text: meta }),
        );
      }),
    );
  }

  #renderEvents(team: TeamView, now: number): void {
    const events = team.events;
    const last = events[events.length - 1];
    const key = `${events.length}:${last?.seq ?? -1}:${Math.floor(now / 5)}`;
    if (key === this.#eventsKey) return;
    this.#eventsKey = key;
    // Newest first, so the latest event is visible without scrolling.
    const rows = [...events].reverse().map((e) =>
      el(
        'tr',
        { class: e.type === 'Warning' ? 'warning' : '' },
        el('td', { text: formatAge(now - e.t), title: `at ${formatSimTime(e.t)}` }),
        el('td', { text: e.type }),
        el('td', { text: e.reason }),
        el('td', { text: e.kind === '' ? '' : `${e.kind.toLowerCase()}/${e.name}` }),
        // A player's action (a row of the game's action log: no reason, the command as message) names the player (issue 8): `by ann` before it.
        el('td', { title: e.source ? `${e.message} (${eventSource(e.source)})` : e.message }, ...(e.source ? [el('span', { class: 'event-source', text: eventSource(e.source) }), ' '] : []), e.message),
      ),
    );
    if (!rows.length) rows.push(el('tr', {}, el('td', { text: 'No events yet.', attrs: { colspan: '5' } })));
    this.#eventsBody.replaceChildren(...rows);
  }
}
