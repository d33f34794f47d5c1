import { describe, expect, it } from 'vitest';
import { LEGEND_STATUSES, contrastText, podStatusStyle, statusTally } from '../../client/src/view/podStatus.ts';

/** WCAG 2.x contrast ratio between two 0xRRGGBB colours. */
function contrast(a: number, b: number): number {
  const lum = (c: number): number => {
    const ch = [(c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff].map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('podStatusStyle', () => {
  it('gives each status a player tells apart without colour: distinct short label, and failures carry a marker', () => {
    const all = ['Running', 'Pending', 'ContainerCreating', 'OOMKilled', 'CrashLoopBackOff', 'Terminating', 'ImagePullBackOff', 'Error', 'Evicted', 'Unknown'];
    const shorts = all.map((s) => podStatusStyle(s).short);
    expect(new Set(shorts).size).toBe(all.length);
    for (const s of ['OOMKilled', 'CrashLoopBackOff', 'Error', 'ImagePullBackOff']) {
      expect(podStatusStyle(s).marker, s).toBe('cross');
      expect(podStatusStyle(s).severity, s).toBe('error');
    }
    expect(podStatusStyle('Running').marker).toBe('none');
    expect(podStatusStyle('Pending').marker).toBe('hollow');
    expect(podStatusStyle('Terminating').marker).toBe('stripes');
  });

  it('keeps the kubectl STATUS text as the label, even for statuses it does not know', () => {
    expect(podStatusStyle('CrashLoopBackOff').label).toBe('CrashLoopBackOff');
    const odd = podStatusStyle('SomethingNew');
    expect(odd.label).toBe('SomethingNew');
    expect(odd.short).toBe('Somethin');
    expect(podStatusStyle('Init:0/1').severity).toBe('progress');
    expect(podStatusStyle('').short).toBe('Unknown');
  });

  it('shows a Running pod that is not Ready as NotReady, since it gets no Service traffic', () => {
    const s = podStatusStyle('Running', false);
    expect(s.short).toBe('NotReady');
    expect(s.label).toBe('Running (not Ready)');
    expect(s.marker).toBe('bang');
    expect(podStatusStyle('Running', true).short).toBe('Running');
  });

  it('uses different colours for healthy, failing and waiting pods in the legend', () => {
    const fills = LEGEND_STATUSES.map((s) => podStatusStyle(s).fill);
    expect(new Set(fills).size).toBe(LEGEND_STATUSES.length);
    expect(podStatusStyle('Running').css).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('picks label text that is readable on every tile colour (contrast >= 4.5:1)', () => {
    for (const s of [...LEGEND_STATUSES, 'Error', 'Evicted', 'Unknown', 'Completed', 'ImagePullBackOff']) {
      const st = podStatusStyle(s);
      expect(contrast(st.fill, st.textColor), s).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrastText(0xffffff)).toBe(0x111111);
    expect(contrastText(0x000000)).toBe(0xffffff);
  });
});

describe('statusTally (Pods counted on a Node card too narrow for tiles, issue 9)', () => {
  it('counts every unhealthy status by glyph, worst first, so OOMKilled and CrashLoopBackOff differ in text', () => {
    const pods = [
      ...Array.from({ length: 6 }, () => ({ status: 'Running', ready: true })),
      { status: 'CrashLoopBackOff', ready: false },
      { status: 'OOMKilled', ready: false },
      { status: 'OOMKilled', ready: false },
      { status: 'Pending', ready: false },
      { status: 'Running', ready: false },
      { status: 'Completed', ready: false },
    ];
    expect(statusTally(pods).map((l) => `${l.glyph}${l.count} ${l.label}`)).toEqual([
      '↻1 CrashLoopBackOff',
      '✖2 OOMKilled',
      '!1 Running (not Ready)',
      '◌1 Pending',
    ]);
    expect(statusTally(pods.slice(0, 6))).toEqual([]);
    // Same lines whatever order the Pods come in.
    expect(statusTally([...pods].reverse())).toEqual(statusTally(pods));
  });
});
