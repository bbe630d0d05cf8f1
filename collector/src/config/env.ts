// The only reader of the environment: fromEnv() turns the variables the collector honours into one configuration
// layer, which buildConfig() puts above the defaults and below the config file and the flags.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * `key=value,key2=value2` with URL-encoded parts (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES). A value
 * may itself hold `=` (base64). A bad escape names the variable, never its text: headers carry secrets.
 */
function keyValueList(variable: string, text: string): Record<string, string> {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.trim());
    } catch {
      throw new ConfigError(variable, 'comma-separated key=value pairs, URL-encoded (a % escape is malformed)');
    }
  };
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    const key = at > 0 ? decode(pair.slice(0, at)) : '';
    if (key) out[key] = decode(pair.slice(at + 1));
  }
  return out;
}

/** The flight recorder's directory unless configured: $XDG_STATE_HOME/hmx-collector/flight-recorder, else under ~/.local/state. */
function stateDir(env: Env): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'hmx-collector', 'flight-recorder');
}

/** The configuration the environment sets (see docs/configuration.md, "Environment variables"). */
export function fromEnv(env: Env): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const otlp: Record<string, unknown> = {};
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) otlp.endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_HEADERS) otlp.headers = keyValueList('OTEL_EXPORTER_OTLP_HEADERS', env.OTEL_EXPORTER_OTLP_HEADERS);
  if (env.OTEL_EXPORTER_OTLP_LOGS_PROTOCOL) {
    const protocol = env.OTEL_EXPORTER_OTLP_LOGS_PROTOCOL.trim();
    if (protocol !== 'http/json' && protocol !== 'http/protobuf')
      throw new ConfigError('OTEL_EXPORTER_OTLP_LOGS_PROTOCOL', 'http/json or http/protobuf (grpc is not spoken)', env.OTEL_EXPORTER_OTLP_LOGS_PROTOCOL);
    otlp.logsProtocol = protocol;
  }
  if (env.OTEL_METRIC_EXPORT_INTERVAL) {
    const ms = Number(env.OTEL_METRIC_EXPORT_INTERVAL);
    if (!Number.isInteger(ms) || ms <= 0)
      throw new ConfigError('OTEL_METRIC_EXPORT_INTERVAL', 'a positive integer of milliseconds', env.OTEL_METRIC_EXPORT_INTERVAL);
    otlp.metricInterval = `${ms}ms`;
  }
  if (Object.keys(otlp).length) out.otlp = otlp;
  const attributes = env.OTEL_RESOURCE_ATTRIBUTES ? keyValueList('OTEL_RESOURCE_ATTRIBUTES', env.OTEL_RESOURCE_ATTRIBUTES) : {};
  if (Object.keys(attributes).length) out.resourceAttributes = attributes;
  // As the OTel spec orders them: OTEL_SERVICE_NAME over a service.name in OTEL_RESOURCE_ATTRIBUTES.
  const serviceName = env.OTEL_SERVICE_NAME || attributes['service.name'];
  if (serviceName) out.serviceName = serviceName;
  if (env.HMX_LISTEN) out.listen = env.HMX_LISTEN;
  if (env.HMX_TOKEN) out.token = env.HMX_TOKEN;
  if (env.HMX_LOG_LEVEL) out.logLevel = env.HMX_LOG_LEVEL;
  out.recorder = { dir: env.HMX_RECORDER_DIR || stateDir(env) };
  return out;
}
