/** The middle value (the upper one of an even count); undefined for none. */
export function median(xs: number[]): number | undefined {
  if (xs.length === 0) {
    return undefined;
  }
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
