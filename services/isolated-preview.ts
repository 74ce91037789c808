import { Worker } from 'node:worker_threads';
import type { PlanPreview, PreviewInput, PreviewOptions, RawTable } from '../domain/appendix/types.ts';
import { appendixThreadCode } from './appendix-thread-code.ts';

/** How much reading one uploaded appendix may cost before it is given up. */
export interface ReadLimits {
  /** Heap of the reading thread, in MiB. */
  memoryMb: number;
  timeoutMs: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { memoryMb: 512, timeoutMs: 10_000 };

const failed = (message: string): PlanPreview => ({ tasks: [], warnings: [], errors: [{ message }] });

/**
 * Reads an appendix in a thread of its own, with a heap limit and a time limit, so that a hostile
 * or broken file (a sheet as wide as Excel allows, a zip bomb, a pathological text) costs that
 * thread and never the process: the API keeps answering while it runs, and whatever happens the
 * caller gets a preview whose error names the problem in Vietnamese.
 */
export async function previewIsolated(
  input: PreviewInput,
  options: PreviewOptions,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<PlanPreview> {
  return (await readIsolated(input, options, limits)).preview;
}

/**
 * As previewIsolated, with the table read (to keep it), or, given a table already read, its
 * reading again with other options (a draft's edits): in the same kind of thread and limits, since
 * a hostile table costs as much to interpret as to read.
 */
export async function readIsolated(
  input: PreviewInput | { table: RawTable },
  options: PreviewOptions,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<{ preview: PlanPreview; table?: RawTable }> {
  const code = await appendixThreadCode();
  return new Promise((resolve) => {
    const worker = new Worker(code, {
      eval: true,
      workerData: 'table' in input ? { table: input.table, options } : { input, options },
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      // The thread's console is not ours to print to: a library's chatter is not a log line.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const settle = (preview: PlanPreview, table?: RawTable) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(table ? { preview, table } : { preview });
    };
    const timer = setTimeout(
      () =>
        settle(
          failed(
            `Đọc tệp quá ${limits.timeoutMs / 1000} giây nên đã dừng: tệp quá lớn hoặc có cấu trúc bất thường. ` +
              'Hãy kiểm tra lại tệp (chỉ giữ bảng phụ lục) rồi gửi lại.',
          ),
        ),
      limits.timeoutMs,
    );
    worker.on('message', (message: { preview?: PlanPreview; table?: RawTable; failure?: string }) => {
      if (message.preview) settle(message.preview, message.table);
      else settle(failed('Không đọc được tệp: tệp bị hỏng hoặc không đúng định dạng đã chọn.'));
    });
    worker.on('error', (error: Error & { code?: string }) => {
      settle(
        failed(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `Đọc tệp cần quá ${limits.memoryMb} MB bộ nhớ nên đã dừng: tệp có thể bị hỏng, quá lớn hoặc ` +
                'có ô nằm rất xa bảng. Hãy kiểm tra lại tệp rồi gửi lại.'
            : 'Không đọc được tệp: tệp bị hỏng hoặc không đúng định dạng đã chọn.',
        ),
      );
    });
    worker.on('exit', () => settle(failed('Không đọc được tệp: việc đọc tệp dừng giữa chừng.')));
  });
}
