/**
 * The workshop debrief (issue 10, in trainer.html): every match of the workshop with its teams side
 * by side (score, availability, error budget, players), each team's timeline of incidents (bars from
 * start to mitigation) and actions (ticks): a click on a mark or anywhere on the timeline opens that
 * team's replay at that moment (`replay.html?match=ID&t=SECONDS`); the incident and action lists and
 * the team's postmortem; export buttons (CSV, JSON, postmortems as Markdown) that fetch with the
 * trainer's token and save a file. Decisions: ../view/debrief.ts.
 */
import { exportTarget, parseDebrief, replayAt, secondAt, timelineMarks, timelineSpan, type Debrief, type DebriefTeam, type ExportFormat } from '../view/debrief.ts';
import { formatBudget, formatPercent, formatSimTime } from '../view/format.ts';
import { formatWhen } from '../view/api.ts';
import { httpErrorText, teamColor } from '../view/trainer.ts';
import { byId, el } from './dom.ts';

/** Authenticated fetch of the trainer page (adds the Bearer token). */
export type AuthFetch = (path: string, init?: RequestInit) => Promise<Response>;

/** Real milliseconds between debrief attempts while the match result is still being archived. */
const RETRY_MS = 1000;

export class DebriefView {
  readonly #root = byId('debrief');
  readonly #title = byId('debrief-title');
  readonly #status = byId('debrief-status');
  readonly #body = byId('debrief-body');
  readonly #fetch: AuthFetch;
  #workshop: { id: string; code: string } | null = null;
  #loaded: Debrief | null = null;

