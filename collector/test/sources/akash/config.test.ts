// The akash config section through the real config loader, and the checks the schema cannot express.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../src/config/errors.js';
import { buildConfig } from '../../../src/config/load.js';
import { akashSource } from '../../../src/sources/akash/index.js';
import { builtinSources } from '../../../src/sources/index.js';
import { normaliseFingerprint, type AkashConfig } from '../../../src/sources/akash/config.js';
import { PROVIDER } from './helpers.js';

const PIN = 'ab'.repeat(32);

test('a minimal section gets the documented defaults and builds a source', () => {
  const cfg = buildConfig([{ sources: { akash: { enabled: true, rpcUrl: 'https://rpc.example.test:443', provider: PROVIDER } } }], builtinSources);
  const akash = cfg.sources.find((s) => s.factory.name === 'akash');
  assert.ok(akash);
  const options = akash.options as AkashConfig;
  assert.equal(options.rpcLatencyThresholdMs, 5000);
  assert.deepEqual(options.countBidStates, ['lost', 'closed']);
  assert.equal(akashSource.create(options).name, 'akash');
});

test('a bad provider address is refused naming the key', () => {
  assert.throws(
    () => buildConfig([{ sources: { akash: { enabled: true, rpcUrl: 'https://rpc.example.test', provider: 'cosmos1abc' } } }], builtinSources),
    (err: Error) => /sources\.akash\.provider/.test(err.message),
  );
});

test('a gateway URL without a certificate pin is refused naming gatewayCertSha256', () => {
  assert.throws(
    () => akashSource.create({ ...akashSource.defaults, provider: PROVIDER, gatewayUrl: 'https://provider.example.test:8443' }),
    /sources\.akash\.gatewayCertSha256: expected a certificate pin: it is required when gatewayUrl is set/,
  );
  assert.throws(
    () => akashSource.create({ ...akashSource.defaults, provider: PROVIDER, gatewayUrl: 'http://provider.example.test:8443', gatewayCertSha256: PIN }),
    /gatewayUrl: expected an https:\/\/ URL/,
  );
});

test('an RPC timeout not above the latency threshold is refused by the loader naming both keys', () => {
  assert.throws(
    () => buildConfig([{ sources: { akash: { enabled: true, provider: PROVIDER, rpcLatencyThresholdMs: 5000, rpcTimeoutMs: 5000 } } }], builtinSources),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.key === 'sources.akash.rpcTimeoutMs' &&
      /expected a value greater than sources\.akash\.rpcLatencyThresholdMs \(5000\).*got 5000/.test(err.message),
  );
});

test('pins are accepted with or without colons, in either case', () => {
  assert.equal(normaliseFingerprint(PIN), 'AB:'.repeat(31) + 'AB');
  assert.equal(normaliseFingerprint('ab:'.repeat(31) + 'ab'), 'AB:'.repeat(31) + 'AB');
});
