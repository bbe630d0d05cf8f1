/**
 * Minimal AMD loader: named modules are registered by the host; the plugin's anonymous
 * `define([...deps], factory)` (webpack `library.type: 'amd'`) is resolved against them.
 */
type Factory = (...deps: unknown[]) => unknown;

const registry = new Map<string, unknown>();
let pending: { resolve: (v: unknown) => void; reject: (e: Error) => void; uri: string } | null = null;

export function provide(name: string, value: unknown): void {
  registry.set(name, value);
}

function define(deps: string[] | Factory, factory?: Factory): void {
  const list = Array.isArray(deps) ? deps : [];
  const fn = (Array.isArray(deps) ? factory : deps) as Factory;
  const p = pending;
  pending = null;
  if (!p) {
    throw new Error('anonymous define() outside of loadPlugin');
  }
  try {
    const resolved = list.map((d) => {
      if (d === 'module') {
        return { uri: p.uri };
      }
      if (!registry.has(d)) {
        throw new Error(`plugin requires "${d}", which the host does not provide`);
      }
      return registry.get(d);
    });
    p.resolve(fn(...resolved));
  } catch (e) {
    p.reject(e instanceof Error ? e : new Error(String(e)));
  }
}
(define as unknown as { amd: object }).amd = {};

export function loadPlugin(uri: string): Promise<unknown> {
  (window as unknown as { define: typeof define }).define = define;
  return new Promise((resolve, reject) => {
    pending = { resolve, reject, uri };
    const script = document.createElement('script');
    script.src = uri;
    script.onerror = () => reject(new Error(`could not load ${uri}`));
    document.head.appendChild(script);
  });
}
