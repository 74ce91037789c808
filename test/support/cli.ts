import { fileURLToPath } from 'node:url';
import { withOutput } from '../../cli/output.ts';
import { runCli } from '../../cli/run.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The command's whole environment, besides PATH and HOME (nothing of this process's leaks in). */
  env?: Record<string, string | undefined>;
  /** Its working directory; the repository's root by default, as `npm run cli` has it. */
  cwd?: string;
}

/** Makes `next` the process's environment; returns what puts the old one back. */
function swapEnvironment(next: Record<string, string | undefined>): () => void {
  const saved = { ...process.env };
  const put = (env: Record<string, string | undefined>) => {
    for (const name of Object.keys(process.env)) if (env[name] === undefined) delete process.env[name];
    // One by one: TZ set on process.env (not on a copy) is what Node's clock follows.
    for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[name] = value;
  };
  put({ PATH: saved.PATH, HOME: saved.HOME, ...next });
  return () => put(saved);
}

/**
 * Runs `dondoc <args>` inside this test's process, as bin/dondoc.js would in its own: with only
 * the given environment and working directory, its output captured, and what it throws reported
 * as Node reports an uncaught error (the stack on stderr, exit 1). A command run so costs no Node
 * start and no TypeScript transpiling; test/unit/cli-main.test.ts runs the real bin/dondoc.js.
 * One command at a time per process.
 */
export async function dondoc(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const out: Buffer[] = [];
  let stderr = '';
  const restoreEnvironment = swapEnvironment(options.env ?? {});
  const cwd = process.cwd();
  process.chdir(options.cwd ?? root);
  try {
    const status = await withOutput(
      {
        stdout: (chunk) => void out.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk)),
        stderr: (text) => void (stderr += text),
      },
      () =>
        runCli(args).catch((error: unknown) => {
          stderr += `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
          return 1;
        }),
    );
    return { status, stdout: Buffer.concat(out).toString('utf8'), stderr };
  } finally {
    process.chdir(cwd);
    restoreEnvironment();
  }
}
