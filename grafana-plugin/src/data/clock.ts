/** The stored-data path's clock (live polls, open windows): injectable so tests run at a fixed "now". */
let current: () => number = () => Date.now();

export function now(): number {
  return current();
}

export function setClock(clock: () => number): void {
  current = clock;
}
