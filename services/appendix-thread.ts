// The body of the thread that reads an uploaded appendix (see isolated-preview.ts). It is not
// imported: appendix-thread-code.ts compiles it, with the readers it imports, into one script.
import { parentPort, workerData } from 'node:worker_threads';
import { previewTable, readAndPreview } from '../domain/appendix/preview.ts';

const port = parentPort!;

async function read(): Promise<void> {
  try {
    // A table already read (a draft being edited) is interpreted again; a file is read first, and its table kept.
    if (workerData.table) port.postMessage({ preview: previewTable(workerData.table, workerData.options) });
    else port.postMessage(await readAndPreview(workerData.input, workerData.options));
  } catch (error) {
    // Only the kind of failure leaves the thread: a library's own words never reach a person.
    port.postMessage({ failure: error instanceof Error ? error.name : typeof error });
  }
}

void read();
