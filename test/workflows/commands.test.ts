import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { assignments, auditLog } from '../../db/schema.ts';
import { reassignOpenAssignments } from '../../services/bulk-reassign.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import {
  agencyActor,
  command,
  coordinator,
  importSimulatedPlan,
  quietPolicy,
  notificationsOf,
  query,
  saveHistoryForReplay,
} from '../support/assignments.ts';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
});

afterAll(async () => {
  await ctx?.close();
});

// Real-time pace: nothing fires during these tests unless a command makes it.
const calm = { virtualStart: '2026-03-02T09:00:00+07:00', secondsPerDay: 86_400, policy: quietPolicy };
const due = { kind: 'date' as const, due: '2026-06-30', raw: 'Tháng 6/2026' };

async function readModel(id: string) {
  return eventually(async () => {
    const [row] = await ctx.database.db.select().from(assignments).where(eq(assignments.id, id));
    return row && row.version > 0 ? row : undefined;
  });
}

describe.concurrent('commands on an assignment', () => {
  it('a returned deliverable is resubmitted and accepted; everyone concerned is told', async () => {
    const { plan } = await importSimulatedPlan(ctx, { ...calm, tasks: [{ leads: ['SNV'], deadline: due }] });
    const id = `${plan.slug}:1:SNV`;
    await readModel(id);
    const lead = agencyActor('SNV');
    await command(ctx.client, id, lead, { type: 'acknowledge' });
    await command(ctx.client, id, lead, {
      type: 'submitDeliverable',
      deliverableType: 'Kế hoạch',
      documentNumber: '21/KH-SNV',
      documentDate: '2026-03-02',
    });
    const returned = await command(ctx.client, id, coordinator, { type: 'return', reason: 'Thiếu phụ lục kinh phí' });
    expect(returned.status).toBe('in_progress');
    await command(ctx.client, id, lead, {
      type: 'submitDeliverable',
      deliverableType: 'Kế hoạch',
      documentNumber: '25/KH-SNV',
      documentDate: '2026-03-02',
      link: 'https://snv.vinhphuc.gov.vn/25',
    });
    const accepted = await command(ctx.client, id, coordinator, { type: 'accept' });
    expect(accepted.status).toBe('completed');
    expect(accepted.submissions.map((s) => [s.documentNumber, s.outcome])).toEqual([
      ['21/KH-SNV', 'returned'],
      ['25/KH-SNV', 'accepted'],
    ]);

    const result = await ctx.client.workflow.getHandle(id).result();
    expect(result.status).toBe('completed');
    const notes = await notificationsOf(ctx, id);
    expect(notes.map((n) => [n.kind, n.recipientAgency ?? n.recipientRole])).toEqual([
      ['submitted', 'coordinator'],
      ['returned', 'SNV'],
      ['submitted', 'coordinator'],
      ['accepted', 'SNV'],
    ]);
    expect(notes[1]!.text).toContain('Lý do: Thiếu phụ lục kinh phí');
    const row = await eventually(async () => {
      const [r] = await ctx.database.db.select().from(assignments).where(eq(assignments.id, id));
      return r?.status === 'completed' ? r : undefined;
    });
    expect(row.version).toBe(accepted.version);
    const trail = await ctx.database.db.select().from(auditLog).where(eq(auditLog.entityId, id)).orderBy(auditLog.id);
    expect(trail.map((e) => e.action)).toEqual([
      'assign',
      'acknowledge',
      'submitDeliverable',
      'return',
      'submitDeliverable',
      'accept',
    ]);
    expect(trail[3]).toMatchObject({
      actor: 'coordinator:chuyên viên Sở Nội vụ',
      fromState: 'submitted',
      toState: 'in_progress',
    });
    await saveHistoryForReplay(ctx.client, id, 'return-and-resubmit');
  });

  it('a refused command leaves no trace', async () => {
    const { plan } = await importSimulatedPlan(ctx, { ...calm, tasks: [{ leads: ['STP'], deadline: due }] });
    const id = `${plan.slug}:1:STP`;
    await readModel(id);
    const before = await query(ctx.client, id);
    const refused = command(ctx.client, id, coordinator, { type: 'accept' });
    await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(refused).rejects.toMatchObject({
      cause: { type: 'CommandRefused', message: expect.stringContaining('Không thể chấp nhận sản phẩm') },
    });
    const after = await query(ctx.client, id);
    expect(after).toEqual(before);
    const history = await ctx.client.workflow.getHandle(id).fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
  });

  it('reassigns one assignment to another agency, keeping its history and telling both', async () => {
    const { plan } = await importSimulatedPlan(ctx, {
      ...calm,
      tasks: [{ leads: ['SKHDT'], collaborators: ['SNV'], deadline: due }],
    });
    const id = `${plan.slug}:1:SKHDT`;
    await readModel(id);
    await command(ctx.client, id, agencyActor('SKHDT'), { type: 'acknowledge' });
    await command(ctx.client, id, agencyActor('SKHDT'), {
      type: 'fileReport',
      period: '2026-Q1',
      summary: 'Đã xây dựng dự thảo',
    });
    const moved = await command(ctx.client, id, coordinator, {
      type: 'reassign',
      toAgency: 'STC',
      reason: 'Sở Kế hoạch và Đầu tư hợp nhất vào Sở Tài chính',
    });
    expect(moved).toMatchObject({
      agencyCode: 'STC',
      status: 'assigned',
      agencyHistory: [{ from: 'SKHDT', to: 'STC' }],
    });
    expect(moved.reports).toHaveLength(1);
    const row = await eventually(async () => {
      const [r] = await ctx.database.db.select().from(assignments).where(eq(assignments.id, id));
      return r?.agencyCode === 'STC' ? r : undefined;
    });
    expect(row.status).toBe('assigned');
    const notes = await notificationsOf(ctx, id);
    expect(notes.filter((n) => n.kind === 'reassigned').map((n) => n.recipientAgency)).toEqual(['STC', 'SKHDT', 'SNV']);
    // The old lead can no longer act on it; the new one can.
    await expect(command(ctx.client, id, agencyActor('STC'), { type: 'acknowledge' })).resolves.toMatchObject({
      status: 'acknowledged',
    });
  });

  it('reassigns in bulk every open assignment of a merged agency to its successor, leaving closed ones', async () => {
    const { plan } = await importSimulatedPlan(ctx, {
      ...calm,
      tasks: [
        { leads: ['STTTT'], deadline: due },
        { leads: ['STTTT'], deadline: due },
        { leads: ['STTTT'], deadline: due },
        { leads: ['SYT'], deadline: due },
      ],
    });
    const ids = [1, 2, 3].map((n) => `${plan.slug}:${n}:STTTT`);
    await Promise.all([...ids, `${plan.slug}:4:SYT`].map(readModel));
    await command(ctx.client, ids[2]!, coordinator, { type: 'cancel', reason: 'Không còn phù hợp' });
    await eventually(async () => {
      const [r] = await ctx.database.db.select().from(assignments).where(eq(assignments.id, ids[2]!));
      return r?.status === 'cancelled' ? r : undefined;
    });

    const result = await reassignOpenAssignments(ctx.deps, {
      from: 'STTTT',
      to: 'SKHCN',
      reason: 'Hợp nhất Sở Thông tin và Truyền thông vào Sở Khoa học và Công nghệ',
      actor: coordinator,
      planId: plan.id,
    });
    expect(result).toEqual({ reassigned: [ids[0], ids[1]], refused: [] });
    for (const id of ids.slice(0, 2)) {
      expect(await query(ctx.client, id)).toMatchObject({
        agencyCode: 'SKHCN',
        agencyHistory: [{ from: 'STTTT', to: 'SKHCN' }],
      });
    }
    expect((await query(ctx.client, `${plan.slug}:4:SYT`)).agencyCode).toBe('SYT');
    // Nothing left to move the second time.
    await eventually(async () => {
      const rows = await ctx.database.db.select().from(assignments).where(eq(assignments.planId, plan.id));
      return rows.filter((r) => r.agencyCode === 'STTTT' && r.status !== 'cancelled').length === 0 ? rows : undefined;
    });
    expect(
      await reassignOpenAssignments(ctx.deps, {
        from: 'STTTT',
        to: 'SKHCN',
        reason: 'lần hai',
        actor: coordinator,
        planId: plan.id,
      }),
    ).toEqual({ reassigned: [], refused: [] });
  });

  it('an unresolved deadline has no timers until the coordinator sets one', async () => {
    const { plan } = await importSimulatedPlan(ctx, {
      ...calm,
      policy: { ...quietPolicy, escalation: [{ level: 1, afterWorkingDays: 1 }] },
      tasks: [{ leads: ['SCT'], deadline: { kind: 'unresolved', raw: 'Theo hướng dẫn của Bộ' } }],
    });
    const id = `${plan.slug}:1:SCT`;
    await readModel(id);
    const before = await command(ctx.client, id, agencyActor('SCT'), { type: 'acknowledge' });
    expect(before).toMatchObject({ effectiveDue: null, nextEvent: null });
    const set = await command(ctx.client, id, coordinator, {
      type: 'setDeadline',
      deadline: { kind: 'date', due: '2026-05-30', raw: 'Trước ngày 31/5/2026' },
    });
    // 30 May 2026 is a Saturday: the last day moves to Monday 1 June; the ladder starts the day after.
    expect(set).toMatchObject({
      effectiveDue: '2026-06-01',
      nextEvent: { kind: 'escalation', at: '2026-06-02T08:00:00+07:00' },
    });
    const notes = await eventually(async () => {
      const found = (await notificationsOf(ctx, id)).filter((n) => n.kind === 'deadline-changed');
      return found.length ? found : undefined;
    });
    expect(notes[0]!.text).toContain('01/06/2026');
  });

  it('cancellation closes the assignment and its timers; later commands are refused', async () => {
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-06-29T12:00:00+07:00',
      secondsPerDay: 6,
      policy: { ...quietPolicy, escalation: [{ level: 1, afterWorkingDays: 1 }] },
      tasks: [{ leads: ['SXD'], collaborators: ['STC'], deadline: due }],
    });
    const id = `${plan.slug}:1:SXD`;
    await readModel(id);
    const cancelled = await command(ctx.client, id, coordinator, { type: 'cancel', reason: 'Kế hoạch điều chỉnh' });
    expect(cancelled.status).toBe('cancelled');
    await ctx.client.workflow.getHandle(id).result();
    // Escalation level 1 would have come on 1 July 08:00, about 6 s after the start.
    await new Promise((r) => setTimeout(r, 7_000));
    const notes = await notificationsOf(ctx, id);
    expect(notes.map((n) => [n.kind, n.recipientAgency])).toEqual([
      ['cancelled', 'SXD'],
      ['cancelled', 'STC'],
    ]);
    await expect(command(ctx.client, id, agencyActor('SXD'), { type: 'acknowledge' })).rejects.toThrow();
  });
});
