// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom has no PointerEvent: use MouseEvent so pointer handlers receive clientX/clientY in tests.
if (typeof window !== 'undefined' && !window.PointerEvent) {
  class PointerEvent extends MouseEvent {
    constructor(type, init = {}) {
      super(type, init);
      this.pointerId = init.pointerId ?? 1;
    }
  }
  window.PointerEvent = PointerEvent;
}
