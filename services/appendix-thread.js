// The body of the thread that reads an uploaded appendix (see isolated-preview.ts). Plain
// JavaScript, so that it can register the TypeScript loader before it imports the reader.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { readAndPreview, previewTable } = await import('../domain/appendix/preview.ts');
try {
  // A table already read (a draft being edited) is interpreted again; a file is read first, and its table kept.
  if (workerData.table) parentPort.postMessage({ preview: previewTable(workerData.table, workerData.options) });
  else parentPort.postMessage(await readAndPreview(workerData.input, workerData.options));
} catch (error) {
  // Only the kind of failure leaves the thread: a library's own words never reach a person.
  parentPort.postMessage({ failure: error instanceof Error ? error.name : typeof error });
}
