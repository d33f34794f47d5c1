/**
 * The join form's values -> protocol {@link JoinOptions}, with the messages a player sees when a value
 * is wrong (the server validates again with the same limits: shared/protocol.ts JoinOptions). Pure.
 */
import type { JoinOptions } from '../../../shared/protocol.ts';

/** The join form's raw input, as typed. */
export interface JoinFormValues {
  /** Player name; required, trimmed and cut to 32 characters. */
  name: string;
  /** Scenario id ('' = the server's default). */
  scenario: string;
  /** Seed as typed ('' = random). */
  seed: string;
  /** `location.search`: `?speed=N` sets `timeDilation` (sim seconds per real second) for demos. */
  search: string;
  /** Quick-play mode filter ('' or absent = any mode; else `solo`, `coop`, `race`, `redblue`). */
  mode?: string;
  /** Watch without acting. */
  spectator?: boolean;
  /** Role asked for (`commander`, `operations`, `communications`, `planning`; '' = none): used by matches with roles. */
  role?: string;
}

const QUICK_MODES: readonly string[] = ['solo', 'coop', 'race', 'redblue'];
const QUICK_ROLES: readonly string[] = ['commander', 'operations', 'communications', 'planning'];

/** {@link readJoinForm}'s answer: the join options, or the field to highlight and the message to show. */
export type JoinFormResult = { ok: true; options: JoinOptions } | { ok: false; field: 'name' | 'seed'; error: string };

/** Largest seed the protocol accepts (uint32). */
const MAX_SEED = 0xffffffff;

/**
 * `?speed=N` -> the `timeDilation` join option (0.25..120 sim seconds per real second), or undefined
 * when absent or out of range.
 */
export function speedFromUrl(search: string): number | undefined {
  const raw = new URLSearchParams(search).get('speed');
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0.25 && n <= 120 ? n : undefined;
}

/** Validate the form. Names are trimmed and cut to 32 characters. */
export function readJoinForm(values: JoinFormValues): JoinFormResult {
  const name = values.name.trim();
  if (!name) return { ok: false, field: 'name', error: 'Please type a name (1–32 characters).' };
  const seedText = values.seed.trim();
  let seed: number | undefined;
  if (seedText) {
    seed = Number(seedText);
    if (!/^\d+$/.test(seedText) || seed > MAX_SEED) return { ok: false, field: 'seed', error: `The seed must be a whole number between 0 and ${MAX_SEED}.` };
  }
  const timeDilation = speedFromUrl(values.search);
  return {
    ok: true,
    options: {
      name: name.slice(0, 32),
      ...(values.scenario ? { scenario: values.scenario } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(timeDilation !== undefined ? { timeDilation } : {}),
      ...(values.mode && QUICK_MODES.includes(values.mode) ? { mode: values.mode as NonNullable<JoinOptions['mode']> } : {}),
      ...(values.spectator ? { spectator: true } : {}),
      ...(values.role && !values.spectator && QUICK_ROLES.includes(values.role) ? { role: values.role as NonNullable<JoinOptions['role']> } : {}),
    },
  };
}
