// The observer's inputs beyond well-formed UTC events (issue 17): encodings and zones, stage markers, the logs
// directory, re-runs, never-ending runs, late files. Everything is checked in the world files it writes.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_OPTIONS, ObserverRuntime, type ObserverOptions } from '../../../src/sources/observer/runtime.js';
import { layout, readJson, type Layout } from './fixtures.js';

async function run(l: Layout, options: Partial<ObserverOptions> = {}): Promise<ObserverRuntime> {
  const rt = new ObserverRuntime({ eventsDir: l.eventsDir, stateDir: l.stateDir, worldDir: l.worldDir }, { ...DEFAULT_OPTIONS, ...options });
  await rt.open();
  await rt.catchUp();
  return rt;
}

test('a UTF-8 byte order mark is not content; ±hhmm offsets are accepted; world times are written in UTC', async () => {
  const l = layout();
  try {
    const lines = [
      { timestamp: '2026-05-12T14:05:00+0200', type: 'node_online', node: 'saturn' },
      { timestamp: '2026-05-12T07:06:30.250-05:00', type: 'healthcheck_failed', node: 'saturn', service: 'mosquitto' },
      { timestamp: '2026-05-12 12:10:00z', type: 'node_heartbeat', node: 'mars' },
    ].map((e) => JSON.stringify(e));
    writeFileSync(join(l.eventsDir, '0001.jsonl'), `\ufeff${lines.join('\n')}\n`);
    await run(l);
    const summary = readJson(l.worldDir, 'runtime-summary.json');
    assert.equal(summary.events.malformed_lines, 0, 'the first line behind the BOM parses');
    assert.equal(summary.events.applied, 3);
    const nodes = readJson(l.worldDir, 'nodes.json');
    assert.equal(nodes.saturn.last_change, '2026-05-12T12:05:00Z', '+0200 converted to UTC');
    assert.equal(nodes.saturn.last_seen, '2026-05-12T12:06:30.250Z');
    assert.equal(nodes.mars.last_seen, '2026-05-12T12:10:00Z', 'space and lower-case z normalised');
    const services = readJson(l.worldDir, 'services.json');
    assert.equal(services['saturn/mosquitto'].last_event, '2026-05-12T12:06:30.250Z');
  } finally {
    l.cleanup();
  }
});
