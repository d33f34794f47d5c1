/**
 * Pod STATUS (the kubectl STATUS column) -> how a pod tile looks: colour, short label, glyph and shape
 * marker. Colour is never the only cue: every style also carries a text label and a marker shape, and
 * the palette is Okabe-Ito (Okabe & Ito 2008, "Color Universal Design"), distinguishable under the
 * common colour-vision deficiencies.
 *
 * Status strings follow kubectl (K pkg/printers/internalversion/printers.go printPod) and the kubelet
 * waiting/terminated reasons listed in shared/sim/kubernetes-behaviour.md §1.
 *
 * Pure: no Phaser, no DOM.
 */

/** Okabe-Ito palette (0xRRGGBB). */
export const PALETTE = {
  black: 0x000000,
  orange: 0xe69f00,
  skyBlue: 0x56b4e9,
  bluishGreen: 0x009e73,
  yellow: 0xf0e442,
  blue: 0x0072b2,
  vermillion: 0xd55e00,
  reddishPurple: 0xcc79a7,
  grey: 0x8a8f98,
} as const;

/** How bad a status is, for sorting and for the tile's border weight. */
export type PodSeverity = 'ok' | 'progress' | 'warning' | 'error' | 'gone';

/**
 * A shape drawn on the tile besides its colour: `none` (healthy), `hollow` (outlined, waiting),
 * `stripes` (diagonal hatch, terminating), `cross` (an X in the corner, failed), `bang` (a `!` corner
 * triangle, running but not Ready).
 */
export type PodMarker = 'none' | 'hollow' | 'stripes' | 'cross' | 'bang';

/** How to draw a pod: colour, text and marker (see {@link podStatusStyle}). */
export interface PodStatusStyle {
  /** Tile fill, 0xRRGGBB. */
  fill: number;
  /** Same colour as a CSS string (`#rrggbb`) for the DOM. */
  css: string;
  /** Text colour readable on `fill`, 0xRRGGBB. */
  textColor: number;
  /** Short label drawn on the tile (<= 8 characters), e.g. `OOMKill`, `CrashLp`. */
  short: string;
  /** The full kubectl STATUS string (what the tooltip and context panel show). */
  label: string;
  /** One-character glyph used in DOM lists next to the status. */
  glyph: string;
  /** Shape cue besides colour. */
  marker: PodMarker;
  severity: PodSeverity;
}

interface StyleSpec {
  fill: number;
  short: string;
  glyph: string;
  marker: PodMarker;
  severity: PodSeverity;
}

const WAITING: StyleSpec = { fill: PALETTE.skyBlue, short: 'Creating', glyph: '◔', marker: 'hollow', severity: 'progress' };
const IMAGE_PULL: StyleSpec = { fill: PALETTE.reddishPurple, short: 'ImgPull', glyph: '✖', marker: 'cross', severity: 'error' };
const UNKNOWN: StyleSpec = { fill: PALETTE.grey, short: 'Unknown', glyph: '?', marker: 'stripes', severity: 'warning' };
const EVICTED: StyleSpec = { fill: PALETTE.orange, short: 'Evicted', glyph: '⏏', marker: 'cross', severity: 'warning' };
const FAILED: StyleSpec = { fill: PALETTE.vermillion, short: 'Error', glyph: '✖', marker: 'cross', severity: 'error' };

/** Exact kubectl STATUS strings we know. Anything else falls back by prefix / to `Unknown`'s style. */
const STYLES: Record<string, StyleSpec> = {
  Running: { fill: PALETTE.bluishGreen, short: 'Running', glyph: '●', marker: 'none', severity: 'ok' },
  Completed: { fill: PALETTE.blue, short: 'Done', glyph: '✔', marker: 'none', severity: 'ok' },
  Succeeded: { fill: PALETTE.blue, short: 'Done', glyph: '✔', marker: 'none', severity: 'ok' },
  Pending: { fill: PALETTE.yellow, short: 'Pending', glyph: '◌', marker: 'hollow', severity: 'progress' },
  ContainerCreating: WAITING,
  PodInitializing: { ...WAITING, short: 'Init' },
  Terminating: { fill: PALETTE.grey, short: 'Terminat', glyph: '◍', marker: 'stripes', severity: 'gone' },
  OOMKilled: { fill: PALETTE.vermillion, short: 'OOMKill', glyph: '✖', marker: 'cross', severity: 'error' },
  CrashLoopBackOff: { fill: PALETTE.reddishPurple, short: 'CrashLp', glyph: '↻', marker: 'cross', severity: 'error' },
  Error: FAILED,
  Failed: FAILED,
  Evicted: EVICTED,
  ErrImagePull: IMAGE_PULL,
  ImagePullBackOff: IMAGE_PULL,
  InvalidImageName: IMAGE_PULL,
  CreateContainerConfigError: { ...FAILED, short: 'CfgErr' },
  CreateContainerError: { ...FAILED, short: 'CreatErr' },
  Unknown: UNKNOWN,
};

