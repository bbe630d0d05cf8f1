// The contract as standalone JSON Schema (draft 2020-12 compatible) files, one per record type.
import * as s from './events.js';

const FILES = {
  'node.joined': s.NodeJoined,
  'node.left': s.NodeLeft,
  'node.failed': s.NodeFailed,
  'node.recovered': s.NodeRecovered,
  'actor.spawned': s.ActorSpawned,
  'actor.exited': s.ActorExited,
  'actor.restarted': s.ActorRestarted,
  audit: s.Audit,
  flow: s.FlowSample,
  keyframe: s.Keyframe,
} as const;

export function contractSchemaFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [type, schema] of Object.entries(FILES)) {
    const doc = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: `hmx contract v${s.CONTRACT_VERSION}: ${type}`,
      ...JSON.parse(JSON.stringify(schema)),
    };
    doc.$id = `https://harmonix.dev/schemas/hmx-contract/v${s.CONTRACT_VERSION}/${type}.json`;
    out[`${type}.schema.json`] = `${JSON.stringify(doc, null, 2)}\n`;
  }
  return out;
}
