// Asynchronous OTel instruments for the sources' observations, the topology and the collector itself.
import type { Attributes, Histogram, Meter, ObservableResult } from '@opentelemetry/api';
import type { ActorRef, NodeRef } from '@harmonix/contract';
import type { MetricDescriptor, Observation } from '../core/observation.js';
import { sourceUp } from '../core/health.js';
import { CollectorStats } from '../core/stats.js';
import type { ObservationStore } from '../core/store.js';
import { DATA_STATES } from '../core/health.js';
import type { SourceRunner } from '../core/scheduler.js';
import type { Topology } from '../topology/service.js';
import type { FlowEntry } from '../topology/state.js';
import { ANOMALY_REASONS } from '../topology/anomalies.js';

/** Returns the recorder of histogram measurements (histograms are synchronous: each measurement recorded once). */
export function registerSourceMetrics(meter: Meter, descriptors: Iterable<MetricDescriptor>, store: ObservationStore): (m: Observation) => void {
  const seen = new Set<string>();
  const histograms = new Map<string, Histogram>();
  for (const d of descriptors) {
    if (seen.has(d.name)) continue; // two sources may report the same metric; one instrument reads both
    seen.add(d.name);
    const options = { unit: d.unit, description: d.description };
    if (d.kind === 'histogram') {
      histograms.set(d.name, meter.createHistogram(d.name, { ...options, ...(d.buckets && { advice: { explicitBucketBoundaries: [...d.buckets] } }) }));
      continue;
    }
    const instrument =
      d.kind === 'gauge'
        ? meter.createObservableGauge(d.name, options)
        : d.kind === 'counter'
          ? meter.createObservableCounter(d.name, options)
          : meter.createObservableUpDownCounter(d.name, options);
    instrument.addCallback((result: ObservableResult) => {
      for (const o of store.get(d.name)) result.observe(o.value, o.attributes);
    });
  }
  return (m) => histograms.get(m.metric)?.record(m.value, m.attributes);
}

/**
 * One attribute object per entity reference, made once: at 10,000 actors a collection observes 30,000 points, and the
 * live-series filter keys each object once instead of at every collection. A new reference (a respawn) gets new ones.
 */
function perRef<R extends object>(make: (ref: R) => Attributes): (ref: R) => Attributes {
  const made = new WeakMap<R, Attributes>();
  return (ref) => {
    let attributes = made.get(ref);
    if (!attributes) made.set(ref, (attributes = make(ref)));
    return attributes;
  };
}

export function registerTopologyMetrics(meter: Meter, topology: Topology): void {
  const s = topology.state;
  const nodeAttributes = perRef((n: NodeRef) => ({ 'hmx.node.id': n.id, 'hmx.node.name': n.name, 'hmx.node.kind': n.kind, 'hmx.layer': n.layer }));
  const actorAttributes = perRef((a: ActorRef) => ({
    'hmx.actor.id': a.id,
    'hmx.actor.name': a.name,
    'hmx.actor.kind': a.kind,
    'hmx.layer': a.layer,
    'hmx.node.id': a.node,
  }));
  const restartAttributes = perRef((a: ActorRef) => ({ 'hmx.actor.id': a.id, 'hmx.node.id': a.node }));
  meter.createObservableGauge('hmx.node.up', { description: '1 while the node is up, 0 while failed; absent once it left' }).addCallback((r) => {
    for (const n of s.nodes.values()) r.observe(n.state === 'up' ? 1 : 0, nodeAttributes(n.ref));
  });
  meter
    .createObservableGauge('hmx.actor.up', {
      description: '1 while the actor runs, 0 once exited; absent while unknown (its node failed) and once its node left',
    })
    .addCallback((r) => {
      for (const a of s.actors.values()) {
        if (a.state === 'unknown') continue; // neither 1 nor 0 would be true: no sample until its own record says
        r.observe(a.state === 'running' ? 1 : 0, actorAttributes(a.ref));
      }
    });
  meter.createObservableCounter('hmx.actor.restarts', { unit: '{restart}', description: 'Restarts per actor' }).addCallback((r) => {
    for (const a of s.actors.values()) r.observe(a.restarts, restartAttributes(a.ref));
  });
  // A flow is exported while both its actors are known: once one is gone its node is unknown, and a series that
  // switched to an empty node label would be a new, false one. Its totals stay in the keyframes.
  const observeFlows = (r: ObservableResult, value: (f: FlowEntry) => number) => {
    for (const f of s.flows.values()) {
      const from = s.actors.get(f.from);
      const to = s.actors.get(f.to);
      if (!from || !to) continue;
      r.observe(value(f), {
        'hmx.source.actor.id': f.from,
        'hmx.destination.actor.id': f.to,
        'hmx.source.node.id': from.ref.node,
        'hmx.destination.node.id': to.ref.node,
      });
    }
  };
  meter
    .createObservableCounter('hmx.flow.messages', { unit: '{message}', description: 'Messages sent from one actor to another' })
    .addCallback((r) => observeFlows(r, (f) => f.messages));
  meter
    .createObservableCounter('hmx.flow.bytes', { unit: 'By', description: 'Bytes sent from one actor to another' })
    .addCallback((r) => observeFlows(r, (f) => f.bytes));
  meter.createObservableCounter('hmx.topology.events', { unit: '{event}', description: 'Contract records applied, by type' }).addCallback((r) => {
    for (const [type, n] of topology.eventCounts) r.observe(n, { 'hmx.event.type': type });
  });
  // Every reason from the start, at 0 until it happens: the dashboard's increase() then reads 0, not "no data".
  meter
    .createObservableCounter('hmx.collector.topology.anomalies', { unit: '{anomaly}', description: 'Impossible transitions seen and not applied' })
    .addCallback((r) => {
      for (const reason of ANOMALY_REASONS) r.observe(topology.anomalies.get(reason) ?? 0, { 'hmx.anomaly.reason': reason });
    });
}

