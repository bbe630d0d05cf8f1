import { Problem, formatProblem } from '../model/problems';

/** Something the stored data could not give in full: shown on the canvas in words with its time span. */
export interface Cut {
  from: number;
  to: number;
  problem: Problem;
}

export function describeCut(c: Cut): string {
  const span =
    c.from === c.to
      ? new Date(c.from).toISOString()
      : `${new Date(c.from).toISOString()} – ${new Date(c.to).toISOString()}`;
  return `${span}: ${formatProblem(c.problem)}`;
}
