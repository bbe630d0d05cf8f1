import { useRef, useSyncExternalStore } from 'react';

/**
 * The playhead at UI rate for the components that show it. They subscribe to what they use of it (the window it
 * is in, the time text…), so a playback tick re-renders only those, not the panel.
 */
export class PlayheadStore {
  private listeners = new Set<() => void>();

  constructor(private t: number) {}

  get = (): number => this.t;

  set(t: number): void {
    if (t !== this.t) {
      this.t = t;
      this.listeners.forEach((l) => l());
    }
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

/** What `select` makes of the UI-rate playhead; the component re-renders only when that value changes
 * (compared with Object.is: select to a number, string or boolean). `select` runs again only for a new playhead
 * or when its own inputs (`deps`) change. */
export function usePlayhead<T>(store: PlayheadStore, select: (t: number) => T, deps: unknown[]): T {
  const memo = useRef<{ t: number; deps: unknown[]; value: T }>();
  const snapshot = () => {
    const t = store.get();
    const m = memo.current;
    if (m && m.t === t && m.deps.length === deps.length && m.deps.every((d, i) => Object.is(d, deps[i]))) {
      return m.value;
    }
    const value = select(t);
    memo.current = { t, deps, value };
    return value;
  };
  return useSyncExternalStore(store.subscribe, snapshot);
}
