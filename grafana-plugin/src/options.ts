import { PanelOptionsEditorBuilder } from '@grafana/data';
import { PanelOptions, defaultOptions as d } from './types';

const ROLES = 'Query roles';
const LINKS = 'Click-through';
const LOOK = 'Display';
const STORED = 'Stored data';

export function buildOptions(b: PanelOptionsEditorBuilder<PanelOptions>): PanelOptionsEditorBuilder<PanelOptions> {
  return b
    .addTextInput({
      path: 'nodesRefId',
      name: 'Node state query (refId)',
      description: 'hmx_node_up series',
      defaultValue: d.nodesRefId,
      category: [ROLES],
    })
    .addTextInput({
      path: 'actorsRefId',
      name: 'Actor state query (refId)',
      description: 'hmx_actor_up series',
      defaultValue: d.actorsRefId,
      category: [ROLES],
    })
    .addTextInput({
      path: 'flowsRefId',
      name: 'Flow query (refId)',
      description: 'rate(hmx_flow_messages_total) or servicegraph traces_service_graph_request_total',
      defaultValue: d.flowsRefId,
      category: [ROLES],
    })
    .addTextInput({
      path: 'eventsRefId',
      name: 'Lifecycle events query (refId)',
      description: 'Loki lines with contract event JSON',
      defaultValue: d.eventsRefId,
      category: [ROLES],
    })
    .addTextInput({ path: 'tempoUid', name: 'Tempo datasource uid', defaultValue: d.tempoUid, category: [LINKS] })
    .addTextInput({ path: 'lokiUid', name: 'Loki datasource uid', defaultValue: d.lokiUid, category: [LINKS] })
    .addTextInput({
      path: 'lokiSelector',
      name: 'LogQL stream selector',
      defaultValue: d.lokiSelector,
      category: [LINKS],
    })
    .addTextInput({
      path: 'traceAttribute',
      name: 'TraceQL actor attribute',
      defaultValue: d.traceAttribute,
      category: [LINKS],
    })
    .addBooleanSwitch({ path: 'highContrast', name: 'High contrast', defaultValue: d.highContrast, category: [LOOK] })
    .addBooleanSwitch({ path: 'particles', name: 'Animated particles', defaultValue: d.particles, category: [LOOK] })
    .addBooleanSwitch({
      path: 'showLabels',
      name: 'Labels when zoomed in',
      defaultValue: d.showLabels,
      category: [LOOK],
    })
    .addNumberInput({
      path: 'ghostSeconds',
      name: 'Ghost time (s)',
      description: 'exited actors and departed nodes stay visible this long',
      defaultValue: d.ghostSeconds,
      category: [LOOK],
    })
    .addNumberInput({
      path: 'flashSeconds',
      name: 'Flash time (s)',
      description: 'spawns and restarts flash this long',
      defaultValue: d.flashSeconds,
      category: [LOOK],
    })
    .addBooleanSwitch({
      path: 'liveByDefault',
      name: 'Start in live mode',
      defaultValue: d.liveByDefault,
      category: [LOOK],
    })
    .addRadio({
      path: 'storedData',
      name: 'Read stored data',
      description:
        'the panel queries Loki (uid and selector above) around the playhead: for ranges longer than one window (auto), always, or never (dashboard frames only)',
      defaultValue: d.storedData,
      settings: {
        options: [
          { value: 'auto', label: 'Auto' },
          { value: 'always', label: 'Always' },
          { value: 'off', label: 'Off' },
        ],
      },
      category: [STORED],
    })
    .addNumberInput({
      path: 'storedWindowMinutes',
      name: 'Window (min)',
      description: 'stored data is read in windows of this length; the next one is prefetched',
      defaultValue: d.storedWindowMinutes,
      settings: { min: 5, integer: true },
      category: [STORED],
    })
    .addTextInput({
      path: 'prometheusUid',
      name: 'Prometheus datasource uid',
      description:
        'flow rates per window in stored mode, at a step sized to the window; empty = the dashboard flow query',
      defaultValue: d.prometheusUid,
      category: [STORED],
    });
}
