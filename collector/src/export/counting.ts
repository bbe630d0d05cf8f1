// Exporter wrappers that count failed exports (hmx.collector.export.failures) without changing behaviour.
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';

export type ExportSignal = 'metrics' | 'logs' | 'traces';

interface Exporter<T> {
  export(items: T, cb: (r: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

export function countingExporter<T, E extends Exporter<T>>(
  inner: E,
  signal: ExportSignal,
  onResult: (signal: ExportSignal, ok: boolean, error?: Error) => void,
): E {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'export') {
        return (items: T, cb: (r: ExportResult) => void) =>
          target.export(items, (r) => {
            onResult(signal, r.code === ExportResultCode.SUCCESS, r.error);
            cb(r);
          });
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