  constructor(authFetch: AuthFetch, onBack: () => void) {
    this.#fetch = authFetch;
    const exports: [string, ExportFormat][] = [
      ['export-csv', 'csv'],
      ['export-json', 'json'],
      ['export-md', 'markdown'],
    ];
    for (const [id, format] of exports) byId(id).addEventListener('click', () => void this.#export(format));
    byId('debrief-back').addEventListener('click', onBack);
  }

  get shown(): boolean {
    return !this.#root.hidden;
  }

  /** The loaded debrief (null before), for the page's debug hook. */
  get debrief(): Debrief | null {
    return this.#loaded;
  }

  hide(): void {
    this.#root.hidden = true;
  }

  /**
   * Show the debrief of workshop `id`: fetches `GET /api/workshops/:id/debrief`; while `expectMatches`
   * exceeds the finished matches (the last one is still being archived) it retries for a few seconds.
   */
  async show(workshop: { id: string; code: string; title: string }, expectMatches = 0): Promise<void> {
    this.#workshop = workshop;
    this.#root.hidden = false;
    this.#title.textContent = `Debrief: ${workshop.title}`;
    this.#setStatus('Loading the debrief…', false);
    try {
      for (let attempt = 0; ; attempt++) {
        const res = await this.#fetch(`/api/workshops/${encodeURIComponent(workshop.id)}/debrief`);
        const body: unknown = await res.json().catch(() => null);
        if (!res.ok) throw new Error(httpErrorText(res.status, body));
        const debrief = parseDebrief(body);
        if (debrief.matches.length < expectMatches && attempt < 10) {
          this.#setStatus('Waiting for the last match to be archived…', false);
          await new Promise((r) => setTimeout(r, RETRY_MS));
          continue;
        }
        this.#loaded = debrief;
        this.#render(debrief);
        this.#setStatus(debrief.matches.length ? '' : 'No finished match yet: the debrief fills in when a match ends.', false);
        return;
      }
    } catch (err) {
      this.#setStatus(`Could not load the debrief: ${err instanceof Error ? err.message : String(err)}`, true);
    }
  }

  #render(d: Debrief): void {
    this.#body.replaceChildren(
      ...d.matches.map((m, i) => {
        const span = timelineSpan(m);
        return el(
          'section',
          { class: 'debrief-match', attrs: { 'data-match-group': m.matchGroup } },
          el('h2', { text: `${i + 1}. ${m.scenarioId || 'scenario'}${m.endedAt ? ` · ended ${formatWhen(m.endedAt)}` : ''}` }),
          el('div', { class: 'debrief-teams' }, ...m.teams.map((t, rank) => this.#team(t, rank + 1, span))),
        );
      }),
    );
  }

  #team(t: DebriefTeam, rank: number, span: number): HTMLElement {
    const card = el('article', { class: 'debrief-team', attrs: { 'data-team': t.team, style: `--team: ${teamColor(t.team)}` } });
    const figures = el(
      'dl',
      { class: 'debrief-figures' },
      el('dt', { text: 'Score' }),
      el('dd', { class: 'debrief-score', text: String(Math.round(t.score)) }),
      el('dt', { text: 'Availability' }),
      el('dd', { text: t.availability === null ? '–' : formatPercent(t.availability) }),
      el('dt', { text: 'Error budget' }),
      el('dd', { text: t.errorBudgetRemaining === null ? '–' : formatBudget(t.errorBudgetRemaining).replace('error budget ', '') }),
      el('dt', { text: 'Players' }),
      el('dd', { text: t.players.join(', ') || '–' }),
    );
    // The timeline: a click anywhere opens the replay at that moment; marks are links of their own.
    const timeline = el('div', { class: 'timeline', title: 'Click to open the replay at that moment', attrs: { role: 'group', 'aria-label': `${t.team} timeline` } });
    const marks = timelineMarks(t, span);
    const lanes = Math.max(1, ...marks.map((m) => (m.lane ?? 0) + 1));
    const laneHeight = Math.max(4, Math.floor(14 / lanes));
    timeline.style.height = `${22 + lanes * (laneHeight + 2)}px`;
    for (const m of marks) {
      const a = el('a', {
        class: `mark ${m.kind}${m.kind === 'incident' && !m.open ? ' mitigated' : ''}`,
        title: m.label,
        attrs: { href: replayAt(t, m.t), target: '_blank', rel: 'noopener', 'aria-label': m.label, style:
            m.kind === 'incident'
              ? `left: ${(m.from * 100).toFixed(2)}%; width: ${((m.to - m.from) * 100).toFixed(2)}%; top: ${3 + (m.lane ?? 0) * (laneHeight + 2)}px; height: ${laneHeight}px`
              : `left: ${(m.from * 100).toFixed(2)}%; top: auto; bottom: 3px`,
        },
      });
      a.addEventListener('click', (e) => e.stopPropagation());
      timeline.append(a);
    }
    const jump = el('a', { class: 'replay-at', text: 'Open the replay', attrs: { href: t.replayUrl || replayAt(t, 0), target: '_blank', rel: 'noopener' } });
    timeline.addEventListener('click', (e) => {
      const box = timeline.getBoundingClientRect();
      const second = secondAt((e.clientX - box.left) / Math.max(1, box.width), span);
      jump.href = replayAt(t, second);
      jump.textContent = `Open ${t.team}'s replay at ${formatSimTime(second)}`;
      window.open(jump.href, '_blank', 'noopener');
    });
    const axis = el('div', { class: 'timeline-axis' }, el('span', { text: '0:00' }), el('span', { text: formatSimTime(span / 2) }), el('span', { text: formatSimTime(span) }));
    const incidents = el(
      'ul',
      { class: 'debrief-list debrief-incidents' },
      ...(t.incidents.length
        ? t.incidents.map((i) =>
            el(
              'li',
              {},
              el('a', { text: i.startedAt === null ? '–' : formatSimTime(i.startedAt), attrs: { href: replayAt(t, i.startedAt ?? 0), target: '_blank', rel: 'noopener' } }),
              ` ${i.title}${i.kind && i.kind !== i.title ? ` (${i.kind})` : ''}: ${i.mitigatedAt === null ? 'never mitigated' : `mitigated at ${formatSimTime(i.mitigatedAt)}`}`,
            ),
          )
        : [el('li', { class: 'empty', text: 'No incidents.' })]),
    );
    const actions = el(
      'ul',
      { class: 'debrief-list debrief-actions' },
      ...(t.actions.length
        ? t.actions.map((a) => el('li', {}, el('a', { text: formatSimTime(a.t), attrs: { href: replayAt(t, a.t), target: '_blank', rel: 'noopener' } }), ` ${a.player}: `, el('code', { text: a.command })))
        : [el('li', { class: 'empty', text: 'No actions.' })]),
    );
    const postmortem = el('details', { class: 'debrief-postmortem' }, el('summary', { text: 'Postmortem' }), el('pre', { text: t.postmortem || 'No postmortem stored for this team.' }));
    card.append(
      el('h3', {}, el('span', { text: `#${rank} ${t.team}` }), el('span', { class: 'debrief-score-head', text: `${Math.round(t.score)} pts` })),
      figures,
      timeline,
      axis,
      jump,
      el('h4', { text: 'Incidents' }),
      incidents,
      el('h4', { text: 'Actions' }),
      actions,
      postmortem,
    );
    return card;
  }

  async #export(format: ExportFormat): Promise<void> {
    const w = this.#workshop;
    if (!w) return;
    const target = exportTarget(w.id, w.code, format);
    this.#setStatus(`Exporting ${target.filename}…`, false);
    try {
      const res = await this.#fetch(target.path);
      if (!res.ok) throw new Error(httpErrorText(res.status, await res.json().catch(() => null)));
      const blob = new Blob([await res.arrayBuffer()], { type: target.type });
      const url = URL.createObjectURL(blob);
      const a = el('a', { attrs: { href: url, download: target.filename } });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.#setStatus(`Saved ${target.filename}.`, false);
    } catch (err) {
      this.#setStatus(`Export failed: ${err instanceof Error ? err.message : String(err)}`, true);
    }
  }

  #setStatus(text: string, error: boolean): void {
    this.#status.textContent = text;
    this.#status.className = error ? 'status error' : 'status';
  }
}
