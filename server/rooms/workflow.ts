/**
 * The room's `workflow` message (issue 8): a player's pager / incident / status-update / hint /
 * postmortem operation on their own team, validated with the protocol's zod schema
 * (`WorkflowMessage`), decided by the game layer (shared/game/workflow.ts `applyWorkflow`: phase,
 * roles, the operation's own checks), journaled like an action (server/db/journal.ts kind `workflow`,
 * replayed by server/recovery/rebuild.ts) so it survives a crash, and projected with the team
 * (server/rooms/projection.ts). MatchRoom registers it with one line.
 *
 * May import shared/game, shared/protocol.ts, server/db/journal.ts types, ./messages.ts.
 */
import { applyWorkflow, type Match, type MatchPlayer, type WorkflowRequest } from '../../shared/game/index.ts';
import type { ReplyMessage } from '../../shared/protocol.ts';
import type { JournalEntry } from '../db/journal.ts';
import { errorReply, okReply, parseClientMessage } from './messages.ts';

/** What the handler needs from the room. */
export interface WorkflowHost {
  match: Match;
  /** The sender's seat, or the match's refusal text. */
  player: MatchPlayer | string;
  /** Journals an accepted event (the reply waits until it is durable). */
  journal(entry: JournalEntry): void;
  /** The team's projection must be refreshed before the next patch. */
  dirty(team: string): void;
}

/**
 * Handles one raw `workflow` message: `{ id?, op, ... }` (see shared/protocol.ts `WorkflowMessage`).
 * Replies `ok` with the game's confirmation (`page-1 (availability-page-fast) acknowledged at t=130s,
 * 10 s after it fired`) or `ok: false` with the validation error or the game's refusal. The postmortem
 * `answer` comes after the match ended and archived: it is not journaled (the journal is closed).
 */
export function handleWorkflow(host: WorkflowHost, raw: unknown): ReplyMessage {
  const parsed = parseClientMessage('workflow', raw);
  if (!parsed.ok) return parsed.reply;
  const { id: _id, ...request } = parsed.message;
  if (typeof host.player === 'string') return errorReply('workflow', parsed.id, host.player);
  const player = host.player;
  const req = request as WorkflowRequest;
  const result = applyWorkflow(host.match, player.id, req);
  if (!result.ok) return errorReply('workflow', parsed.id, result.error);
  if (req.op !== 'answer') host.journal({ kind: 'workflow', team: player.team, player: player.name, request: structuredClone(request) });
  host.dirty(player.team);
  return okReply('workflow', parsed.id, result.message);
}
