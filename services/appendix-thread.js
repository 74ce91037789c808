// The body of the thread that reads an uploaded appendix (see isolated-preview.ts). Plain
// JavaScript, so that it can register the TypeScript loader before it imports the reader.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { previewPlan } = await import('../domain/appendix/preview.ts');
try {
  parentPort.postMessage({ preview: await previewPlan(workerData.input, workerData.options) });
} catch (error) {
  // Only the kind of failure leaves the thread: a library's own words never reach a person.
  parentPort.postMessage({ failure: error instanceof Error ? error.name : typeof error });
}
