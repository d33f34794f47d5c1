/**
 * The postmortem question in the end-of-match dialog (issue 8): for each incident that struck, pick
 * its root cause among plausible options (the real kind and distractors from the catalog); a correct
 * answer earns a bonus. Built inside the end dialog's body at start; rendered from the team view
 * (the options arrive with the final state). Decisions live in ../view/workflow.ts.
 */
import type { TeamView } from '../../../shared/protocol.ts';
import { postmortemQuestions } from '../view/workflow.ts';
import type { WorkflowSender } from './pagerPanel.ts';
import { byId, el } from './dom.ts';

export class PostmortemQuestion {
  readonly #list = el('div', { attrs: { id: 'end-question' } });
  readonly #status = el('p', { class: 'hint', attrs: { role: 'status', id: 'end-question-status' } });
  #send: WorkflowSender = () => null;
  #key = '';

  constructor() {
    const body = byId('end-dialog').querySelector('.dialog-body') ?? byId('end-dialog');
    body.prepend(el('h3', { text: 'Postmortem: what was the root cause?' }), this.#list, this.#status);
  }

  attach(send: WorkflowSender | null): void {
    this.#send = send ?? (() => null);
  }

  render(team: TeamView): void {
    const questions = postmortemQuestions(team);
    const key = questions.map((q) => `${q.label}:${q.answer}:${q.options.join(',')}`).join('|');
    if (key === this.#key) return;
    this.#key = key;
    if (!questions.length) {
      this.#list.replaceChildren(el('p', { class: 'hint', text: 'No incident to explain (or the debrief is still loading).' }));
      return;
    }
    this.#list.replaceChildren(
      ...questions.map((q) => {
        const row = el('div', { class: 'workflow-row', attrs: { 'data-incident': q.label } }, el('strong', { text: `${q.label}` }), ' ');
        if (q.answer) {
          row.append(q.correct ? `✓ ${q.answer}: correct (${q.title})` : `✗ you said ${q.answer}; it was ${q.title}`);
          return row;
        }
        const select = el('select', { attrs: { 'aria-label': `Root cause of ${q.label}` } }, ...q.options.map((o) => el('option', { text: o, attrs: { value: o } })));
        const button = el('button', { text: 'Answer', attrs: { type: 'button' } });
        button.addEventListener('click', () => {
          const reply = this.#send({ op: 'answer', incident: q.label, choice: select.value });
          if (!reply) return;
          button.disabled = true;
          void reply.then((r) => {
            this.#status.textContent = r.ok ? (r.output ?? '') : (r.error ?? 'refused');
            button.disabled = false;
          });
        });
        row.append(select, ' ', button);
        return row;
      }),
    );
  }
}
