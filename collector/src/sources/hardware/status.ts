import type { AttributeValue, Observation } from '../../core/observation.js';
import { HW_STATES, type HwState } from './metrics.js';

/** hw.status as a state set: one series per state, 1 for the current one. */
export function statusObservations(attributes: Record<string, AttributeValue>, state: HwState): Observation[] {
  return HW_STATES.map((s) => ({ metric: 'hw.status', value: s === state ? 1 : 0, attributes: { ...attributes, 'hw.state': s } }));
}
