import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { API_NODE_FLAGS, WORKER_NODE_FLAGS } from '../../cluster/settings.ts';
import { memory, processCpu } from './procfs.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export type WorkerKind = 'dondoc' | 'ceiling';

export interface WorkerProcess {
  name: string;
  pid: number;
  /** Highest resident set seen by the sampler since start, or since `markWindow()`, MiB. */
  peakRssSampled: number;
  /** Starts a new window for `peakRssSampled` (e.g. at the instant being measured). */
  markWindow(): void;
  /** VmHWM, RSS and CPU now. */
  read(): { rss: number; hwm: number; cpu: number };
  /** The last lines the process wrote to stderr/stdout, for a failure message. */
  tail(): string;
  stop(): Promise<void>;
}

/** Worker tuning is read from the environment by both kinds of worker; the bench passes it through. */
function passedEnvironment(): NodeJS.ProcessEnv {
  const keep = Object.entries(process.env).filter(
    ([key]) => key.startsWith('DONDOC_WORKER_') || key === 'UV_THREADPOOL_SIZE',
  );
  return Object.fromEntries(keep);
}

/**
 * Starts a real worker process: `dondoc worker` (ours) or bench/ceiling-worker.ts, and waits until
 * it polls its task queue.
 */
export async function startWorkerProcess(options: {
  kind: WorkerKind;
  name: string;
  temporalAddress: string;
  databaseUrl: string;
  taskQueue: string;
  client: Client;
  env?: NodeJS.ProcessEnv;
  /** The Temporal namespace it polls in (the dev server's `default` unless told). */
  namespace?: string;
}): Promise<WorkerProcess> {
  const namespace = options.namespace ?? 'default';
  const args = options.kind === 'dondoc' ? ['bin/dondoc.js', 'worker'] : ['bin/run-ts.js', 'bench/ceiling-worker.ts'];
  // Ours as package.json's `worker` script starts it, its old generation capped; the ceiling's with
  // V8's default heap, the most room the raw path can have. Both with the script's young generation.
  const heap = options.kind === 'dondoc' ? WORKER_NODE_FLAGS : API_NODE_FLAGS;
  // BENCH_WORKER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the workers; given
  // after the heap's flags, it can change them.
  const nodeArgs = process.env.BENCH_WORKER_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...heap, ...nodeArgs, ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...passedEnvironment(),
      TEMPORAL_ADDRESS: options.temporalAddress,
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      TEMPORAL_NAMESPACE: namespace,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 40));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const pid = child.pid!;

  let peakRssSampled = 0;
  const sampler = setInterval(() => {
    const m = memory(pid);
    if (m) peakRssSampled = Math.max(peakRssSampled, m.rss);
  }, 250);
  sampler.unref();

  const worker: WorkerProcess = {
    name: options.name,
    pid,
    get peakRssSampled() {
      return peakRssSampled;
    },
    markWindow() {
      peakRssSampled = memory(pid)?.rss ?? 0;
    },
    read() {
      const m = memory(pid) ?? { rss: 0, hwm: 0 };
      return { ...m, cpu: processCpu(pid) };
    },
    tail: () => lines.join('\n'),
    async stop() {
      clearInterval(sampler);
      if (exited) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(killer);
    },
  };

  // Ready when Temporal lists this process (the SDK's identity is pid@host) among the pollers.
  const identity = `${pid}@${hostname()}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`${options.name} exited before polling:\n${worker.tail()}`);
    const response = await options.client.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: options.taskQueue },
      taskQueueType: 1, // workflow tasks
    });
    if (response.pollers?.some((p) => p.identity === identity)) return worker;
    if (Date.now() > deadline) {
      await worker.stop();
      throw new Error(`${options.name} did not poll ${options.taskQueue} within 120 s:\n${worker.tail()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function startWorkers(
  count: number,
  options: Omit<Parameters<typeof startWorkerProcess>[0], 'name'> & { name: string },
): Promise<WorkerProcess[]> {
  // One at a time: each bundles the workflow code, which takes a core for a few seconds.
  const started: WorkerProcess[] = [];
  try {
    for (let i = 0; i < count; i += 1)
      started.push(await startWorkerProcess({ ...options, name: `${options.name} ${i + 1}` }));
  } catch (error) {
    await Promise.all(started.map((w) => w.stop()));
    throw error;
  }
  return started;
}
