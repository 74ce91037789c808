import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort } from './free-port.ts';
import { explainOptions, findTemporalCli, type FoundTemporalCli } from './temporal-cli.ts';

export interface DevServer {
  address: string;
  uiUrl?: string;
  source: string;
  /** The dev server's process id now; it changes when the server is restarted. */
  readonly pid: number | undefined;
  /** Where the dev server writes its output, when it writes to a file. */
  logFile?: string;
  /**
   * Resolves when the dev server has died for good: it stopped on its own and is not started
   * again (no restarts allowed, or too many already). Never rejects; pending while it runs.
   */
  failed: Promise<DevServerFailure>;
  stop(): Promise<void>;
}

export interface DevServerFailure {
  /** One English sentence or two for the user: what died, how often, where its log is. */
  message: string;
  /** How the last process ended: "exit code 1" or "signal SIGKILL". */
  lastExit: string;
  logFile?: string;
}

/** How often a dev server that dies on its own is started again before everything stops. */
export interface RestartPolicy {
  /** Restarts allowed within `windowMs`; one more death within the window gives up. */
  maxRestarts: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 3, windowMs: 10 * 60_000 };

/** How long a starting dev server may take to answer (a large SQLite file takes a few seconds). */
const START_TIMEOUT_MS = 60_000;
/** How long a stopping dev server may take before it is killed. */
const STOP_TIMEOUT_MS = 10_000;

/**
 * The SDK's own download of the CLI (`cached-download`): the SDK puts it in the temp directory
 * under a name made of its version. Started once through the SDK when it is not there yet, so that
 * afterwards the server is always our own child process.
 */
async function executablePath(cli: FoundTemporalCli): Promise<string> {
  if (cli.executable.type === 'existing-path') return cli.executable.path;
  const { version } = createRequire(import.meta.url)('@temporalio/testing/package.json') as { version: string };
  const downloaded = join(tmpdir(), `temporal-sdk-typescript-${version}${process.platform === 'win32' ? '.exe' : ''}`);
  if (!existsSync(downloaded)) {
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'cached-download', downloadDir: tmpdir(), ttl: '365 days' } },
    });
    await env.teardown();
  }
  return downloaded;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** The process of a pid file, if it is still alive and still a Temporal dev server. */
function liveDevServer(pidFile: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  // A pid reused by an unrelated process since: /proc tells, where there is one.
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('start-dev')) return undefined;
  } catch {
    // no /proc (macOS): trust the pid
  }
  return pid;
}

/** Waits until the frontend answers, or throws when the process ends or the time is up. */
async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`it exited at start (${describeExit(child.exitCode, child.signalCode)})`);
    const connection = Connection.lazy({ address, connectTimeout: 1000 });
    try {
      await connection.ensureConnected();
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await connection.close();
    }
    await sleep(200);
  }
  throw new Error(
    `it did not answer on ${address} within ${timeoutMs / 1000} s` +
      (lastError instanceof Error ? ` (${lastError.message})` : ''),
  );
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts the Temporal CLI's dev server as a child process. With `dbFilename` it persists to that
 * SQLite file; without, it keeps everything in memory (tests). Port 0 picks a free port.
 *
 * With `restart`, a server that dies on its own is started again on the same file and port, a
 * bounded number of times: its state is all in the file, and the worker and the clients reconnect
 * by themselves. Past the bound, `failed` resolves and the caller stops everything.
 */
