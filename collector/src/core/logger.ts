// Structured JSON logs to stdout (pino); secrets are redacted by key.
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** `level` is the configuration's logLevel (HMX_LOG_LEVEL or `logLevel:`). */
export function createLogger(level = 'info'): Logger {
  return pino({
    level,
    base: { service: 'hmx-collector' },
    redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** A logger that writes nothing (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
