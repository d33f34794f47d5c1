/**
 * Joining a workshop by its code (issue 10), pure: reading the code from the start page's field or
 * from a `/?workshop=CODE` link (or a whole pasted link), reading `GET /api/workshops/by-code/:code`,
 * the messages a player sees when the code is unknown or the workshop is over, and the join options
 * (`workshop: CODE`, the team when the workshop lets players pick).
 *
 * May import: shared/protocol.ts types, ./lobby.ts (team order).
 */
import type { JoinOptions } from '../../../shared/protocol.ts';
import { TEAM_ORDER } from './lobby.ts';

/** A workshop code as players type it: 4-64 of A-Z a-z 0-9 _ - (the server makes them unguessable). */
const CODE_RE = /^[A-Za-z0-9_-]{4,64}$/;

/** The join options of a workshop player: the protocol's, plus the workshop code (`workshop`). */
export type WorkshopJoinOptions = JoinOptions & { workshop?: string };

/**
 * A typed or pasted code -> the code, or null when it cannot be one. Accepts the bare code (spaces
 * anywhere are dropped: codes read off a projector get typed in groups) or a link holding
 * `?workshop=CODE`. Case is kept (the server decides whether codes are case-sensitive).
 */
export function readWorkshopCode(text: string): string | null {
  const trimmed = text.trim();
  const fromLink = /[?&]workshop=([^&#\s]+)/.exec(trimmed)?.[1];
  let code = fromLink === undefined ? trimmed.replace(/\s+/g, '') : fromLink;
  try {
    code = decodeURIComponent(code);
  } catch {
    return null;
  }
  return CODE_RE.test(code) ? code : null;
}

/** `?workshop=CODE` of the start page's URL (`location.search`) -> the code, or null. */
export function workshopCodeFromUrl(search: string): string | null {
  const raw = new URLSearchParams(search).get('workshop');
  return raw === null ? null : readWorkshopCode(raw);
}

/** What `GET /api/workshops/by-code/:code` says about a workshop (anyone may ask). */
export interface WorkshopInfo {
  id: string;
  code: string;
  title: string;
  /** The server's status word (`open`, `lobby`, `running`, `ended`...). */
  status: string;
  /** The room of the current scenario ('' when none is open yet). */
  roomId: string;
  /** Team ids players may be placed on, in order. */
  teams: string[];
  /** `auto`: the server places players; `players`: each picks a team. */
  teamChoice: 'auto' | 'players';
  mode: string;
}

type Raw = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Team ids from a team count (the first N of the protocol's order) or a list (of ids or `{ id }`). */
export function teamList(teams: unknown): string[] {
  if (typeof teams === 'number' && Number.isInteger(teams) && teams >= 1) return TEAM_ORDER.slice(0, Math.min(teams, TEAM_ORDER.length));
  if (Array.isArray(teams)) return teams.map((t) => (typeof t === 'string' ? t : str((t as Raw | null)?.id) || str((t as Raw | null)?.team))).filter((t) => /^[a-z0-9-]{1,16}$/.test(t));
  return [];
}

/** Statuses after which nobody can join. */
const OVER = new Set(['ended', 'finished', 'closed', 'over', 'archived']);

/** True when the workshop is over (players get "ended", not a join). */
export function workshopOver(info: Pick<WorkshopInfo, 'status'>): boolean {
  return OVER.has(info.status.toLowerCase());
}

/**
 * The by-code answer (`status`: HTTP status; `body`: its JSON or null) -> the workshop, or the message
 * to show the player: unknown code (404), over, no room yet, or the server's own reason.
 */
export function readByCodeAnswer(code: string, status: number, body: unknown): { ok: true; workshop: WorkshopInfo } | { ok: false; error: string } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Raw;
  if (status === 404) return { ok: false, error: `No workshop has the code ${code}: check it with your trainer (letters and digits as shown).` };
  if (status === 429) return { ok: false, error: 'Too many attempts from your address: wait a minute and try again.' };
  if (status < 200 || status >= 300) return { ok: false, error: typeof b.error === 'string' ? b.error : `The server answered HTTP ${status}.` };
  const settings = (typeof b.settings === 'object' && b.settings !== null ? b.settings : {}) as Raw;
  const workshop: WorkshopInfo = {
    id: str(b.id),
    code: str(b.code) || code,
    title: str(b.title) || 'Workshop',
    status: str(b.status),
    roomId: str(b.roomId),
    teams: teamList(b.teams ?? settings.teams),
    teamChoice: (b.teamChoice ?? settings.teamChoice) === 'players' ? 'players' : 'auto',
    mode: str(b.mode ?? settings.mode),
  };
  if (workshopOver(workshop)) return { ok: false, error: `The workshop “${workshop.title}” has ended: ask your trainer for a new code.` };
  if (!workshop.roomId) return { ok: false, error: `The workshop “${workshop.title}” has no match open yet: wait for your trainer, then try again.` };
  return { ok: true, workshop };
}

/** The workshop's join options: the player's (name, token...) plus `workshop: CODE`, and the team picked when players pick. */
export function workshopJoinOptions(player: JoinOptions, workshop: Pick<WorkshopInfo, 'code' | 'teamChoice' | 'teams'>, team = ''): WorkshopJoinOptions {
  const { team: _ignored, ...rest } = player;
  const picked = workshop.teamChoice === 'players' && workshop.teams.includes(team) ? { team } : {};
  return { ...rest, workshop: workshop.code, ...picked };
}

/** The link players open (`/?workshop=CODE`), absolute on `origin`. */
export function workshopLink(origin: string, code: string): string {
  return `${origin.replace(/\/$/, '')}/?workshop=${encodeURIComponent(code)}`;
}

/** The server's `workshop` room broadcast: the next scenario's room to follow (`op: 'next'`). */
export function readWorkshopBroadcast(msg: unknown): { op: 'next'; roomId: string } | null {
  const m = (typeof msg === 'object' && msg !== null ? msg : {}) as Raw;
  return m.op === 'next' && typeof m.roomId === 'string' && m.roomId !== '' ? { op: 'next', roomId: m.roomId } : null;
}

/**
 * A `notice` that is a trainer's hint or message (`kind` `hint`/`message`, sent with `control` op
 * `message`) -> the banner line (`Hint from coach: …`), or null for roster notices.
 */
export function trainerNotice(msg: { text: string; kind?: unknown; from?: unknown }): string | null {
  if (msg.kind !== 'hint' && msg.kind !== 'message') return null;
  const from = typeof msg.from === 'string' && msg.from ? ` from ${msg.from}` : ' from your trainer';
  const text = msg.text.replace(/^(hint|message)( from [^:]+)?:\s*/i, '');
  return `${msg.kind === 'hint' ? 'Hint' : 'Message'}${from}: ${text}`;
}
