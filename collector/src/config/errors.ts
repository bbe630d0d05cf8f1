import { isSecretKey, redactUrl } from './redact.js';

/** How a rejected value is shown: never a credential, never more than 80 characters, never a crash. */
function shown(key: string, got: unknown): string {
  if (isSecretKey(key)) return `(a value, not shown: ${key} is a secret)`;
  let text: string | undefined;
  try {
    text = JSON.stringify(got);
  } catch {
    text = undefined; // too deeply nested or cyclic
  }
  return text === undefined ? `(a ${typeof got} that cannot be shown)` : redactUrl(text).slice(0, 80);
}

/** A configuration problem, named by its key; the CLI prints it and exits with code 2. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly got?: unknown,
  ) {
    super(`invalid configuration: ${key}: expected ${expected}${got === undefined ? '' : `, got ${shown(key, got)}`}`);
  }
}
