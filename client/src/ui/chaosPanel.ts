/**
 * The Red team panel (red vs blue): shown only to the side attacking now, it lists the kinds the
 * scenario allows with their cost, cooldown and a target picker, and launches an attack (`chaos`
 * message); a kind that may not be launched now is disabled with the reason (../view/chaos.ts decides).
 * The defending side never sees it (the server sends it no kinds: only the symptoms on its cluster).
 *
 * Mounted once by main.ts with a getter of the current room; it follows the room (a rejoin makes a new
 * one), listens to `chaos` and its own replies, and re-renders twice a second (cooldowns count down).
 *
 * May import: ../view/*, shared/protocol.ts types, ./dom.ts. Not Phaser, not the SDK (the room is
 * typed structurally).
 */
import type { ChaosMessage, ReplyMessage } from '../../../shared/protocol.ts';
import { chaosPanelModel } from '../view/chaos.ts';
import { byId, el } from './dom.ts';

/** The parts of a Colyseus room the panel uses. */
export interface ChaosRoom {
  onMessage<T>(type: string, cb: (message: T) => void): unknown;
  send(type: string, message: unknown): void;
  readonly state: unknown;
}

const REFRESH_MS = 500;

/** The Red team panel; see the file comment. */
export class ChaosPanel {
  readonly #root: HTMLElement;
  readonly #heading: HTMLElement;
  readonly #rows: HTMLElement;
  readonly #result: HTMLElement;
  readonly #log: HTMLElement;
  #room: ChaosRoom | null = null;
  #last: ChaosMessage | null = null;
  #nextId = 1;
  /** Target picked per kind (kept across re-renders). */
  readonly #picked = new Map<string, string>();
  #shape = '';

  readonly #currentRoom: () => ChaosRoom | null;

  constructor(currentRoom: () => ChaosRoom | null) {
    this.#currentRoom = currentRoom;
    this.#heading = el('p', { class: 'muted' });
    this.#rows = el('div', { class: 'chaos-rows' });
    this.#result = el('p', { class: 'result', attrs: { role: 'status' } });
    this.#log = el('ul', { class: 'feed' });
    this.#root = el('section', { class: 'panel', attrs: { id: 'chaos-panel', 'aria-label': 'Red team' } }, el('h2', { text: 'Red team' }), this.#heading, this.#rows, this.#result, this.#log);
    this.#root.hidden = true;
    byId('sidebar').prepend(this.#root);
    setInterval(() => this.#tick(), REFRESH_MS);
  }

  #tick(): void {
    const room = this.#currentRoom();
    if (room !== this.#room) {
      this.#room = room;
      this.#last = null;
      this.#shape = '';
      room?.onMessage<ChaosMessage>('chaos', (m) => {
        this.#last = m;
        this.#render();
      });
      room?.onMessage<ReplyMessage>('reply', (r) => {
        if (r.type === 'chaos' && typeof r.id === 'string' && r.id.startsWith('chaos-')) this.#result.textContent = r.ok ? (r.output ?? 'attack launched') : `refused: ${r.error ?? ''}`;
      });
    }
    this.#render();
  }

  #render(): void {
    const state = (this.#room?.state ?? null) as { t?: number; phase?: string } | null;
    const model = chaosPanelModel(this.#last, state?.t ?? 0, state?.phase ?? 'running');
    this.#root.hidden = !model.visible;
    if (!model.visible) return;
    this.#heading.textContent = model.heading;
    // Rebuild the rows only when kinds or disabled reasons changed (keeps the pickers' focus).
    const shape = JSON.stringify(model.rows.map((r) => [r.kind, r.disabled, r.targets]));
    if (shape !== this.#shape) {
      this.#shape = shape;
      this.#rows.replaceChildren(
        ...model.rows.map((row) => {
          const picker = el('select', { attrs: { 'aria-label': `${row.kind} target` } });
          const options = row.targetKind === 'EtcdMembers' ? ['', ...row.targets] : row.targets;
          for (const t of options) picker.append(el('option', { text: t === '' ? 'enough members to lose quorum' : t, attrs: { value: t } }));
          picker.value = this.#picked.get(row.kind) ?? row.target;
          picker.addEventListener('change', () => this.#picked.set(row.kind, picker.value));
          const button = el('button', { text: `Launch ${row.kind}`, attrs: { type: 'button' } });
          button.disabled = row.disabled !== null;
          button.addEventListener('click', () => this.#launch(row.kind, picker.value));
          return el(
            'div',
            { class: 'chaos-row' },
            el('strong', { text: row.kind }),
            ` ${row.cost} pts · cooldown ${row.cooldownSeconds} s `,
            picker,
            button,
            el('span', { class: 'muted', text: row.disabled ? ` ${row.disabled}` : '' }),
          );
        }),
      );
    }
    this.#log.replaceChildren(...(model.attacks.length ? model.attacks.map((a) => el('li', { text: a })) : [el('li', { class: 'empty', text: 'No attacks yet.' })]));
  }

  #launch(kind: string, target: string): void {
    const room = this.#room;
    if (!room) return;
    this.#result.textContent = `launching ${kind}…`;
    room.send('chaos', { id: `chaos-${this.#nextId++}`, kind, ...(target !== '' ? { target } : {}) });
  }
}

/** Mounts the Red team panel in the sidebar (main.ts calls this once). */
export function mountChaosPanel(currentRoom: () => ChaosRoom | null): ChaosPanel {
  return new ChaosPanel(currentRoom);
}
