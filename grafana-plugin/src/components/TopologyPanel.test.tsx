import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { DataHoverEvent } from '@grafana/data';
import { TopologyPanel } from './TopologyPanel';
import { panelProps } from '../fixtures/props';
import { actorBody, actorUp, ev, flowRate, lokiFrame, nodeBody, nodeUp } from '../fixtures/frames';

const T = Array.from({ length: 10 }, (_, i) => i * 60_000);
const XSS = '<img src=x onerror=alert(1)>';

function frames() {
  return [
    nodeUp(
      'n1',
      T,
      T.map(() => 1),
      { hmx_node_name: XSS }
    ),
    actorUp(
      'a1',
      'n1',
      T,
      T.map(() => 1)
    ),
    actorUp(
      'a2',
      'n1',
      T,
      T.map(() => 1)
    ),
    flowRate(
      'a1',
      'a2',
      'n1',
      'n1',
      T,
      T.map(() => 5)
    ),
    lokiFrame('events', [
      ev('actor.restarted', 120_000, actorBody('a1', 'n1')),
      ev('node.joined', 1000, nodeBody('n2')),
      { time: 5, line: '{broken' },
    ]),
  ];
}

describe('TopologyPanel', () => {
  it('shows a specific message instead of a blank panel when there is no data', () => {
    render(<TopologyPanel {...panelProps([])} />);
    expect(screen.getByTestId('hmx-message').textContent).toMatch(/No data.*refIds "nodes"/);
  });

  it('renders canvas, filters, timeline and data warnings for real frames', () => {
    render(<TopologyPanel {...panelProps(frames())} />);
    expect(screen.getByTestId('hmx-canvas')).toBeInTheDocument();
    expect(screen.getByRole('slider', { name: 'Replay playhead' })).toBeInTheDocument();
    expect(screen.getByLabelText('Search nodes and actors')).toBeInTheDocument();
    expect(screen.getByTestId('hmx-summary').textContent).toContain('2 nodes · 2 actors · 1 edges');
    expect(screen.getByTestId('hmx-problems').getAttribute('aria-label')).toContain('1 malformed event lines skipped');
  });

  it('renders untrusted labels as text, never as HTML', () => {
    const { container } = render(<TopologyPanel {...panelProps(frames())} />);
    const wrap = screen.getByTestId('hmx-canvas-wrap');
    act(() => {
      wrap.focus();
    });
    fireEvent.keyDown(wrap, { key: 'ArrowRight' });
    fireEvent.keyDown(wrap, { key: ' ' });
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('hmx-details').textContent).toContain(XSS);
    expect(screen.getByTestId('hmx-announcer').textContent).toContain(XSS);
  });

  it('keyboard navigation moves focus from nodes into actors and announces them', () => {
    render(<TopologyPanel {...panelProps(frames())} />);
    const wrap = screen.getByTestId('hmx-canvas-wrap');
    fireEvent.keyDown(wrap, { key: 'ArrowRight' });
    const nodeText = screen.getByTestId('hmx-announcer').textContent!;
    expect(nodeText).toMatch(/^node /);
    fireEvent.keyDown(wrap, { key: 'Enter' });
    expect(screen.getByTestId('hmx-announcer').textContent).toMatch(/^actor a[12], running/);
    fireEvent.keyDown(wrap, { key: 'Escape' });
    expect(screen.getByTestId('hmx-announcer').textContent).toBe(nodeText);
  });

  it('details offer Explore links for traces and lifecycle logs with configured uids', () => {
    render(
      <TopologyPanel
        {...panelProps(frames(), { options: { ...panelProps([]).options, tempoUid: 'my-tempo', lokiUid: 'my-loki' } })}
      />
    );
    const wrap = screen.getByTestId('hmx-canvas-wrap');
    fireEvent.keyDown(wrap, { key: 'ArrowRight' });
    fireEvent.keyDown(wrap, { key: 'Enter' });
    fireEvent.keyDown(wrap, { key: ' ' });
    const links = screen.getByTestId('hmx-details').querySelectorAll('a');
    const hrefs = [...links].map((a) => decodeURIComponent(a.getAttribute('href')!));
    expect(hrefs[0]).toContain('"uid":"my-tempo"');
    expect(hrefs[0]).toContain('span.hmx.source.actor.id');
    expect(hrefs[1]).toContain('"uid":"my-loki"');
  });

  it('moving the playhead publishes the shared crosshair and steps between events', () => {
    const props = panelProps(frames());
    const seen: number[] = [];
    props.eventBus.subscribe(DataHoverEvent, (e) => seen.push(e.payload.point.time as number));
    render(<TopologyPanel {...props} />);
    const track = screen.getByRole('slider', { name: 'Replay playhead' });
    fireEvent.keyDown(track, { key: 'PageDown' });
    expect(seen.length).toBeGreaterThan(0);
    expect(Number(track.getAttribute('aria-valuenow'))).toBe(seen[seen.length - 1]);
    fireEvent.click(screen.getByRole('button', { name: 'Next event' }));
    expect(seen[seen.length - 1]).toBeGreaterThan(seen[0]);
  });

  it('drag-selecting on the track zooms the dashboard time range', () => {
    const props = panelProps(frames());
    render(<TopologyPanel {...props} />);
    const track = screen.getByTestId('hmx-track');
    track.getBoundingClientRect = () => ({
      left: 0,
      top: 0,
      width: 800,
      height: 26,
      right: 800,
      bottom: 26,
      x: 0,
      y: 0,
      toJSON: () => ({}),
    });
    fireEvent.pointerDown(track, { clientX: 200, pointerId: 1 });
    fireEvent.pointerMove(track, { clientX: 400, pointerId: 1 });
    fireEvent.pointerUp(track, { clientX: 400, pointerId: 1 });
    expect(props.onChangeTimeRange).toHaveBeenCalledWith({ from: 900_000, to: 1_800_000 });
  });

  it('tolerates partial frames: flows only, with a message naming what is missing', () => {
    render(
      <TopologyPanel
        {...panelProps([
          flowRate(
            'a',
            'b',
            'n',
            'm',
            T,
            T.map(() => 1)
          ),
        ])}
      />
    );
    expect(screen.getByTestId('hmx-message').textContent).toContain('Missing topology');
  });
});
