/**
 * The game-master console page (trainer.html, issue 10): sign in (the account panel), create or pick
 * a workshop, then run it: the trainer joins the workshop's room with `trainer: true` and the session
 * token (its StateView holds every team), the console sends `control` ops (pause, resume, speed, end,
 * inject now or at a sim second, hint / message, move) and the lobby start; a team card opens that
 * team's cluster on the live Phaser map; Next scenario asks `POST /api/workshops/:id/next` and moves to
 * the new room; Debrief shows `GET /api/workshops/:id/debrief` with exports.
 *
 * `?workshop=ID` in the page URL reopens that workshop after a reload. Exposes the read-only debug hook
 * `window.__trainer` (`{ connected, phase, t, teams, watching, workshop }`) for the browser test.
 */
import type { ReplyMessage } from '../../shared/protocol.ts';
import { createClusterGame, type ClusterScene } from './game/clusterScene.ts';
import { GameConnection, REPLY_TIMEOUT_MS, enterMatch, type ConnectionHandlers } from './net/connection.ts';
import { DebriefView } from './ui/debriefView.ts';
import { byId } from './ui/dom.ts';
import { errorText } from './ui/joinScreen.ts';
import { TrainerConsole, type TrainerLink } from './ui/trainerConsole.ts';
import { TrainerSetup } from './ui/trainerSetup.ts';
import type { Session } from './view/account.ts';
import { StateMirror } from './view/stateMirror.ts';
import { trainerNotice } from './view/workshop.ts';
import { httpErrorText, nextRoomId, parseTrainerWorkshop, readPlan, type ControlOp, type TrainerWorkshop } from './view/trainer.ts';

/** What `window.__trainer` holds (frozen; replaced on every render). */
export interface TrainerDebug {
  connected: boolean;
  phase: string;
  t: number;
  teams: string[];
  watching: string | null;
  workshop: { id: string; code: string } | null;
  /** Finished matches the debrief lists (0 before it loaded). */
  debriefMatches: number;
}

const mirror = new StateMirror();
let session: Session | null = null;
let workshop: TrainerWorkshop | null = null;
let conn: GameConnection | null = null;
let map: { scene: ClusterScene } | null = null;
let qrUrl: string | null = null;
let renderQueued = false;
let ended = 0;
let nextId = 1;
const pending = new Map<string, (reply: ReplyMessage) => void>();
let debug: TrainerDebug = Object.freeze({ connected: false, phase: '', t: 0, teams: [], watching: null, workshop: null, debriefMatches: 0 });
Object.defineProperty(window, '__trainer', { get: () => debug, enumerable: true });

/** `fetch` with the trainer's session token. */
function authFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (session) headers.set('authorization', `Bearer ${session.token}`);
  return fetch(path, { ...init, headers });
}

const setup = new TrainerSetup(authFetch, {
  open: (w) => void openWorkshop(w),
  debrief: (w) => {
    workshop = w;
    setup.hide();
    trainerConsole.hide();
    void debrief.show(w).then(updateDebug);
  },
  session: (s) => {
    session = s;
    byId('trainer-who').textContent = s ? `${s.name}${s.trainer ? ' (trainer)' : ''}` : '';
  },
});
session = setup.session;
const debrief = new DebriefView(authFetch, () => {
  debrief.hide();
  if (workshop && conn) trainerConsole.show(workshop, qrUrl);
  else closeWorkshop();
});

const link: TrainerLink = {
  control: (op) => request('control', op),
  start: () => (conn ? conn.lobby({ op: 'start', value: true }) : Promise.resolve(notConnected('lobby'))),
};

const trainerConsole = new TrainerConsole({
  watch: (team) => {
    if (team) {
      map ??= createClusterGame(byId('trainer-map'));
    }
    // At once, not on the next frame: a page in the background gets no animation frames.
    updateDebug();
    scheduleRender();
  },
  next: nextScenario,
  debrief: () => {
    if (!workshop) return;
    trainerConsole.hide();
    void debrief.show(workshop, ended).then(updateDebug);
  },
  close: closeWorkshop,
});

function notConnected(type: string): ReplyMessage {
  return { id: null, type, ok: false, error: 'not connected to the match' };
}

/** Send a `control` op; the reply comes back through the connection's stray-reply path (our ids). */
function request(type: 'control', op: ControlOp): Promise<ReplyMessage> {
  const c = conn;
  if (!c) return Promise.resolve(notConnected(type));
  const id = `t${nextId++}`;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (pending.delete(id)) resolve({ id, type, ok: false, error: `no reply from the server within ${REPLY_TIMEOUT_MS / 1000} s` });
    }, REPLY_TIMEOUT_MS);
    pending.set(id, (reply) => {
      clearTimeout(timer);
      resolve(reply);
    });
    c.room.send(type, { id, ...op });
  });
}

const handlers: ConnectionHandlers = {
  onState: (state) => {
    mirror.update(state);
    scheduleRender();
  },
  onNotice: (msg) => trainerConsole.log(trainerNotice(msg) ?? msg.text),
  onStrayReply: (reply) => {
    const key = reply.id === null ? '' : String(reply.id);
    const resolve = pending.get(key);
    if (resolve) {
      pending.delete(key);
      resolve(reply);
    } else trainerConsole.log(`${reply.type}: ${reply.ok ? (reply.output ?? 'ok') : (reply.error ?? 'refused')}`, reply.ok);
  },
  onMatchEnded: () => {
    ended++;
    trainerConsole.report('The match is over: open the Debrief, or start the next scenario.', true);
    scheduleRender();
  },
  onDrop: (code) => trainerConsole.report(`Connection lost (code ${code}): reconnecting…`, false),
  onReconnect: () => trainerConsole.report('Reconnected.', true),
  onLeave: (code, reason, consented) => {
    conn = null;
    trainerConsole.attach(null);
    if (!consented) trainerConsole.report(`Disconnected from the match (code ${code}${reason ? `: ${reason}` : ''}).`, false);
    for (const [id, resolve] of pending) resolve({ id, type: 'control', ok: false, error: 'connection closed before the server answered' });
    pending.clear();
    scheduleRender();
  },
};

