/**
 * The incident workflow controls (issue 8) under the pager: the team's pages with Ack (shortcut `A`),
 * Declare (severity + summary), Resolve, a status-update box, a follow-up box (planning: action items,
 * bugs, handoffs for the postmortem), and Hint (reveals one incident's cause for points), plus the declared incidents, the latest status updates and the latest follow-ups (live). Decisions live in
 * ../view/workflow.ts; this file places text and wires events. Built inside `#pager` at start (no
 * index.html markup needed).
 */
import type { MatchStateView, ReplyMessage, TeamView } from '../../../shared/protocol.ts';
import { SEVERITY_CHOICES, hintable, openDeclared, pageRows, unackedPages, type WorkflowOp } from '../view/workflow.ts';
import { byId, el } from './dom.ts';

/** Sends a workflow operation; null when not connected. */
export type WorkflowSender = (op: WorkflowOp) => Promise<ReplyMessage> | null;

export class PagerPanel {
  readonly #root = el('div', { class: 'workflow', attrs: { id: 'workflow' } });
  readonly #pages = el('ul', { class: 'feed', attrs: { id: 'workflow-pages', 'aria-label': 'Pages' } });
  readonly #ack = el('button', { text: 'Ack (A)', title: 'Acknowledge every open page (shortcut A)', attrs: { type: 'button', id: 'workflow-ack' } });
  readonly #severity = el('select', { attrs: { id: 'workflow-severity', 'aria-label': 'Severity' } });
  readonly #summary = el('input', { attrs: { id: 'workflow-summary', placeholder: 'What is broken (one line)', maxlength: '120', 'aria-label': 'Incident summary' } });
  readonly #declare = el('button', { text: 'Declare', attrs: { type: 'button', id: 'workflow-declare' } });
  readonly #resolve = el('button', { text: 'Resolve', class: 'ghost', title: 'Mark the latest declared incident resolved', attrs: { type: 'button', id: 'workflow-resolve' } });
  readonly #update = el('input', { attrs: { id: 'workflow-update', placeholder: 'Status update for stakeholders', maxlength: '280', 'aria-label': 'Status update' } });
  readonly #post = el('button', { text: 'Post update', class: 'ghost', attrs: { type: 'button', id: 'workflow-post' } });
  readonly #followup = el('input', { attrs: { id: 'workflow-followup', placeholder: 'Follow-up: action item, bug, handoff', maxlength: '200', 'aria-label': 'Follow-up' } });
  readonly #file = el('button', { text: 'File follow-up', class: 'ghost', title: 'Planning: listed in the postmortem action items', attrs: { type: 'button', id: 'workflow-file' } });
  readonly #hintTarget = el('select', { attrs: { id: 'workflow-hint-target', 'aria-label': 'Incident to get a hint for' } });
  readonly #hint = el('button', { text: 'Hint', class: 'ghost', attrs: { type: 'button', id: 'workflow-hint' } });
  readonly #declared = el('ul', { class: 'feed', attrs: { id: 'workflow-declared', 'aria-label': 'Declared incidents' } });
  readonly #status = el('p', { class: 'result', attrs: { id: 'workflow-status', role: 'status' } });
  #send: WorkflowSender = () => null;
  #key = '';

