// A search worker thread: builds the model from its source, then answers the coordinator's commands
// (see protocol.ts) with a LevelWorker.
import { parentPort, workerData } from 'node:worker_threads';
import { LevelWorker } from './level-worker.ts';
import { loadModel } from './model-source.ts';
import type { Command, Reply, WorkerInit } from './protocol.ts';

const port = parentPort!;
const init = workerData as WorkerInit;

function send(r: Reply): void {
  port.postMessage(r);
}

try {
  const model = await loadModel(init.source);
  const worker = new LevelWorker(model, init.settings, init.control);
  port.on('message', (cmd: Command) => {
    if (cmd.type === 'close') {
      port.close();
      return;
    }
    const reply = worker.handle(cmd);
    if (reply) send(reply);
  });
  send({ type: 'ready' });
} catch (e) {
  send({ type: 'failed', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
}
