import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { WORKER_SHUTDOWN } from '../../worker/create-worker.ts';
import { DELIVERY_DISPATCHER_ID } from '../../services/delivery-dispatch.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { adminUrl } from '../support/databases.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

const bin = fileURLToPath(new URL('../../bin/dondoc.js', import.meta.url));
let ctx: TestContext;
let proxy: TcpProxy;
let child: ChildProcess | undefined;

beforeAll(async () => {
  ctx = await createTestContext();
  const target = new URL(adminUrl());
  proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  await proxy.start();
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await proxy?.stop();
  await ctx?.close();
});

describe('dondoc worker, asked to stop once', () => {
  it('stops within its stated time even with an activity that will not end, exits 0, and the activity is retried elsewhere', async () => {
    // The worker reaches PostgreSQL through a proxy that the test then freezes: every query of an
    // activity in flight hangs, as against a database that stopped answering.
    const url = new URL(ctx.databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    child = spawn(process.execPath, [bin, 'worker'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        DATABASE_URL: url.toString(),
        TEMPORAL_TASK_QUEUE: ctx.taskQueue,
        TEMPORAL_NAMESPACE: ctx.namespace,
        DONDOC_DELIVERY_POLL_MS: '200',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    await eventually(async () => (output.includes('"worker running"') ? true : undefined), 60_000, 'the worker');

    proxy.freeze();
    // The delivery dispatcher plans deliveries every 200 ms: its activity is soon stuck in a query.
    const dispatcher = ctx.client.workflow.getHandle(DELIVERY_DISPATCHER_ID);
    await eventually(
      async () => {
        const pending = (await dispatcher.describe()).raw.pendingActivities ?? [];
        return pending.some((a) => String(a.state).includes('STARTED') || a.state === 2) ? true : undefined;
      },
      30_000,
      'an activity in flight',
    );

    child.kill('SIGTERM');
    // The stated bound (README): the force time, at most 5 s for each part left to close (here the
    // database pool, whose query hangs), the process's own ending, and a margin for a busy machine.
    const bound = WORKER_SHUTDOWN.forceMs + 15_000;
    const code = await Promise.race([
      exited,
      new Promise<'still running'>((r) => setTimeout(() => r('still running'), bound)),
    ]);
    expect(code, output.slice(-3000)).toBe(0);
    expect(output).toContain('SIGTERM: stopping');
    expect(output).toContain('activities still running after the grace time were left');

    // Another worker, whose database answers, takes the abandoned activity over once its attempt
    // times out: the next attempt (2 or later) is the one the history records.
    await ctx.startWorker();
    await eventually(
      async () => {
        const { events } = await dispatcher.fetchHistory();
        const retried = (events ?? []).some((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) >= 2);
        return retried ? true : undefined;
      },
      90_000,
      'the abandoned activity, retried by another worker',
    );
  }, 240_000);
});
