/**
 * Keyed reuse of Phaser Text objects across redraws. A Text re-renders its canvas and re-uploads its
 * texture on every change (Phaser 4 text skill notes), so each frame asks for texts by a stable key and
 * only changed content or style is touched; texts not asked for in a frame are destroyed by `sweep()`.
 */
import Phaser from 'phaser';

/** Text styles used on the map. Sizes are CSS px. */
export interface TextSpec {
  size: number;
  color: string;
  bold?: boolean;
  /** Horizontal anchor: 0 left, 0.5 centre, 1 right. */
  originX?: number;
  originY?: number;
  align?: 'left' | 'center' | 'right';
}

export const MONO = 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace';

/** Approximate advance width of one monospace character at `size` px (DejaVu/Menlo are ~0.6 em). */
export function monoCharWidth(size: number): number {
  return size * 0.61;
}

/**
 * The largest font size from `max` down to `min` at which `text` fits in `width` px (monospace
 * estimate); `min` when even that is too wide.
 */
export function fitSize(text: string, width: number, max: number, min: number): number {
  for (let size = max; size > min; size--) if (text.length * monoCharWidth(size) <= width) return size;
  return min;
}

interface Entry {
  text: Phaser.GameObjects.Text;
  content: string;
  styleKey: string;
}

export class TextPool {
  readonly #scene: Phaser.Scene;
  readonly #entries = new Map<string, Entry>();
  #used = new Set<string>();
  readonly #resolution: number;

  constructor(scene: Phaser.Scene, resolution = 1) {
    this.#scene = scene;
    this.#resolution = resolution;
  }

  /** Show `content` at (x, y) under `key` this frame, creating or updating the Text as needed. */
  put(key: string, x: number, y: number, content: string, spec: TextSpec): Phaser.GameObjects.Text {
    this.#used.add(key);
    const styleKey = `${spec.size}|${spec.color}|${spec.bold ? 1 : 0}|${spec.align ?? 'left'}`;
    let entry = this.#entries.get(key);
    if (!entry) {
      const text = this.#scene.add.text(x, y, content, this.#style(spec));
      text.setResolution(this.#resolution);
      text.setDepth(10);
      entry = { text, content, styleKey };
      this.#entries.set(key, entry);
    } else {
      if (entry.styleKey !== styleKey) {
        entry.text.setStyle(this.#style(spec));
        entry.styleKey = styleKey;
      }
      if (entry.content !== content) {
        entry.text.setText(content);
        entry.content = content;
      }
      entry.text.setPosition(x, y);
    }
    entry.text.setOrigin(spec.originX ?? 0, spec.originY ?? 0);
    return entry.text;
  }

  /** Destroy texts not used since the previous sweep. Call once at the end of each redraw. */
  sweep(): void {
    for (const [key, entry] of this.#entries) {
      if (!this.#used.has(key)) {
        entry.text.destroy();
        this.#entries.delete(key);
      }
    }
    this.#used = new Set();
  }

  /** Number of live texts (for tests and the debug hook). */
  get size(): number {
    return this.#entries.size;
  }

  #style(spec: TextSpec): Phaser.Types.GameObjects.Text.TextStyle {
    return {
      fontFamily: MONO,
      fontSize: `${spec.size}px`,
      fontStyle: spec.bold ? 'bold' : 'normal',
      color: spec.color,
      align: spec.align ?? 'left',
    };
  }
}
