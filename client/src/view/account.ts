/**
 * The account panel's decisions (issue 10), pure: validating the sign-in / register / guest forms
 * with the server's own limits (shared/protocol.ts `Credentials`, `GuestRequest`), reading the
 * session routes' answers, keeping the session in storage (the token's own `exp` decides whether a
 * stored one is still good), and adding the token to the join options.
 */
import { Credentials, GuestRequest, type JoinOptions, type SessionClaims } from '../../../shared/protocol.ts';

/** localStorage key of the kept session. */
export const SESSION_KEY = 'gameday.session';

/** A signed-in player as the client keeps it. */
export interface Session {
  token: string;
  name: string;
  kind: SessionClaims['kind'];
  trainer: boolean;
}

/** What the panel asks the server for. */
export type AccountMode = 'login' | 'register' | 'guest';

/** A form check: the request body, or the field to highlight and the message. */
export type AccountFormResult =
  | { ok: true; path: string; body: Record<string, string> }
  | { ok: false; field: 'username' | 'password'; error: string };

/**
 * Validate the panel's form for `mode`: `login` / `register` need a username (3-32 of a-z 0-9 _ -,
 * case-insensitive) and a password (8-128 characters); `guest` a name (1-32, in the username field).
 * @returns the route under `/api/session/` and the JSON body to post.
 */
export function readAccountForm(mode: AccountMode, username: string, password: string): AccountFormResult {
  if (mode === 'guest') {
    const parsed = GuestRequest.safeParse({ name: username });
    if (!parsed.success) return { ok: false, field: 'username', error: parsed.error.issues[0]?.message ?? 'invalid name' };
    return { ok: true, path: '/api/session/guest', body: { name: parsed.data.name } };
  }
  const parsed = Credentials.safeParse({ username, password });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, field: issue?.path[0] === 'password' ? 'password' : 'username', error: issue?.message ?? 'invalid input' };
  }
  return { ok: true, path: `/api/session/${mode}`, body: { username: parsed.data.username, password: parsed.data.password } };
}

/**
 * A session route's answer -> the session, or the message to show (the server's `error`, else the
 * HTTP status; 429 says to wait).
 */
export function readSessionAnswer(status: number, body: unknown): { ok: true; session: Session } | { ok: false; error: string } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (status >= 200 && status < 300 && typeof b.token === 'string' && typeof b.name === 'string' && (b.kind === 'account' || b.kind === 'guest')) {
    return { ok: true, session: { token: b.token, name: b.name, kind: b.kind, trainer: b.trainer === true } };
  }
  if (status === 429) return { ok: false, error: 'Too many attempts from your address: wait a minute and try again.' };
  return { ok: false, error: typeof b.error === 'string' ? b.error : `The server answered HTTP ${status}.` };
}

/** Seconds since the epoch in a JWT's payload (`exp`), or undefined when it has none or is not a JWT. */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The session kept in storage (`raw` = `localStorage.getItem(SESSION_KEY)`), or null when there is
 * none, it does not parse, or its token expired (`nowMs`: wall clock, ms).
 */
export function restoreSession(raw: string | null, nowMs: number): Session | null {
  if (!raw) return null;
  try {
    const answer = readSessionAnswer(200, JSON.parse(raw));
    if (!answer.ok) return null;
    const exp = tokenExpiry(answer.session.token);
    return exp !== undefined && exp * 1000 <= nowMs ? null : answer.session;
  } catch {
    return null;
  }
}

/** The join options with the session's token and name (the server takes the name from the token anyway). */
export function withSession(options: JoinOptions, session: Session | null): JoinOptions {
  return session ? { ...options, name: session.name, token: session.token } : options;
}

/** The panel's status line: who is signed in. */
export function describeSession(session: Session | null): string {
  if (!session) return 'Not signed in: you play as an anonymous guest under the name below.';
  if (session.kind === 'guest') return `Playing as guest ${session.name}.`;
  return `Signed in as ${session.name}${session.trainer ? ' (trainer)' : ''}.`;
}
