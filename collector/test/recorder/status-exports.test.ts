// /status counts what the flight recorder's shipper exports (it replaces the direct OTLP log sink, so without this
// `otlp.successes` stayed {} while every lifecycle record was shipped).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pollUntil } from '../../../test/support/wait.js';
import { startAgent } from '../../src/agent.js';
import { buildConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/logger.js';
import { builtinSources } from '../../src/sources/index.js';
import { FakeOtlp, randomStream, tempDir } from './helpers.js';

interface Status {
  otlp: { successes: Record<string, number>; failures: Record<string, number> };
}

test('shipped lifecycle exports are counted on /status (successes, and failures while the endpoint refuses)', async (t) => {
  const otlp = await FakeOtlp.start();
  t.after(() => otlp.close());
  const config = buildConfig(
    [
      {
        listen: '127.0.0.1:0',
        otlp: { endpoint: otlp.url, metricInterval: '60s', logsProtocol: 'http/json' }, // the stand-in reads JSON
        sources: { os: { enabled: false }, hardware: { enabled: false } },
        recorder: { dir: await tempDir(t) },
      },
    ],
    builtinSources,
  );
  const agent = await startAgent(config, silentLogger());
  t.after(() => agent.stop());
  const status = async () => ((await (await fetch(`${agent.collector.url}/status`)).json()) as Status).otlp;
  const lifecycle = randomStream(3, 40).filter((r) => r.type !== 'keyframe' && r.type !== 'flow');
  const accepted = agent.collector.ingest(lifecycle as never);
  assert.ok(accepted > 0);
  await pollUntil(async () => ((await status()).successes.logs ?? 0) > 0 || undefined, { timeoutMs: 10_000, what: 'a counted log export' });
  assert.ok(otlp.logs.length > 0, 'the endpoint did receive the shipped records');
  assert.equal((await status()).failures.logs ?? 0, 0);

  otlp.down = true;
  agent.collector.ingest(randomStream(4, 40).filter((r) => r.type === 'audit') as never);
  await pollUntil(async () => ((await status()).failures.logs ?? 0) > 0 || undefined, { timeoutMs: 10_000, what: 'a counted failed export' });
});
