import { GEOMETRY } from './layout';

export type DetailLevel = 'nodes' | 'actors' | 'labels';

/** Level of detail from the zoom scale (screen px per world unit). */
export function detailLevel(scale: number): DetailLevel {
  const actorPx = GEOMETRY.actor * scale;
  if (actorPx < 3) {
    return 'nodes';
  }
  if (actorPx < 28) {
    return 'actors';
  }
  return 'labels';
}

/** Particles per edge from its rate (log scale, capped). */
export function particleCount(rate: number): number {
  if (!(rate > 0)) {
    return 0;
  }
  return Math.min(6, 1 + Math.floor(Math.log10(1 + rate) * 2));
}

/** Particle speed in edge-lengths per second of animation: faster with higher rates, bounded. */
export function particleSpeed(rate: number): number {
  if (!(rate > 0)) {
    return 0;
  }
  return Math.min(1.5, 0.08 + 0.25 * Math.log10(1 + rate));
}

/** Line width in screen px from the rate. */
export function edgeWidth(rate: number): number {
  if (!(rate > 0)) {
    return 0.5;
  }
  return Math.min(8, 0.75 + Math.log10(1 + rate) * 1.5);
}
