import React, { useRef, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, useStyles2 } from '@grafana/ui';
import { Scene } from '../model/scene';
import { Palette } from '../render/palette';
import { PanelOptions } from '../types';
import { useInspection } from '../hooks/useInspection';
import { useKeyboardNavigation } from '../hooks/useKeyboardNavigation';
import { usePanZoom } from '../hooks/usePanZoom';
import { useRenderLoop } from '../hooks/useRenderLoop';
import { useSceneCache } from '../hooks/useSceneCache';
import { PlayheadStore } from '../hooks/playheadStore';
import { Details } from './Details';
import { Legend } from './Legend';

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({
    position: 'relative',
    overflow: 'hidden',
    outline: 'none',
    '&:focus-visible': { boxShadow: `inset 0 0 0 2px ${theme.colors.primary.main}` },
  }),
  canvas: css({ display: 'block', cursor: 'grab', '&:active': { cursor: 'grabbing' } }),
  tip: css({
    position: 'absolute',
    pointerEvents: 'none',
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0.5, 1),
    fontSize: theme.typography.bodySmall.fontSize,
    boxShadow: theme.shadows.z2,
    maxWidth: 300,
    wordBreak: 'break-all',
    zIndex: 3,
  }),
  legendToggle: css({ position: 'absolute', top: theme.spacing(1), right: theme.spacing(1), zIndex: 2 }),
  // where the eye is: top centre of the canvas, not a corner
  note: css({
    position: 'absolute',
    top: theme.spacing(1),
    left: '50%',
    transform: 'translateX(-50%)',
    maxWidth: '70%',
    zIndex: 1,
    pointerEvents: 'none',
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0.25, 1),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.primary,
  }),
  sr: css({
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  }),
});

interface Props {
  scene: Scene;
  options: PanelOptions;
  palette: Palette;
  visible: Uint8Array;
  playheadRef: React.MutableRefObject<number>;
  /** the UI-rate playhead; used to refresh text (tooltips, details, counts) */
  playhead: PlayheadStore;
  /** live over stored data: the instant the text describes, instead of the playhead */
  liveTime?: number;
  width: number;
  height: number;
}

/** The topology canvas: the render loop, pan/zoom, inspection and keyboard focus, each in its hook. */
export function TopologyCanvas({
  scene,
  options,
  palette,
  visible,
  playheadRef,
  playhead,
  liveTime,
  width,
  height,
}: Props) {
  const s = useStyles2(getStyles);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [legend, setLegend] = useState(false);
  const cache = useSceneCache(scene, options, palette, visible, playheadRef);
  const panZoom = usePanZoom(canvasRef, scene, width, height);
  const inspection = useInspection({ scene, options, visible, playhead, liveTime, cache, viewRef: panZoom.viewRef });
  const { hover, selection, focused, tip, details, counts } = inspection;
  const overlay = { hovered: hover?.entity, selected: selection?.entity, focused, selectedEdge: selection?.edge };
  const { note } = useRenderLoop({ canvasRef, scene, options, palette, width, height, cache, panZoom, overlay });
  const onKeyDown = useKeyboardNavigation({ scene, width, height, cache, panZoom, inspection });

  return (
    <div
      className={s.wrap}
      style={{ width, height }}
      tabIndex={0}
      role="application"
      aria-roledescription="topology canvas"
      aria-label={`Topology: ${counts.nodes} nodes and ${counts.actors} actors shown. Arrow keys move between nodes, Enter opens a node's actors, Escape goes back, Space shows details, plus and minus zoom, 0 fits.`}
      onKeyDown={onKeyDown}
      data-testid="hmx-canvas-wrap"
    >
      <canvas
        ref={canvasRef}
        className={s.canvas}
        style={{ width, height }}
        data-testid="hmx-canvas"
        aria-hidden="true"
        onPointerDown={panZoom.onPointerDown}
        onPointerMove={(e) => (panZoom.drag(e) ? inspection.clearHover() : inspection.hoverAt(...panZoom.local(e)))}
        onPointerUp={(e) => panZoom.release() && inspection.selectAt(...panZoom.local(e))}
        onPointerLeave={inspection.clearHover}
        onWheel={panZoom.onWheel}
      />
      {note && (
        <div className={s.note} data-testid="hmx-edge-note">
          {note}
        </div>
      )}
      <Button
        className={s.legendToggle}
        size="sm"
        variant="secondary"
        aria-pressed={legend}
        onClick={() => setLegend((l) => !l)}
        data-testid="hmx-legend-toggle"
      >
        {legend ? 'Hide legend' : 'Legend'}
      </Button>
      {legend && <Legend palette={palette} />}
      {tip && hover && (
        <div
          className={s.tip}
          style={{
            left: Math.min(hover.sx + 12, Math.max(0, width - 300)),
            top: Math.min(hover.sy + 12, Math.max(0, height - 120)),
          }}
          data-testid="hmx-tooltip"
        >
          <strong>{tip.title}</strong>
          {tip.rows.map((r) => (
            <div key={r.label}>
              {r.label}: {r.value}
            </div>
          ))}
        </div>
      )}
      {details && (
        <Details
          title={details.title}
          rows={details.rows}
          links={details.links}
          onClose={() => inspection.select(null)}
        />
      )}
      <div className={s.sr} aria-live="polite" data-testid="hmx-announcer">
        {inspection.announce}
      </div>
    </div>
  );
}
