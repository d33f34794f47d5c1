/**
 * Page entry: wires the join screen, the room connection, the Phaser cluster map and the DOM panels.
 * Rendering is driven by state patches: each patch updates the {@link StateMirror}; a redraw of the
 * panels and the map is scheduled at most once per animation frame (and at most every 100 ms).
 *
 * Exposes a read-only debug hook `window.__gameday` (`{ ready, counts: { nodes, pods, etcd }, ... }`),
 * replaced after every map redraw, for the browser test and curious players.
 */
import { nameOfKey, type FocusKind, type JoinOptions, type MatchStateView, type TeamView } from '../../shared/protocol.ts';
import { createClusterGame, type ClusterScene, type RenderInfo } from './game/clusterScene.ts';
import { GameConnection, enterMatch, rejoin, resumeMatch, type ConnectionHandlers } from './net/connection.ts';
import { mountChaosPanel } from './ui/chaosPanel.ts';
import { ConsolePanel } from './ui/consolePanel.ts';
import { ContextPanel, type PanelSelection } from './ui/contextPanel.ts';
import { EndDialog, HelpDialog, legendItems } from './ui/dialogs.ts';
import { byId, el, isTyping } from './ui/dom.ts';
import { Feeds } from './ui/feeds.ts';
import { Hud } from './ui/hud.ts';
import { PagerPanel } from './ui/pagerPanel.ts';
import { PostmortemQuestion } from './ui/postmortemQuestion.ts';
import { JoinScreen, errorText } from './ui/joinScreen.ts';
import { AccountPanel } from './ui/accountPanel.ts';
import { MatchLobby } from './ui/matchLobby.ts';
import { WorkshopJoin } from './ui/workshopJoin.ts';
import { readWorkshopBroadcast, trainerNotice } from './view/workshop.ts';
import { lobbyShortcut, type JoinRequest } from './view/lobby.ts';
import { resolveShortcut } from './view/console.ts';
import type { MapTarget } from './view/layout.ts';
import { StateMirror, teamOf } from './view/stateMirror.ts';

/** What `window.__gameday` holds (frozen; replaced, never mutated). */
export interface DebugInfo {
  ready: boolean;
  counts: { nodes: number; pods: number; etcd: number; services: number };
  phase: string;
  t: number;
  /** Desired and ready replicas per Deployment. */
  deployments: Record<string, { replicas: number; ready: number }>;
  selection: string | null;
  /** Centre of the first pod tile in canvas px (see RenderInfo.samplePod). */
  samplePod: { name: string; x: number; y: number } | null;
  /** Centre of the first control-plane component chip in canvas px (see RenderInfo.sampleComponent). */
  sampleComponent: { name: string; x: number; y: number } | null;
}

const mirror = new StateMirror();
const hud = new Hud();
const feeds = new Feeds();
const pagerPanel = new PagerPanel();
const postmortem = new PostmortemQuestion();
const consolePanel = new ConsolePanel();
const context = new ContextPanel();
const help = new HelpDialog();
const endDialog = new EndDialog(() => void backToJoin());
const gameScreen = byId('game-screen');
const banner = byId('connection-banner');
const account = new AccountPanel(byId('join-screen')); // Sign in / Register / Play as guest (issue 10)
const join = new JoinScreen((request) => startMatch({ ...request, options: account.apply(request.options) }));
// Join a workshop by code (issue 10): under the name, above Quick play; `/?workshop=CODE` fills it in.
new WorkshopJoin(byId('join-screen'), (request) => startMatch({ ...request, options: account.apply(request.options) }), join);
const lobbyUi = new MatchLobby();
lobbyUi.mount();
mountChaosPanel(() => conn?.room ?? null); // red vs blue: the attacking side's panel

let conn: GameConnection | null = null;
/** Where to rejoin when the room goes away under us (server restart): the room and the join options. */
let seat: { roomId: string; options: JoinOptions } | null = null;
let map: { scene: ClusterScene } | null = null;
let ended = false;
let renderQueued = false;
let lastRender = 0;
let debug: DebugInfo = Object.freeze({ ready: false, counts: { nodes: 0, pods: 0, etcd: 0, services: 0 }, phase: '', t: 0, deployments: {}, selection: null, samplePod: null, sampleComponent: null });
Object.defineProperty(window, '__gameday', { get: () => debug, enumerable: true });

