// Recovery log lines → structured log records with the daemon as resource (plain text or JSON lines,
// including `journalctl -o json` entries).
import { basename } from 'node:path';
import type { LogSignal } from '../../core/signals.js';

const LEVELS: [RegExp, number, string][] = [
  [/^(fatal|crit|critical|emerg|emergency|alert)$/i, 21, 'FATAL'],
  [/^(err|error)$/i, 17, 'ERROR'],
  [/^(warn|warning)$/i, 13, 'WARN'],
  [/^(notice|info|information)$/i, 9, 'INFO'],
  [/^(debug|trace)$/i, 5, 'DEBUG'],
];
// syslog PRIORITY (journald) 0..7 → OTel
const PRIORITY: [number, string][] = [
  [21, 'FATAL'],
  [21, 'FATAL'],
  [21, 'FATAL'],
  [17, 'ERROR'],
  [13, 'WARN'],
  [9, 'INFO'],
  [9, 'INFO'],
  [5, 'DEBUG'],
];
const TEXT_LEVEL = /\b(FATAL|CRITICAL|CRIT|ERROR|ERR|WARNING|WARN|INFO|NOTICE|DEBUG|TRACE)\b/i;
const TEXT_TIME = /^\[?(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)\]?/;

function level(word: string | undefined): [number, string] {
  for (const [re, n, t] of LEVELS) if (word && re.test(word)) return [n, t];
  return [9, 'INFO'];
}

function isoOrUndefined(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value).toISOString() : undefined;
  if (typeof value !== 'string') return undefined;
  // journald: microseconds since the epoch as a string
  if (/^\d{13,17}$/.test(value)) return new Date(Math.floor(Number(value) / 1000)).toISOString();
  const ms = Date.parse(value.includes('T') || !value.includes(' ') ? value : value.replace(' ', 'T'));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

export interface LogOrigin {
  daemon: string;
  nodeId: string;
  path: string;
}

export function toLogRecord(line: string, origin: LogOrigin, readAt: string): LogSignal {
  let body = line;
  let time: string | undefined;
  let sev: [number, string] = [9, 'INFO'];
  const attributes: Record<string, string | number | boolean> = { 'log.file.path': origin.path, 'log.file.name': basename(origin.path) };
  const json = line.startsWith('{') ? tryJson(line) : undefined;
  if (json) {
    const msg = json.MESSAGE ?? json.message ?? json.msg;
    body = typeof msg === 'string' ? msg : line;
    time = isoOrUndefined(json.__REALTIME_TIMESTAMP ?? json.timestamp ?? json.time ?? json.ts);
    const prio = Number(json.PRIORITY);
    sev = Number.isInteger(prio) && prio >= 0 && prio <= 7 ? PRIORITY[prio]! : level(String(json.level ?? json.severity ?? json.levelname ?? ''));
    if (typeof json._SYSTEMD_UNIT === 'string') attributes['systemd.unit'] = json._SYSTEMD_UNIT;
  } else {
    const m = TEXT_TIME.exec(line);
    time = m ? isoOrUndefined(m[1]) : undefined;
    sev = level(TEXT_LEVEL.exec(line)?.[1]);
  }
  return {
    time: time ?? readAt,
    severityNumber: sev[0],
    severityText: sev[1],
    body,
    attributes,
    resource: { 'service.name': origin.daemon, 'hmx.actor.id': `hmx:${origin.daemon}`, 'hmx.node.id': origin.nodeId },
  };
}

function tryJson(line: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(line) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
