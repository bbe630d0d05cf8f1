// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const swcOptions = base.transform['^.+\\.(t|j)sx?$'][1];

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  transform: {
    ...base.transform,
    // d3-color@3.1.1 (a transitive dependency of @grafana/data) ships `main: dist/d3-color.mjs`;
    // the scaffold transform only matches .ts/.tsx/.js/.jsx, so .mjs must be added here.
    '^.+\\.mjs$': ['@swc/jest', swcOptions],
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test-browser/'],
  // timeline-contract.test.ts runs the collector's own TopologyState (NodeNext sources import './x.js' for './x.ts')
  moduleNameMapper: { ...base.moduleNameMapper, '^(\\.{1,2}/.*)\\.js$': '$1' },
};
