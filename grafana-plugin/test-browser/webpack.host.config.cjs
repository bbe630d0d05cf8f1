// Builds the browser host for the panel: the real @grafana/* packages, React and emotion are
// bundled here and handed to dist/module.js through a small AMD loader (as Grafana's SystemJS does).
const path = require('path');

// `--env production` (the benches) bundles React's production build, as Grafana serves it; the tests keep the
// development build's warnings. Neither is minified.
module.exports = (env = {}) => ({
  mode: env.production ? 'production' : 'development',
  optimization: { minimize: false },
  devtool: false,
  context: __dirname,
  entry: { host: './host/host.tsx' },
  output: { path: path.join(__dirname, '.build'), filename: '[name].js', clean: true },
  resolve: { extensions: ['.tsx', '.ts', '.mjs', '.js', '.json'] },
  cache: { type: 'filesystem', cacheDirectory: path.join(__dirname, '.build-cache') },
  performance: { hints: false },
  module: {
    rules: [
      {
        test: /\.[tj]sx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: {
            jsc: {
              target: 'es2020',
              parser: { syntax: 'typescript', tsx: true },
              transform: { react: { runtime: 'classic' } },
            },
          },
        },
      },
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      { test: /\.css$/, use: ['style-loader', 'css-loader'] },
      { test: /\.(svg|png|woff2?|ttf|eot)$/, type: 'asset/inline' },
    ],
  },
});
