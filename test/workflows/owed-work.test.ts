import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { runOwedWork } from '../../processes/owed-work.ts';
import { createLogger } from '../../runtime/logger.ts';
import { loadCalendarData } from '../../runtime/calendar-files.ts';
import { importPlanJson } from '../../services/plan-intake.ts';
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
  it('start what an import could not, once, whichever of two workers takes the round', async () => {
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
    try {
      await eventually(
        async () =>
          (await ctx.client.workflow.getHandle('77-kh-no:14:SNV').describe()).status.name === 'RUNNING'
            ? true
            : undefined,
        30_000,
        'the owed start',
      );
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    const started = [...first.lines, ...second.lines]
      .filter((l) => l.msg === 'dispatched owed workflow starts and commands')
      .reduce((sum, l) => sum + (l.started ?? 0), 0);
    expect(started).toBe(3);
  });
});
