// A series the collector stops reporting leaves /metrics at the next scrape (issue 13 point 1): the OTel SDK alone
// would keep re-exporting every attribute set an observable instrument ever reported.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pollUntil } from '../../../test/support/wait.js';
import type { Collector } from '../../src/app.js';
import { testCollector } from '../support/collector.js';
import { FakeDaemon } from '../sources/harmonix/fake-daemon.js';
import { coretemp, FakeSysfs, nvme } from '../sources/hardware/fake-sysfs.js';

const TOKEN = 'stale-series-token-0123';
let c: Collector;
before(async () => {
  c = await testCollector({ token: TOKEN });
});
after(() => c.stop());

let seq = 0;
const envelope = (type: string) => ({ v: 1, type, time: new Date().toISOString(), emitter: 'stale-series-test', seq: ++seq });
const node = (id: string) => ({ id, kind: 'mesh-node', layer: 'mesh', name: id });
const actor = (id: string, nodeId: string) => ({ id, kind: 'worker', layer: 'mesh', name: id, node: nodeId });
async function post(records: object[]): Promise<void> {
  const res = await fetch(`${c.url}/v1/events`, {
    method: 'POST',
    body: JSON.stringify(records),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(res.status, 202, await res.text());
}
/** The sample lines of /metrics that mention `id`. */
async function samplesOf(id: string): Promise<string[]> {
  const text = await (await fetch(`${c.url}/metrics`)).text();
  return text.split('\n').filter((l) => !l.startsWith('#') && l.includes(`"${id}"`));
}

test('actors of a node that left, the node itself and their flows disappear from /metrics', async () => {
  await post([
    { ...envelope('node.joined'), node: node('mesh:leaving') },
    { ...envelope('node.joined'), node: node('mesh:staying') },
    { ...envelope('actor.spawned'), actor: actor('mesh:leaving/a', 'mesh:leaving') },
    { ...envelope('actor.spawned'), actor: actor('mesh:staying/b', 'mesh:staying') },
    { ...envelope('flow'), from: 'mesh:leaving/a', to: 'mesh:staying/b', messages: 3, bytes: 30 },
  ]);
  const before = await samplesOf('mesh:leaving/a');
  assert.ok(
    before.some((l) => l.startsWith('hmx_actor_up') && l.endsWith(' 1')),
    before.join('\n'),
  );
  assert.ok(
    before.some((l) => l.startsWith('hmx_flow_messages_total')),
    before.join('\n'),
  );

  await post([{ ...envelope('node.left'), node: node('mesh:leaving') }]);
  assert.deepEqual(await samplesOf('mesh:leaving/a'), [], 'no actor, restart or flow series of the departed actor');
  assert.deepEqual(await samplesOf('mesh:leaving'), [], 'no node series of the departed node');
  assert.ok(
    (await samplesOf('mesh:staying/b')).some((l) => l.startsWith('hmx_actor_up') && l.endsWith(' 1')),
    'the other actor is still reported',
  );
});

test('an actor that spawns again after its node left is reported again', async () => {
  await post([
    { ...envelope('node.joined'), node: node('mesh:back') },
    { ...envelope('actor.spawned'), actor: actor('mesh:back/c', 'mesh:back') },
    { ...envelope('node.left'), node: node('mesh:back') },
  ]);
  assert.deepEqual(await samplesOf('mesh:back/c'), []);
  await post([
    { ...envelope('node.joined'), node: node('mesh:back') },
    { ...envelope('actor.spawned'), actor: actor('mesh:back/c', 'mesh:back') },
  ]);
  assert.ok((await samplesOf('mesh:back/c')).some((l) => l.startsWith('hmx_actor_up') && l.endsWith(' 1')));
});

test('an actor that exits and spawns on another node is reported under its new node only', async () => {
  await post([
    { ...envelope('node.joined'), node: node('mesh:first') },
    { ...envelope('node.joined'), node: node('mesh:second') },
    { ...envelope('actor.spawned'), actor: actor('mesh:mover', 'mesh:first') },
  ]);
  const up = async () => (await samplesOf('mesh:mover')).filter((l) => l.startsWith('hmx_actor_up'));
  assert.match((await up()).join('\n'), /hmx_node_id="mesh:first"/);
  await post([
    { ...envelope('actor.exited'), actor: actor('mesh:mover', 'mesh:first'), reason: 'moved' },
    { ...envelope('actor.spawned'), actor: actor('mesh:mover', 'mesh:second') },
  ]);
  const now = await up();
  assert.equal(now.length, 1, now.join('\n'));
  assert.match(now[0]!, /hmx_node_id="mesh:second"/);
  assert.ok(now[0]!.endsWith(' 1'), now[0]);
});

test('a harmonix daemon that goes down keeps only hmx_daemon_up 0 (and its probe duration) on /metrics', async () => {
  const daemon = await new FakeDaemon().start();
  const h = await testCollector({ sources: { harmonix: { enabled: true, interval: '1s', daemons: [{ name: 'shadow', url: daemon.url }] } } });
  const lines = async () =>
    (await (await fetch(`${h.url}/metrics`)).text()).split('\n').filter((l) => l.startsWith('hmx_') && l.includes('hmx_daemon_name="shadow"'));
  const until = async (check: (ls: string[]) => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    let last: string[] = [];
    while (!check((last = await lines()))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${last.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return last;
  };
  const metric = (ls: string[], name: string) => ls.filter((l) => l.startsWith(`${name}{`));
  try {
    await until(
      (ls) => metric(ls, 'hmx_dissonance').length === 1 && metric(ls, 'hmx_daemon_up').some((l) => l.endsWith(' 1')),
      'the daemon up with its gauges',
    );
    daemon.mode = 'http500';
    const down = await until((ls) => metric(ls, 'hmx_daemon_up').some((l) => l.endsWith(' 0')), 'the daemon down');
    for (const gone of ['hmx_dissonance', 'hmx_daemon_info', 'hmx_daemon_uptime']) assert.deepEqual(metric(down, gone), [], `${gone} no longer reported`);
    assert.equal(metric(down, 'hmx_daemon_probe_duration').length, 1);
  } finally {
    await h.stop();
    await daemon.stop();
  }
});

test('a hwmon chip that goes away leaves /metrics: no last temperature or status is served for it', async (t) => {
  const fs = new FakeSysfs();
  t.after(() => fs.dispose());
  fs.add('hwmon0', coretemp);
  fs.add('hwmon1', nvme);
  const h = await testCollector({ sources: { hardware: { enabled: true, interval: '100ms', hwmonRoot: fs.classDir } } });
  t.after(() => h.stop());
  const chip = async (name: string) =>
    (await (await fetch(`${h.url}/metrics`)).text()).split('\n').filter((l) => l.startsWith('hw_') && l.includes(`hw_id="${name}@`));
  await pollUntil(async () => ((await chip('coretemp')).some((l) => l.startsWith('hw_temperature{')) ? true : undefined), {
    timeoutMs: 10_000,
    what: 'coretemp on /metrics',
  });
  fs.remove('hwmon0', coretemp.device);
  let left: string[] = [];
  await pollUntil(async () => ((left = await chip('coretemp')).length === 0 ? true : undefined), {
    timeoutMs: 10_000,
    what: 'every coretemp series gone',
    detail: () => `still served:\n${left.join('\n')}`,
  });
  assert.ok(
    (await chip('nvme')).some((l) => l.startsWith('hw_temperature{')),
    'the chip that stayed still reports',
  );
});
