// Entry point of one demo node process (forked by the supervisor with an IPC channel; config as JSON in argv[2]).
import { MeshNode } from './mesh-node.js';
import type { NodeConfig, NodeToSupervisor, SupervisorToNode } from './protocol.js';

const send = process.send?.bind(process);
if (!send) {
  console.error('hmx demo node: must be started by the demo supervisor (no IPC channel)');
  process.exit(2);
}
let config: NodeConfig;
try {
  config = JSON.parse(process.argv[2] ?? '') as NodeConfig;
} catch {
  console.error('hmx demo node: argv[2] must be the node configuration as JSON');
  process.exit(2);
}

const node = new MeshNode(config, (message: NodeToSupervisor) => {
  if (process.connected) send(message);
});
process.on('message', (message: SupervisorToNode) => {
  void node.handle(message).then(() => {
    if (message.type === 'request' && message.op === 'stop') setTimeout(() => process.exit(0), 50);
  });
});
// Without its supervisor a node has nobody to report to: leave with it.
process.on('disconnect', () => process.exit(0));
await node.start();
