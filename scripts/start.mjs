// npm start: install what is missing, build, then run the collector with the demo cluster, and serve the panel
// preview page fed by that collector (for people without Grafana).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNpm, root, run } from './ensure-deps.mjs';

ensureNpm();
run('npm', ['run', 'build', '--silent']);

const args = process.argv.slice(2); // e.g. npm start -- --otlp-endpoint http://127.0.0.1:4318
const plugin = join(root, 'grafana-plugin');
const hasPreview = existsSync(join(plugin, 'test-browser', 'serve.mjs'));
if (hasPreview) {
  ensureNpm(plugin, 'grafana-plugin');
  if (!existsSync(join(plugin, 'dist', 'module.js'))) run('npm', ['run', 'build', '--silent'], { cwd: plugin });
  if (!existsSync(join(plugin, 'test-browser', '.build', 'host.js'))) run('npm', ['run', 'build:host', '--silent'], { cwd: plugin });
}

// The preview proxies (read-only) to the collector's local surface, wherever --listen puts it.
const flag = args.findIndex((a) => a === '--listen' || a === '-l');
const listen = (flag >= 0 ? args[flag + 1] : undefined) ?? process.env.HMX_LISTEN ?? '127.0.0.1:9464';
const preview = hasPreview
  ? spawn(process.execPath, [join(plugin, 'test-browser', 'serve.mjs')], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, HMX_COLLECTOR_URL: `http://${listen.replace(/^0\.0\.0\.0:/, '127.0.0.1:')}`, PORT: process.env.HMX_PREVIEW_PORT ?? '3001' },
    })
  : undefined;

// The hmx-collector command itself (its shebang carries the agent's V8 flags; it runs the bundle `npm run build` wrote).
const collector = spawn(join(root, 'collector', 'bin', 'hmx-collector.mjs'), ['demo', ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => collector.kill(signal));
collector.on('exit', (code) => {
  preview?.kill('SIGTERM');
  process.exitCode = code ?? 0;
});