async function openWorkshop(w: TrainerWorkshop): Promise<void> {
  workshop = w;
  ended = 0;
  setup.hide();
  debrief.hide();
  history.replaceState(null, '', `?workshop=${encodeURIComponent(w.id)}`);
  trainerConsole.show(w, null);
  void loadQr(w);
  try {
    // The list's copy may be old: ask for the current room.
    const res = await authFetch(`/api/workshops/${encodeURIComponent(w.id)}`);
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) throw new Error(httpErrorText(res.status, body));
    const fresh = parseTrainerWorkshop(body);
    if (fresh) workshop = { ...w, ...fresh, joinUrl: fresh.joinUrl || w.joinUrl };
  } catch (err) {
    trainerConsole.report(`Could not refresh the workshop: ${errorText(err)}`, false);
  }
  const current = workshop;
  trainerConsole.show(current, qrUrl);
  if (current.roomId) await connect(current.roomId);
  else trainerConsole.report('This workshop has no open match: press Next scenario to open one.', false);
}

/** `GET /api/workshops/:id/qr.svg` (with the token) as an image for the projector. */
async function loadQr(w: TrainerWorkshop): Promise<void> {
  try {
    const res = await authFetch(`/api/workshops/${encodeURIComponent(w.id)}/qr.svg`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const blob = new Blob([await res.arrayBuffer()], { type: 'image/svg+xml' });
    if (qrUrl) URL.revokeObjectURL(qrUrl);
    qrUrl = URL.createObjectURL(blob);
    if (workshop?.id === w.id) trainerConsole.show(workshop, qrUrl);
  } catch (err) {
    trainerConsole.log(`No QR code: ${errorText(err)}`, false);
  }
}

async function connect(roomId: string): Promise<void> {
  const s = session;
  if (!s) return trainerConsole.report('Sign in first.', false);
  const old = conn;
  conn = null;
  if (old) await old.leave().catch(() => undefined);
  mirror.current = null;
  trainerConsole.attach(null);
  trainerConsole.report('Joining the workshop’s match as its trainer…', true);
  try {
    // A workshop room wants its code from everyone, its trainer too.
    const code = workshop?.code;
    conn = await enterMatch('join', { name: s.name, token: s.token, trainer: true, ...(code ? { workshop: code } : {}) }, handlers, roomId);
    const c = conn;
    c.room.onMessage('workshop', (msg: unknown) => {
      const plan = readPlan(msg);
      if (plan && conn === c) trainerConsole.plan(plan);
    });
    trainerConsole.plan([]);
    trainerConsole.attach(link);
    trainerConsole.report('Connected: you see every team. Press ? for the keys.', true);
  } catch (err) {
    trainerConsole.report(`Could not join the match: ${errorText(err)}`, false);
  }
  scheduleRender();
}

async function nextScenario(): Promise<void> {
  const w = workshop;
  if (!w) return;
  trainerConsole.report('Opening the next scenario…', true);
  try {
    const res = await authFetch(`/api/workshops/${encodeURIComponent(w.id)}/next`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) throw new Error(httpErrorText(res.status, body));
    const roomId = nextRoomId(body);
    if (!roomId) throw new Error('the server answered without the next room');
    workshop = { ...w, roomId };
    await connect(roomId);
  } catch (err) {
    trainerConsole.report(`No next scenario: ${errorText(err)}`, false);
  }
}

function closeWorkshop(): void {
  const c = conn;
  conn = null;
  if (c) void c.leave().catch(() => undefined);
  workshop = null;
  mirror.current = null;
  trainerConsole.attach(null);
  trainerConsole.watch(null);
  trainerConsole.hide();
  debrief.hide();
  history.replaceState(null, '', location.pathname);
  setup.show();
}

function scheduleRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  setTimeout(() => requestAnimationFrame(render), 100);
}

function render(): void {
  renderQueued = false;
  const view = mirror.current;
  trainerConsole.render(view);
  const watching = trainerConsole.watching;
  map?.scene.show(watching && view ? (view.teams.get(watching) ?? null) : null, null);
  updateDebug();
}

function updateDebug(): void {
  const view = mirror.current;
  debug = Object.freeze({
    connected: conn !== null,
    phase: view?.phase ?? '',
    t: view?.t ?? 0,
    teams: view ? [...view.teams.keys()].sort() : [],
    watching: trainerConsole.watching,
    workshop: workshop ? Object.freeze({ id: workshop.id, code: workshop.code }) : null,
    debriefMatches: debrief.debrief?.matches.length ?? 0,
  });
}

void setup.loadScenarios();
const reopen = new URLSearchParams(location.search).get('workshop');
if (reopen && /^[A-Za-z0-9_-]{1,80}$/.test(reopen) && session?.trainer) {
  setup.hide();
  void openWorkshop({ id: reopen, code: '', title: 'Workshop', status: '', roomId: '', joinUrl: '', settings: {} });
} else setup.show();
