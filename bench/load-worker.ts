/**
 * Worker-thread entry of the load client (see `load-client.ts`): receives one job at a time from
 * the main thread, runs it and posts the result back.
 */
import { parentPort } from 'node:worker_threads';

import { runJob, type LoadJob } from './load-client.js';

if (!parentPort) throw new Error('load-worker.js runs only as a worker thread of bench/run.js.');
const port = parentPort;

port.on('message', (message: { id: number; job: LoadJob }) => {
  runJob(message.job).then(
    (result) => port.postMessage({ id: message.id, result }),
    (error: unknown) => port.postMessage({ id: message.id, error: String(error) }),
  );
});
