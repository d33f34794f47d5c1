/** The help dialog (shortcuts, kubectl commands, pod status legend) and the end-of-match dialog. */
import type { MatchEndedMessage } from '../../../shared/protocol.ts';
import { KUBECTL_HELP, SHORTCUTS } from '../view/console.ts';
import { LEGEND_STATUSES, podStatusStyle } from '../view/podStatus.ts';
import { endSummary } from '../view/summary.ts';
import { replayUrl } from '../view/replay.ts';
import { byId, el } from './dom.ts';

/** A legend item: coloured swatch + glyph + status text (colour is never the only cue). */
export function legendItem(status: string, ready?: boolean): HTMLElement {
  const st = podStatusStyle(status, ready);
  const swatch = el('span', { class: `swatch marker-${st.marker}`, text: st.glyph });
  swatch.style.setProperty('--chip', st.css);
  return el('li', {}, swatch, st.label);
}

/** The statuses the legend explains, with `Running (not Ready)`. */
export function legendItems(): HTMLElement[] {
  return [...LEGEND_STATUSES.map((s) => legendItem(s)), legendItem('Running', false)];
}

export class HelpDialog {
  readonly #dialog = byId<HTMLDialogElement>('help-dialog');

  constructor() {
    byId('help-shortcuts').replaceChildren(...SHORTCUTS.flatMap((s) => [el('dt', {}, el('kbd', { text: s.keys })), el('dd', { text: s.does })]));
    byId('help-commands').textContent = KUBECTL_HELP;
    byId('help-legend').replaceChildren(...legendItems());
  }

  get open(): boolean {
    return this.#dialog.open;
  }

  show(): void {
    if (!this.#dialog.open) this.#dialog.showModal();
  }

  close(): void {
    if (this.#dialog.open) this.#dialog.close();
  }
}

export class EndDialog {
  readonly #dialog = byId<HTMLDialogElement>('end-dialog');
  #matchId = '';

  constructor(onAgain: () => void) {
    byId('end-again').addEventListener('click', () => {
      this.#dialog.close();
      onAgain();
    });
    byId('end-postmortem').addEventListener('click', () => void this.#downloadPostmortem());
  }

  /**
   * Fetches `GET /api/matches/:id/postmortem` and saves it as a file. The result is archived a moment
   * after the match ends, so a 404 is retried a few times (1 s apart) before saying so.
   */
  async #downloadPostmortem(): Promise<void> {
    const button = byId<HTMLButtonElement>('end-postmortem');
    const status = byId('end-postmortem-status');
    const id = this.#matchId;
    button.disabled = true;
    status.textContent = 'Writing the postmortem (replaying the match)…';
    try {
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(`/api/matches/${encodeURIComponent(id)}/postmortem`);
        if (res.status === 404 && attempt < 5) {
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        if (!res.ok) {
          const body = (await res.json().catch(() => ({}))) as { error?: string };
          throw new Error(body.error ?? `HTTP ${res.status}`);
        }
        const url = URL.createObjectURL(await res.blob());
        const a = el('a', { attrs: { href: url, download: `postmortem-${id}.md` } });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        status.textContent = 'Postmortem saved.';
        return;
      }
    } catch (e) {
      status.textContent = `No postmortem: ${(e as Error).message}`;
    } finally {
      button.disabled = false;
    }
  }

  get open(): boolean {
    return this.#dialog.open;
  }

  show(msg: MatchEndedMessage): void {
    const s = endSummary(msg);
    this.#matchId = msg.matchId;
    byId<HTMLAnchorElement>('end-replay').href = replayUrl(msg.matchId);
    byId('end-postmortem-status').textContent = '';
    const score = byId('end-score');
    score.textContent = String(s.score);
    score.classList.toggle('negative', s.score < 0);
    byId('end-figures').replaceChildren(...s.figures.flatMap((f) => [el('dt', { text: f.label }), el('dd', { text: f.value })]));
    byId('end-incidents').replaceChildren(
      ...(s.incidents.length
        ? s.incidents.map((i) => el('li', {}, el('strong', { text: i.id }), ` (${i.type}) struck ${i.started}, ${i.mitigated}`))
        : [el('li', { text: 'No incidents struck.' })]),
    );
    byId('end-breakdown').replaceChildren(...s.breakdown.flatMap((b) => [el('dt', { text: b.label, attrs: { title: b.name } }), el('dd', { text: b.value })]));
    const formula = byId('end-formula');
    formula.hidden = false;
    formula.textContent = s.formula;
    byId('end-players').replaceChildren(...s.players.map((p) => el('li', { text: `${p.name} (${p.team}): ${Math.round(p.score)}` })));
    if (!this.#dialog.open) this.#dialog.showModal();
  }
}
