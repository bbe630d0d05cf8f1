// Who may use the surface, decided before any body is read: the bearer token for every POST when one is set;
// without a token (loopback only), a Host allow-list and no cross-origin POSTs, so a web page the operator visits
// cannot reach the surface through DNS rebinding or a cross-site form.
import type { IncomingMessage } from 'node:http';
import { tokenMatches } from './auth.js';
import { problem, type SurfaceReply } from './routes.js';

/** Host names that always mean this machine's loopback interface. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1'] as const;

export interface AdmissionRules {
  token?: string;
  /** Host names (no port) accepted in Host/Origin when there is no token; loopback names are always accepted. */
  allowedHosts: readonly string[];
}

/** The host name of a Host header or an Origin URL, lower-cased, without port or IPv6 brackets. */
export function hostnameOf(value: string | undefined, isOrigin: boolean): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(isOrigin ? value : `http://${value}`).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
}

/** The rules as a check that runs before the body is read: the refusal to send, or undefined to go on. */
export function admission(rules: AdmissionRules): (req: IncomingMessage) => SurfaceReply | undefined {
  const allowed = new Set([...LOOPBACK_HOSTS, ...rules.allowedHosts.map((h) => h.toLowerCase())]);
  const names = [...allowed].join(', ');
  return (req) => {
    if (rules.token) {
      if (req.method === 'POST' && !tokenMatches(req.headers.authorization, rules.token))
        return { ...problem(401, 'Authorization', 'Bearer <token>'), headers: { 'www-authenticate': 'Bearer' } };
      return undefined;
    }
    const host = hostnameOf(req.headers.host, false);
    if (!host || !allowed.has(host)) return problem(403, 'Host', `one of ${names} (set a token to serve other names)`);
    const origin = req.headers.origin;
    if (req.method === 'POST' && origin !== undefined) {
      const from = hostnameOf(origin, true);
      if (!from || !allowed.has(from)) return problem(403, 'Origin', `no cross-origin POST without a token (origin host one of ${names})`);
    }
    return undefined;
  };
}