export async function startTemporalDevServer(options: {
  dbFilename?: string;
  port?: number;
  uiPort?: number;
  ip?: string;
  namespace?: string;
  cli?: FoundTemporalCli;
  log?: (message: string) => void;
  /** Where a restart is told (default: `log`). */
  warn?: (message: string) => void;
  /** The server's output goes here (appended; a previous file is kept as `<file>.1`); else to ours. */
  logFile?: string;
  /** Holds the server's process id while it runs, for the user and the tests. */
  pidFile?: string;
  /** Restart a server that dies on its own; without, `failed` resolves at the first death. */
  restart?: RestartPolicy;
}): Promise<DevServer> {
  const cli = options.cli ?? (await findTemporalCli({ log: options.log }));
  const log = options.log ?? (() => {});
  const warn = options.warn ?? log;
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port || (await freePort());
  const address = `${ip}:${port}`;
  const namespace = options.namespace ?? 'default';
  const where = options.dbFilename ?? 'memory';
  const fail = (reason: string, cause?: unknown) =>
    new Error(`Could not start the Temporal dev server from ${cli.source}: ${reason}\n${explainOptions()}`, { cause });

  if (options.pidFile) {
    const running = liveDevServer(options.pidFile);
    if (running !== undefined)
      throw new Error(
        `A Temporal dev server (pid ${running}) is already running on ${where}: another \`npm start\` uses this ` +
          `data directory, or an earlier one was killed and left it behind. Stop it (kill ${running}) and start again.`,
      );
  }

  let executable: string;
  try {
    executable = await executablePath(cli);
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error), error);
  }
  // The same arguments as the SDK's own launcher (@temporalio/testing), which this replaces so that
  // the process is ours to watch, to restart and to name.
  const args = [
    'server',
    'start-dev',
    '--port',
    String(port),
    '--namespace',
    namespace,
    '--ip',
    ip,
    '--log-format',
    'json',
    '--log-level',
    options.logFile ? 'warn' : 'error',
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    ...(options.dbFilename ? ['--db-filename', options.dbFilename] : []),
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
  ];

  if (options.logFile && existsSync(options.logFile) && (await stat(options.logFile)).size > 0)
    await rename(options.logFile, `${options.logFile}.1`);

  /** How each process ended, caught from its spawn on, so that no exit goes unseen. */
  const exits = new WeakMap<ChildProcess, Promise<{ code: number | null; signal: NodeJS.Signals | null }>>();
  const spawnServer = async (): Promise<ChildProcess> => {
    const output = options.logFile ? openSync(options.logFile, 'a') : 'inherit';
    let child: ChildProcess;
    try {
      // A persistent server runs in its own process group: a Ctrl-C in the terminal reaches only
      // us, and we stop it last, after the worker and the API that use it.
      child = spawn(executable, args, { stdio: ['ignore', output, output], detached: Boolean(options.dbFilename) });
    } finally {
      if (typeof output === 'number') closeSync(output);
    }
    exits.set(child, new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))));
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    try {
      await spawned;
      await waitUntilServing(address, child, START_TIMEOUT_MS);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    if (options.pidFile && child.pid !== undefined) await writeFile(options.pidFile, `${child.pid}\n`);
    return child;
  };

  let current: ChildProcess;
  try {
    current = await spawnServer();
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error), error);
  }

  let stopping = false;
  let giveUp!: (failure: DevServerFailure) => void;
  const failed = new Promise<DevServerFailure>((resolve) => {
    giveUp = resolve;
  });
  const deaths: number[] = [];
  const logHint = options.logFile ? ` Its log: ${options.logFile}.` : '';

  const supervise = async (child: ChildProcess, code: number | null, signal: NodeJS.Signals | null) => {
    let lastExit = describeExit(code, signal);
    const pid = child.pid;
    for (;;) {
      if (stopping) return;
      const now = Date.now();
      deaths.push(now);
      const recent = deaths.filter((at) => at > now - (options.restart?.windowMs ?? 0)).length;
      if (!options.restart || recent > options.restart.maxRestarts) {
        const times = options.restart
          ? `; ${recent} times within ${options.restart.windowMs / 60_000} min, so it is not started again`
          : '';
        giveUp({
          message:
            `The Temporal dev server (pid ${pid}, ${address}, data in ${where}) stopped unexpectedly ` +
            `(${lastExit}${times}).${logHint}`,
          lastExit,
          logFile: options.logFile,
        });
        return;
      }
      warn(
        `The Temporal dev server (pid ${pid}) stopped unexpectedly (${lastExit}); starting it again on ` +
          `${where} and port ${port} (restart ${recent} of ${options.restart.maxRestarts} allowed within ` +
          `${options.restart.windowMs / 60_000} min).${logHint}`,
      );
      await sleep(500 * 2 ** (recent - 1));
      if (stopping) return;
      try {
        const next = await spawnServer();
        if (stopping) {
          next.kill('SIGTERM');
          return;
        }
        current = next;
        watch(next);
        log(`The Temporal dev server is back (pid ${next.pid}, ${address}).`);
        return;
      } catch (error) {
        lastExit = error instanceof Error ? error.message : String(error);
      }
    }
  };

  const watch = (child: ChildProcess) => {
    void exits.get(child)!.then(({ code, signal }) => {
      if (!stopping && child === current) void supervise(child, code, signal);
    });
  };
  watch(current);

  // Our process ending without stop() (a crash) must not leave the server behind.
  const onExit = () => {
    if (!stopping) current.kill('SIGTERM');
  };
  process.once('exit', onExit);

  return {
    address,
    uiUrl: options.uiPort ? `http://${ip}:${options.uiPort}` : undefined,
    source: cli.source,
    get pid() {
      return current.pid;
    },
    logFile: options.logFile,
    failed,
    async stop() {
      if (stopping) return;
      stopping = true;
      process.off('exit', onExit);
      const child = current;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
          child.kill('SIGKILL');
          await waitForExit(child, STOP_TIMEOUT_MS);
        }
      }
      if (options.pidFile) await rm(options.pidFile, { force: true });
    },
  };
}
