/**
 * Client message validation and replies for the match room. Messages are validated *inside* the
 * handler (zod `safeParse` against `ClientMessages` in shared/protocol.ts), never through the
 * `onMessage(type, schema, cb)` overload: a schema failure there closes the connection (code 4002),
 * whereas a player who mistyped deserves an answer and a live connection.
 *
 * May import zod and shared/protocol.ts.
 */
import type { z } from 'zod';
import { ClientMessages, type ClientMessageType, type ReplyMessage } from '../../shared/protocol.ts';

/** Message ids the client may attach (`string` up to 64 chars or a number), echoed in the reply. */
export type MessageId = string | number | null;

/** A validated client message, or the reply explaining why it was refused. */
export type ParsedMessage<K extends ClientMessageType> =
  | { ok: true; id: MessageId; message: z.infer<(typeof ClientMessages)[K]> }
  | { ok: false; reply: ReplyMessage };

/** True for the message types the room handles. */
export function isClientMessageType(type: unknown): type is ClientMessageType {
  return typeof type === 'string' && Object.hasOwn(ClientMessages, type);
}

/**
 * The `id` of a raw message when it is a valid id (string <= 64 chars or finite number), else null.
 * Echoed even when the rest of the message is invalid, so the client can match the error.
 */
export function extractId(raw: unknown): MessageId {
  if (raw === null || typeof raw !== 'object' || !('id' in raw)) return null;
  const id = (raw as { id: unknown }).id;
  if (typeof id === 'string' && id.length <= 64) return id;
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  return null;
}

/**
 * zod issues as one line naming each field: `command: Invalid input: expected string, received number`.
 * Paths are dotted (`action.replicas`); a problem with the whole message is reported as `(message)`.
 */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(message)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Validate a raw message of a known type.
 *
 * @returns the parsed message and its id, or `{ ok: false, reply }` with
 *   `error: 'invalid message: <field>: <problem>'`.
 */
export function parseClientMessage<K extends ClientMessageType>(type: K, raw: unknown): ParsedMessage<K> {
  const result = ClientMessages[type].safeParse(raw);
  if (!result.success) {
    return { ok: false, reply: errorReply(type, extractId(raw), `invalid message: ${describeZodError(result.error)}`) };
  }
  const message = result.data as z.infer<(typeof ClientMessages)[K]>;
  return { ok: true, id: message.id ?? null, message };
}

/** A successful reply. */
export function okReply(type: string, id: MessageId, output: string): ReplyMessage {
  return { id, type, ok: true, output };
}

/** A refusal. */
export function errorReply(type: string, id: MessageId, error: string): ReplyMessage {
  return { id, type, ok: false, error };
}

/** The reply to a message type the room does not know. */
export function unknownTypeReply(type: string | number, raw: unknown): ReplyMessage {
  const known = Object.keys(ClientMessages).join(', ');
  return errorReply(String(type), extractId(raw), `unknown message type "${String(type)}": expected one of ${known}`);
}