export function registerSelfMetrics(meter: Meter, stats: CollectorStats, runners: () => readonly SourceRunner[], now: () => number): void {
  const pairs = (map: Map<string, number>, a: string, b: string) => (r: ObservableResult) => {
    for (const [key, n] of map) {
      const [x, y] = CollectorStats.split(key);
      r.observe(n, { [a]: x, [b]: y });
    }
  };
  const singles = (map: Map<string, number>, a: string) => (r: ObservableResult) => {
    for (const [key, n] of map) r.observe(n, { [a]: key });
  };
  const histogram = meter.createHistogram('hmx.collector.collection.duration', {
    unit: 's',
    description: 'Duration of each collection attempt',
    // The SDK's default buckets (0…10000) suit milliseconds, not seconds.
    advice: { explicitBucketBoundaries: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] },
  });
  stats.recordDuration = (source, seconds) => histogram.record(seconds, { 'hmx.source': source });
  // A state set (one series per state, 1 for the current one), as semconv's hw.status: fresh, stale-but-served, failing.
  meter
    .createObservableGauge('hmx.collector.source.data.state', {
      description: 'How current the values a source serves are: 1 for its current state (fresh, stale, failing, starting), 0 for the others',
    })
    .addCallback((r) => {
      for (const runner of runners()) {
        const current = runner.freshness(now()).state;
        for (const state of DATA_STATES) r.observe(state === current ? 1 : 0, { 'hmx.source': runner.source.name, 'hmx.data.state': state });
      }
    });
  meter
    .createObservableGauge('hmx.collector.source.data.age', {
      unit: 's',
      description: 'Seconds since the values a source serves were read (absent before its first good read)',
    })
    .addCallback((r) => {
      for (const runner of runners()) {
        const age = runner.freshness(now()).age_seconds;
        if (age !== null) r.observe(age, { 'hmx.source': runner.source.name });
      }
    });
  meter
    .createObservableCounter('hmx.collector.collection.errors', { unit: '{error}', description: 'Failed collection attempts by source and reason' })
    .addCallback(pairs(stats.errors, 'hmx.source', 'error.type'));
  meter
    .createObservableCounter('hmx.collector.collection.retries', { unit: '{retry}', description: 'Collection retries by source' })
    .addCallback(singles(stats.retries, 'hmx.source'));
  meter
    .createObservableCounter('hmx.collector.frames.dropped', {
      unit: '{item}',
      description: 'Invalid samples and records dropped by normalisation, by source and reason',
    })
    .addCallback(pairs(stats.dropped, 'hmx.source', 'hmx.drop.reason'));
  meter
    .createObservableCounter('hmx.collector.export.failures', { unit: '{export}', description: 'Failed OTLP exports by signal' })
    .addCallback(singles(stats.exportFailures, 'hmx.signal'));
  meter
    .createObservableCounter('hmx.collector.export.successes', { unit: '{export}', description: 'Successful OTLP exports by signal' })
    .addCallback(singles(stats.exportSuccesses, 'hmx.signal'));
  meter
    .createObservableGauge('hmx.collector.source.up', {
      description: '1 while the latest collection attempt succeeded, 0 while retrying, failing or its circuit is open',
    })
    .addCallback((r) => {
      for (const runner of runners()) {
        const state = runner.health.state;
        if (state !== 'starting' && state !== 'stopped') r.observe(sourceUp(state), { 'hmx.source': runner.source.name });
      }
    });
  meter.createObservableCounter('process.cpu.time', { unit: 's', description: 'CPU time of the collector process' }).addCallback((r) => {
    const u = process.cpuUsage();
    r.observe(u.user / 1e6, { 'cpu.mode': 'user' });
    r.observe(u.system / 1e6, { 'cpu.mode': 'system' });
  });
  meter
    .createObservableUpDownCounter('process.memory.usage', { unit: 'By', description: 'Resident memory of the collector process' })
    .addCallback((r) => r.observe(process.memoryUsage.rss()));
}
