// A test source that, when told to, reports a sample of a metric it never declared: the collector's
// normalisation drops it and counts hmx.collector.frames.dropped (what a buggy source would cause).
import { Type } from '@sinclair/typebox';
import type { SourceFactory } from '../../collector/src/core/source.js';

export const faultyControl = { broken: false };

export const faultySource: SourceFactory<Record<string, never>> = {
  name: 'faulty',
  layer: 'observer',
  configSchema: Type.Object({}, { additionalProperties: false }),
  defaults: {},
  create: () => ({
    name: 'faulty',
    layer: 'observer',
    metrics: [{ name: 'hmx.test.declared', kind: 'gauge', unit: '1', description: 'a declared test gauge', attributes: [] }],
    collect: async () => ({
      observations: faultyControl.broken ? [{ metric: 'hmx.test.undeclared', value: 1, attributes: {} }] : [],
    }),
  }),
};
