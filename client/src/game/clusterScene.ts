/**
 * The Phaser 4 scene that draws one team's cluster. It keeps no game state of its own: `show()` hands it
 * the latest {@link TeamView} snapshot and the selection, and the scene redraws on its next frame (at
 * most once per frame, only when something changed or the canvas was resized). Clicks are hit-tested
 * against the pure layout (view/layout.ts) and reported through `onSelect`.
 */
import Phaser from 'phaser';
import { nameOfKey, type TeamView } from '../../../shared/protocol.ts';
import { hitTest, layoutCluster, type ClusterLayout, type MapTarget } from '../view/layout.ts';
import { drawControlPlane, drawSlo } from './drawControlPlane.ts';
import { drawZones } from './drawNodes.ts';
import { drawServices } from './drawServices.ts';
import { TextPool } from './textPool.ts';
import { THEME } from './theme.ts';

/** What was drawn in the last redraw (for the page's debug hook). */
export interface RenderInfo {
  nodes: number;
  pods: number;
  etcd: number;
  services: number;
  width: number;
  height: number;
  /** Name and centre of the first pod tile (canvas px), for automated clicks; null when no pod is drawn. */
  samplePod: { name: string; x: number; y: number } | null;
  /** Name and centre of the first control-plane component chip (canvas px), for automated clicks; null when none is drawn. */
  sampleComponent: { name: string; x: number; y: number } | null;
}

export class ClusterScene extends Phaser.Scene {
  /** Called with the clicked target (null for empty space). */
  onSelect: (target: MapTarget | null) => void = () => undefined;
  /** Called after each redraw. */
  onRendered: (info: RenderInfo) => void = () => undefined;

  #g: Phaser.GameObjects.Graphics | null = null;
  #texts: TextPool | null = null;
  #team: TeamView | null = null;
  #selected: MapTarget | null = null;
  #layout: ClusterLayout | null = null;
  #dirty = false;
  #hover = false;

  constructor() {
    super({ key: 'cluster' });
  }

  create(): void {
    this.cameras.main.setBackgroundColor(THEME.background);
    this.#g = this.add.graphics();
    this.#texts = new TextPool(this, Math.min(2, window.devicePixelRatio || 1));
    this.input.on('pointerdown', (pointer: Phaser.Input.Pointer) => {
      if (!this.#layout) return;
      this.onSelect(hitTest(this.#layout, pointer.x, pointer.y));
    });
    this.input.on('pointermove', (pointer: Phaser.Input.Pointer) => {
      const over = this.#layout ? hitTest(this.#layout, pointer.x, pointer.y) !== null : false;
      if (over !== this.#hover) {
        this.#hover = over;
        this.game.canvas.style.cursor = over ? 'pointer' : 'default';
      }
    });
    this.scale.on('resize', () => {
      this.#dirty = true;
    });
    this.#dirty = this.#team !== null;
  }

  /** Show this snapshot (and selection) on the next frame. */
  show(team: TeamView | null, selected: MapTarget | null): void {
    this.#team = team;
    this.#selected = selected;
    this.#dirty = true;
  }

  override update(): void {
    if (!this.#dirty || !this.#g || !this.#texts) return;
    this.#dirty = false;
    this.#redraw(this.#g, this.#texts);
  }

  #redraw(g: Phaser.GameObjects.Graphics, texts: TextPool): void {
    g.clear();
    const team = this.#team;
    const width = this.scale.width;
    const height = this.scale.height;
    if (!team) {
      this.#layout = null;
      texts.put('waiting', width / 2, height / 2, 'Waiting for the cluster state…', { size: 14, color: THEME.muted, originX: 0.5, originY: 0.5 });
      texts.sweep();
      return;
    }
    const layout = layoutCluster(team, width, height);
    this.#layout = layout;
    const painter = { g, texts };
    const sel = this.#selected;
    drawControlPlane(painter, layout, team, sel?.kind === 'etcd' ? sel.name : null);
    drawSlo(painter, layout, team);
    const pods = drawZones(painter, layout, team, sel);
    drawServices(painter, layout, team, sel?.kind === 'service' ? sel.name : null);
    texts.sweep();
    const first = layout.zones.flatMap((z) => z.nodes).find((n) => n.pods.length > 0)?.pods[0];
    const chip = layout.components[0];
    this.onRendered({
      nodes: layout.zones.reduce((n, z) => n + z.nodes.length, 0),
      pods,
      etcd: layout.etcd.length,
      services: layout.services.length,
      width,
      height,
      samplePod: first ? { name: nameOfKey(first.name), x: first.rect.x + first.rect.w / 2, y: first.rect.y + first.rect.h / 2 } : null,
      sampleComponent: chip ? { name: nameOfKey(chip.name), x: chip.rect.x + chip.rect.w / 2, y: chip.rect.y + chip.rect.h / 2 } : null,
    });
  }
}

/**
 * Start Phaser in `parent` (the canvas follows the element's size: Scale RESIZE mode).
 * `Phaser.AUTO` picks WebGL, falling back to Canvas.
 */
export function createClusterGame(parent: HTMLElement): { game: Phaser.Game; scene: ClusterScene } {
  const scene = new ClusterScene();
  const game = new Phaser.Game({
    type: Phaser.AUTO,
    parent,
    backgroundColor: THEME.background,
    scale: { mode: Phaser.Scale.RESIZE, width: '100%', height: '100%' },
    banner: false,
    disableContextMenu: true,
    scene,
  });
  return { game, scene };
}
