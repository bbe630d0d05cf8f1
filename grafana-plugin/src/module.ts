import { PanelPlugin } from '@grafana/data';
import { PanelOptions } from './types';
import { TopologyPanel } from './components/TopologyPanel';
import { buildOptions } from './options';

export const plugin = new PanelPlugin<PanelOptions>(TopologyPanel).setPanelOptions(buildOptions);
// where the browser tests and benchmarks attach their canvas probe (Grafana attaches none)
export { setCanvasProbe } from './render/probe';
