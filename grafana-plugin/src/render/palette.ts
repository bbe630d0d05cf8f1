import { GrafanaTheme2 } from '@grafana/data';

export interface Palette {
  background: string;
  nodeFill: string;
  nodeBorder: string;
  text: string;
  textDim: string;
  up: string;
  failed: string;
  failedFill: string;
  /** text on a failed node's header band (pal.failed) */
  onFailed: string;
  ghost: string;
  flash: string;
  edge: string;
  particle: string;
  focus: string;
  selected: string;
  layer: (layer: string) => string;
  borderWidth: number;
}

const LAYER_COLORS: Record<string, string> = {
  hardware: 'purple',
  os: 'blue',
  kubernetes: 'light-blue',
  akash: 'orange',
  harmonix: 'green',
  observer: 'yellow',
  mesh: 'super-light-purple',
};

export function makePalette(theme: GrafanaTheme2, highContrast: boolean): Palette {
  const c = (name: string) => theme.visualization.getColorByName(name);
  const dark = theme.isDark;
  if (highContrast) {
    const fg = dark ? '#ffffff' : '#000000';
    return {
      background: dark ? '#000000' : '#ffffff',
      nodeFill: dark ? '#000000' : '#ffffff',
      nodeBorder: fg,
      text: fg,
      textDim: fg,
      up: dark ? '#00ff66' : '#006400',
      failed: dark ? '#ff3030' : '#c00000',
      failedFill: dark ? '#400000' : '#ffe0e0',
      onFailed: dark ? '#000000' : '#ffffff',
      ghost: dark ? '#a0a0a0' : '#606060',
      flash: dark ? '#ffff00' : '#0000ff',
      edge: dark ? '#00e5ff' : '#00008b',
      particle: dark ? '#ffffff' : '#000000',
      focus: dark ? '#ffff00' : '#0000ff',
      selected: dark ? '#ff00ff' : '#8b008b',
      layer: () => fg,
      borderWidth: 2,
    };
  }
  return {
    background: theme.colors.background.primary,
    nodeFill: theme.colors.background.secondary,
    nodeBorder: theme.colors.border.medium,
    text: theme.colors.text.primary,
    textDim: theme.colors.text.secondary,
    up: c('green'),
    failed: c('red'),
    failedFill: dark ? 'rgba(242, 73, 92, 0.16)' : 'rgba(224, 47, 68, 0.12)',
    onFailed: theme.colors.getContrastText(c('red')),
    ghost: theme.colors.text.disabled,
    flash: c('yellow'),
    edge: dark ? 'rgba(204, 204, 220, 0.35)' : 'rgba(36, 41, 46, 0.3)',
    particle: c('blue'),
    focus: theme.colors.primary.main,
    selected: c('orange'),
    layer: (layer: string) => c(LAYER_COLORS[layer] ?? 'text'),
    borderWidth: 1,
  };
}
