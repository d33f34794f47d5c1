/**
 * The replay page's DOM (client/replay.html): loads the timeline, draws the SLI / error-budget curves
 * (SVG) and the incident / action marks, wires the scrubber (range input plus keys: ←/→ 10 s, Shift
 * 60 s, Home/End, Space play/pause at the chosen speed), fetches the cluster at the chosen moment
 * (`?t=`, newest request wins) and hands it to `show` (the Phaser map, given by ../replay.ts), and
 * downloads the postmortem. Decisions live in ../view/replay.ts.
 */
import type { TeamView } from '../../../shared/protocol.ts';
import { formatBudget, formatBurnRate, formatPercent, formatSimTime } from '../view/format.ts';
import {
  PLAY_SPEEDS,
  activeIncidents,
  curvePath,
  frameTime,
  parseTimeline,
  playStep,
  sampleAt,
  scrubKey,
  timelineMarks,
  type ReplayTimelineView,
} from '../view/replay.ts';
import { snapshotState } from '../view/stateMirror.ts';
import { byId, el, isTyping } from './dom.ts';

const SVG = 'http://www.w3.org/2000/svg';
/** Least real time between two frame requests (ms): at most 200/min, under server/http/replay.ts' 240/min. */
const FRAME_INTERVAL_MS = 300;
const W = 1000;
const H = 120;

/** What the page exposes for automated checks (`window.__replay`). */
export interface ReplayDebug {
  /** The timeline loaded. */
  ready: boolean;
  /** Moment the scrubber is at, and the moment of the cluster shown (-1 before the first). */
  t: number;
  frameT: number;
}

async function errorOf(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  return body.error ?? `HTTP ${res.status}`;
}

export class ReplayPage {
  readonly #id: string;
  readonly #show: (team: TeamView | null) => void;
  readonly #scrubber = byId<HTMLInputElement>('replay-scrubber');
  readonly #play = byId<HTMLButtonElement>('replay-play');
  readonly #speed = byId<HTMLSelectElement>('replay-speed');
  readonly #frameStatus = byId('replay-frame-status');
  #tl: ReplayTimelineView | null = null;
  #t = 0;
  #playing = false;
  #last = 0;
  #inFlight = false;
  #wanted = -1;
  #lastFetch = -Infinity;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly debug: ReplayDebug = { ready: false, t: 0, frameT: -1 };

