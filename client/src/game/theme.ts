/** Map colours (dark theme, GitHub-dark-like greys) and the painter handed to the draw functions. */
import type Phaser from 'phaser';
import type { TextPool } from './textPool.ts';

export const THEME = {
  background: 0x0d1117,
  panel: 0x161b22,
  panelBorder: 0x30363d,
  zone: 0x11161d,
  node: 0x1c232c,
  nodeBorder: 0x3a4450,
  barTrack: 0x2a313a,
  selection: 0xffffff,
  text: '#e6edf3',
  muted: '#8b949e',
  faint: '#6e7681',
  good: '#3fb68b',
  warn: '#e6a23c',
  bad: '#ff7b54',
} as const;

/** What every draw function gets: one Graphics for shapes (cleared per redraw) and the text pool. */
export interface Painter {
  g: Phaser.GameObjects.Graphics;
  texts: TextPool;
}
