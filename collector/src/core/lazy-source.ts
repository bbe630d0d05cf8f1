// Defers loading a source's implementation (and its heavy libraries: client-node, cosmjs…) until it is started,
// so a disabled or never-configured source costs neither memory nor start-up time.
import type { Layer } from '@harmonix/contract';
import type { MetricDescriptor } from './observation.js';
import type { Frame, Source, SourceContext } from './source.js';

export function lazySource(shape: { name: string; layer: Layer; metrics: readonly MetricDescriptor[] }, load: () => Promise<Source>): Source {
  let loading: Promise<Source> | undefined;
  let loaded: Source | undefined;
  const get = () =>
    (loading ??= load().then((s) => {
      loaded = s;
      return s;
    }));
  return {
    ...shape,
    async start(ctx: SourceContext) {
      const source = await get();
      await source.start?.(ctx);
    },
    async collect(ctx: SourceContext, signal: AbortSignal): Promise<Frame> {
      return (await get()).collect(ctx, signal);
    },
    freshness: (now) => loaded?.freshness?.(now),
    problems: () => loaded?.problems?.(),
    idle: async () => loaded?.idle?.(),
    async stop() {
      if (loading) await (await loading).stop?.();
    },
  };
}