const handlers: ConnectionHandlers = {
  onState: (state) => {
    mirror.update(state);
    scheduleRender();
  },
  onNotice: (msg) => {
    lobbyUi.notices.push(msg);
    // A trainer's hint or message (issue 10 workshops): also on the banner until dismissed or replaced.
    const trainerNote = trainerNotice(msg);
    if (trainerNote) showBanner(trainerNote, 'info', false, true);
    scheduleRender();
  },
  onStrayReply: (reply) => consolePanel.log(`(reply to ${reply.type}${reply.id === null ? '' : ` #${reply.id}`})`, reply),
  onMatchEnded: (msg) => {
    ended = true;
    endDialog.show(msg);
  },
  onDrop: (code) => showBanner(`Connection lost (code ${code}): reconnecting…`, 'warn'),
  onReconnect: () => {
    showBanner('Reconnected.', 'ok');
    setTimeout(() => hideBanner('Reconnected.'), 3000);
  },
  onLeave: (code, reason, consented) => {
    conn = null;
    consolePanel.attach(null);
    if (consented) return;
    const why = reason ? `: ${reason.replace(/\.$/, '')}` : '';
    if (ended) showBanner(`The match is over and the room closed (code ${code}${why}).`, 'info', true);
    else if (seat) void rejoinSeat(seat, code);
    else showBanner(`Disconnected from the match (code ${code}${why}).`, 'error', true);
    consolePanel.note(`disconnected (code ${code}${why})`, 'error');
  },
};

/**
 * The room went away before the match ended (the server restarted or the connection could not be
 * restored): the server rebuilds the match from its journal under the same room id, so join it
 * again with the same name, team and seat token until it is back.
 */
async function rejoinSeat(target: { roomId: string; options: JoinOptions }, code: number): Promise<void> {
  const what = code === 4001 ? 'The server restarted' : 'The connection to the match was lost';
  showBanner(`${what}: rejoining the match…`, 'warn');
  try {
    conn = await rejoin(target.roomId, target.options, handlers, (attempt) => showBanner(`${what}: rejoining the match… (attempt ${attempt})`, 'warn'));
    enterGame(target.options.name);
    consolePanel.note('rejoined the match: same team, role and score', 'info');
    showBanner('Rejoined the match.', 'ok');
    setTimeout(() => hideBanner('Rejoined the match.'), 3000);
  } catch (err) {
    seat = null;
    showBanner(`Could not rejoin the match: ${errorText(err)}`, 'error', true);
  }
}

/** The kubeconfig button: saves `gameday.yaml` for real kubectl against the team's cluster. */
byId('hud-kubeconfig').addEventListener('click', () => {
  const c = conn;
  if (!c) return;
  c.kubeconfig().then(
    (yaml) => {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([yaml], { type: 'application/yaml' }));
      link.download = 'gameday.yaml';
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      consolePanel.note('saved gameday.yaml: kubectl --kubeconfig gameday.yaml get pods', 'info');
    },
    (err: unknown) => consolePanel.note(err instanceof Error ? err.message : String(err), 'error'),
  );
});

async function startMatch(request: JoinRequest): Promise<void> {
  const options = request.options;
  lobbyUi.reset();
  conn = await enterMatch(request.kind, options, handlers, request.kind === 'join' ? request.roomId : undefined);
  // Rejoining names the team the seat has (a joinOrCreate without one got the first team).
  const team = (conn.room.state as { players?: Map<string, { team?: string }> } | undefined)?.players?.get(conn.sessionId)?.team;
  seat = { roomId: conn.room.roomId, options: { ...options, ...(team ? { team } : {}) } };
  followWorkshop(conn);
  enterGame(options.name);
}

/**
 * A workshop match (issue 10): when the trainer opens the next scenario, the old room broadcasts
 * `workshop` `{ op: 'next', roomId }`; leave and join the new room with the same name, token and code.
 */
