import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { auditLog, plans, tasks } from '../../db/schema.ts';
import { ASSIGNMENT_BOUNDS, jsonBytes } from '../../domain/assignment-bounds.ts';
import type { CommandReceipt } from '../../domain/assignment-view.ts';
import type { Actor, Command } from '../../domain/lifecycle.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import {
  agencyActor,
  coordinator,
  importSimulatedPlan,
  query,
  quietPolicy,
  saveHistoryForReplay,
} from '../support/assignments.ts';
import { commandUpdates, type AssignmentInput } from '../../workflows/messages.ts';
import { assignmentWorkflow } from '../../workflows/assignment.ts';

// A collaborator, a lead and a coordinator keep sending commands to one assignment: whatever they
// send, it stays within its bounds, answers every command, and starts afresh before its history
// grows large. Before the bounds, 49 contributions of 12 KB made the Update's answer pass Temporal's
// payload limit and the workflow was terminated.
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
});

afterAll(async () => {
  await ctx?.close();
});

const COMMANDS = 10_000;
// Temporal takes ten Updates in flight per workflow; the API answers an eleventh with 429 (services/assignment-commands.ts).
const IN_FLIGHT = 8;
/** A contribution of 2,000 characters of Vietnamese: about 5 KB of UTF-8. */
const longText = (n: number) =>
  `Ý kiến phối hợp số ${n}: ${'Đề nghị bổ sung số liệu thủ tục hành chính. '.repeat(45)}`.slice(0, 2000);

async function send(id: string, actor: Actor, command: Command): Promise<CommandReceipt | { refused: string }> {
  try {
    return (await ctx.client.workflow.getHandle(id).executeUpdate(commandUpdates[command.type] as never, {
      args: [{ actor, command }] as never,
    })) as CommandReceipt;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)
      return { refused: error.cause.message };
    throw error;
  }
}

describe('an assignment that callers try to grow without end', () => {
  it('answers 10,000 commands, keeps within its bounds and continues as new by its history', async () => {
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-02T09:00:00+07:00',
      secondsPerDay: 86_400,
      policy: quietPolicy,
      periodStart: '2026-01-01',
      periodEnd: '2035-12-31',
      tasks: [{ leads: ['STP'], collaborators: ['SNV'], deadline: { kind: 'date', due: '2026-12-31', raw: '2026' } }],
    });
    const [row] = await ctx.database.db
      .select()
      .from(tasks)
      .innerJoin(plans, eq(plans.id, tasks.planId))
      .where(eq(plans.id, plan.id));
    // Its own workflow with a small history limit, so that continuing as new happens within the test.
    const id = `${plan.slug}:1:STP:bounded`;
    const input: AssignmentInput = {
      assignmentId: id,
      planId: plan.id,
      planCode: row!.plans.code,
      planPeriod: { start: row!.plans.periodStart, end: row!.plans.periodEnd },
      policy: row!.plans.policy as Record<string, unknown>,
      taskId: row!.tasks.id,
      taskNumber: '1',
      taskTitle: row!.tasks.title,
      agencyCode: 'STP',
      collaboratorCodes: ['SNV'],
      deadline: row!.tasks.deadline,
      historyLimit: 100,
      historyBytesLimit: 1024 * 1024,
    };
    const handle = await ctx.client.workflow.start(assignmentWorkflow, {
      taskQueue: ctx.taskQueue,
      workflowId: id,
      args: [input],
    });

    const lead = agencyActor('STP');
    const collaborator = agencyActor('SNV');
    const periods = Array.from({ length: 10 }, (_, y) => ['Q1', 'H1', 'Q3', 'Y'].map((k) => `${2026 + y}-${k}`)).flat();
    const commandAt = (n: number): [Actor, Command] => {
      switch (n % 5) {
        case 0:
          return [collaborator, { type: 'addContribution', text: longText(n) }];
        case 1:
          return [lead, { type: 'fileReport', period: periods[n % periods.length]!, summary: longText(n) }];
        case 2:
          return [lead, { type: 'requestExtension', until: '2027-06-30', reason: `Lý do ${n}` }];
        case 3:
          return [coordinator, { type: 'denyExtension', reason: `Chưa đủ căn cứ ${n}` }];
        default:
          return [lead, { type: 'acknowledge' }];
      }
    };

    let next = 0;
    let accepted = 0;
    let biggestReceipt = 0;
    const refusals = new Map<string, number>();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < COMMANDS) {
          const [actor, command] = commandAt(next++);
          const answer = await send(id, actor, command);
          if ('refused' in answer) {
            const kind = answer.refused.replace(/[\d.]+/g, '#');
            refusals.set(kind, (refusals.get(kind) ?? 0) + 1);
          } else {
            accepted += 1;
            biggestReceipt = Math.max(biggestReceipt, jsonBytes(answer));
          }
        }
      }),
    );

    // Every command was answered: applied, or refused with a reason.
    expect(accepted + [...refusals.values()].reduce((a, b) => a + b, 0)).toBe(COMMANDS);
    expect(biggestReceipt).toBeLessThan(512);
    // The bounds refused what would have grown the assignment further, with their reason.
    const reasons = [...refusals.keys()];
    expect(reasons.filter((r) => r.includes('giới hạn')).length, reasons.join('\n')).toBeGreaterThanOrEqual(2);

    const view = await query(ctx.client, id);
    const own = view.contributions.filter((c) => c.agencyCode === 'SNV');
    expect(own.length).toBeLessThanOrEqual(ASSIGNMENT_BOUNDS.contributions.perAgency);
    expect(jsonBytes(own)).toBeLessThanOrEqual(ASSIGNMENT_BOUNDS.contributions.bytesPerAgency);
    expect(view.reports.length).toBeGreaterThan(0);
    expect(view.reports.length).toBeLessThanOrEqual(periods.length);
    expect(jsonBytes(view.reports)).toBeLessThanOrEqual(ASSIGNMENT_BOUNDS.reports.bytes);
    expect(view.extensions.length).toBeLessThanOrEqual(ASSIGNMENT_BOUNDS.extensions.count);
    expect(jsonBytes(view)).toBeLessThan(512 * 1024);

    // It started afresh along the way, each run's history within its limit, and still runs.
    const runs: { historyLength: number; status: string }[] = [];
    for await (const run of ctx.client.workflow.list({ query: `WorkflowId = '${id}'` }))
      runs.push({ historyLength: run.historyLength, status: run.status.name });
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.filter((r) => r.status === 'RUNNING')).toHaveLength(1);
    expect(runs.every((r) => r.status === 'RUNNING' || r.status === 'CONTINUED_AS_NEW')).toBe(true);
    expect((await handle.describe()).status.name).toBe('RUNNING');

    // The coordinator's command still goes through, and every applied change is in the audit trail once.
    const cancelled = await send(id, coordinator, { type: 'cancel', reason: 'Kết thúc thử nghiệm' });
    expect(cancelled).toMatchObject({ status: 'cancelled', projected: true });
    const trail = await eventually(async () => {
      const rows = await ctx.database.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(and(eq(auditLog.entityType, 'assignment'), eq(auditLog.entityId, id)));
      // Every applied command, the cancellation and the assignment itself.
      return rows.length >= accepted + 2 ? rows : undefined;
    }, 60_000);
    expect(trail).toHaveLength(accepted + 2);
    await saveHistoryForReplay(ctx.client, id, 'bounded-then-drained', handle.firstExecutionRunId);
  }, 240_000);
});
