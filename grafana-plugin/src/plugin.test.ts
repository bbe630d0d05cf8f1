import fs from 'fs';
import path from 'path';
import { plugin } from './module';
import { defaultOptions } from './types';

// Offline substitute for the checks of @grafana/plugin-validator that need no network.
const root = path.join(__dirname, '..');
const pluginJson = JSON.parse(fs.readFileSync(path.join(__dirname, 'plugin.json'), 'utf8'));

describe('plugin metadata', () => {
  it('has a valid panel id, type, logos and Grafana dependency', () => {
    expect(pluginJson.id).toBe('harmonix-missioncontrol-panel');
    expect(pluginJson.id).toMatch(/^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/);
    expect(pluginJson.type).toBe('panel');
    for (const logo of Object.values(pluginJson.info.logos) as string[]) {
      expect(fs.existsSync(path.join(__dirname, logo))).toBe(true);
    }
    const range = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(pluginJson.dependencies.grafanaDependency);
    expect(range).not.toBeNull();
    // the version built against (13.1.1) is inside the declared range
    const [major, minor, patch] = range!.slice(1).map(Number);
    expect(major * 1e6 + minor * 1e3 + patch).toBeLessThanOrEqual(13 * 1e6 + 1 * 1e3 + 1);
    expect(major).toBe(13);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.dependencies['@grafana/data']).toBe('13.1.1');
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exports a PanelPlugin whose option defaults match the provisioned dashboard roles', () => {
    expect(plugin.panel).toBeDefined();
    const defaults: Record<string, unknown> = {};
    // the options builder registers every option with its default value
    const registry = plugin.getPanelOptionsSupplier();
    const builder = { items: [] as Array<{ path: string; defaultValue: unknown }> };
    const fake: Record<string, unknown> = {};
    for (const m of ['addTextInput', 'addBooleanSwitch', 'addNumberInput', 'addRadio']) {
      fake[m] = (item: { path: string; defaultValue: unknown }) => {
        builder.items.push(item);
        return fake;
      };
    }
    registry(fake as never, { data: [] } as never);
    for (const item of builder.items) {
      defaults[item.path] = item.defaultValue;
    }
    expect(defaults).toEqual(defaultOptions);
  });
});
