// npm start: install what is missing, build, then run the collector with the demo cluster and the panel preview.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNpm, root, run } from './ensure-deps.mjs';

ensureNpm();
run('npm', ['run', 'build', '--silent']);
const plugin = join(root, 'grafana-plugin');
if (existsSync(join(plugin, 'package.json')) && !existsSync(join(plugin, 'dist', 'module.js'))) {
  ensureNpm(plugin, 'grafana-plugin');
  run('npm', ['run', 'build', '--silent'], { cwd: plugin });
}
// Extra arguments go to the collector: npm start -- --otlp-endpoint http://127.0.0.1:4318
// Same V8 flag as the hmx-collector launcher's shebang: a small young generation suits a mostly idle agent.
run(process.execPath, ['--max-semi-space-size=2', join(root, 'collector', 'dist', 'cli', 'main.js'), 'demo', ...process.argv.slice(2)]);
