import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { importSimulatedPlan, quietPolicy } from '../support/assignments.ts';
import { bearer, testTokens } from '../support/auth.ts';

// README, "Dates and times": every instant the API gives out is RFC 3339 in UTC, whatever the
// workflow recorded it in; calendar days are YYYY-MM-DD.

let ctx: TestContext;
let app: FastifyInstance;
let coordinator: Record<string, string>;
let snv: Record<string, string>;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  app = await buildTestApp(ctx);
  const tokens = testTokens(ctx);
  coordinator = bearer(await tokens.coordinator());
  snv = bearer(await tokens.agency('SNV'));
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

const utc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const day = /^\d{4}-\d{2}-\d{2}$/;

/** Every string in `value` that starts like a date, with where it is. */
function datesIn(value: unknown, at = ''): [string, string][] {
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}/.test(value) ? [[at, value]] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => datesIn(item, `${at}/${i}`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => datesIn(item, `${at}/${key}`));
  return [];
}

/** Instants in UTC, calendar days as days: nothing with another offset or in between. */
function expectOneConvention(body: unknown): void {
  const dates = datesIn(body);
  expect(dates.length).toBeGreaterThan(0);
  const others = dates.filter(([, value]) => !utc.test(value) && !day.test(value));
  expect(others).toEqual([]);
}

describe('dates and times in API responses', () => {
  it('gives every instant in UTC, the next timer and a fired timer’s details included', async () => {
    // A simulated clock, two seconds a day from Monday 2 March 2026: the acknowledgement chase
    // fires at 08:00 on Tuesday (about two seconds in), the reminder waits for 24 March.
    const imported = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-02T07:00:00+07:00',
      secondsPerDay: 2,
      policy: { ...quietPolicy, ackChaseWorkingDays: 1, dueReminderWorkingDays: [5] },
      tasks: [{ leads: ['SNV'], deadline: { kind: 'date', due: '2026-03-31', raw: '31/3/2026' } }],
    });
    const id = `${imported.plan.slug}:1:SNV`;
    const url = `/v1/assignments/${encodeURIComponent(id)}`;

    const body = await eventually(
      async () => {
        const response = await app.inject({ method: 'GET', url, headers: coordinator });
        const assignment = response.json();
        const fired = assignment.timeline?.some((e: { details: { at?: string } }) => e.details.at !== undefined);
        // The route reads the assignment, then its timeline: a projection landing in between shows the
        // chase in the timeline but not yet in nextEvent.
        return fired && assignment.nextEvent?.kind === 'reminder' ? assignment : undefined;
      },
      30_000,
      'the acknowledgement chase and the next reminder',
    );
    // 08:00 in Vietnam is 01:00 UTC.
    expect(body.nextEvent).toEqual({ kind: 'reminder', at: '2026-03-24T01:00:00.000Z' });
    const chase = body.timeline.find((e: { details: { at?: string } }) => e.details.at !== undefined);
    expect(chase.details.at).toBe('2026-03-03T01:00:00.000Z');
    expect(body.effectiveDue).toBe('2026-03-31');
    expectOneConvention(body);

    const audit = await app.inject({
      method: 'GET',
      url: `/v1/audit?entityId=${encodeURIComponent(id)}`,
      headers: coordinator,
    });
    expect(audit.statusCode).toBe(200);
    expectOneConvention(audit.json());

    const notifications = await app.inject({ method: 'GET', url: '/v1/notifications', headers: snv });
    expect(notifications.statusCode).toBe(200);
    expect(notifications.json().items.length).toBeGreaterThan(0);
    expectOneConvention(notifications.json());
  });
});
