/**
 * The context panel: details of the selected pod / node / Deployment / etcd member / Service /
 * control-plane component, and buttons for the actions Kubernetes offers on it (view/actions.ts), each
 * captioned with the equivalent kubectl command.
 */
import { nameOfKey, type ActionMessage, type MatchStateView, type ReplyMessage, type TeamView } from '../../../shared/protocol.ts';
import { actionsFor, kubectlEquivalent, remediationActionsFor, type ActionOption, type Selection } from '../view/actions.ts';
import { errorLine } from '../view/console.ts';
import { formatAge, formatMiB, formatMilli, formatMs, formatPercent, formatRate } from '../view/format.ts';
import { podStatusStyle } from '../view/podStatus.ts';
import { byId, el } from './dom.ts';

/** Anything the panel can show: actionable selections plus read-only Services and components (`name`: the map key). */
export type PanelSelection = Selection | { kind: 'service'; name: string } | { kind: 'component'; name: string };

export interface ContextDeps {
  /** Send an action; resolves with the reply. */
  act(action: ActionMessage, label: string): Promise<ReplyMessage>;
  /** The panel was closed (Esc or ✕). */
  onClose(): void;
}

type Row = [string, string | HTMLElement];

function details(sel: PanelSelection, team: TeamView, now: number): Row[] | null {
  switch (sel.kind) {
    case 'pod': {
      const p = team.pods.get(sel.name);
      if (!p) return null;
      const st = podStatusStyle(p.status, p.ready);
      const status = el('span', { class: 'status-chip', text: `${st.glyph} ${st.label}` });
      status.style.setProperty('--chip', st.css);
      return [
        ['Status', status],
        ['Ready', p.ready ? 'yes' : 'no'],
        ['Restarts', String(p.restarts)],
        ['Node', p.node || '— (not scheduled)'],
        ['Deployment', p.deployment || '—'],
        ['Image', p.image],
        ['Memory', p.memLimitMiB > 0 ? `${formatMiB(p.memoryMiB)} of ${formatMiB(p.memLimitMiB)} limit (${formatPercent(p.memoryMiB / p.memLimitMiB, 0)})` : `${formatMiB(p.memoryMiB)} (no limit)`],
        ['Age', formatAge(now - p.createdAt)],
      ];
    }
    case 'node': {
      const n = team.nodes.get(sel.name);
      if (!n) return null;
      return [
        ['Status', n.status || (n.ready ? 'Ready' : 'NotReady')],
        ['Zone', n.zone],
        ['Cordoned', n.unschedulable ? 'yes (no new pods)' : 'no'],
        ['CPU requests', `${formatMilli(n.cpuRequested)} of ${formatMilli(n.cpuAllocatable)}`],
        ['Memory requests', `${formatMiB(n.memRequested)} of ${formatMiB(n.memAllocatable)}`],
        ['Pods', String(n.podCount)],
      ];
    }
    case 'deployment': {
      const d = team.deployments.get(sel.name);
      if (!d) return null;
      return [
        ['Replicas', `${d.readyReplicas}/${d.replicas} ready · ${d.updatedReplicas} up-to-date · ${d.availableReplicas} available`],
        ['Image', d.image],
        ['Revision', String(d.revision)],
        ['Memory limit', d.memoryLimit || 'none'],
      ];
    }
    case 'etcd': {
      const m = team.etcd.find((e) => e.name === sel.name);
      if (!m) return null;
      const healthy = team.etcd.filter((e) => e.healthy).length;
      return [
        ['Health', m.healthy ? 'healthy' : 'DOWN'],
        ['Role', m.leader ? 'Raft leader' : 'follower'],
        ['Quorum', `${team.etcdQuorum ? 'OK' : 'LOST'} (${healthy}/${team.etcd.length} healthy, need ${Math.floor(team.etcd.length / 2) + 1})`],
      ];
    }
    case 'service': {
      const s = team.services.get(sel.name);
      if (!s) return null;
      return [
        ['Type', s.type],
        ['Requests', formatRate(s.rps)],
        ['Errors', formatPercent(s.errorRate)],
        ['p99 latency', formatMs(s.p99Ms)],
        ['Endpoints', `${s.readyEndpoints}/${s.totalEndpoints} ready`],
      ];
    }
    case 'component': {
      const c = team.components.find((x) => x.name === sel.name);
      if (!c) return null;
      return [
        ['Health', c.healthy ? 'Running' : 'unhealthy'],
        ['Message', c.message || '—'],
      ];
    }
  }
}

