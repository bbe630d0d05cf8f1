import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertRecords, forwardAlerts, parseGrafanaWebhook, DEFAULT_FORWARD } from '../../../src/sources/harmonix/alerts.js';
import { validateRecord } from '@harmonix/contract';

// The shape Grafana's webhook contact point posts (unified alerting).
const payload = {
  receiver: 'hmx-self-healing',
  status: 'firing',
  orgId: 1,
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'DaemonDown', severity: 'critical', hmx_actor_id: 'hmx:shadow-metrics', grafana_folder: 'Harmonix' },
      annotations: { summary: 'shadow-metrics is down' },
      startsAt: '2026-05-12T12:05:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://grafana/alerting/grafana/abc/view',
      fingerprint: 'c0ffee1234',
      silenceURL: 'http://grafana/alerting/silence/new',
      dashboardURL: '',
      panelURL: '',
      values: { B: 0, C: 1 },
      valueString: "[ var='B' labels={} value=0 ]",
    },
    {
      status: 'resolved',
      labels: { alertname: 'Dissonance', severity: 'warning' },
      annotations: {},
      startsAt: '2026-05-12T11:00:00Z',
      endsAt: '2026-05-12T11:30:00Z',
      fingerprint: 'beef',
    },
  ],
  groupLabels: { alertname: 'DaemonDown' },
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://grafana/',
  version: '1',
  groupKey: '{}:{alertname="DaemonDown"}',
  truncatedAlerts: 0,
  title: '[FIRING:1] DaemonDown',
  state: 'alerting',
  message: '**Firing**',
};

test('alerts: Grafana webhook payload → one valid audit record per alert', () => {
  const p = parseGrafanaWebhook(payload);
  assert.ok(p.ok, JSON.stringify(p));
  let seq = 0;
  const recs = alertRecords(p.value, { emitter: 'alerts', nextSeq: () => ++seq }, '2026-05-12T13:00:00.000Z');
  for (const r of recs) assert.ok(validateRecord(r).ok, JSON.stringify(validateRecord(r)));
  assert.equal(recs[0]!.subject, 'hmx:shadow-metrics');
  assert.equal(recs[0]!.severity, 'critical');
  assert.equal(recs[0]!.time, '2026-05-12T12:05:00Z');
  assert.equal(recs[0]!.message, '[FIRING] DaemonDown: shadow-metrics is down');
  assert.equal((recs[0]!.attributes as Record<string, unknown>)['hmx.alert.label.grafana_folder'], 'Harmonix');
  assert.equal(recs[1]!.subject, 'alert:beef');
  assert.equal(recs[1]!.severity, 'info');
  assert.equal(recs[1]!.time, '2026-05-12T11:30:00Z');
});

test('alerts: newlines, tabs and other control characters in free text are kept as escapes, never dropped', () => {
  const alert = {
    ...payload.alerts[0]!,
    labels: { ...payload.alerts[0]!.labels, team: 'ops\tnight' },
    annotations: { summary: 'disk full\non node-2\u001b[31m' },
  };
  const p = parseGrafanaWebhook({ ...payload, alerts: [alert] });
  assert.ok(p.ok);
  const [rec] = alertRecords(p.value, { emitter: 'alerts', nextSeq: () => 1 }, '2026-05-12T13:00:00.000Z');
  assert.ok(validateRecord(rec).ok, JSON.stringify(validateRecord(rec)));
  assert.equal(rec!.message, '[FIRING] DaemonDown: disk full\\non node-2\\u001b[31m');
  assert.equal((rec!.attributes as Record<string, unknown>)['hmx.alert.label.team'], 'ops\\tnight');
});

test('alerts: invalid payloads name the field', () => {
  const bad = parseGrafanaWebhook({ ...payload, alerts: [{ ...payload.alerts[0], status: 'pending', startsAt: 'now' }] });
  assert.equal(bad.ok, false);
  const fields = !bad.ok ? bad.errors.map((e) => e.field) : [];
  assert.ok(fields.includes('/alerts/0/status'), JSON.stringify(fields));
  assert.ok(fields.includes('/alerts/0/startsAt'), JSON.stringify(fields));
  const missing = parseGrafanaWebhook({ status: 'firing' });
  assert.ok(!missing.ok && missing.errors.some((e) => e.field === '/alerts'));
});

test('forwarder: retries 5xx with backoff until success, does not retry 4xx, gives up on unreachable hooks', async () => {
  let calls = 0;
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req
      .on('data', (d) => (body += d))
      .on('end', () => {
        bodies.push(body);
        if (req.url === '/flaky') return void res.writeHead(++calls < 3 ? 503 : 200).end();
        res.writeHead(400).end();
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const sleeps: number[] = [];
  try {
    const results = await forwardAlerts(
      JSON.stringify(payload),
      [{ url: `http://127.0.0.1:${port}/flaky` }, { url: `http://127.0.0.1:${port}/bad` }, { url: `http://127.0.0.1:${closedPort}/closed` }],
      { ...DEFAULT_FORWARD, clock: { now: () => 0, sleep: async (ms) => void sleeps.push(ms) }, random: () => 1 },
    );
    assert.deepEqual(results[0], { url: `http://127.0.0.1:${port}/flaky`, ok: true, attempts: 3, status: 200 });
    assert.deepEqual(results[1], { url: `http://127.0.0.1:${port}/bad`, ok: false, attempts: 1, status: 400 });
    assert.equal(results[2]!.ok, false);
    assert.equal(results[2]!.attempts, 4);
    assert.equal(results[2]!.error, 'ECONNREFUSED');
    assert.deepEqual(
      [...new Set(sleeps)].sort((a, b) => a - b),
      [250, 500, 1000],
    );
    assert.deepEqual(JSON.parse(bodies[0]!), payload);
  } finally {
    server.close();
  }
});
