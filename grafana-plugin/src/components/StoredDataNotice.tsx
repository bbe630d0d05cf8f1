import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { Cut, describeCut } from '../data/cuts';

const SHOWN = 3;

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    position: 'absolute',
    left: theme.spacing(1),
    top: theme.spacing(1),
    maxWidth: '70%',
    padding: theme.spacing(0.5, 1),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.warning.border}`,
    borderRadius: theme.shape.radius.default,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.primary,
    pointerEvents: 'none',
  }),
});

/** On the canvas, in words: a stored-data load in flight or refused, and every span not shown in full. */
export function StoredDataNotice({ status, cuts }: { status?: string; cuts: Cut[] }) {
  const s = useStyles2(getStyles);
  if (!status && cuts.length === 0) {
    return null;
  }
  return (
    <div className={s.box} role="status" aria-live="polite" data-testid="hmx-stored-notice">
      {status && <div>{status}</div>}
      {cuts.slice(0, SHOWN).map((c, i) => (
        <div key={i}>⚠ {describeCut(c)}</div>
      ))}
      {cuts.length > SHOWN && <div>… and {cuts.length - SHOWN} more spans not shown in full</div>}
    </div>
  );
}
