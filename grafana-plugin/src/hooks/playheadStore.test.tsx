import React from 'react';
import { act, render } from '@testing-library/react';
import { PlayheadStore, usePlayhead } from './playheadStore';

function Hour({ store, renders }: { store: PlayheadStore; renders: number[] }) {
  const hour = usePlayhead(store, (t) => Math.floor(t / 3_600_000), []);
  renders.push(hour);
  return <span data-testid="hour">{hour}</span>;
}

describe('usePlayhead', () => {
  it('re-renders a component only when what it selects from the playhead changes', () => {
    const store = new PlayheadStore(0);
    const renders: number[] = [];
    const { getByTestId } = render(<Hour store={store} renders={renders} />);
    const before = renders.length;
    act(() => {
      for (let t = 0; t < 3_600_000; t += 50_000) {
        store.set(t);
      }
    });
    expect(renders.length).toBe(before);
    act(() => store.set(3_600_000));
    expect(getByTestId('hour').textContent).toBe('1');
    expect(renders.length).toBe(before + 1);
  });

  it('stops notifying a listener once it unsubscribes', () => {
    const store = new PlayheadStore(0);
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.set(1);
    store.set(1);
    off();
    store.set(2);
    expect(calls).toBe(1);
    expect(store.get()).toBe(2);
  });
});