/** Running but failing its readiness probe: still green-ish family would mislead, so amber. */
const NOT_READY: StyleSpec = { fill: PALETTE.orange, short: 'NotReady', glyph: '!', marker: 'bang', severity: 'warning' };

/** Pick black or white text for a background, by relative luminance (WCAG 2.x formula). */
export function contrastText(fill: number): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin((fill >> 16) & 0xff) + 0.7152 * lin((fill >> 8) & 0xff) + 0.0722 * lin(fill & 0xff);
  // Contrast with black is (l + 0.05) / 0.05; with white 1.05 / (l + 0.05). Pick the larger.
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? 0x111111 : 0xffffff;
}

/** `0x00ff00` -> `#00ff00`. */
export function toCss(color: number): string {
  return `#${color.toString(16).padStart(6, '0')}`;
}

/**
 * Style of a pod tile for a kubectl STATUS string.
 *
 * @param status kubectl STATUS (`Running`, `Pending`, `ContainerCreating`, `OOMKilled`,
 *   `CrashLoopBackOff`, `Terminating`, `Init:0/1`, `Error`...). Unknown strings get the `Unknown` style
 *   but keep their own text as the label.
 * @param ready the pod's Ready condition; a `Running` pod that is not Ready is shown as `NotReady`
 *   (amber, `!` marker) because it receives no Service traffic (W workloads/pods/pod-lifecycle.md).
 *   Omit it to style by status alone.
 */
export function podStatusStyle(status: string, ready?: boolean): PodStatusStyle {
  const known = STYLES[status];
  let spec = known ?? UNKNOWN;
  if (!known && status.startsWith('Init:')) spec = { ...WAITING, short: status.slice(0, 8) };
  if (!known && status.startsWith('OutOf')) spec = EVICTED; // OutOfmemory, OutOfcpu admission failures
  if (status === 'Running' && ready === false) spec = NOT_READY;
  const short = known || spec !== UNKNOWN ? spec.short : status.slice(0, 8) || 'Unknown';
  return {
    fill: spec.fill,
    css: toCss(spec.fill),
    textColor: contrastText(spec.fill),
    short,
    label: status === 'Running' && ready === false ? 'Running (not Ready)' : status,
    glyph: spec.glyph,
    marker: spec.marker,
    severity: spec.severity,
  };
}

/** Order for listing statuses in a legend: healthy first, failures last. */
export const LEGEND_STATUSES = ['Running', 'ContainerCreating', 'Pending', 'Terminating', 'OOMKilled', 'CrashLoopBackOff'] as const;

/** One line of a {@link statusTally}: how many Pods show this status. */
export interface StatusTallyLine {
  /** The status glyph (`✖`, `↻`, `◌`, `!`...), as on the tiles and in the legend. */
  glyph: string;
  /** The kubectl STATUS (`OOMKilled`, `CrashLoopBackOff`, `Running (not Ready)`...). */
  label: string;
  count: number;
  severity: PodSeverity;
}

const SEVERITY_ORDER: Record<PodSeverity, number> = { error: 0, warning: 1, progress: 2, gone: 3, ok: 4 };

/**
 * Counts by status of Pods too many to draw one by one (a Node card a few px wide in a 60-Node
 * fleet): every status but healthy Running/Completed, worst first (error, warning, progress,
 * terminating), ties by label, so a card shows `✖2` `↻1` in text instead of hiding its failures.
 *
 * @param pods kubectl STATUS and Ready condition of each Pod (see {@link podStatusStyle}).
 * @returns one line per distinct status label; empty when all are healthy.
 */
export function statusTally(pods: Iterable<{ status: string; ready: boolean }>): StatusTallyLine[] {
  const lines = new Map<string, StatusTallyLine>();
  for (const p of pods) {
    const st = podStatusStyle(p.status, p.ready);
    if (st.severity === 'ok') continue;
    const line = lines.get(st.label);
    if (line) line.count++;
    else lines.set(st.label, { glyph: st.marker === 'bang' ? '!' : st.glyph, label: st.label, count: 1, severity: st.severity });
  }
  return [...lines.values()].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
