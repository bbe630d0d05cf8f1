import { navigate, readingOrder } from '../model/navigate';
import { Scene } from '../model/scene';
import { LOOK } from '../render/presence';
import { entityOnScreen } from '../render/screen';
import { Inspection } from './useInspection';
import { PanZoom } from './usePanZoom';
import { SceneCache } from './useSceneCache';

/**
 * Keyboard: roving focus over nodes and actors in reading order (arrows, Enter into a node's actors, Escape
 * back or out of the details), Space shows details, plus/minus zoom, 0 fits. The canvas is usable without a mouse.
 */
export function useKeyboardNavigation({
  scene,
  width,
  height,
  cache,
  panZoom,
  inspection,
}: {
  scene: Scene;
  width: number;
  height: number;
  cache: SceneCache;
  panZoom: PanZoom;
  inspection: Inspection;
}): (e: React.KeyboardEvent) => void {
  const reg = scene.index.registry;
  const { focused } = inspection;
  return (e) => {
    if (e.target !== e.currentTarget) {
      return; // keys on the legend button or the details links are theirs
    }
    if (e.key === '+' || e.key === '=') {
      panZoom.zoom(1.25);
    } else if (e.key === '-') {
      panZoom.zoom(0.8);
    } else if (e.key === '0') {
      panZoom.fit();
    } else if (e.key === ' ' && focused !== undefined) {
      inspection.select({ entity: focused });
    } else {
      const look = cache.compute().look;
      const order = readingOrder(reg, scene.layout, (i) => look[i] !== LOOK.HIDDEN);
      const next = navigate(reg, order, focused, e.key);
      if (next === undefined) {
        if (e.key === 'Escape') {
          inspection.select(null);
        }
        return;
      }
      inspection.focus(next);
      const [x, y] = entityOnScreen(scene, panZoom.viewRef.current, next);
      if (x < 0 || y < 0 || x > width || y > height) {
        panZoom.panBy(width / 2 - x, height / 2 - y);
      }
    }
    e.preventDefault();
  };
}
