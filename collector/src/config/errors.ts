/** A configuration problem, named by its key; the CLI prints it and exits with code 2. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly got?: unknown,
  ) {
    super(`invalid configuration: ${key}: expected ${expected}${got === undefined ? '' : `, got ${JSON.stringify(got)?.slice(0, 80)}`}`);
  }
}