  constructor(matchId: string, show: (team: TeamView | null) => void) {
    this.#id = matchId;
    this.#show = show;
    for (const s of PLAY_SPEEDS) this.#speed.append(el('option', { text: `${s}×`, attrs: { value: String(s) } }));
    this.#speed.value = '60';
    this.#scrubber.addEventListener('input', () => this.seek(Number(this.#scrubber.value)));
    this.#scrubber.addEventListener('keydown', (e) => {
      // The range input's own arrow steps are replaced by ours (10 s / 60 s).
      if (this.#key(e)) e.preventDefault();
    });
    document.addEventListener('keydown', (e) => {
      if (e.target === this.#scrubber || isTyping(e.target) || e.target instanceof HTMLButtonElement) return;
      if (this.#key(e)) e.preventDefault();
    });
    this.#play.addEventListener('click', () => this.#toggle());
    byId('replay-postmortem').addEventListener('click', () => void this.#downloadPostmortem());
  }

  #key(e: KeyboardEvent): boolean {
    if (!this.#tl || e.altKey || e.ctrlKey || e.metaKey) return false;
    const k = scrubKey(e.key, e.shiftKey, this.#t, this.#tl.endT);
    if (k === null) return false;
    if (k.kind === 'toggle') this.#toggle();
    else this.seek(k.t);
    return true;
  }

  /** Loads the timeline; shows the error in the status line when it fails. */
  async load(): Promise<void> {
    const status = byId('replay-status');
    try {
      // A match is archived a moment after it ends: a 404 right then is retried a few times (1 s apart).
      let res = await fetch(`/api/matches/${encodeURIComponent(this.#id)}/replay`);
      for (let attempt = 0; res.status === 404 && attempt < 5; attempt++) {
        await new Promise((r) => setTimeout(r, 1000));
        res = await fetch(`/api/matches/${encodeURIComponent(this.#id)}/replay`);
      }
      if (!res.ok) throw new Error(await errorOf(res));
      const tl = parseTimeline(await res.json());
      this.#tl = tl;
      byId('replay-title').textContent = `Replay: ${tl.scenarioTitle} (team ${tl.team})`;
      byId('replay-hash').textContent = tl.matches
        ? `Re-simulated to the live match's final state (hash ${tl.stateHash}).`
        : `Warning: the re-simulation ends on ${tl.stateHash}, the live match on ${tl.storedStateHash}.`;
      this.#scrubber.max = String(tl.endT);
      this.#scrubber.step = String(tl.tickSeconds);
      this.#drawCurves(tl);
      this.#drawMarks(tl);
      status.textContent = '';
      byId('replay-view').hidden = false;
      this.debug.ready = true;
      this.seek(0);
    } catch (e) {
      status.textContent = `Could not load the replay: ${(e as Error).message}`;
      status.className = 'status error';
    }
  }

  /** Moves to sim second `t` (clamped): scrubber, clock, figures, and the cluster at that moment. */
  seek(t: number): void {
    const tl = this.#tl;
    if (!tl) return;
    this.#t = Math.max(0, Math.min(tl.endT, t));
    this.debug.t = this.#t;
    this.#scrubber.value = String(this.#t);
    this.#scrubber.setAttribute('aria-valuetext', formatSimTime(this.#t));
    byId('replay-clock').textContent = `${formatSimTime(this.#t)} / ${formatSimTime(tl.endT)}`;
    const s = sampleAt(tl.samples, this.#t);
    byId('replay-figures').textContent = s
      ? `Availability ${formatPercent(s.availability)} · latency SLI ${formatPercent(s.latency)} · ${formatBudget(s.budget)} · burn rate ${formatBurnRate(s.burnRate)}`
      : '';
    const active = activeIncidents(tl, this.#t);
    byId('replay-incidents').textContent = active.length ? `In progress: ${active.map((i) => i.title).join('; ')}` : 'No incident in progress.';
    const cursor = byId('replay-curves').querySelector('#replay-cursor');
    cursor?.setAttribute('x1', String((this.#t / Math.max(1, tl.endT)) * W));
    cursor?.setAttribute('x2', String((this.#t / Math.max(1, tl.endT)) * W));
    this.#wanted = frameTime(this.#t, tl.tickSeconds);
    void this.#fetchFrame();
  }

  /** One frame request at a time; when it returns and the wanted moment moved, ask again. */
  async #fetchFrame(): Promise<void> {
    if (this.#inFlight || this.#wanted === this.debug.frameT) return;
    // At most one request per FRAME_INTERVAL_MS (playback and dragging stay under the route's rate limit).
    const wait = this.#lastFetch + FRAME_INTERVAL_MS - performance.now();
    if (wait > 0) {
      if (!this.#timer) this.#timer = setTimeout(() => {
        this.#timer = null;
        void this.#fetchFrame();
      }, wait);
      return;
    }
    this.#lastFetch = performance.now();
    this.#inFlight = true;
    const t = this.#wanted;
    try {
      if (this.debug.frameT < 0) this.#frameStatus.textContent = 'Loading the cluster…';
      const res = await fetch(`/api/matches/${encodeURIComponent(this.#id)}/replay?t=${t}`);
      if (!res.ok) throw new Error(await errorOf(res));
      const frame = (await res.json()) as { team?: string; state?: unknown };
      const team = snapshotState(frame.state).teams.get(frame.team ?? this.#tl!.team) ?? null;
      this.#show(team);
      this.#renderPods(team);
      this.debug.frameT = t;
      this.#frameStatus.textContent = '';
      this.#frameStatus.className = 'status';
    } catch (e) {
      this.#frameStatus.textContent = `Could not load the cluster at ${formatSimTime(t)}: ${(e as Error).message}`;
      this.#frameStatus.className = 'status error';
      this.#wanted = this.debug.frameT; // don't retry in a loop; the next seek asks again
    } finally {
      this.#inFlight = false;
    }
    if (this.#wanted !== this.debug.frameT) void this.#fetchFrame();
  }

  #renderPods(team: TeamView | null): void {
    if (!team) {
      byId('replay-pods').textContent = '';
      return;
    }
    const byStatus = new Map<string, number>();
    let restarts = 0;
    for (const p of team.pods.values()) {
      byStatus.set(p.status, (byStatus.get(p.status) ?? 0) + 1);
      restarts += p.restarts;
    }
    const counts = [...byStatus].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([s, n]) => `${n} ${s}`);
    byId('replay-pods').textContent = `Pods: ${counts.join(', ') || 'none'} · ${restarts} container restart${restarts === 1 ? '' : 's'}`;
  }

  #toggle(): void {
    if (!this.#tl) return;
    this.#playing = !this.#playing;
    this.#play.textContent = this.#playing ? 'Pause' : 'Play';
    if (!this.#playing) return;
    if (this.#t >= this.#tl.endT) this.seek(0);
    this.#last = performance.now();
    const frame = (now: number): void => {
      if (!this.#playing || !this.#tl) return;
      const step = playStep(this.#t, Number(this.#speed.value), now - this.#last, this.#tl.endT);
      this.#last = now;
      this.seek(step.t);
      if (step.ended) this.#toggle();
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  #drawCurves(tl: ReplayTimelineView): void {
    const svg = byId('replay-curves');
    const path = (d: string, cls: string): SVGPathElement => {
      const p = document.createElementNS(SVG, 'path');
      p.setAttribute('d', d);
      p.setAttribute('class', cls);
      p.setAttribute('vector-effect', 'non-scaling-stroke');
      return p;
    };
    const cursor = document.createElementNS(SVG, 'line');
    cursor.id = 'replay-cursor';
    cursor.setAttribute('y1', '0');
    cursor.setAttribute('y2', String(H));
    cursor.setAttribute('class', 'curve-cursor');
    cursor.setAttribute('vector-effect', 'non-scaling-stroke');
    const bands = tl.incidents
      .filter((i) => i.startedAt !== null)
      .map((i) => {
        const r = document.createElementNS(SVG, 'rect');
        const x0 = (i.startedAt! / Math.max(1, tl.endT)) * W;
        const x1 = ((i.mitigatedAt ?? tl.endT) / Math.max(1, tl.endT)) * W;
        r.setAttribute('x', String(x0));
        r.setAttribute('width', String(Math.max(1, x1 - x0)));
        r.setAttribute('y', '0');
        r.setAttribute('height', String(H));
        r.setAttribute('class', 'curve-incident');
        return r;
      });
    svg.replaceChildren(
      ...bands,
      path(curvePath(tl.samples, 'availability', tl.endT, W, H), 'curve curve-availability'),
      path(curvePath(tl.samples, 'latency', tl.endT, W, H), 'curve curve-latency'),
      path(curvePath(tl.samples, 'budget', tl.endT, W, H), 'curve curve-budget'),
      path(curvePath(tl.samples, 'burnRate', tl.endT, W, H, 0, 10), 'curve curve-burn'),
      cursor,
    );
  }

  #drawMarks(tl: ReplayTimelineView): void {
    const label = byId('replay-mark-label');
    const glyph = { 'incident-start': '▲', 'incident-mitigated': '✓', action: '●', injection: '◆' } as const;
    byId('replay-marks').replaceChildren(
      ...timelineMarks(tl).map((m) => {
        const b = el('button', { class: `replay-mark ${m.kind}`, text: glyph[m.kind], title: m.label, attrs: { type: 'button', 'aria-label': m.label, style: `left: ${(m.at * 100).toFixed(2)}%`, 'data-t': String(m.t) } });
        const say = (): void => void (label.textContent = m.label);
        b.addEventListener('mouseenter', say);
        b.addEventListener('focus', say);
        b.addEventListener('click', () => this.seek(m.t));
        return b;
      }),
    );
  }

  /** Fetches `GET /api/matches/:id/postmortem` and saves it as `postmortem-<id>.md`. */
  async #downloadPostmortem(): Promise<void> {
    const button = byId<HTMLButtonElement>('replay-postmortem');
    const status = byId('replay-postmortem-status');
    button.disabled = true;
    status.textContent = 'Writing the postmortem…';
    try {
      const res = await fetch(`/api/matches/${encodeURIComponent(this.#id)}/postmortem`);
      if (!res.ok) throw new Error(await errorOf(res));
      const url = URL.createObjectURL(await res.blob());
      const a = el('a', { attrs: { href: url, download: `postmortem-${this.#id}.md` } });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      status.textContent = 'Postmortem saved.';
    } catch (e) {
      status.textContent = `No postmortem: ${(e as Error).message}`;
    } finally {
      button.disabled = false;
    }
  }
}
