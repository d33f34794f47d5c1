/**
 * The process-wide table of live matches the Kubernetes API serves, and of the bearer tokens issued to
 * their players. A match room registers itself when created ({@link registerK8sMatch}), issues a token
 * per joined session and revokes it when the session leaves; the HTTP routes (./routes.ts) resolve a
 * token to its match and session and ask the match for the principal (name, team, trainer), the team
 * clusters and the write path (`submit`, the same one the console uses).
 *
 * One table per process, like Colyseus' matchmaker: with Redis and several processes, a player's
 * kubeconfig must reach the process that holds the room (PUBLIC_ADDRESS).
 *
 * May import: node:crypto, shared/sim types, shared/protocol.ts types.
 */
import { randomBytes } from 'node:crypto';
import type { ActionMessage } from '../../shared/protocol.ts';
import type { SimState } from '../../shared/sim/types.ts';

/** Who a token speaks for, as the match sees them now. */
export interface K8sPrincipal {
  /** Player name (the Kubernetes user name in Status messages). */
  name: string;
  /** The team the player plays for: its cluster is the one they may write. */
  team: string;
  /** Trainers read every team's cluster (and write only their own, the match's rule). */
  trainer: boolean;
  /** Spectators read every team's cluster and write none (absent: false). */
  spectator?: boolean;
}

/** A write's outcome: the match's answer (kubectl-like text on refusal). */
export type K8sSubmitResult = { ok: true; message: string } | { ok: false; error: string };

/** What a match room lends the API: read access to its clusters and its write path. */
export interface K8sMatchSource {
  /** Team ids of the match, in match order. */
  teams(): readonly string[];
  /** The live cluster of `team`, or undefined for a team not in the match. Read only. */
  sim(team: string): SimState | undefined;
  /** The principal of a seated session, or undefined once it left. */
  principal(sessionId: string): K8sPrincipal | undefined;
  /**
   * Submits `action` for the session's player exactly as a console action (shared/game `submit`:
   * gated, applied, logged, scored). `action` is validated by the room with the protocol's schema.
   * The action is applied at once (the sim state changes before this returns); the promise settles
   * once it is durable in the match's crash-recovery journal (server/recovery; at once without one),
   * so the HTTP reply never acknowledges a write a crash could lose. Never rejects.
   */
  submit(sessionId: string, action: ActionMessage): Promise<K8sSubmitResult>;
}

/** A registered match: token issuing for its room. */
export interface K8sMatchHandle {
  /** Issues (or returns the existing) bearer token of `sessionId`: 32 random bytes, base64url. */
  issue(sessionId: string): string;
  /** Revokes the token of `sessionId` (the session left). */
  revoke(sessionId: string): void;
  /** Unregisters the match and revokes every token (the room is disposed). */
  close(): void;
}

/** A resolved token. */
export interface K8sSession {
  matchId: string;
  sessionId: string;
  source: K8sMatchSource;
}

const matches = new Map<string, K8sMatchSource>();
const tokens = new Map<string, { matchId: string; sessionId: string }>();

/**
 * Registers a live match under `matchId` (the match UUID, also the `/k8s/MATCH/...` path segment).
 * @throws Error when `matchId` is already registered.
 */
export function registerK8sMatch(matchId: string, source: K8sMatchSource): K8sMatchHandle {
  if (matches.has(matchId)) throw new Error(`match ${matchId} is already registered with the Kubernetes API`);
  matches.set(matchId, source);
  const bySession = new Map<string, string>();
  return {
    issue(sessionId) {
      const existing = bySession.get(sessionId);
      if (existing !== undefined) return existing;
      const token = randomBytes(32).toString('base64url');
      bySession.set(sessionId, token);
      tokens.set(token, { matchId, sessionId });
      return token;
    },
    revoke(sessionId) {
      const token = bySession.get(sessionId);
      if (token === undefined) return;
      bySession.delete(sessionId);
      tokens.delete(token);
    },
    close() {
      for (const token of bySession.values()) tokens.delete(token);
      bySession.clear();
      if (matches.get(matchId) === source) matches.delete(matchId);
    },
  };
}

/** The live match and session a bearer token was issued for, or undefined (unknown or revoked). */
export function resolveK8sToken(token: string): K8sSession | undefined {
  const t = tokens.get(token);
  if (!t) return undefined;
  const source = matches.get(t.matchId);
  return source ? { matchId: t.matchId, sessionId: t.sessionId, source } : undefined;
}
