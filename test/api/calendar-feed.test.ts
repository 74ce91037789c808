import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import { assignments, calendarFeeds, plans, reportFilings, tasks, users } from '../../db/schema.ts';
import { openSession } from '../../services/accounts.ts';
import { buildTestApp, createTestContext, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';

// Issue 22, item 15: a private, revocable iCalendar URL of a person's deadlines and report due
// days, read by Outlook, Google Calendar or a phone without any other credential.

const PUBLIC_URL = 'https://dondoc.vinhphuc.example.gov.vn';
let ctx: TestContext;
let app: FastifyInstance;
const session = {} as Record<'clerk' | 'specialist' | 'gone', Record<string, string>>;
const userIds = {} as Record<'clerk' | 'specialist' | 'gone', string>;

const id = (n: string) => `cal-kh:${n}`;

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildTestApp(ctx, { publicUrl: PUBLIC_URL });
  const db = ctx.database.db;
  const [plan] = await db
    .insert(plans)
    .values({
      code: 'CAL/KH',
      slug: 'cal-kh',
      title: 'Kế hoạch có lịch',
      province: 'Vĩnh Phúc',
      registry: 'vinh-phuc',
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
    })
    .returning();
  const task = async (n: string, title: string) =>
    (
      await db
        .insert(tasks)
        .values({
          planId: plan!.id,
          key: n,
          number: n,
          title,
          deadline: { kind: 'date', due: '2027-06-30', raw: '2027' },
        })
        .returning()
    )[0]!.id;
  const row = (n: string, agency: string, taskId: string, due: string, status = 'in_progress') => ({
    id: id(`${n}:${agency}`),
    planId: plan!.id,
    taskId,
    agencyCode: agency,
    status,
    deadline: { kind: 'date' as const, due, raw: due },
    effectiveDue: due,
    version: 1,
  });
  const t1 = await task('1', 'Rà soát thủ tục hành chính, nội bộ; liên thông');
  const t2 = await task('2', 'Số hóa hồ sơ');
  await db
    .insert(assignments)
    .values([
      row('1', 'SYT', t1, '2027-01-15'),
      row('2', 'SYT', t2, '2026-12-20', 'completed'),
      row('2', 'STP', t2, '2027-02-10'),
    ]);
  await db.insert(reportFilings).values({ assignmentId: id('1:SYT'), period: '2027-Q1', agencyCode: 'SYT' });
  for (const [who, role, agencyCode] of [
    ['clerk', 'agency', 'SYT'],
    ['specialist', 'coordinator', null],
    ['gone', 'agency', 'SYT'],
  ] as const) {
    const [user] = await db
      .insert(users)
      .values({
        email: `${who}@vinhphuc.example.gov.vn`,
        name: who === 'clerk' ? 'Nguyễn Thu' : who,
        role,
        agencyCode,
        registry: 'vinh-phuc',
        passwordHash: 'scrypt$unused',
        createdBy: 'test',
      })
      .returning();
    userIds[who] = user!.id;
    const opened = await openSession(db, user!.id);
    session[who] = { cookie: `dondoc_session=${opened.id}`, 'x-csrf-token': opened.csrfToken };
  }
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

const subscribe = async (who: keyof typeof session) => {
  const response = await app.inject({ method: 'POST', url: '/v1/me/calendar', headers: session[who] });
  expect(response.statusCode).toBe(201);
  return response.json().url as string;
};
const fetchFeed = (url: string) => app.inject({ method: 'GET', url: url.replace(PUBLIC_URL, '') });

/** The events of a feed: unfolded, each property by name, TEXT unescaped. */
function eventsOf(feed: string) {
  return feed
    .replace(/\r\n /g, '')
    .split('BEGIN:VEVENT\r\n')
    .slice(1)
    .map((block) =>
      Object.fromEntries(
        block
          .split('\r\n')
          .filter((l) => l.includes(':') && !l.startsWith('END:'))
          .map((l) => [
            l.slice(0, l.indexOf(':')),
            l
              .slice(l.indexOf(':') + 1)
              .replace(/\\([\\;,])/g, '$1')
              .replace(/\\n/g, '\n'),
          ]),
      ),
    );
}

describe('a person’s calendar feed', () => {
  let url: string;

  it('is made for a person, with a 256-bit secret kept only as its hash', async () => {
    url = await subscribe('clerk');
    expect(url).toMatch(new RegExp(`^${PUBLIC_URL}/calendar/cal_[A-Za-z0-9_-]{43}\\.ics$`));
    const secret = url.split('/calendar/')[1]!.replace('.ics', '');
    const [stored] = await ctx.database.db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, userIds.clerk));
    expect(stored!.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(4));
    const token = bearer(await testTokens(ctx).agency('SYT'));
    expect((await app.inject({ method: 'POST', url: '/v1/me/calendar', headers: token })).statusCode).toBe(403);
  });

  it('answers text/calendar without any other credential: the agency’s open deadlines and owed reports', async () => {
    const response = await fetchFeed(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const events = eventsOf(response.body);
    expect(events.map((e) => [e.UID, e['DTSTART;VALUE=DATE']])).toEqual([
      [`${id('1:SYT')}/due@dondoc`, '20270115'],
      // The report of Q1 2027 is due before the 20th: Friday the 19th.
      [`${id('1:SYT')}/report-2027-Q1@dondoc`, '20270319'],
    ]);
    expect(events[0]).toMatchObject({
      SUMMARY: 'Hạn hoàn thành: nhiệm vụ số 1 – Rà soát thủ tục hành chính, nội bộ; liên thông',
      URL: `${PUBLIC_URL}/#/nhiem-vu/${encodeURIComponent(id('1:SYT'))}`,
      'DTEND;VALUE=DATE': '20270116',
    });
    expect(events[0]!.DESCRIPTION).toContain('Cơ quan chủ trì: Sở Y tế');
    expect(events[1]!.SUMMARY).toMatch(/^Hạn gửi báo cáo quý I\/2027: nhiệm vụ số 1/);
    expect(events[0]!.DTSTAMP).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('moves an event when its deadline moves, under the same UID', async () => {
    await ctx.database.db
      .update(assignments)
      .set({ effectiveDue: '2027-02-26', updatedAt: sql`now()` })
      .where(eq(assignments.id, id('1:SYT')));
    const events = eventsOf((await fetchFeed(url)).body);
    expect(events.find((e) => e.UID === `${id('1:SYT')}/due@dondoc`)!['DTSTART;VALUE=DATE']).toBe('20270226');
  });

  it('gives the coordinator’s people their registry’s work, each event naming its agency', async () => {
    const events = eventsOf((await fetchFeed(await subscribe('specialist'))).body);
    expect(events.map((e) => e.UID).sort()).toEqual([
      `${id('1:SYT')}/due@dondoc`,
      `${id('1:SYT')}/report-2027-Q1@dondoc`,
      `${id('2:STP')}/due@dondoc`,
    ]);
    expect(events.find((e) => e.UID === `${id('2:STP')}/due@dondoc`)!.SUMMARY).toBe(
      'Hạn hoàn thành: nhiệm vụ số 2 (Sở Tư pháp) – Số hóa hồ sơ',
    );
  });

  it('ends the old URL when a new one is made, and every URL when revoked', async () => {
    const fresh = await subscribe('clerk');
    expect((await fetchFeed(url)).statusCode).toBe(404);
    expect((await fetchFeed(fresh)).statusCode).toBe(200);
    const revoked = await app.inject({ method: 'DELETE', url: '/v1/me/calendar', headers: session.clerk });
    expect(revoked.statusCode).toBe(204);
    expect((await fetchFeed(fresh)).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/v1/me/calendar', headers: session.clerk })).statusCode).toBe(
      404,
    );
    expect((await fetchFeed(`${PUBLIC_URL}/calendar/cal_not-a-secret.ics`)).statusCode).toBe(404);
  });

  it('stops with the account', async () => {
    const gone = await subscribe('gone');
    await ctx.database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, userIds.gone));
    expect((await fetchFeed(gone)).statusCode).toBe(404);
  });
});
