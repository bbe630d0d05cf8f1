// The harmonix series as a real collector serves them on /metrics (OTel JS Prometheus exporter names).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testCollector } from '../../support/collector.js';
import { FakeDaemon } from './fake-daemon.js';

async function waitForMetrics(url: string, want: RegExp): Promise<string> {
  const deadline = Date.now() + 20000;
  let text = '';
  while (Date.now() < deadline) {
    text = await (await fetch(`${url}/metrics`)).text();
    if (want.test(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(
    `/metrics never matched ${want}:\n${text
      .split('\n')
      .filter((l) => l.includes('hmx_daemon'))
      .join('\n')}`,
  );
}

test("probe failures by error_type and the research daemon's health reach /metrics", { timeout: 40000 }, async () => {
  const research = await new FakeDaemon('dissonance-research').start();
  const collector = await testCollector({
    sources: { harmonix: { enabled: true, interval: '200ms', timeout: '5s', daemons: [{ name: 'research', url: research.url, kind: 'dissonance-research' }] } },
  });
  try {
    await waitForMetrics(collector.url, /^hmx_daemon_up\{[^}]*hmx_daemon_name="research"[^}]*\} 1$/m);
    research.healthy = false;
    const text = await waitForMetrics(collector.url, /^hmx_daemon_probe_failures_total\{[^}]*error_type="not_ok"[^}]*\} [1-9]/m);
    assert.match(text, /^# TYPE hmx_daemon_probe_failures_total counter$/m);
    assert.match(text, /^hmx_daemon_up\{[^}]*hmx_daemon_name="research"[^}]*\} 0$/m);
  } finally {
    await collector.stop();
    await research.stop();
  }
});
