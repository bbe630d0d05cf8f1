// The repository inventory: inventory/topology.yaml (nodes) and hosts/<node>/services.yaml (services per node).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { parse } from 'yaml';
import { compileOnUse } from '@harmonix/contract';
import { Name } from './event.js';

const Text = (max: number) => Type.String({ maxLength: max, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });

const TopologyFile = Type.Object(
  {
    nodes: Type.Array(
      Type.Object(
        {
          name: Name,
          roles: Type.Optional(Type.Array(Text(64), { maxItems: 32 })),
          address: Type.Optional(Text(256)),
          description: Type.Optional(Text(1024)),
        },
        { additionalProperties: false },
      ),
      { maxItems: 10000 },
    ),
  },
  { additionalProperties: false },
);

const ServicesFile = Type.Object(
  {
    services: Type.Array(
      Type.Object(
        {
          name: Name,
          port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
          description: Type.Optional(Text(1024)),
          healthcheck: Type.Optional(Text(1024)),
        },
        { additionalProperties: false },
      ),
      { maxItems: 10000 },
    ),
  },
  { additionalProperties: false },
);

export type InventoryNode = Static<typeof TopologyFile>['nodes'][number];
export type InventoryService = Static<typeof ServicesFile>['services'][number] & { node: string };

export interface Inventory {
  nodes: Map<string, InventoryNode>;
  /** Keyed `<node>/<service>`. */
  services: Map<string, InventoryService>;
}

const checkTopology = compileOnUse(TopologyFile);
const checkServices = compileOnUse(ServicesFile);

async function readYaml(path: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return parse(text) ?? {};
  } catch (err) {
    throw new Error(`${path}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
}

function check(path: string, value: unknown, compiled: typeof checkTopology): void {
  const validate = compiled();
  if (validate(value)) return;
  const e = validate.errors?.[0];
  const field =
    e?.keyword === 'required'
      ? `${e.instancePath}/${String(e.params.missingProperty)}`
      : e?.keyword === 'additionalProperties'
        ? `${e.instancePath}/${String(e.params.additionalProperty)}`
        : e?.instancePath || '/';
  throw new Error(`${path}: ${field}: ${e?.keyword === 'additionalProperties' ? 'unknown field' : (e?.message ?? 'invalid')}`);
}

/** Read the inventory under `repoDir`; missing files mean an empty inventory, invalid ones throw naming file and field. */
export async function loadInventory(repoDir: string | undefined): Promise<Inventory> {
  const inv: Inventory = { nodes: new Map(), services: new Map() };
  if (!repoDir) return inv;
  const topoPath = join(repoDir, 'inventory', 'topology.yaml');
  const topo = await readYaml(topoPath);
  if (topo !== undefined) {
    check(topoPath, topo, checkTopology);
    for (const n of (topo as Static<typeof TopologyFile>).nodes) inv.nodes.set(n.name, n);
  }
  const hosts = await readdir(join(repoDir, 'hosts'), { withFileTypes: true }).catch(() => []);
  for (const dir of hosts
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    const path = join(repoDir, 'hosts', dir, 'services.yaml');
    const doc = await readYaml(path);
    if (doc === undefined) continue;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(dir)) throw new Error(`${path}: host directory name is not a valid node name`);
    check(path, doc, checkServices);
    if (!inv.nodes.has(dir)) inv.nodes.set(dir, { name: dir });
    for (const s of (doc as Static<typeof ServicesFile>).services) inv.services.set(`${dir}/${s.name}`, { ...s, node: dir });
  }
  return inv;
}
