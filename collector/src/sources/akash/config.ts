// Configuration of the akash source (the keys under `sources.akash`; enabled/interval/timeout belong to the core).
import { Type, type Static } from '@sinclair/typebox';
import type { ConfigProblem } from '../../core/source.js';

const Url = (description: string) => Type.String({ minLength: 8, maxLength: 2048, pattern: '^https?://[^\\s]+$', description });
// Literal unions, not Type.Unsafe enums: the config loader checks sections with TypeBox's Value, which needs known kinds.
const Literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const BECH32_AKASH = '^akash1[02-9ac-hj-np-z]{38,58}$';

export const AkashConfigSchema = Type.Object(
  {
    rpcUrl: Url('CometBFT JSON-RPC endpoint of an Akash node, e.g. https://rpc.example.com:443'),
    provider: Type.String({ pattern: BECH32_AKASH, description: 'The provider account address (akash1…)' }),
    chainId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Expected chain id; responses from another chain are rejected' })),
    gatewayUrl: Type.Optional(Url('Provider gateway base URL, e.g. https://provider.example.com:8443')),
    gatewayCertSha256: Type.Optional(
      Type.String({
        pattern: '^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{64}$',
        description: 'SHA-256 fingerprint of the gateway certificate (hex, colons optional)',
      }),
    ),
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f]+$', description: 'Display name of the provider node' }),
    ),
    rpcLatencyThresholdMs: Type.Integer({
      minimum: 1,
      maximum: 600000,
      description: 'An RPC round trip slower than this sets hmx.akash.rpc.slow and the cached chain data is served as stale meanwhile',
    }),
    rpcTimeoutMs: Type.Integer({
      minimum: 1,
      maximum: 600000,
      description: 'An RPC request still unanswered after this is abandoned (must exceed rpcLatencyThresholdMs)',
    }),
    gatewayTimeoutMs: Type.Integer({ minimum: 1, maximum: 600000 }),
    maxBackoffCycles: Type.Integer({ minimum: 0, maximum: 1024, description: 'Most collections a failing part sits out before it is tried again' }),
    providerFailAfter: Type.Integer({ minimum: 1, maximum: 1000, description: 'Consecutive gateway failures before the provider node is reported failed' }),
    pageLimit: Type.Integer({ minimum: 1, maximum: 10000 }),
    maxPages: Type.Integer({ minimum: 1, maximum: 1000 }),
    /** Lease states counted besides `active` (whose full set is always read). */
    countLeaseStates: Type.Array(Literals(['insufficient_funds', 'closed', 'reclaiming'] as const), { uniqueItems: true }),
    /** Bid states counted besides `open` and `active` (whose full sets are always read). */
    countBidStates: Type.Array(Literals(['lost', 'closed'] as const), { uniqueItems: true }),
    /** Order states counted chain-wide (orders have no provider filter). */
    orderStates: Type.Array(Literals(['open', 'active', 'closed'] as const), { uniqueItems: true }),
  },
  { additionalProperties: false },
);

export type AkashConfig = Static<typeof AkashConfigSchema>;

/** Defaults for every optional-by-default key; rpcUrl and provider have placeholders that must be configured. */
export const akashDefaults: AkashConfig = {
  rpcUrl: 'http://127.0.0.1:26657',
  provider: 'akash1' + 'q'.repeat(38),
  rpcLatencyThresholdMs: 5000,
  rpcTimeoutMs: 30000,
  gatewayTimeoutMs: 5000,
  maxBackoffCycles: 8,
  providerFailAfter: 3,
  pageLimit: 1000,
  maxPages: 10,
  countLeaseStates: ['insufficient_funds', 'closed'],
  countBidStates: ['lost', 'closed'],
  orderStates: ['open'],
};

/** Checks across keys that a schema cannot express; the problem names the key(s). */
export function configProblem(config: AkashConfig): ConfigProblem | undefined {
  if (config.rpcTimeoutMs <= config.rpcLatencyThresholdMs) {
    return {
      key: 'sources.akash.rpcTimeoutMs',
      expected: `a value greater than sources.akash.rpcLatencyThresholdMs (${config.rpcLatencyThresholdMs}): a request abandoned at the threshold could never be seen slower than it`,
      got: config.rpcTimeoutMs,
    };
  }
  if (config.gatewayUrl && !config.gatewayCertSha256) {
    return {
      key: 'sources.akash.gatewayCertSha256',
      expected: 'a certificate pin: it is required when gatewayUrl is set (the gateway certificate is self-signed and verified only by this pin)',
    };
  }
  if (config.gatewayUrl && !config.gatewayUrl.startsWith('https://')) {
    return { key: 'sources.akash.gatewayUrl', expected: 'an https:// URL', got: config.gatewayUrl };
  }
  return undefined;
}

/** `AB:CD:…` upper case, the form Node's `fingerprint256` uses. */
export function normaliseFingerprint(pin: string): string {
  const hex = pin.replace(/:/g, '').toUpperCase();
  return hex.match(/../g)!.join(':');
}
