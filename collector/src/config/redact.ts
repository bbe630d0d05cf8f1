// Secrets never leave the process in what it shows: /status, /v1/recorder, the start-up banner, config errors.

/** The text with every URL's user:password@ part replaced by ***@ (the host stays, so the operator sees which). */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#\s"]*@/gi, '$1***@');
}

// Keys whose values are credentials: a token, any header value (Authorization, API keys), passwords.
const SECRET_KEY = /(^|[.-])(token|headers?|authorization|password|passwd|secret|api[_-]?key)([.[]|$)/i;

/** Whether a configuration key (dotted, or a flag / environment variable name) holds a credential. */
export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key.replace(/^--?/, '').replace(/^HMX_|^OTEL_EXPORTER_OTLP_/i, ''));
