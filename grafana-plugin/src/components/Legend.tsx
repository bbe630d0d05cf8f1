import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { Palette } from '../render/palette';

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    position: 'absolute',
    // bottom right, clear of the toggle and of the edge note at the top
    right: theme.spacing(1),
    bottom: theme.spacing(1),
    zIndex: 2,
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0.75, 1),
    fontSize: theme.typography.bodySmall.fontSize,
    lineHeight: 1.6,
    boxShadow: theme.shadows.z2,
  }),
  row: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), whiteSpace: 'nowrap' }),
  swatch: css({ flex: '0 0 auto', width: 22, height: 12, boxSizing: 'border-box' }),
});

/** One legend entry: a small CSS picture drawn with the canvas palette, and what it means. */
function Row({ swatch, text }: { swatch: React.CSSProperties; text: string }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.row}>
      <span className={s.swatch} style={swatch} aria-hidden="true" />
      <span>{text}</span>
    </div>
  );
}

/** What the canvas's colours, dashes, ghosts, flashes and particles mean, in the current palette. */
export function Legend({ palette: p }: { palette: Palette }) {
  const s = useStyles2(getStyles);
  const square = { width: 12, marginRight: 10 };
  return (
    <div className={s.box} role="note" aria-label="Legend" data-testid="hmx-legend">
      <Row swatch={{ ...square, background: p.up }} text="actor running" />
      <Row
        swatch={{ ...square, boxShadow: `0 0 0 2px ${p.flash}`, background: p.up }}
        text="actor just spawned or restarted (flash)"
      />
      <Row
        swatch={{ ...square, background: p.ghost, border: `1.5px solid ${p.failed}` }}
        text="actor unknown: its node failed, fate not reported"
      />
      <Row swatch={{ ...square, border: `1px dashed ${p.ghost}` }} text="actor exited (ghost, fades)" />
      <Row
        swatch={{
          background: p.nodeFill,
          border: `${p.borderWidth}px solid ${p.nodeBorder}`,
          borderLeft: `4px solid ${p.layer('harmonix')}`,
        }}
        text="node up (stripe: layer colour)"
      />
      <Row
        swatch={{ background: p.failedFill, border: `2px dashed ${p.failed}`, borderTop: `5px solid ${p.failed}` }}
        text="node failed"
      />
      <Row
        swatch={{ background: p.nodeFill, border: `1px dashed ${p.nodeBorder}`, opacity: 0.35 }}
        text="node gone (ghost)"
      />
      <Row swatch={{ height: 4, background: p.edge }} text="link: thicker = more messages/s" />
      <Row
        swatch={{
          height: 6,
          backgroundImage: `radial-gradient(circle, ${p.particle} 2px, transparent 2.5px)`,
          backgroundSize: '7px 6px',
        }}
        text="particles: messages on the link; more and faster = higher rate"
      />
    </div>
  );
}
