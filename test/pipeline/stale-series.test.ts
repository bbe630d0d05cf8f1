/**
 * Stale series through the real pipeline (issue 13 point 1): hmx-collector → OTLP → the OTel Collector →
 * Prometheus (remote write). Once an actor's node fails or leaves, Prometheus holds no sample of that actor's
 * `hmx_actor_up` stamped more than one collection + export interval after the record; an exited actor's series
 * says 0.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';

const TOKEN = 'stale-pipeline-token-0123';
/** The OTLP metric interval of the pipeline (1 s) plus the OTel Collector's batch timeout and slack for the export itself. */
const BOUND_MS = 2_000;

let pipeline: TestPipeline;
before(async () => {
  pipeline = await startPipeline({ token: TOKEN });
});
after(() => pipeline?.stop());

let seq = 0;
const envelope = (type: string) => ({ v: 1, type, time: new Date().toISOString(), emitter: 'stale-pipeline-test', seq: ++seq });
const node = (id: string) => ({ id, kind: 'mesh-node', layer: 'mesh', name: id });
const actor = (id: string, nodeId: string) => ({ id, kind: 'worker', layer: 'mesh', name: id, node: nodeId });
async function post(records: object[]): Promise<number> {
  const res = await fetch(`${pipeline.collector.url}/v1/events`, {
    method: 'POST',
    body: JSON.stringify(records),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(res.status, 202, await res.text());
  return Date.now();
}
const up = (id: string) => `hmx_actor_up{hmx_actor_id="${id}"}`;
/** Timestamp (ms) of the newest sample Prometheus holds for the expression, or undefined. */
async function lastSampleMs(expr: string): Promise<number | undefined> {
  const [s] = await pipeline.prom.query(`timestamp(${expr})`);
  return s === undefined ? undefined : s.value * 1000;
}

test('actors of failed and departed nodes stop having samples; an exited actor says 0', async () => {
  await post([
    { ...envelope('node.joined'), node: node('mesh:fails') },
    { ...envelope('node.joined'), node: node('mesh:leaves') },
    { ...envelope('node.joined'), node: node('mesh:stays') },
    { ...envelope('actor.spawned'), actor: actor('mesh:fails/a', 'mesh:fails') },
    { ...envelope('actor.spawned'), actor: actor('mesh:leaves/b', 'mesh:leaves') },
    { ...envelope('actor.spawned'), actor: actor('mesh:stays/c', 'mesh:stays') },
    { ...envelope('actor.spawned'), actor: actor('mesh:stays/d', 'mesh:stays') },
  ]);
  await pipeline.prom.waitFor(`hmx_actor_up{hmx_node_id=~"mesh:(fails|leaves|stays)"} == 1`, (s) => s.length === 4);

  const endedAt = await post([
    { ...envelope('node.failed'), node: node('mesh:fails') },
    { ...envelope('node.left'), node: node('mesh:leaves') },
    { ...envelope('actor.exited'), actor: actor('mesh:stays/d', 'mesh:stays'), reason: 'Completed' },
  ]);
  // Wait until the surviving actor has samples well past the bound, so anything the collector still exported is in.
  await pipeline.prom.waitFor(`timestamp(${up('mesh:stays/c')}) * 1000 > ${endedAt + 2 * BOUND_MS}`);

  for (const gone of ['mesh:fails/a', 'mesh:leaves/b']) {
    const last = await lastSampleMs(up(gone));
    assert.ok(last !== undefined, `${gone} had samples before`);
    assert.ok(last <= endedAt + BOUND_MS, `${gone}: last sample ${last - endedAt} ms after its node ended (bound ${BOUND_MS} ms)`);
  }
  const leftNode = await lastSampleMs('hmx_node_up{hmx_node_id="mesh:leaves"}');
  assert.ok(leftNode !== undefined && leftNode <= endedAt + BOUND_MS, 'the departed node has no sample after the bound');
  const failedNode = await pipeline.prom.query('hmx_node_up{hmx_node_id="mesh:fails"}');
  assert.equal(failedNode[0]?.value, 0, 'the failed node is still known, and down');

  const exited = await pipeline.prom.query(up('mesh:stays/d'));
  assert.equal(exited[0]?.value, 0, 'the exited actor is reported as 0');
});
