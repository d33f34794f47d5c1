/**
 * The join form: name, scenario (from `GET /api/scenarios`), optional seed, Join. Shows "Connecting…"
 * while matchmaking and the server's reason when joining fails.
 */
import type { JoinOptions } from '../../../shared/protocol.ts';
import { parseScenarios } from '../view/api.ts';
import { readJoinForm } from '../view/join.ts';
import { byId, el } from './dom.ts';

const NAME_KEY = 'gameday.name';

export class JoinScreen {
  readonly #screen = byId('join-screen');
  readonly #form = byId<HTMLFormElement>('join-form');
  readonly #name = byId<HTMLInputElement>('join-name');
  readonly #scenario = byId<HTMLSelectElement>('join-scenario');
  readonly #description = byId('scenario-description');
  readonly #seed = byId<HTMLInputElement>('join-seed');
  readonly #button = byId<HTMLButtonElement>('join-button');
  readonly #status = byId('join-status');
  readonly #error = byId('join-error');
  readonly #descriptions = new Map<string, string>();

  /** @param onJoin called with validated options; reject to show the error. */
  constructor(onJoin: (options: JoinOptions) => Promise<void>) {
    this.#name.value = localStorage.getItem(NAME_KEY) ?? '';
    this.#scenario.addEventListener('change', () => this.#describe());
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault();
      const options = this.#read();
      if (!options) return;
      localStorage.setItem(NAME_KEY, options.name);
      this.busy('Connecting…');
      onJoin(options).then(
        () => this.busy(''),
        (err: unknown) => this.fail(`Could not join: ${errorText(err)}`),
      );
    });
  }

  /** Fill the scenario select from the server (keeps the "Default scenario" entry when that fails). */
  async loadScenarios(): Promise<void> {
    try {
      const res = await fetch('/api/scenarios');
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const list = parseScenarios(await res.json());
      if (!list.length) return;
      this.#scenario.replaceChildren(...list.map((s) => el('option', { text: s.title, attrs: { value: s.id } })));
      const dflt = list.find((s) => s.isDefault) ?? list[0];
      if (dflt) this.#scenario.value = dflt.id;
      for (const s of list) this.#descriptions.set(s.id, s.description);
      this.#describe();
    } catch (err) {
      this.#description.textContent = `Scenario list unavailable (${errorText(err)}); the default scenario will be used.`;
    }
  }

  show(): void {
    this.#screen.hidden = false;
    this.busy('');
    this.#name.focus();
  }

  hide(): void {
    this.#screen.hidden = true;
  }

  /** Disable the form and show a status line ('' re-enables). */
  busy(text: string): void {
    this.#button.disabled = text !== '';
    this.#status.textContent = text;
    if (text) this.#error.hidden = true;
  }

  fail(message: string): void {
    this.busy('');
    this.#error.textContent = message;
    this.#error.hidden = false;
  }

  #describe(): void {
    this.#description.textContent = this.#descriptions.get(this.#scenario.value) ?? '';
  }

  #read(): JoinOptions | null {
    const result = readJoinForm({ name: this.#name.value, scenario: this.#scenario.value, seed: this.#seed.value, search: location.search });
    if (result.ok) return result.options;
    this.fail(result.error);
    (result.field === 'seed' ? this.#seed : this.#name).focus();
    return null;
  }
}

/** A readable reason from whatever the SDK or fetch threw. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  return 'unknown error';
}

