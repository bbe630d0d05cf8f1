// Conformance of every registered source, table-driven over the registry (like the OTel Collector's generated
// component tests): defaults pass the source's own schema and check, create works without starting, metric
// descriptors are well-formed and unique, stop is idempotent, and docs/metrics.md documents every metric as declared.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { validator } from '@harmonix/contract';
import { builtinSources } from '../../src/sources/index.js';

const METRIC_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const UNIT = /^(1|[A-Za-z]+(\/[A-Za-z]+)?|\{[a-z_.]+\}|[A-Za-z]+\/\{[a-z_.]+\}|\{[a-z_.]+\}\/[A-Za-z]+)$/;
const pages = new Map<string, string[]>();
/** The lines of a docs page, read once ('' for a page that does not exist). */
const linesOf = (path: string): string[] => {
  let lines = pages.get(path);
  if (!lines) {
    try {
      lines = readFileSync(new URL(`../../../docs/${path}`, import.meta.url), 'utf8').split('\n');
    } catch {
      lines = [];
    }
    pages.set(path, lines);
  }
  return lines;
};

/**
 * The table row that documents a metric, in docs/metrics.md or the source's own page (docs/sources/<name>.md):
 * its first cell names it (`a.b.1m` / `.5m` rows name siblings by their last segment); the cells after it.
 */
function documentedRow(source: string, name: string): string[] | undefined {
  for (const line of [...linesOf('metrics.md'), ...linesOf(`sources/${source}.md`)]) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4) continue;
    const names = cells[1]!.match(/`[^`]+`/g)?.map((n) => n.slice(1, -1)) ?? [];
    const full = names.map((n) => (n.startsWith('.') ? names[0]!.replace(/\.[^.]+$/, n) : n));
    if (full.includes(name)) return cells.slice(2);
  }
  return undefined;
}

describe('every registered source', () => {
  it('has a unique name', () => {
    const names = builtinSources.map((f) => f.name);
    assert.deepEqual([...new Set(names)], names);
  });
  const allMetrics = new Map<string, string>();
  for (const factory of builtinSources) {
    describe(factory.name, () => {
      it('its defaults pass its own schema and check', () => {
        const result = validator(factory.configSchema as never)(factory.defaults);
        assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
        assert.equal(factory.check?.(factory.defaults), undefined);
      });
      it('creates a source of its name and layer without starting it; stop is idempotent', async () => {
        const source = factory.create(factory.defaults);
        assert.equal(source.name, factory.name);
        assert.equal(source.layer, factory.layer);
        await source.stop?.();
        await source.stop?.();
      });
      it('declares well-formed metrics, each once across all sources, documented with its kind and unit', () => {
        const source = factory.create(factory.defaults);
        for (const m of source.metrics) {
          assert.match(m.name, METRIC_NAME, `${factory.name}: ${m.name}`);
          assert.match(m.unit, UNIT, `${m.name}: unit ${m.unit}`);
          assert.ok(m.description.length > 0, `${m.name}: a description`);
          for (const a of m.attributes) assert.match(a, ATTRIBUTE_NAME, `${m.name}: attribute ${a}`);
          assert.equal(new Set(m.attributes).size, m.attributes.length, `${m.name}: attributes listed once`);
          if (m.buckets)
            assert.ok(m.kind === 'histogram' && m.buckets.every((b, i) => i === 0 || b > m.buckets![i - 1]!), `${m.name}: ascending buckets on a histogram`);
          assert.equal(allMetrics.get(m.name), undefined, `${m.name} is declared by ${allMetrics.get(m.name)} too`);
          allMetrics.set(m.name, factory.name);
          const row = documentedRow(factory.name, m.name);
          assert.ok(row, `docs/metrics.md or docs/sources/${factory.name}.md has a row for ${m.name}`);
          // Kind and unit are the first words of the next cells (some pages put both in one cell).
          const words = row.slice(0, 2).join(' ').replaceAll('`', '').split(/\s+/);
          assert.ok(words.includes(m.kind), `${m.name}: documented as ${m.kind}, not ${row.slice(0, 2).join(' | ')}`);
          assert.ok(words.includes(m.unit), `${m.name}: documented in ${m.unit}, not ${row.slice(0, 2).join(' | ')}`);
        }
      });
    });
  }
});