function followWorkshop(c: GameConnection): void {
  c.room.onMessage('workshop', (msg: unknown) => {
    const next = readWorkshopBroadcast(msg);
    const current = seat;
    if (!next || !current || conn !== c) return;
    const { team: _team, ...options } = current.options;
    showBanner('Your trainer opened the next scenario: joining it…', 'info');
    seat = null;
    const endDialogElement = document.getElementById('end-dialog') as HTMLDialogElement | null;
    if (endDialogElement?.open) endDialogElement.close();
    feeds.reset();
    pagerPanel.reset();
    context.select(null, null, undefined);
    mirror.current = null;
    void c
      .leave()
      .catch(() => undefined)
      .then(() => startMatch({ kind: 'join', roomId: next.roomId, options }))
      .then(
        () => setTimeout(() => hideBanner('Your trainer opened the next scenario: joining it…'), 100),
        (err: unknown) => showBanner(`Could not join the next scenario: ${errorText(err)}`, 'error', true),
      );
  });
}

function enterGame(name: string): void {
  ended = false;
  join.hide();
  hideBanner();
  gameScreen.hidden = false;
  hud.setPlayer(name);
  if (!map) {
    const created = createClusterGame(byId('map'));
    created.scene.onSelect = onMapSelect;
    created.scene.onRendered = onRendered;
    map = created;
  }
  const c = conn;
  consolePanel.attach(c && { run: (command) => c.kubectl(command), stdin: (command, text) => c.stdin(command, text), showHelp: () => help.show() });
  lobbyUi.attach(c && { send: (message) => c.lobby(message) });
  const sendWorkflow = c && ((op: Parameters<typeof c.workflow>[0]) => (conn ? conn.workflow(op) : null));
  pagerPanel.attach(sendWorkflow);
  postmortem.attach(sendWorkflow);
  context.attach({
    act: async (action, label) => {
      if (!conn) return { id: null, type: 'action', ok: false, error: 'not connected to a match' };
      const reply = await conn.action(action);
      consolePanel.log(label, reply);
      return reply;
    },
    onClose: scheduleRender,
  });
  scheduleRender();
}

async function backToJoin(): Promise<void> {
  seat = null;
  const c = conn;
  conn = null;
  if (c) await c.leave().catch(() => undefined);
  feeds.reset();
  lobbyUi.reset();
  pagerPanel.reset();
  context.select(null, null, undefined);
  mirror.current = null;
  map?.scene.show(null, null);
  gameScreen.hidden = true;
  hideBanner();
  join.show();
}

function currentTeam(): { view: MatchStateView; team: TeamView | undefined } | null {
  const view = mirror.current;
  if (!view || !conn) return null;
  // A spectator (or trainer) sees every team: the one picked on the scoreboard, else the default.
  const watched = lobbyUi.watching ? view.teams.get(lobbyUi.watching) : undefined;
  return { view, team: watched ?? teamOf(view, conn.sessionId) };
}

function onMapSelect(target: MapTarget | null): void {
  // A click on the map is a click away from the console: leave it, so `/`, `?` and `L` work again.
  if (isTyping(document.activeElement)) (document.activeElement as HTMLElement).blur();
  const cur = currentTeam();
  if (!target || !cur?.team) {
    context.close();
    return;
  }
  // A Service chip selects the Deployment of the same name when there is one (it has the actions).
  const sel: PanelSelection = target.kind === 'service' && cur.team.deployments.has(target.name) ? { kind: 'deployment', name: target.name } : target;
  context.select(sel, cur.view, cur.team);
  sendFocus(sel);
  scheduleRender();
}

/** The server sends a large cluster's Pods for what the player looks at: tell it (a Pod keeps the focus). */
function sendFocus(sel: PanelSelection | null): void {
  const kinds: Partial<Record<PanelSelection['kind'], FocusKind>> = { node: 'Node', deployment: 'Deployment', service: 'Service' };
  const kind = sel ? kinds[sel.kind] : undefined;
  if (sel?.kind === 'pod') return;
  void conn?.focus(sel && kind ? { kind, key: sel.name } : null);
}

function highlight(sel: PanelSelection | null): MapTarget | null {
  if (!sel) return null;
  return sel.kind === 'deployment' ? { kind: 'service', name: sel.name } : sel;
}

function scheduleRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  const wait = Math.max(0, 100 - (performance.now() - lastRender));
  setTimeout(() => requestAnimationFrame(render), wait);
}

