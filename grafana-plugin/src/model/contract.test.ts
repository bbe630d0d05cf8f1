// The panel's copy of the contract's names must be the collector's: the collector's own modules are the reference
// (the panel bundle cannot import them: they pull TypeBox schemas the panel does not need).
import { LAYERS as COLLECTOR_LAYERS } from '../../../contract/src/entities';
import { ACTOR_STATES as COLLECTOR_ACTOR_STATES } from '../../../contract/src/events';
import { RECORD_TYPES } from '../../../contract/src/validate';
import { ACTOR_STATES, LAYERS, LIFECYCLE_TYPES } from './contract';

describe('the panel reads the contract the collector writes', () => {
  it('has the same layers', () => {
    expect([...LAYERS]).toEqual([...COLLECTOR_LAYERS]);
  });
  it('knows every record type except flow samples and keyframes (read on their own paths), and no other', () => {
    expect([...LIFECYCLE_TYPES].sort()).toEqual(RECORD_TYPES.filter((t) => t !== 'flow' && t !== 'keyframe').sort());
  });
  it('has the same actor states', () => {
    expect([...ACTOR_STATES]).toEqual([...COLLECTOR_ACTOR_STATES]);
  });
});
