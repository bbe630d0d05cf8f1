// Leases and bids as plain, validated records: decoded protobuf is checked like any untrusted input.
import { Type, type Static } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import { ajv, StringEnum } from '@harmonix/contract';
import { AkashReadError } from './errors.js';

const Address = Type.String({ pattern: '^akash1[02-9ac-hj-np-z]{38,58}$' });
const Seq = Type.Integer({ minimum: 0, maximum: 4294967295 });
const Height = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Price = Type.Object(
  { denom: Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9/:._-]{1,127}$' }), amount: Type.String({ pattern: '^[0-9]{1,80}(\\.[0-9]{1,40})?$' }) },
  { additionalProperties: false },
);

const ids = {
  owner: Address,
  dseq: Type.String({ pattern: '^[1-9][0-9]{0,19}$' }),
  gseq: Seq,
  oseq: Seq,
  provider: Address,
  bseq: Seq,
};

export const LEASE_STATES = ['active', 'insufficient_funds', 'closed', 'reclaiming'] as const;
export const BID_STATES = ['open', 'active', 'lost', 'closed'] as const;
export const ORDER_STATES = ['open', 'active', 'closed'] as const;

export const LeaseRecord = Type.Object(
  {
    ...ids,
    state: StringEnum(LEASE_STATES),
    createdAt: Height,
    closedOn: Height,
    reason: Type.String({ pattern: '^[a-z0-9_]{1,64}$' }),
    price: Type.Optional(Price),
  },
  { additionalProperties: false },
);
export type LeaseRecord = Static<typeof LeaseRecord>;

export const BidRecord = Type.Object(
  { ...ids, state: StringEnum(BID_STATES), createdAt: Height, price: Type.Optional(Price) },
  { additionalProperties: false },
);
export type BidRecord = Static<typeof BidRecord>;

export const OrderRecord = Type.Object(
  { owner: Address, dseq: ids.dseq, gseq: Seq, oseq: Seq, state: StringEnum(ORDER_STATES) },
  { additionalProperties: false },
);
export type OrderRecord = Static<typeof OrderRecord>;

const validators = new Map<object, ValidateFunction>();

/** Validates `value` against `schema` or throws a `schema` failure naming the first offending field. */
export function check<T>(schema: object, value: unknown, what: string): T {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  if (validate(value)) return value as T;
  const e = validate.errors?.[0];
  const field = e?.keyword === 'required' ? `${e.instancePath}/${String(e.params.missingProperty)}` : e?.instancePath || '/';
  throw new AkashReadError('schema', `${what}: field ${field} ${e?.message ?? 'is invalid'}`);
}

/** The topology id of the lease a bid/lease/order belongs to: `akash:<owner>/<dseq>/<gseq>/<oseq>`. */
export const leaseActorId = (r: { owner: string; dseq: string; gseq: number; oseq: number }) => `akash:${r.owner}/${r.dseq}/${r.gseq}/${r.oseq}`;

/** A bid is one provider's offer on one order; bseq tells re-bids apart. */
export const bidKey = (r: BidRecord) => `${leaseActorId(r)}/${r.bseq}`;
