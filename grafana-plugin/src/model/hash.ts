/** FNV-1a 32-bit hash of a string (deterministic across runs and browsers). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Deterministic value in [0, 1) from a string. */
export function unit(s: string): number {
  return hash32(s) / 4294967296;
}