  constructor() {
    for (const s of SEVERITY_CHOICES) this.#severity.append(el('option', { text: s.label, attrs: { value: s.value } }));
    this.#severity.value = 'SEV2';
    this.#root.append(
      this.#pages,
      el('div', { class: 'workflow-row' }, this.#ack, this.#resolve),
      el('div', { class: 'workflow-row' }, this.#severity, this.#summary, this.#declare),
      el('div', { class: 'workflow-row' }, this.#update, this.#post),
      el('div', { class: 'workflow-row' }, this.#followup, this.#file),
      el('div', { class: 'workflow-row' }, this.#hintTarget, this.#hint),
      this.#declared,
      this.#status,
    );
    byId('pager').append(this.#root);
    this.#ack.addEventListener('click', () => this.ack());
    this.#declare.addEventListener('click', () => {
      const summary = this.#summary.value.trim();
      if (!summary) return this.#say('Write what is broken first.', false);
      void this.#run({ op: 'declare', severity: this.#severity.value as (typeof SEVERITY_CHOICES)[number]['value'], summary }).then((ok) => {
        if (ok) this.#summary.value = '';
      });
    });
    this.#resolve.addEventListener('click', () => void this.#run({ op: 'resolve' }));
    const post = () => {
      const text = this.#update.value.trim();
      if (!text) return;
      void this.#run({ op: 'update', text }).then((ok) => {
        if (ok) this.#update.value = '';
      });
    };
    this.#post.addEventListener('click', post);
    this.#update.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') post();
    });
    const file = () => {
      const text = this.#followup.value.trim();
      if (!text) return;
      void this.#run({ op: 'followup', text }).then((ok) => {
        if (ok) this.#followup.value = '';
      });
    };
    this.#file.addEventListener('click', file);
    this.#followup.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') file();
    });
    this.#hint.addEventListener('click', () => {
      const incident = this.#hintTarget.value;
      if (incident) void this.#run({ op: 'hint', incident });
    });
  }

  /** Where operations go (null: not connected). */
  attach(send: WorkflowSender | null): void {
    this.#send = send ?? (() => null);
  }

  /** Acknowledge every open page (the Ack button and the `A` shortcut). */
  ack(): void {
    void this.#run({ op: 'ack' });
  }

  async #run(op: WorkflowOp): Promise<boolean> {
    const reply = this.#send(op);
    if (!reply) {
      this.#say('Not connected to a match.', false);
      return false;
    }
    const r = await reply;
    this.#say(r.ok ? (r.output ?? 'done') : (r.error ?? 'refused'), r.ok);
    return r.ok;
  }

  #say(text: string, ok: boolean): void {
    this.#status.textContent = text;
    this.#status.className = `result ${ok ? 'ok' : 'error'}`;
  }

  /** Forget the previous match. */
  reset(): void {
    this.#key = '';
    this.#status.textContent = '';
  }

  render(view: MatchStateView, team: TeamView): void {
    const now = view.t;
    const rows = pageRows(team, now);
    const hints = hintable(team);
    const open = openDeclared(team);
    const key = [
      view.phase,
      Math.floor(now / 10),
      rows.map((r) => `${r.id}:${r.state}`).join('|'),
      hints.join(','),
      team.declared.map((d) => `${d.id}:${d.mitigatedAt}:${d.resolvedAt}`).join('|'),
      team.updates.length,
      team.followups.length,
      team.hintCost,
    ].join('#');
    if (key === this.#key) return;
    this.#key = key;
    const live = view.phase === 'running' || view.phase === 'paused';
    this.#pages.replaceChildren(
      ...(rows.length
        ? rows.map((r) =>
            el('li', { class: `alert ${r.acked ? 'resolved' : 'firing'} sev-page`, title: r.id }, el('span', { class: 'sev', text: r.acked ? 'ACKED' : 'PAGE' }), el('span', { class: 'summary', text: `${r.id}: ${r.alert}` }), el('span', { class: 'meta', text: r.state })),
          )
        : [el('li', { class: 'empty', text: 'No pages yet.' })]),
    );
    const unacked = unackedPages(team);
    this.#ack.disabled = !live || unacked === 0;
    this.#ack.textContent = unacked > 0 ? `Ack ${unacked} (A)` : 'Ack (A)';
    this.#declare.disabled = !live;
    this.#post.disabled = !live;
    this.#file.disabled = !live;
    this.#resolve.disabled = !live || open === undefined;
    this.#resolve.title = open ? `Mark ${open.id} resolved` : 'Declare an incident first';
    const selected = this.#hintTarget.value;
    this.#hintTarget.replaceChildren(...(hints.length ? hints.map((h) => el('option', { text: h, attrs: { value: h } })) : [el('option', { text: 'no hidden incident', attrs: { value: '' } })]));
    if (hints.includes(selected)) this.#hintTarget.value = selected;
    this.#hint.disabled = !live || hints.length === 0;
    this.#hint.textContent = `Hint (−${team.hintCost} pts)`;
    this.#hint.title = `Reveal the cause of the selected incident: costs ${team.hintCost} points`;
    const lastUpdates = team.updates.slice(-3).reverse();
    const lastFollowups = team.followups.slice(-3).reverse();
    this.#declared.replaceChildren(
      ...team.declared.map((d) =>
        el('li', { class: `incident ${d.resolvedAt >= 0 ? 'mitigated' : 'active'}` }, el('span', { class: 'sev', text: d.severity }), el('span', { class: 'summary', text: `${d.id}: ${d.summary}` }), el('span', { class: 'meta', text: d.resolvedAt >= 0 ? `resolved at ${d.resolvedAt}s` : d.mitigatedAt >= 0 ? `mitigated at ${d.mitigatedAt}s` : `declared by ${d.declaredBy} at ${d.declaredAt}s` })),
      ),
      ...lastUpdates.map((u) => el('li', { class: 'update' }, el('span', { class: 'sev', text: 'UPDATE' }), el('span', { class: 'summary', text: u.text }), el('span', { class: 'meta', text: `${u.by} at ${u.t}s` }))),
      // The Planning role's follow-ups as they are filed (the postmortem lists them under Action items).
      ...lastFollowups.map((u) => el('li', { class: 'update followup', title: u.id }, el('span', { class: 'sev', text: 'FOLLOW-UP' }), el('span', { class: 'summary', text: u.text }), el('span', { class: 'meta', text: `${u.id} by ${u.by} at ${u.t}s` }))),
    );
  }
}
