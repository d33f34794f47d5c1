/**
 * Reading a `--actions` file: JSON lines, one planned player action per line, either structured
 * (`{"t": 320, "action": {"type": "rolloutUndo", "deployment": "frontend"}}`) or a kubectl command
 * (`{"t": 320, "command": "kubectl rollout undo deployment/frontend"}`), with an optional `"player"`
 * (default `cli`). `t` is in sim seconds. Blank lines are skipped.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ActionMessage } from '../../shared/protocol.ts';
import type { SimAction } from '../../shared/sim/types.ts';
import { CliError } from './errors.ts';

/** Player name recorded for actions without `"player"`. */
export const DEFAULT_PLAYER = 'cli';

const ActionLine = z
  .strictObject({
    /** Sim seconds since match start. */
    t: z.number().nonnegative({ error: 't must be a number of sim seconds >= 0' }),
    player: z.string().trim().min(1).max(32).optional(),
    action: ActionMessage.optional(),
    command: z.string().trim().min(1).max(1000).optional(),
  })
  .refine((l) => (l.action === undefined) !== (l.command === undefined), {
    error: 'each line needs exactly one of "action" or "command"',
  });

/** One line of an actions file, before it is turned into a tick. */
export interface PlannedAction {
  /** Sim seconds since match start at which the player acts. */
  t: number;
  player: string;
  /** `FILE:LINE`, for messages. */
  where: string;
  /** Exactly one of `action` and `command` is set. */
  action?: SimAction;
  command?: string;
}

/**
 * Parses the JSON lines of an actions file. `label` is the file name used in messages.
 *
 * @throws CliError listing every bad line as `FILE:LINE: field.path: message` (at most 20 shown).
 */
export function parseActionLines(text: string, label: string): PlannedAction[] {
  const planned: PlannedAction[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const where = `${label}:${i + 1}`;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      errors.push(`${where}: invalid JSON: ${(err as Error).message}`);
      return;
    }
    const parsed = ActionLine.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push(`${where}: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
      }
      return;
    }
    const { t, player = DEFAULT_PLAYER, action, command } = parsed.data;
    planned.push(action ? { t, player, where, action } : { t, player, where, command: command ?? '' });
  });
  if (errors.length > 0) {
    const shown = errors.slice(0, 20);
    if (errors.length > shown.length) shown.push(`... and ${errors.length - shown.length} more`);
    throw new CliError(`Invalid actions file:\n${shown.join('\n')}`);
  }
  return planned;
}

/** Reads and parses an actions file. @throws CliError when unreadable or invalid. */
export function readActionsFile(path: string): PlannedAction[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`Cannot read actions file ${path}: ${(err as Error).message}`);
  }
  return parseActionLines(text, path);
}
