import { Scene } from '../model/scene';
import { View } from './view';

/** Screen position (CSS px) of entity `i`: a node's box centre, an actor's centre. */
export function entityOnScreen(scene: Scene, v: View, i: number): [number, number] {
  const node = scene.index.registry.kinds[i] === 'node';
  const cx = node ? scene.layout.boxW / 2 : 0;
  const cy = node ? scene.layout.boxH / 2 : 0;
  return [(scene.px[i] + cx - v.x) * v.scale, (scene.py[i] + cy - v.y) * v.scale];
}

/** Screen rectangle [x, y, w, h] (CSS px) of node `i`'s box. */
export function nodeRectOnScreen(scene: Scene, v: View, i: number): [number, number, number, number] {
  return [
    (scene.px[i] - v.x) * v.scale,
    (scene.py[i] - v.y) * v.scale,
    scene.layout.boxW * v.scale,
    scene.layout.boxH * v.scale,
  ];
}
