import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { Icon, Input, MultiSelect, Tooltip, useStyles2 } from '@grafana/ui';
import { EntityRegistry } from '../model/entities';
import { Filter } from '../model/filter';
import { Problem, formatProblem } from '../model/problems';

export const FILTER_HEIGHT = 36;

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({
    display: 'flex',
    gap: theme.spacing(0.5),
    alignItems: 'center',
    height: FILTER_HEIGHT,
    paddingBottom: 4,
    '& > *': { minWidth: 0 },
  }),
  select: css({ flex: '1 1 120px', maxWidth: 220 }),
  search: css({ flex: '1 1 140px', maxWidth: 240 }),
  warn: css({
    flexShrink: 0,
    color: theme.colors.warning.text,
    display: 'flex',
    alignItems: 'center',
    gap: 4,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
  }),
});

function options(values: Iterable<string>): Array<SelectableValue<string>> {
  return [...new Set(values)].sort().map((v) => ({ value: v, label: v }));
}

interface Props {
  reg: EntityRegistry;
  filter: Filter;
  onChange: (f: Filter) => void;
  problems: Problem[];
}

/** Filters (layer, node, actor kind, search) with @grafana/ui controls, plus data warnings. */
export function FilterBar({ reg, filter, onChange, problems: found }: Props) {
  const problems = useMemo(() => found.map(formatProblem), [found]);
  const s = useStyles2(getStyles);
  const { layers, nodes, kinds } = useMemo(() => {
    const ns = reg.nodes();
    return {
      layers: options(ns.map((n) => n.layer).concat(reg.actors().map((a) => a.layer))),
      nodes: ns
        .map((n) => ({ value: n.id, label: n.name === n.id ? n.id : `${n.name} (${n.id})` }))
        .sort((a, b) => a.label.localeCompare(b.label)),
      kinds: options(reg.actors().map((a) => a.kind)),
    };
  }, [reg]);
  const values = (xs: string[]) => xs.map((v) => ({ value: v, label: v }));
  return (
    <div className={s.bar}>
      <div className={s.select}>
        <MultiSelect
          aria-label="Filter by layer"
          placeholder="Layers"
          options={layers}
          value={values(filter.layers)}
          onChange={(v) => onChange({ ...filter, layers: v.map((x) => x.value!) })}
        />
      </div>
      <div className={s.select}>
        <MultiSelect
          aria-label="Filter by node"
          placeholder="Nodes"
          options={nodes}
          value={filter.nodes}
          onChange={(v) => onChange({ ...filter, nodes: v.map((x) => x.value!) })}
        />
      </div>
      <div className={s.select}>
        <MultiSelect
          aria-label="Filter by actor kind"
          placeholder="Actor kinds"
          options={kinds}
          value={values(filter.actorKinds)}
          onChange={(v) => onChange({ ...filter, actorKinds: v.map((x) => x.value!) })}
        />
      </div>
      <div className={s.search}>
        <Input
          aria-label="Search nodes and actors"
          placeholder="Search"
          prefix={<Icon name="search" />}
          value={filter.search}
          onChange={(e) => onChange({ ...filter, search: e.currentTarget.value })}
        />
      </div>
      {problems.length > 0 && (
        <Tooltip
          content={
            <div>
              {problems.map((p, i) => (
                <div key={i}>{p}</div>
              ))}
            </div>
          }
        >
          <span
            className={s.warn}
            data-testid="hmx-problems"
            tabIndex={0}
            aria-label={`Data warnings: ${problems.join('; ')}`}
          >
            <Icon name="exclamation-triangle" />
            {problems.length}
          </span>
        </Tooltip>
      )}
    </div>
  );
}
