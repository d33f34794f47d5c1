/**
 * The link to the match room through the Colyseus SDK (0.18): join, the `kubectl` / `action` messages
 * with replies matched by id, connection-state callbacks (drop, reconnect, leave) and the `matchEnded`
 * broadcast. The SDK retries dropped connections by itself; this module only reports what happens.
 *
 * Protocol: shared/protocol.ts (`ROOM_NAME`, `ClientMessages`, `ReplyMessage`, `MatchEndedMessage`).
 */
import { Client, type Room } from '@colyseus/sdk';
import { rejoinMatch } from './rejoin.ts';
import { ROOM_NAME, type ActionMessage, type CredentialsMessage, type FocusKind, type JoinOptions, type LobbyMessage, type MatchEndedMessage, type NoticeMessage, type ReplyMessage } from '../../../shared/protocol.ts';
import type { WorkflowOp } from '../view/workflow.ts';

/** How long to wait for a `reply` before reporting a timeout, ms. */
export const REPLY_TIMEOUT_MS = 15_000;

const TOKEN_KEY = 'gameday.reconnectionToken';
/** SDK reconnection attempts (delays 0.2, 0.4, 0.8, 1.6 s, then 2 s each: ~13 s in all). */
export const RECONNECT_RETRIES = 10;
/** Longest delay between SDK reconnection attempts, ms. */
export const RECONNECT_MAX_DELAY_MS = 2_000;
/** This tab's seat token (JoinOptions.seatToken): it reserves the player's seat across server restarts. */
const SEAT_KEY = 'gameday.seatToken';
let memorySeatToken: string | undefined;

/** The tab's seat token, created on first use (kept in sessionStorage when it works). */
export function seatToken(): string {
  try {
    const stored = sessionStorage.getItem(SEAT_KEY);
    if (stored) return stored;
  } catch {
    // Storage disabled: keep it in memory for this page.
  }
  memorySeatToken ??= crypto.randomUUID().replaceAll('-', '');
  try {
    sessionStorage.setItem(SEAT_KEY, memorySeatToken);
  } catch {
    // see above
  }
  return memorySeatToken;
}

/** Set while the page unloads: a reload must keep the token so the next page can rejoin the seat. */
let unloading = false;
addEventListener('pagehide', () => {
  unloading = true;
});

export interface ConnectionHandlers {
  /** Every state patch (`room.onStateChange`). */
  onState(state: unknown): void;
  /** A reply nobody was waiting for (no id, unknown id, or after a timeout). */
  onStrayReply(reply: ReplyMessage): void;
  onMatchEnded(msg: MatchEndedMessage): void;
  /** A roster notice naming a player (`ann joined team blue`, `bob is ready`, `ann started the match`). */
  onNotice?(msg: NoticeMessage): void;
  /** The connection dropped; the SDK is retrying. */
  onDrop(code: number, reason?: string): void;
  onReconnect(): void;
  /** The room is gone for good (left, kicked, retries exhausted). `consented` = we left on purpose. */
  onLeave(code: number, reason: string | undefined, consented: boolean): void;
}

/** A joined match room. */
export class GameConnection {
  readonly room: Room;
  #nextId = 1;
  #leaving = false;
  readonly #pending = new Map<string, (reply: ReplyMessage) => void>();
  /** The Kubernetes API token the room sent after the join (or a reconnect). */
  #credentials: CredentialsMessage | null = null;

