import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(2),
    color: theme.colors.text.primary,
    height: '100%',
    overflow: 'auto',
  }),
});

/** A specific message instead of a blank panel; text is rendered as text. */
export function PanelMessage({ message, details }: { message: string; details?: string[] }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.box} role="status" data-testid="hmx-message">
      <Icon name="info-circle" />
      <div>
        <div>{message}</div>
        {details?.map((d, i) => (
          <div key={i}>{d}</div>
        ))}
      </div>
    </div>
  );
}
