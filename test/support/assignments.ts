import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { findTemporalCli } from '../../runtime/temporal-cli.ts';
import { fileURLToPath } from 'node:url';
import { and, eq, ne } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Actor, Command } from '../../domain/lifecycle.ts';
import type { Deadline } from '../../domain/types.ts';
import { notifications } from '../../db/schema.ts';
import { importPlan, type PlanToImport, type TaskToImport } from '../../services/plan-import.ts';
import { assignmentQuery, commandUpdates } from '../../workflows/messages.ts';
import type { AssignmentView } from '../../domain/assignment-view.ts';
import type { TestContext } from './context.ts';
import { eventually } from './context.ts';
import { isBusy } from '../../services/assignment-commands.ts';

/** A policy with every timer off (the acknowledgement chase far away): a test turns on only what it watches. */
export const quietPolicy = {
  dueReminderWorkingDays: [],
  reportReminderWorkingDays: [],
  reports: [],
  escalation: [],
  ackChaseWorkingDays: 30,
};

export const coordinator: Actor = { role: 'coordinator', name: 'chuyên viên Sở Nội vụ' };
export const agencyActor = (agencyCode: string): Actor => ({
  role: 'agency',
  agencyCode,
  name: `cán bộ ${agencyCode}`,
});

const run = promisify(execFile);
let counter = 0;

type SimulatedPlanOptions = {
  virtualStart: string;
  secondsPerDay: number;
  tasks: { number?: string; leads: string[]; deadline: Deadline; collaborators?: string[] }[];
  policy?: Record<string, unknown>;
  periodStart?: string;
  periodEnd?: string;
  /** An earlier plan's code: this import revises it. */
  code?: string;
};

/**
 * A one-plan, few-task plan whose clock is simulated: `virtualStart` (local time) is now, and
 * every `secondsPerDay` real seconds are one day of the plan's calendar.
 */
export function simulatedPlan(options: SimulatedPlanOptions): PlanToImport {
  counter += 1;
  const code = options.code ?? `SIM-${counter}-${Date.now().toString(36)}/KH`;
  const tasks: TaskToImport[] = options.tasks.map((t, i) => ({
    number: t.number ?? String(i + 1),
    area: null,
    objective: null,
    title: `Nhiệm vụ thử nghiệm ${i + 1}`,
    deliverables: ['Kế hoạch'],
    leadsRaw: t.leads.join(', '),
    collaboratorsRaw: (t.collaborators ?? []).join(', '),
    leads: t.leads.map((code) => ({ code, name: code })),
    collaborators: (t.collaborators ?? []).map((code) => ({ code, name: code })),
    deadline: t.deadline,
    metadata: {},
  }));
  const plan: PlanToImport = {
    code,
    title: 'Kế hoạch thử nghiệm',
    province: 'Vĩnh Phúc',
    registry: 'vinh-phuc',
    periodStart: options.periodStart ?? '2026-01-01',
    periodEnd: options.periodEnd ?? '2026-12-31',
    policy: {
      ...options.policy,
      clock: {
        secondsPerDay: options.secondsPerDay,
        virtualStart: options.virtualStart,
        realStart: new Date().toISOString(),
      },
    },
    tasks,
  };
  return plan;
}

/** Imports `simulatedPlan(options)`. */
export async function importSimulatedPlan(ctx: TestContext, options: SimulatedPlanOptions) {
  // Tests import a plan again on purpose to revise it.
  return importPlan(ctx.deps, simulatedPlan(options), { revise: true });
}

export async function query(client: Client, id: string): Promise<AssignmentView> {
  // As of now: the plan's timers do not wake the workflow, so its own clock may stand still.
  return client.workflow.getHandle(id).query(assignmentQuery, { at: Date.now() });
}

/**
 * Sends a command and reads the workflow's state after it: the Update itself answers only a
 * receipt (domain/assignment-view.ts CommandReceipt).
 */
export async function command(client: Client, id: string, actor: Actor, cmd: Command): Promise<AssignmentView> {
  // As the API does (services/assignment-commands.ts): a run draining before it continues as new
  // turns commands away for a moment.
  for (;;) {
    try {
      await client.workflow.getHandle(id).executeUpdate(commandUpdates[cmd.type] as never, {
        args: [{ actor, command: cmd }] as never,
      });
      return await query(client, id);
    } catch (error) {
      if (!isBusy(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * What the workflow (and the plan's timers) told about an assignment: the import's own `assigned`
 * notice (services/assigned-notices.ts) is left out, and tested on its own.
 */
export async function notificationsOf(ctx: TestContext, id: string) {
  return ctx.database.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.assignmentId, id), ne(notifications.kind, 'assigned')))
    .orderBy(notifications.id);
}

/** Waits until the workflow's state satisfies `check`. */
export function waitForState(
  client: Client,
  id: string,
  check: (view: AssignmentView) => boolean,
  timeoutMs = 20_000,
  what = 'state',
): Promise<AssignmentView> {
  return eventually(
    async () => {
      const view = await query(client, id);
      return check(view) ? view : undefined;
    },
    timeoutMs,
    `${what} of ${id}`,
  );
}

/**
 * With RECORD_HISTORIES=1, saves a finished scenario's event history into test/replay/histories/,
 * which the replay test runs against the current workflow code.
 */
export async function saveHistoryForReplay(client: Client, id: string, name: string, runId?: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  // The Temporal CLI writes the standard JSON history format that replay reads.
  const cli = await findTemporalCli({ allowDownload: false });
  if (cli.executable.type !== 'existing-path') return;
  const args = [
    'workflow',
    'show',
    '--workflow-id',
    id,
    ...(runId ? ['--run-id', runId] : []),
    '--output',
    'json',
    '--address',
    inject('temporalAddress'),
    '--namespace',
    client.options.namespace,
  ];
  const { stdout } = await run(cli.executable.path, args, { maxBuffer: 64 * 1024 * 1024 });
  const file = fileURLToPath(new URL(`../replay/histories/${name}.json`, import.meta.url));
  await writeFile(file, stdout);
}