  constructor(room: Room, handlers: ConnectionHandlers) {
    this.room = room;
    // The SDK's own retries (same session) give up after ~13 s instead of ~56 s: a restarted server does
    // not know the session, and the page then rejoins the seat with its seat token (rejoin.ts).
    room.reconnection.maxRetries = RECONNECT_RETRIES;
    room.reconnection.maxDelay = RECONNECT_MAX_DELAY_MS;
    room.onMessage('credentials', (msg: CredentialsMessage) => {
      this.#credentials = msg;
    });
    room.onStateChange((state) => handlers.onState(state));
    room.onMessage('reply', (reply: ReplyMessage) => {
      const key = reply.id === null ? '' : String(reply.id);
      const resolve = this.#pending.get(key);
      if (resolve) {
        this.#pending.delete(key);
        resolve(reply);
      } else {
        handlers.onStrayReply(reply);
      }
    });
    room.onMessage('matchEnded', (msg: MatchEndedMessage) => handlers.onMatchEnded(msg));
    room.onMessage('notice', (msg: NoticeMessage) => handlers.onNotice?.(msg));
    // Other broadcasts are informational; registering '*' keeps the SDK from warning about them.
    room.onMessage('*', () => undefined);
    room.onDrop((code, reason) => handlers.onDrop(code, reason));
    room.onReconnect(() => {
      saveToken(room.reconnectionToken);
      handlers.onReconnect();
    });
    room.onLeave((code, reason) => {
      if (!unloading) clearToken();
      for (const [id, resolve] of this.#pending) resolve({ id, type: 'unknown', ok: false, error: 'connection closed before the server answered' });
      this.#pending.clear();
      handlers.onLeave(code, reason, this.#leaving);
    });
    saveToken(room.reconnectionToken);
  }

  get sessionId(): string {
    return this.room.sessionId;
  }

  /** Run a kubectl command line on the server; resolves with its reply (never rejects). */
  kubectl(command: string): Promise<ReplyMessage> {
    return this.#request('kubectl', (id) => ({ id, command }));
  }

  /**
   * Run a console command that reads standard input (`kubectl apply -f -` with the pasted YAML,
   * `kubectl edit TYPE NAME` without `stdin` for the YAML to edit, with it to save); resolves with its reply.
   */
  stdin(command: string, stdin?: string): Promise<ReplyMessage> {
    return this.#request('stdin', (id) => (stdin === undefined ? { id, command } : { id, command, stdin }));
  }

  /** Send a structured action (a click in the context panel); resolves with its reply (never rejects). */
  action(action: ActionMessage): Promise<ReplyMessage> {
    return this.#request('action', (id) => ({ id, action }));
  }

  /** Send a `workflow` operation (pager, declare, status update, resolve, hint, postmortem answer); resolves with its reply. */
  workflow(op: WorkflowOp): Promise<ReplyMessage> {
    return this.#request('workflow', (id) => ({ id, ...op }));
  }

  /**
   * Tell the server what the player looks at (the selected Node, Deployment or Service by its map key;
   * null = nothing): in large clusters only those Pods are sent. Resolves with the reply.
   */
  focus(target: { kind: FocusKind; key: string } | null): Promise<ReplyMessage> {
    return this.#request('focus', (id) => (target ? { id, kind: target.kind, key: target.key } : { id }));
  }

  /**
   * A lobby message: `team` (move to a team), `role` (pick a role), `ready` (true/false), `start`
   * (host or trainer; `value` true forces it). Resolves with the reply (never rejects); refusals carry
   * the server's reason (shared/game/lobby.ts `LOBBY_ERRORS`).
   */
  lobby(message: Omit<LobbyMessage, 'id'>): Promise<ReplyMessage> {
    return this.#request('lobby', (id) => ({ id, ...message }));
  }

  /**
   * The player's kubeconfig YAML for the team cluster's Kubernetes API (`GET /k8s/kubeconfig` with the
   * token the room sent). Rejects before the room sent the token, or when the server refuses.
   */
  async kubeconfig(): Promise<string> {
    const cred = this.#credentials;
    if (!cred) throw new Error('the server has not sent this session its Kubernetes API token yet');
    const res = await fetch(new URL(cred.kubeconfigPath, location.origin), { headers: { authorization: `Bearer ${cred.token}` } });
    if (!res.ok) throw new Error(`kubeconfig download failed: HTTP ${res.status}`);
    return res.text();
  }

  /** Leave the room on purpose. */
  async leave(): Promise<void> {
    this.#leaving = true;
    clearToken();
    await this.room.leave(true);
  }

  #request(type: 'kubectl' | 'stdin' | 'action' | 'focus' | 'lobby' | 'workflow', payload: (id: string) => object): Promise<ReplyMessage> {
    const id = `c${this.#nextId++}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (!this.#pending.delete(id)) return;
        resolve({ id, type, ok: false, error: `no reply from the server within ${REPLY_TIMEOUT_MS / 1000} s` });
      }, REPLY_TIMEOUT_MS);
      this.#pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.room.send(type, payload(id));
    });
  }
}

/** The SDK client for this page's origin (HTTP matchmaking and WebSocket on the same host and port). */
export function createClient(): InstanceType<typeof Client> {
  return new Client(location.origin);
}

/**
 * Join (or create) a match.
 * @throws the SDK's MatchMakeError / ServerError, whose `message` says why (e.g. `name is required`).
 */
export async function joinMatch(options: JoinOptions, handlers: ConnectionHandlers): Promise<GameConnection> {
  const room = await createClient().joinOrCreate(ROOM_NAME, { ...options, seatToken: seatToken() });
  return new GameConnection(room, handlers);
}

/**
 * Enter a match from the lobby screen: `quick` = `joinOrCreate` (matchmaking filters by the options'
 * scenario and mode), `create` = a new room with the creator's options (mode, teams, roles, lobby...),
 * `join` = `joinById(roomId)` (a match picked from `GET /api/lobby`).
 * @throws the SDK's MatchMakeError / ServerError, whose `message` is the server's reason.
 */
export async function enterMatch(kind: 'quick' | 'create' | 'join', options: JoinOptions, handlers: ConnectionHandlers, roomId?: string): Promise<GameConnection> {
  const client = createClient();
  const opts = { ...options, seatToken: seatToken() };
  let room: Room;
  if (kind === 'create') room = await client.create(ROOM_NAME, opts);
  else if (kind === 'join') {
    if (!roomId) throw new Error('no match picked');
    room = await client.joinById(roomId, opts);
  } else room = await client.joinOrCreate(ROOM_NAME, opts);
  return new GameConnection(room, handlers);
}

/**
 * Take the seat back in room `roomId` after the room went away (server restart: the match is rebuilt
 * under the same roomId): joins again with the same name, team, role and seat token, retrying until
 * the server is back (client/src/net/rejoin.ts). `onRetry` reports each new attempt.
 * @throws the refusal (its `message` says why) or the last error after the timeout.
 */
export async function rejoin(roomId: string, options: JoinOptions, handlers: ConnectionHandlers, onRetry?: (attempt: number, error: string) => void): Promise<GameConnection> {
  const room = await rejoinMatch(createClient(), roomId, { ...options, seatToken: seatToken() }, { onRetry });
  return new GameConnection(room, handlers);
}

/**
 * Rejoin the match this tab was in before a reload, if the server still holds the seat.
 * @returns null when there is nothing to resume; rejects when the seat is gone (token cleared).
 */
export async function resumeMatch(handlers: ConnectionHandlers): Promise<GameConnection | null> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  try {
    const room = await createClient().reconnect(token);
    return new GameConnection(room, handlers);
  } catch (err) {
    clearToken();
    throw err;
  }
}

function saveToken(token: string): void {
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage disabled (private mode): reload-resume just won't happen.
  }
}

function clearToken(): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // see saveToken
  }
}
