import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { buildConfig } from '../../../src/config/load.js';
import { harmonixSource } from '../../../src/sources/harmonix/index.js';
import { builtinSources } from '../../../src/sources/index.js';

// The collector validates each source section with TypeBox's Value.Errors (config/load.ts): the same here.
const errors = (schema: object, value: unknown) => [...Value.Errors(schema as never, value)].map((e) => e.path);

test('harmonix config: defaults and a full example validate; mistakes name the key', () => {
  assert.deepEqual(errors(harmonixSource.configSchema, harmonixSource.defaults), []);
  const full = {
    ...harmonixSource.defaults,
    daemons: [
      { name: 'shadow-metrics', url: 'http://127.0.0.1:9010/status' },
      { name: 'research', url: 'http://127.0.0.1:9011/status', kind: 'dissonance-research', node: 'host:b' },
    ],
    logs: [
      { daemon: 'shadow-metrics', path: '/var/log/helix/shadow.log', startAt: 'beginning' },
      { daemon: 'research', journalUnit: 'helix-dissonance.service' },
    ],
  };
  assert.deepEqual(errors(harmonixSource.configSchema, full), []);
  assert.ok(errors(harmonixSource.configSchema, { ...full, daemons: [{ name: 'x', url: 'ftp://x' }] }).some((p) => p.startsWith('/daemons/0/url')));
  assert.ok(errors(harmonixSource.configSchema, { ...full, daemons: [{ name: 'bad name', url: 'http://x' }] }).some((p) => p.startsWith('/daemons/0/name')));
  assert.ok(errors(harmonixSource.configSchema, { ...full, colour: 1 }).includes('/colour'));
  assert.ok(
    errors(harmonixSource.configSchema, { ...full, daemons: [{ name: 'x', url: 'http://x', kind: 'research' }] }).some((p) => p.startsWith('/daemons/0/kind')),
  );
});

test('harmonix config: an unknown daemon kind is refused by the loader, naming the key and the kinds', () => {
  const daemons = [{ name: 'r', url: 'http://127.0.0.1:9011/status', kind: 'research' }];
  assert.throws(
    () => buildConfig([{ sources: { harmonix: { enabled: true, daemons } } }], builtinSources),
    (err: Error) => {
      assert.match(err.message, /sources\.harmonix\.daemons\.0\.kind: .*shadow-metrics\|dissonance-research.*"research"/);
      return true;
    },
  );
  const ok = buildConfig([{ sources: { harmonix: { enabled: true, daemons: [{ ...daemons[0], kind: 'dissonance-research' }] } } }], builtinSources);
  const harmonix = ok.sources.find((x) => x.factory.name === 'harmonix')?.options as { daemons: { kind?: string }[] };
  assert.equal(harmonix.daemons[0]?.kind, 'dissonance-research');
});