function render(): void {
  renderQueued = false;
  lastRender = performance.now();
  const cur = currentTeam();
  if (!cur) return;
  const { view, team } = cur;
  const me = conn ? view.players.get(conn.sessionId) : undefined;
  if (me) hud.setPlayer(me.name);
  hud.render(view, team);
  if (conn) lobbyUi.render(view, conn.sessionId);
  if (team) feeds.render(view, team);
  if (team) pagerPanel.render(view, team);
  if (team && view.phase === 'ended') postmortem.render(team);
  context.render(view, team);
  map?.scene.show(team ?? null, highlight(context.selection));
}

function onRendered(info: RenderInfo): void {
  const cur = currentTeam();
  const deployments: DebugInfo['deployments'] = {};
  for (const d of cur?.team?.deployments.values() ?? []) deployments[d.name] = Object.freeze({ replicas: d.replicas, ready: d.readyReplicas });
  const sel = context.selection;
  debug = Object.freeze({
    ready: info.nodes > 0,
    counts: Object.freeze({ nodes: info.nodes, pods: info.pods, etcd: info.etcd, services: info.services }),
    phase: cur?.view.phase ?? '',
    t: cur?.view.t ?? 0,
    deployments: Object.freeze(deployments),
    selection: sel ? `${sel.kind}/${nameOfKey(sel.name)}` : null,
    samplePod: info.samplePod && Object.freeze({ ...info.samplePod }),
    sampleComponent: info.sampleComponent && Object.freeze({ ...info.sampleComponent }),
  });
}

function showBanner(text: string, kind: 'ok' | 'warn' | 'error' | 'info', offerRejoin = false, dismissable = false): void {
  banner.className = `banner ${kind}`;
  banner.replaceChildren(el('span', { text }));
  if (dismissable) {
    const close = el('button', { text: 'OK', class: 'ghost', attrs: { type: 'button', 'aria-label': 'Dismiss' } });
    close.addEventListener('click', () => hideBanner());
    banner.append(' ', close);
  }
  if (offerRejoin) {
    const button = el('button', { text: 'Back to the join screen', attrs: { type: 'button' } });
    button.addEventListener('click', () => void backToJoin());
    banner.append(' ', button);
  }
  banner.hidden = false;
}

function hideBanner(onlyIf?: string): void {
  if (onlyIf && banner.textContent !== onlyIf) return;
  banner.hidden = true;
}

document.addEventListener('keydown', (e) => {
  if (!gameScreen.hidden && lobbyShortcut(e.key, isTyping(e.target), e.ctrlKey || e.metaKey || e.altKey, mirror.current?.phase ?? '', lobbyUi.spectating) === 'toggleReady') {
    e.preventDefault();
    lobbyUi.toggleReady();
    return;
  }
  const cmd = resolveShortcut(e.key, isTyping(e.target), e.ctrlKey || e.metaKey || e.altKey);
  if (!cmd) return;
  const inGame = !gameScreen.hidden;
  switch (cmd) {
    case 'escape':
      if (help.open || endDialog.open) return; // the dialog closes itself
      if (isTyping(e.target)) (e.target as HTMLElement).blur();
      else context.close();
      return;
    case 'focusConsole':
      if (!inGame) return;
      e.preventDefault();
      consolePanel.focus();
      return;
    case 'help':
      e.preventDefault();
      help.show();
      return;
    case 'ack':
      if (!inGame) return;
      e.preventDefault();
      pagerPanel.ack();
      return;
    case 'leaderboard':
      if (inGame) window.open('/leaderboard.html', '_blank', 'noopener');
      else location.href = '/leaderboard.html';
      return;
  }
});

byId('help-button').addEventListener('click', () => help.show());
byId('legend-list').replaceChildren(...legendItems());

void join.loadScenarios();
join.busy('Looking for your previous match…');
resumeMatch(handlers).then(
  (resumed) => {
    if (!resumed) {
      join.show();
      return;
    }
    conn = resumed;
    enterGame('');
  },
  (err: unknown) => {
    join.show();
    join.fail(`Could not rejoin your previous match (${errorText(err)}): it has probably ended. Join a new one.`);
  },
);
