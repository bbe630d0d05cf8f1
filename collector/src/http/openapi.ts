// OpenAPI description of the local HTTP surface (served at GET /docs).
import { COLLECTOR_VERSION } from '../export/resource.js';

const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const bearer = [{ bearer: [] }];

export const openapi = {
  openapi: '3.1.0',
  info: {
    title: 'hmx-collector local surface',
    version: COLLECTOR_VERSION,
    description:
      'Status, health, Prometheus metrics, topology and strict contract ingest. Bound to 127.0.0.1 by default; when bound elsewhere every POST needs a bearer token.',
  },
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  paths: {
    '/status': {
      get: {
        summary: 'Collector status and per-source health',
        responses: { 200: json('server_time_utc, version, uptime_seconds, sources{state,lastSuccess,lastError}') },
      },
    },
    '/healthz': { get: { summary: 'Liveness', responses: { 200: json('healthy'), 503: json('shutting down or every source failing') } } },
    '/metrics': { get: { summary: 'Prometheus text exposition of every metric', responses: { 200: { description: 'text/plain; version=0.0.4' } } } },
    '/docs': { get: { summary: 'This document', responses: { 200: json('OpenAPI 3.1') } } },
    '/v1/topology': { get: { summary: 'Current nodes, actors and flows (with rates)', responses: { 200: json('topology snapshot') } } },
    '/v1/events': {
      get: {
        summary: 'Recent accepted contract records after a cursor',
        parameters: [
          { name: 'since', in: 'query', schema: { type: 'integer', minimum: 0 } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 10000 } },
        ],
        responses: { 200: json('{ cursor, events: [{cursor, record}] }') },
      },
      post: {
        summary: 'Ingest lifecycle events and flow samples (contract v1)',
        security: bearer,
        requestBody: {
          content: {
            'application/json': { schema: { oneOf: [{ type: 'array' }, { type: 'object' }] } },
            'application/x-ndjson': { schema: { type: 'string' } },
          },
        },
        responses: {
          202: json('{ accepted, applied }'),
          400: json('{ errors: [{ index, field, expected }] } — nothing of the batch was applied'),
          401: json('missing or wrong bearer token (checked before the body is read)'),
          403: json('tokenless surface: Host not a loopback/allowed name, or a cross-origin POST'),
          413: json('body or batch too large'),
          415: json('unsupported content type'),
        },
      },
    },
    '/v1/annotations': {
      post: {
        summary: 'Annotation on the timeline (the Helix strict time API: iso_timestamp, timezone, source, human)',
        security: bearer,
        responses: {
          202: json('{ accepted } — the audit record is on the timeline'),
          400: json('{ errors: [{ field, expected }] }'),
          401: json('missing or wrong bearer token (checked before the body is read)'),
          403: json('tokenless surface: Host not a loopback/allowed name, or a cross-origin POST'),
          500: json('{ errors } — the record failed the contract (a bug; logged, nothing applied)'),
          503: json('{ errors } — the collector is not running yet'),
        },
      },
    },
    '/v1/annotations/last': { get: { summary: 'The latest accepted annotation', responses: { 200: json('annotation'), 404: json('none yet') } } },
    '/v1/alerts': {
      post: {
        summary: 'Grafana webhook contact point: alerts onto the timeline, forwarded to the configured self-healing hooks',
        security: bearer,
        responses: {
          202: json('{ accepted, hooks, rejected?: [{ index, errors }] } — rejected: alerts forwarded but not on the timeline'),
          400: json('{ errors: [{ field, expected }] }'),
          401: json('missing or wrong bearer token (checked before the body is read)'),
          403: json('tokenless surface: Host not a loopback/allowed name, or a cross-origin POST'),
        },
      },
    },
    '/v1/recorder': { get: { summary: 'Flight recorder status', responses: { 200: json('bundles, bytes, shipping counters') } } },
  },
};
