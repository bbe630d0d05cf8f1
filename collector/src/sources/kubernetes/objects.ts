// The parts of Node and Pod objects this source reads, as they arrive on the wire (JSON, times as RFC 3339 strings),
// and the checks that keep a malformed object (missing fields, wrong types) out of the informer caches.

export interface Meta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
}

export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface KubeNode {
  metadata: Meta;
  status?: { conditions?: NodeCondition[]; allocatable?: Record<string, string> };
}

export interface ContainerState {
  running?: { startedAt?: string };
  waiting?: { reason?: string; message?: string };
  terminated?: { exitCode?: number; reason?: string; startedAt?: string; finishedAt?: string };
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface KubePod {
  metadata: Meta & { namespace: string; uid: string };
  spec?: { nodeName?: string };
  status?: { phase?: string; reason?: string; startTime?: string; containerStatuses?: ContainerStatus[] };
}

export type Resource = 'nodes' | 'pods';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field-naming complaint, or undefined when the value is acceptable. */
type Check = (v: unknown, field: string) => string | undefined;

const optional =
  (check: Check): Check =>
  (v, field) =>
    v === undefined || v === null ? undefined : check(v, field);
const str: Check = (v, field) => (typeof v === 'string' ? undefined : `${field}: expected a string`);
const nonEmpty: Check = (v, field) => (typeof v === 'string' && v.length > 0 ? undefined : `${field}: expected a non-empty string`);
// Object names become entity ids: bounded, printable.
const kname: Check = (v, field) =>
  typeof v === 'string' && /^[^\u0000-\u001f\u007f]{1,253}$/.test(v) ? undefined : `${field}: expected a name (1-253 printable characters)`;
const time: Check = (v, field) => (typeof v === 'string' && Number.isFinite(Date.parse(v)) ? undefined : `${field}: expected an RFC 3339 time`);
const count: Check = (v, field) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : `${field}: expected a non-negative integer`);
const bool: Check = (v, field) => (typeof v === 'boolean' ? undefined : `${field}: expected a boolean`);
const int: Check = (v, field) => (Number.isInteger(v) ? undefined : `${field}: expected an integer`);
const stringMap: Check = (v, field) => {
  if (!isObj(v)) return `${field}: expected an object of strings`;
  const bad = Object.keys(v).find((k) => typeof v[k] !== 'string');
  return bad === undefined ? undefined : `${field}.${bad}: expected a string`;
};
const object =
  (fields: Record<string, Check>): Check =>
  (v, field) => {
    if (!isObj(v)) return `${field}: expected an object`;
    for (const [key, check] of Object.entries(fields)) {
      const problem = check(v[key], `${field}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };
const array =
  (item: Check): Check =>
  (v, field) => {
    if (!Array.isArray(v)) return `${field}: expected an array`;
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${field}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };

const meta = (namespaced: boolean) =>
  object({
    name: kname,
    namespace: namespaced ? kname : optional(str),
    uid: namespaced ? nonEmpty : optional(str),
    resourceVersion: optional(str),
    creationTimestamp: optional(time),
    deletionTimestamp: optional(time),
    labels: optional(stringMap),
  });

const state = optional(
  object({
    running: optional(object({ startedAt: optional(time) })),
    waiting: optional(object({ reason: optional(str), message: optional(str) })),
    terminated: optional(object({ exitCode: optional(int), reason: optional(str), startedAt: optional(time), finishedAt: optional(time) })),
  }),
);

const nodeCheck = object({
  metadata: meta(false),
  status: optional(
    object({
      conditions: optional(
        array(
          object({
            type: nonEmpty,
            status: nonEmpty,
            reason: optional(str),
            message: optional(str),
            lastTransitionTime: optional(time),
          }),
        ),
      ),
      allocatable: optional(stringMap),
    }),
  ),
});

const podCheck = object({
  metadata: meta(true),
  spec: optional(object({ nodeName: optional(kname) })),
  status: optional(
    object({
      phase: optional(str),
      reason: optional(str),
      startTime: optional(time),
      containerStatuses: optional(array(object({ name: nonEmpty, ready: bool, restartCount: count, state, lastState: state }))),
    }),
  ),
});

/** Why the object cannot be used (naming the field), or undefined when it has the shape this source relies on. */
export function problemWith(resource: Resource, obj: unknown): string | undefined {
  return (resource === 'nodes' ? nodeCheck : podCheck)(obj, 'object');
}

export const podKey = (pod: KubePod) => `${pod.metadata.namespace}/${pod.metadata.name}`;
