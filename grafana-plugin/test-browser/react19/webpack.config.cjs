// The same browser host (../host/host.tsx), bundled with this folder's packages — the newest @grafana/* on React 19,
// as Grafana 13.2+ hands them to plugins — so the built dist/module.js is also run the way such a Grafana runs it.
const path = require('path');
const host = require('../webpack.host.config.cjs');

module.exports = (env = {}) => {
  const base = host(env);
  return {
    ...base,
    output: { ...base.output, path: path.join(__dirname, '..', '.build-react19') },
    cache: { ...base.cache, cacheDirectory: path.join(__dirname, '..', '.build-cache-react19') },
    // this folder's node_modules first: the host and the panel sources it imports get React 19 and @grafana 13.2
    resolve: { ...base.resolve, modules: [path.join(__dirname, 'node_modules'), 'node_modules'] },
  };
};
