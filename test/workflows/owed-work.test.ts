import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { runOwedWork } from '../../processes/owed-work.ts';
import { createLogger } from '../../runtime/logger.ts';
import { loadCalendarData } from '../../runtime/calendar-files.ts';
import { importPlanJson } from '../../services/plan-intake.ts';
import { dispatchPlan } from '../../services/workflow-dispatch.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { samplePlan } from '../support/plans.ts';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
});

afterAll(async () => {
  await ctx?.close();
});

/** A logger whose lines the test reads. */
function listeningLogger() {
  const lines: { msg: string; started?: number }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ name: 'owed-work-test', level: 'info', destination }), lines };
}

describe('the rounds of owed work, beside the workers', () => {
  it('start what an import could not, from the worker side, with two workers polling', async () => {
    // Imported while Temporal was away (a namespace that does not exist): its three starts are owed.
    const away = {
      ...ctx.deps,
      temporal: {
        ...ctx.deps.temporal,
        client: new Client({ connection: ctx.client.connection, namespace: 'no-such-namespace' }),
      },
    };
    const imported = await importPlanJson(away, { ...samplePlan({ code: '77/KH-NO' }) } as never, {
      onDispatchFailure: () => {},
    });
    expect(imported.assignments).toMatchObject({ created: 3, started: 0, pendingStart: 3 });

    const { version } = await loadCalendarData();
    const first = listeningLogger();
    const second = listeningLogger();
    const workers = [
      runOwedWork({ deps: ctx.deps, logger: first.logger, calendarVersion: version, intervalMs: 50 }),
      runOwedWork({ deps: ctx.deps, logger: second.logger, calendarVersion: version, intervalMs: 50 }),
    ];
    const started = () =>
      [...first.lines, ...second.lines]
        .filter((l) => l.msg === 'dispatched owed workflow starts and commands')
        .reduce((sum, l) => sum + (l.started ?? 0), 0);
    try {
      await eventually(async () => (started() >= 3 ? true : undefined), 30_000, 'the owed starts');
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    // Each owed workflow runs (one run per business ID, whichever worker's round started it), and
    // nothing is owed any more.
    expect((await ctx.client.workflow.getHandle('77-kh-no:14:SNV').describe()).status.name).toBe('RUNNING');
    expect(await dispatchPlan(ctx.deps, imported.plan.id)).toEqual({ started: 0, sent: 0, failed: 0 });
  });
});