function actionable(sel: PanelSelection): Selection | null {
  return sel.kind === 'service' || sel.kind === 'component' ? null : sel;
}

export class ContextPanel {
  readonly #panel = byId('context-panel');
  readonly #title = byId('context-title');
  readonly #details = byId('context-details');
  readonly #actions = byId('context-actions');
  readonly #result = byId('context-result');
  #selection: PanelSelection | null = null;
  /** Key of the action buttons shown (null: none rendered yet for this selection, so render even an empty set). */
  #actionsKey: string | null = null;
  #deps: ContextDeps | null = null;

  constructor() {
    byId('context-close').addEventListener('click', () => this.close());
  }

  attach(deps: ContextDeps): void {
    this.#deps = deps;
  }

  get selection(): PanelSelection | null {
    return this.#selection;
  }

  /** Show `sel` (null closes). */
  select(sel: PanelSelection | null, view: MatchStateView | null, team: TeamView | undefined): void {
    const changed = JSON.stringify(sel) !== JSON.stringify(this.#selection);
    this.#selection = sel;
    if (changed) {
      this.#actionsKey = null;
      this.#result.textContent = '';
    }
    this.render(view, team);
  }

  close(): void {
    if (!this.#selection) return;
    this.#selection = null;
    this.#panel.hidden = true;
    this.#deps?.onClose();
  }

  /** Refresh for a new snapshot (keeps what the player typed in inputs). */
  render(view: MatchStateView | null, team: TeamView | undefined): void {
    const sel = this.#selection;
    if (!sel || !team || !view) {
      this.#panel.hidden = true;
      return;
    }
    this.#panel.hidden = false;
    this.#title.textContent = `${sel.kind === 'component' ? 'component' : sel.kind}/${nameOfKey(sel.name)}`;
    const rows = details(sel, team, view.t);
    if (!rows) {
      this.#details.replaceChildren(el('dt', { text: 'Gone' }), el('dd', { text: 'This object no longer exists.' }));
      this.#actions.replaceChildren();
      this.#actionsKey = null;
      return;
    }
    this.#details.replaceChildren(...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]));
    const act = actionable(sel);
    const options = act ? [...actionsFor(act, team), ...remediationActionsFor(act, team)] : [];
    const key = options.map((o) => `${o.id}:${o.target}`).join('|');
    if (key === this.#actionsKey) return;
    this.#actionsKey = key;
    this.#actions.replaceChildren(...this.#groups(options));
  }

  #groups(options: ActionOption[]): HTMLElement[] {
    const groups = new Map<string, ActionOption[]>();
    for (const o of options) groups.set(o.target, [...(groups.get(o.target) ?? []), o]);
    return [...groups].map(([target, opts]) => el('fieldset', { class: 'action-group' }, el('legend', { text: target }), ...opts.map((o) => this.#row(o))));
  }

  #row(option: ActionOption): HTMLElement {
    const input = option.input
      ? el('input', { class: 'action-input', attrs: { value: option.input.initial, 'aria-label': option.input.label, size: '6', 'data-action': option.id } })
      : null;
    const caption = el('code', { class: 'kubectl-hint' });
    const updateCaption = (): void => {
      try {
        caption.textContent = kubectlEquivalent(option.build(input?.value));
      } catch {
        caption.textContent = `(${option.input?.label ?? 'input'}?)`;
      }
    };
    updateCaption();
    input?.addEventListener('input', updateCaption);
    const button = el('button', { class: option.danger ? 'danger' : '', text: option.label, attrs: { type: 'button', 'data-action': option.id } });
    const run = async (): Promise<void> => {
      let action: ActionMessage;
      try {
        action = option.build(input?.value);
      } catch (err) {
        this.#show(false, (err as Error).message);
        return;
      }
      if (!this.#deps) return;
      button.disabled = true;
      this.#show(null, `${option.label}…`);
      const reply = await this.#deps.act(action, kubectlEquivalent(action));
      button.disabled = false;
      this.#show(reply.ok, reply.ok ? reply.output || 'done' : errorLine(reply.error));
    };
    button.addEventListener('click', () => void run());
    input?.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') void run();
    });
    return el('div', { class: 'action-row' }, button, ...(input ? [input] : []), caption);
  }

  #show(ok: boolean | null, text: string): void {
    this.#result.textContent = text;
    this.#result.className = `result ${ok === null ? 'pending' : ok ? 'ok' : 'err'}`;
  }
}
