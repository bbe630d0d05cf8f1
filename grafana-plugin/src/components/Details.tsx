import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, locationUtil } from '@grafana/data';
import { IconButton, LinkButton, useStyles2 } from '@grafana/ui';

export interface DetailRow {
  label: string;
  value: string;
}

export interface DetailLink {
  title: string;
  href: string;
  icon: 'gf-traces' | 'gf-logs';
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    position: 'absolute',
    right: theme.spacing(1),
    bottom: theme.spacing(1),
    maxWidth: 320,
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1),
    boxShadow: theme.shadows.z2,
    fontSize: theme.typography.bodySmall.fontSize,
    zIndex: 2,
  }),
  head: css({
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    fontWeight: theme.typography.fontWeightMedium,
    wordBreak: 'break-all',
  }),
  rows: css({
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(1),
    margin: `${theme.spacing(0.5)} 0`,
    wordBreak: 'break-all',
  }),
  links: css({ display: 'flex', gap: theme.spacing(0.5), flexWrap: 'wrap' }),
});

function href(url: string): string {
  try {
    return locationUtil.assureBaseUrl(url);
  } catch {
    return url;
  }
}

/** Details of the selected actor, node or edge with Explore click-through links. All text nodes. */
export function Details({
  title,
  rows,
  links,
  onClose,
}: {
  title: string;
  rows: DetailRow[];
  links: DetailLink[];
  onClose: () => void;
}) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.card} role="dialog" aria-label={`Details: ${title}`} data-testid="hmx-details">
      <div className={s.head}>
        <span>{title}</span>
        <IconButton name="times" aria-label="Close details" onClick={onClose} />
      </div>
      <div className={s.rows}>
        {rows.map((r) => (
          <React.Fragment key={r.label}>
            <span>{r.label}</span>
            <span>{r.value}</span>
          </React.Fragment>
        ))}
      </div>
      <div className={s.links}>
        {links.map((l) => (
          <LinkButton
            key={l.title}
            size="sm"
            variant="secondary"
            icon={l.icon}
            href={href(l.href)}
            target="_blank"
            rel="noreferrer"
          >
            {l.title}
          </LinkButton>
        ))}
      </div>
    </div>
  );
}
