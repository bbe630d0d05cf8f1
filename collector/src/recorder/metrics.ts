// The recorder's own OTel metrics on the collector's meter: hmx.recorder.pending/.sent/.dropped/.late/.bytes.
import type { Meter } from '@opentelemetry/api';

export interface RecorderGauges {
  pending: number;
  sent: number;
  dropped: number;
  late: number;
  bytes: number;
}

export function registerRecorderMetrics(meter: Meter, read: () => RecorderGauges): void {
  const pending = meter.createObservableGauge('hmx.recorder.pending', {
    description: 'Lifecycle records and keyframes archived but not yet acknowledged by the OTLP endpoint',
    unit: '{record}',
  });
  const sent = meter.createObservableCounter('hmx.recorder.sent', {
    description: 'Lifecycle records and keyframes shipped from the archive and acknowledged',
    unit: '{record}',
  });
  const dropped = meter.createObservableCounter('hmx.recorder.dropped', {
    description: 'Unshipped lifecycle records deleted because the size budget (or retention, or corruption) forced it',
    unit: '{record}',
  });
  const late = meter.createObservableCounter('hmx.recorder.late', {
    description: 'Records already older than the retention window when archived (a late backlog); kept for the full retention from their write time',
    unit: '{record}',
  });
  const bytes = meter.createObservableGauge('hmx.recorder.bytes', { description: 'Bytes of the flight recorder archive on disk', unit: 'By' });
  meter.addBatchObservableCallback(
    (result) => {
      const g = read();
      result.observe(pending, g.pending);
      result.observe(sent, g.sent);
      result.observe(dropped, g.dropped);
      result.observe(late, g.late);
      result.observe(bytes, g.bytes);
    },
    [pending, sent, dropped, late, bytes],
  );
}
