// The provider gateway's GET /status body (chain-sdk go/provider/client ProviderStatus + inventory metrics), validated.
import { Type, type Static } from '@sinclair/typebox';
import { SafeText } from '@harmonix/contract';

const Quantity = Type.Integer({ minimum: 0 });
const Resources = Type.Object({ cpu: Quantity, gpu: Quantity, memory: Quantity, storage_ephemeral: Quantity });
const MetricTotal = Type.Object({
  cpu: Quantity,
  gpu: Quantity,
  memory: Quantity,
  storage_ephemeral: Quantity,
  storage: Type.Optional(Type.Union([Type.Record(Type.String({ maxLength: 128 }), Quantity), Type.Null()])),
});
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** Unknown fields are allowed (newer providers add some); the ones read are typed strictly. */
export const ProviderStatus = Type.Object({
  cluster: Nullable(
    Type.Object({
      leases: Quantity,
      inventory: Type.Object({
        active: Type.Optional(Nullable(Type.Array(MetricTotal, { maxItems: 100000 }))),
        pending: Type.Optional(Nullable(Type.Array(MetricTotal, { maxItems: 100000 }))),
        available: Type.Optional(
          Nullable(
            Type.Object({
              nodes: Type.Optional(
                Nullable(Type.Array(Type.Object({ name: SafeText(253), allocatable: Resources, available: Resources }), { maxItems: 10000 })),
              ),
              storage: Type.Optional(Nullable(Type.Array(Type.Object({ class: SafeText(128), size: Quantity }), { maxItems: 1000 }))),
            }),
          ),
        ),
      }),
    }),
  ),
  bidengine: Nullable(Type.Object({ orders: Quantity })),
  manifest: Nullable(Type.Object({ deployments: Quantity })),
  cluster_public_hostname: Type.Optional(Type.String({ maxLength: 253 })),
  address: Type.Optional(Type.String({ maxLength: 128 })),
});
export type ProviderStatus = Static<typeof ProviderStatus>;

export const RESOURCES = ['cpu', 'memory', 'gpu', 'storage_ephemeral'] as const;

export interface InventoryRow {
  node: string;
  resource: string;
  allocatable: number;
  allocated: number;
}

/** Per node: allocatable and allocated (= allocatable − available); per storage class: cluster-wide rows with node "". */
export function inventory(status: ProviderStatus): InventoryRow[] {
  const inv = status.cluster?.inventory;
  const rows: InventoryRow[] = [];
  for (const n of inv?.available?.nodes ?? []) {
    for (const r of RESOURCES) {
      const scale = r === 'cpu' ? 1000 : 1; // millicores → cores
      rows.push({ node: n.name, resource: r, allocatable: n.allocatable[r] / scale, allocated: Math.max(0, n.allocatable[r] - n.available[r]) / scale });
    }
  }
  const usedByClass = new Map<string, number>();
  for (const t of inv?.active ?? []) for (const [cls, size] of Object.entries(t.storage ?? {})) usedByClass.set(cls, (usedByClass.get(cls) ?? 0) + size);
  for (const s of inv?.available?.storage ?? []) {
    const used = usedByClass.get(s.class) ?? 0;
    rows.push({ node: '', resource: `storage.${s.class}`, allocatable: s.size + used, allocated: used });
  }
  return rows;
}
