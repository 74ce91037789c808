import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mailer } from '../../activities/mailer.ts';
import type { SimulatedClock } from '../../domain/clock.ts';
import { createMailer } from '../../runtime/mail.ts';
import { addContact } from '../../services/contacts.ts';
import { DELIVERY_DISPATCHER_ID, ensureDeliveryDispatcher } from '../../services/delivery-dispatch.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { importSimulatedPlan, quietPolicy, saveHistoryForReplay } from '../support/assignments.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../support/receivers.ts';

/*
 * The dispatcher's own 08:00 timer, on a simulated clock: sixteen seconds a day from Thursday
 * 19 March 2026, 20:00. Friday's digest comes eight seconds in, Monday's fifty-six: Saturday and
 * Sunday (days off) have none.
 */
const SECONDS_PER_DAY = 16;
let ctx: TestContext;
let smtp: SmtpReceiver;
let mailer: Mailer;
const planCodes: string[] = [];

const coordinator = {
  principal: { role: 'coordinator' as const, name: 'Sở Nội vụ', tokenId: 'test' },
  actor: { role: 'coordinator' as const, name: 'Sở Nội vụ' },
};

beforeAll(async () => {
  ctx = await createTestContext();
  smtp = await startSmtpReceiver();
  mailer = createMailer({
    smtpUrl: smtp.url,
    from: 'Đôn đốc <dondoc@snv.vinhphuc.example.gov.vn>',
    mailDir: '/nonexistent',
  });
  // Two plans with work for SYT due within the digest's seven working days; STP has nothing.
  for (const due of ['2026-03-24', '2026-03-26']) {
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-19T20:00:00+07:00',
      secondsPerDay: 86_400,
      policy: quietPolicy,
      tasks: [{ leads: ['SYT'], deadline: { kind: 'date', due, raw: `Trước ngày ${due}` } }],
    });
    planCodes.push(plan.code);
  }
  for (const [agency, address] of [
    ['SYT', 'vanthu@syt.vinhphuc.example.gov.vn'],
    ['STP', 'vanthu@stp.vinhphuc.example.gov.vn'],
  ] as const)
    await addContact(ctx.database.db, coordinator, { registry: 'vinh-phuc', agency, channel: 'email', address });
  const clock: SimulatedClock = {
    secondsPerDay: SECONDS_PER_DAY,
    virtualStart: '2026-03-19T20:00:00+07:00',
    realStart: new Date().toISOString(),
  };
  await ctx.startWorker({
    delivery: {
      mailer,
      publicUrl: 'https://dondoc.vinhphuc.example.gov.vn',
      messageIdDomain: 'snv.vinhphuc.example.gov.vn',
      settings: { retryWindowMs: 60_000, maxBackoffMs: 1_000, pollIntervalMs: 500, clock },
    },
  });
  await ensureDeliveryDispatcher(ctx.client, ctx.taskQueue);
});

afterAll(async () => {
  await ctx?.close();
  await mailer?.close();
  await smtp?.close();
});

const digests = () => smtp.received.filter((m) => m.subject.startsWith('[Đôn đốc] Tổng hợp ngày'));

describe('the daily digest', () => {
  it('goes out at 08:00 of each working day by the dispatcher’s own timer: one per recipient over all its plans, none on days off, none when empty', async () => {
    const friday = await eventually(async () => digests()[0], 30_000, 'Friday’s digest');
    expect(friday.subject).toMatch(/^\[Đôn đốc\] Tổng hợp ngày 20\/03\/2026/);
    expect(friday.to).toContain('vanthu@syt.vinhphuc.example.gov.vn');
    // Both plans' tasks in the one message.
    for (const code of planCodes) expect(friday.text).toContain(`Kế hoạch ${code}`);

    const monday = await eventually(
      async () => digests().find((m) => m.subject.includes('23/03/2026')),
      90_000,
      'Monday’s digest',
    );
    expect(monday.to).toContain('vanthu@syt.vinhphuc.example.gov.vn');
    // Friday and Monday, to SYT only: nothing on Saturday or Sunday, nothing to STP, which has no work.
    expect(digests().map((m) => m.subject.match(/\d\d\/\d\d\/\d{4}/)?.[0])).toEqual(['20/03/2026', '23/03/2026']);
    expect(smtp.received.some((m) => m.to.includes('stp'))).toBe(false);
    await saveHistoryForReplay(ctx.client, DELIVERY_DISPATCHER_ID, 'delivery-dispatcher-digests');
  }, 120_000);
});
