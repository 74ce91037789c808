import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, and, asc } from 'drizzle-orm';
import { WorkflowUpdateStage } from '@temporalio/client';
import { assignments, auditLog } from '../../db/schema.ts';
import type { Command } from '../../domain/lifecycle.ts';
import { commandUpdates } from '../../workflows/messages.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { agencyActor, coordinator, importSimulatedPlan, query, quietPolicy } from '../support/assignments.ts';
import { adminUrl } from '../support/databases.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

let ctx: TestContext;
let proxy: TcpProxy;

beforeAll(async () => {
  ctx = await createTestContext();
  const target = new URL(adminUrl());
  proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const port = await proxy.start();
  // The worker reaches PostgreSQL only through the proxy; the test reads it directly.
  const url = new URL(ctx.databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  await ctx.startWorker({ databaseUrl: url.toString() });
});

afterAll(async () => {
  await proxy?.stop();
  await ctx?.close();
});

describe('the read model while PostgreSQL is away', () => {
  it('keeps taking commands, then catches up with nothing lost and nothing out of order', async () => {
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-02T09:00:00+07:00',
      secondsPerDay: 86_400,
      policy: quietPolicy,
      tasks: [
        { leads: ['SNV'], collaborators: ['STC'], deadline: { kind: 'date', due: '2026-06-30', raw: 'Tháng 6/2026' } },
      ],
    });
    const id = `${plan.slug}:1:SNV`;
    const row = async () => (await ctx.database.db.select().from(assignments).where(eq(assignments.id, id)))[0];
    await eventually(async () => ((await row())?.version === 1 ? true : undefined));

    await proxy.cut();
    const lead = agencyActor('SNV');
    const commands: [typeof lead, Command][] = [
      [lead, { type: 'acknowledge' }],
      [lead, { type: 'fileReport', period: '2026-Q1', summary: 'Đã xây dựng dự thảo' }],
      [agencyActor('STC'), { type: 'addContribution', text: 'Góp ý lần 1' }],
      [agencyActor('STC'), { type: 'addContribution', text: 'Góp ý lần 2' }],
      [
        lead,
        {
          type: 'submitDeliverable',
          deliverableType: 'Kế hoạch',
          documentNumber: '31/KH-SNV',
          documentDate: '2026-03-02',
        },
      ],
      [coordinator, { type: 'return', reason: 'Bổ sung kinh phí' }],
      [
        lead,
        {
          type: 'submitDeliverable',
          deliverableType: 'Kế hoạch',
          documentNumber: '35/KH-SNV',
          documentDate: '2026-03-02',
        },
      ],
      [coordinator, { type: 'accept' }],
    ];
    const handle = ctx.client.workflow.getHandle(id);
    // Each command is accepted by the workflow at once, database or not.
    for (const [actor, command] of commands) {
      await handle.startUpdate(commandUpdates[command.type] as never, {
        args: [{ actor, command }] as never,
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
    }
    const truth = await query(ctx.client, id);
    expect(truth).toMatchObject({ status: 'completed', version: 9 });
    expect((await row())!.version).toBe(1);

    await new Promise((r) => setTimeout(r, 2_000));
    await proxy.restore();
    const seen: number[] = [];
    const caughtUp = await eventually(
      async () => {
        const current = await row();
        seen.push(current!.version);
        return current!.version === truth.version ? current : undefined;
      },
      90_000,
      'the read model to catch up',
    );

    // Never backwards, and finally the workflow's state exactly.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(caughtUp.status).toBe('completed');
    expect(caughtUp.state).toMatchObject({
      status: 'completed',
      contributions: [{ text: 'Góp ý lần 1' }, { text: 'Góp ý lần 2' }],
    });
    const trail = await ctx.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'assignment'), eq(auditLog.entityId, id)))
      .orderBy(asc(auditLog.id));
    expect(trail.map((e) => e.action)).toEqual(['assign', ...commands.map(([, c]) => c.type)]);
    expect(trail.map((e) => e.at.getTime())).toEqual(trail.map((e) => e.at.getTime()).sort((a, b) => a - b));
  }, 120_000);
});
