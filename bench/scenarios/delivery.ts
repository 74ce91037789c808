import { eq, sql } from 'drizzle-orm';
import { assignments, escalations, notifications, plans } from '../../db/schema.ts';
import { toRealTime, type SimulatedClock } from '../../domain/clock.ts';
import { planDeadlinesQuery, planDeadlinesWorkflowId } from '../../workflows/messages.ts';
import { startApi, postJson } from '../support/api.ts';
import { withEnvironment, type BenchEnvironment } from '../support/environment.ts';
import { historyStats, noHistory, spread, workflowTasksSince, type HistoryStats } from '../support/histories.ts';
import { syntheticPlan, FAN_OUT } from '../support/plan.ts';
import { alongside, Milestones, pollUntil } from '../support/poll.ts';
import { startMany } from '../support/starts.ts';
import { count, markdownTable, mib, millis, rate, seconds } from '../support/table.ts';
import { CpuMeter, formatCpu, noCpu, type CpuUsage } from '../support/usage.ts';
import { startWorkers, type WorkerProcess } from '../support/workers.ts';
import { mailDelivery } from './delivery-mail.ts';
import { benchScale, runs, type Scenario, type ScenarioOptions, type ScenarioResult } from './types.ts';

const TASKS = Math.round(500 * benchScale());
const TOTAL = TASKS * FAN_OUT;
const TARGET_SECONDS = 10;
const TIMEOUT_MS = 20 * 60_000;
/** Level 1 goes to the lead and to the coordinator: two notifications per escalation. */
const MESSAGES_PER_ESCALATION = 2;

/**
 * Seconds from the start of each side's set-up to its instant. Ours imports, starts and projects
 * 10,000 assignments first (286 s in the late-marks run of BENCHMARKS.md); the ceiling only starts
 * its sleepers (ready after 151 s there). The run fails if a set-up outlasts 90 % of its margin.
 */
const DEFAULT_MARGIN_SECONDS = { ours: 420, ceiling: 240 };

function marginSeconds(side: 'ours' | 'ceiling'): number {
  const name = side === 'ours' ? 'BENCH_DELIVERY_MARGIN_SECONDS' : 'BENCH_DELIVERY_CEILING_MARGIN_SECONDS';
  const text = process.env[name];
  if (!text) return DEFAULT_MARGIN_SECONDS[side];
  const n = Number(text);
  if (!(n > 0)) throw new Error(`${name} must be a positive number, got "${text}"`);
  return n;
}

/** Rows a mail-delivery measurement adds to the table: one label and one value for each column. */
export interface MailDeliveryFigures {
  /** [label, ceiling column, ours column]. */
  rows: [string, string, string][];
  notes?: string[];
  targetMet?: boolean;
}

/**
 * The e-mail half of the scenario (bench/scenarios/delivery-mail.ts, `mailDelivery`), joined through
 * `createDeliveryScenario({ mail })`: it is prepared before our worker starts, so that the worker can
 * be pointed at its SMTP server, and measures from the escalation instant until every message is
 * accepted there. Without it the scenario measures the records alone.
 */
export interface MailDelivery {
  /** Environment for our worker process (the SMTP server's host and port, …), applied when it starts. */
  workerEnv: NodeJS.ProcessEnv;
  /** Once the plan is imported and before its instant: the contacts that make its e-mails. */
  prepare(plan: { planId: string }): Promise<void>;
  /** Starts measuring at the instant (epoch ms) and resolves once every e-mail is accepted. */
  measure(from: { instantMs: number }): Promise<void>;
  /** The figures, once `measure` has resolved; the ceiling (nodemailer alone) is measured in the same run. */
  figures(): Promise<MailDeliveryFigures>;
  close(): Promise<void>;
}

/** `messages`: how many e-mails the run must see accepted, one per escalation. */
export type MailDeliveryHook = (
  env: BenchEnvironment,
  options: ScenarioOptions,
  messages: number,
) => Promise<MailDelivery>;

interface WorkerMemory {
  name: string;
  atInstant: number;
  peakAfter: number;
  hwm: number;
}

interface Phase {
  startedAfter: number;
  readyAfter: number;
  margin: number;
  /** Local plan time of the instant, ours only. */
  instantAt: string;
  half: number;
  ninety: number;
  done: number;
  /** Seconds until every notification was written (ours), or NaN. */
  messagesDone: number;
  cpu: CpuUsage;
  memory: WorkerMemory[];
  history: HistoryStats;
  assignmentTasksAfter: string;
}

const sleepUntil = (epochMs: number) => new Promise((r) => setTimeout(r, Math.max(0, epochMs - Date.now())));

function memoryOf(workers: WorkerProcess[], atInstant: Map<number, number>): WorkerMemory[] {
  return workers.map((w) => ({
    name: w.name,
    atInstant: atInstant.get(w.pid) ?? NaN,
    peakAfter: w.peakRssSampled,
    hwm: w.read().hwm,
  }));
}

async function countCompleted(env: BenchEnvironment, workflowType: string): Promise<number> {
  const { count: n } = await env.client.workflow.count(
    `WorkflowType = "${workflowType}" AND ExecutionStatus = "Completed"`,
  );
  return n;
}

/** The ceiling: 10,000 empty workflows sleeping to one instant, until every one has woken and ended. */
async function ceiling(env: BenchEnvironment, options: ScenarioOptions, margin: number): Promise<Phase> {
  const taskQueue = 'bench-sleep-empty';
  const workers = (
    await startWorkers(options.workers, {
      kind: 'ceiling',
      name: 'ceiling worker',
      taskQueue,
      temporalAddress: env.temporalAddress,
      databaseUrl: env.databaseUrl,
      client: env.client,
    })
  ).map(env.track);
  try {
    const ids = Array.from({ length: TOTAL }, (_, i) => `wake-${i}`);
    const t0 = performance.now();
    const wakeAt = Date.now() + margin * 1000;
    options.log(`ceiling: starting ${count(TOTAL)} sleeping empty workflows; the instant is in ${margin} s`);
    const startedAfter = await alongside(
      t0,
      startMany(env.client, { ids, workflowType: 'benchSleepWorkflow', taskQueue, args: () => [{ wakeAt }] }),
    ).done;
    if (Date.now() > wakeAt - 1000)
      throw new Error(
        `starting took ${seconds(startedAfter)} s, past the instant: raise BENCH_DELIVERY_CEILING_MARGIN_SECONDS`,
      );
    await sleepUntil(wakeAt);
    const meter = new CpuMeter(env.temporalPid, () => workers);
    const before = meter.snapshot();
    const atInstant = new Map(workers.map((w) => [w.pid, w.read().rss]));
    for (const w of workers) w.markWindow();
    const t = performance.now() - (Date.now() - wakeAt);
    const woken = new Milestones(TOTAL);
    await pollUntil({
      probe: () => countCompleted(env, 'benchSleepWorkflow'),
      done: (n) => n >= TOTAL,
      onValue: (n) => woken.note(n, (performance.now() - t) / 1000),
      intervalMs: 500,
      timeoutMs: TIMEOUT_MS,
      what: 'every sleeper woken and ended',
    });
    const done = (performance.now() - t) / 1000;
    const cpu = CpuMeter.between(before, meter.snapshot());
    const history = await historyStats(env.client, spread(ids, 20), 'after-timer');
    return {
      startedAfter,
      readyAfter: Number.isNaN(history.lastTimerStartedAt)
        ? NaN
        : (history.lastTimerStartedAt - (wakeAt - margin * 1000)) / 1000,
      margin,
      instantAt: '—',
      half: woken.at(0.5),
      ninety: woken.at(0.9),
      done,
      messagesDone: NaN,
      cpu,
      memory: memoryOf(workers, atInstant),
      history,
      assignmentTasksAfter: '—',
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

/**
 * Ours: 500 tasks × 20 agencies, every one due on 31 December 2026, on a simulated clock. Level 1
 * falls on the first working morning after the due day (Monday 4 January 2027: New Year's Day and a
 * weekend come between), for all 10,000 at once.
 */
async function ours(
  env: BenchEnvironment,
  options: ScenarioOptions,
  margin: number,
  mail: MailDelivery | undefined,
): Promise<Phase> {
  const taskQueue = 'dondoc-bench';
  const workers = (
    await startWorkers(options.workers, {
      kind: 'dondoc',
      name: 'dondoc worker',
      taskQueue,
      temporalAddress: env.temporalAddress,
      databaseUrl: env.databaseUrl,
      client: env.client,
      env: mail?.workerEnv,
    })
  ).map(env.track);
  try {
    const api = await startApi(env, taskQueue);
    // Sunday 3 January 2027, 20:00: level 1 is twelve plan hours away, `margin` real seconds.
    const t0 = Date.now();
    const clock: SimulatedClock = {
      secondsPerDay: 2 * margin,
      virtualStart: '2027-01-03T20:00:00+07:00',
      realStart: new Date(t0).toISOString(),
    };
    const plan = syntheticPlan({
      code: `BENCH-DELIVERY-${t0}/KH`,
      taskCount: TASKS,
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      dueDate: '2026-12-31',
      policy: {
        dueReminderWorkingDays: [],
        reportReminderWorkingDays: [],
        reports: [],
        escalation: [{ level: 1, afterWorkingDays: 1 }],
        ackChaseWorkingDays: 30,
        clock,
      },
    });
    options.log(`ours: POST /v1/plans with ${count(TASKS)} tasks × ${FAN_OUT} agencies due on one day`);
    const p0 = performance.now();
    const importing = alongside(
      p0,
      postJson(api, '/v1/plans', plan).then((response) => {
        if (response.status !== 201)
          throw new Error(`POST /v1/plans answered ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`);
      }),
    );
    await pollUntil({
      probe: async () =>
        (
          await env.database.db
            .select({ n: sql<number>`count(*)::int` })
            .from(assignments)
            .where(sql`${assignments.version} >= 1`)
        )[0]!.n,
      done: (n) => n >= TOTAL,
      onValue: () => importing.check(),
      intervalMs: 250,
      timeoutMs: TIMEOUT_MS,
      what: 'every assignment planned and projected',
    });
    const startedAfter = await importing.done;
    const readyAfter = (performance.now() - p0) / 1000;
    if (readyAfter > 0.9 * margin)
      throw new Error(
        `set-up took ${seconds(readyAfter)} s of a ${margin} s margin: raise BENCH_DELIVERY_MARGIN_SECONDS`,
      );

    // The instant as the plan's deadline timers planned it, on the worker's calendar.
    const [planRow] = await env.database.db.select({ id: plans.id }).from(plans).where(eq(plans.code, plan.code));
    const planId = planRow!.id;
    const next = (await env.client.workflow.getHandle(planDeadlinesWorkflowId(planId)).query(planDeadlinesQuery)).next;
    if (next?.kind !== 'escalation') throw new Error(`the plan's next deadline timer is ${JSON.stringify(next)}`);
    const instant = toRealTime(new Date(next.at), clock).getTime();
    await mail?.prepare({ planId });

    await sleepUntil(instant);
    const meter = new CpuMeter(env.temporalPid, () => workers);
    const before = meter.snapshot();
    const atInstant = new Map(workers.map((w) => [w.pid, w.read().rss]));
    for (const w of workers) w.markWindow();
    const t = performance.now() - (Date.now() - instant);
    const mailing = mail?.measure({ instantMs: instant });
    const raised = new Milestones(TOTAL);
    let messagesDone = NaN;
    await pollUntil({
      probe: async () => {
        const [e] = await env.database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(escalations)
          .innerJoin(assignments, eq(assignments.id, escalations.assignmentId))
          .where(eq(assignments.planId, planId));
        const [n] = await env.database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(notifications)
          .where(eq(notifications.kind, 'escalation'));
        return { escalations: e!.n, notifications: n!.n };
      },
      done: (c) => c.escalations >= TOTAL && c.notifications >= MESSAGES_PER_ESCALATION * TOTAL,
      onValue: (c) => {
        const elapsed = (performance.now() - t) / 1000;
        raised.note(c.escalations, elapsed);
        if (Number.isNaN(messagesDone) && c.notifications >= MESSAGES_PER_ESCALATION * TOTAL) messagesDone = elapsed;
      },
      intervalMs: 100,
      timeoutMs: TIMEOUT_MS,
      what: 'every escalation and its notifications',
    });
    const done = (performance.now() - t) / 1000;
    await mailing;
    const cpu = CpuMeter.between(before, meter.snapshot());
    const memory = memoryOf(workers, atInstant);
    const history = await historyStats(env.client, [planDeadlinesWorkflowId(planId)], 'after-timer');
    const ids = (
      await env.database.db
        .select({ id: assignments.id })
        .from(assignments)
        .where(eq(assignments.planId, planId))
        .orderBy(assignments.id)
    ).map((r) => r.id);
    const sample = spread(ids, 20);
    const woken = await workflowTasksSince(env.client, sample, instant);
    return {
      startedAfter,
      readyAfter,
      margin,
      instantAt: next.at,
      half: raised.at(0.5),
      ninety: raised.at(0.9),
      done,
      messagesDone,
      cpu,
      memory,
      history,
      assignmentTasksAfter: `${woken} in ${sample.length} sampled`,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

function table(c: Phase, o: Phase, workers: number, mail: MailDeliveryFigures | undefined): string {
  const columns = [c, o];
  const row = (label: string, f: (p: Phase) => string) => [label, ...columns.map(f)];
  const memoryRows = Array.from({ length: workers }, (_, i) =>
    row(`worker ${i + 1}: RSS at the instant / peak after it / VmHWM ³`, (p) => {
      const m = p.memory[i];
      return m ? `${mib(m.atInstant)} / ${mib(m.peakAfter)} / ${mib(m.hwm)}` : '—';
    }),
  );
  return markdownTable([
    [
      '',
      'ceiling: empty workflows waking at one instant',
      "ours: the plan's deadline timer escalates every assignment",
    ],
    row('workflows', () => count(TOTAL)),
    row('worker processes', () => String(workers)),
    row('set-up: all started / all ready after (s) ¹', (p) => `${seconds(p.startedAfter)} / ${seconds(p.readyAfter)}`),
    row('instant after set-up began (s)', (p) => seconds(p.margin)),
    row('half done after the instant (s)', (p) => seconds(p.half)),
    row('90 % done after the instant (s)', (p) => seconds(p.ninety)),
    row('all done after the instant (s) ²', (p) => seconds(p.done)),
    row(`within ${TARGET_SECONDS} s`, (p) => (p.done <= TARGET_SECONDS ? 'yes' : 'no')),
    row('rate after the instant (workflows or escalations/s)', (p) => rate(TOTAL / p.done)),
    row('notifications written after the instant (s) / messages/s', (p) =>
      Number.isNaN(p.messagesDone)
        ? '—'
        : `${seconds(p.messagesDone)} / ${rate((MESSAGES_PER_ESCALATION * TOTAL) / p.messagesDone)}`,
    ),
    ...(mail?.rows.map(([label, ceilingValue, oursValue]) => [label, ceilingValue, oursValue]) ?? []),
    row('CPU s after the instant (server · workers · PostgreSQL · bench/API · other)', (p) => formatCpu(p.cpu)),
    row('machine busy after the instant', (p) => `${Math.round(100 * p.cpu.machineBusy)} %`),
    ...memoryRows,
    row('assignment workflow tasks from the instant on ⁵', (p) => p.assignmentTasksAfter),
    row(
      'after the timer, per workflow: workflow tasks / activities ⁴',
      (p) => `${p.history.workflowTasks.toFixed(1)} / ${p.history.activities.toFixed(1)}`,
    ),
    row('workflow task queue wait p50 / p90 ⁴', (p) => millis(p.history.workflowTaskWait)),
    row('workflow task run p50 / p90 ⁴', (p) => millis(p.history.workflowTaskRun)),
    row('activity run p50 / p90 ⁴', (p) => millis(p.history.activityRun)),
  ]);
}

/** `mail`: the e-mail half (see `MailDelivery`), bench/scenarios/delivery-mail.ts's `mailDelivery`. */
export function createDeliveryScenario(hooks: { mail?: MailDeliveryHook } = {}): Scenario {
  return {
    name: 'delivery',
    description: `${count(TOTAL)} assignments of one plan sharing one due day: from the first escalation instant until every escalation is recorded${hooks.mail ? ' and every e-mail accepted' : ''}`,
    async run(options): Promise<ScenarioResult> {
      return withEnvironment('delivery', async (env) => {
        const skipped = (margin: number): Phase => ({
          startedAfter: NaN,
          readyAfter: NaN,
          margin,
          instantAt: '—',
          half: NaN,
          ninety: NaN,
          done: NaN,
          messagesDone: NaN,
          cpu: noCpu,
          memory: [],
          history: noHistory(),
          assignmentTasksAfter: '—',
        });
        const c = runs('ceiling') ? await ceiling(env, options, marginSeconds('ceiling')) : skipped(NaN);
        options.log(`ceiling: every sleeper ended ${seconds(c.done)} s after the instant`);
        const mail = hooks.mail && runs('ours') ? await hooks.mail(env, options, TOTAL) : undefined;
        let o: Phase;
        let mailFigures: MailDeliveryFigures | undefined;
        try {
          o = runs('ours') ? await ours(env, options, marginSeconds('ours'), mail) : skipped(NaN);
          mailFigures = await mail?.figures();
        } finally {
          await mail?.close();
        }
        options.log(`ours: every escalation ${seconds(o.done)} s after the instant`);
        const targetMet = o.done <= TARGET_SECONDS && mailFigures?.targetMet !== false;
        return {
          targetMet,
          sections: [
            table(c, o, options.workers, mailFigures),
            [
              `Target: all ${count(TOTAL)} escalations recorded within ${TARGET_SECONDS} s — ${o.done <= TARGET_SECONDS ? 'met' : 'not met'} (${seconds(o.done)} s; the ceiling ${seconds(c.done)} s).`,
              `¹ Ceiling: ready = the last sampled sleeper's timer started; ours: ready = every assignment projected (version ≥ 1). Order: ceiling first, then ours, on one dev server. Ours: the instant is level 1 of the ladder, ${o.instantAt} (plan time).`,
              `² Ceiling: every sleeper completed (visibility count, polled every 500 ms); ours: ${count(TOTAL)} escalations rows and ${count(MESSAGES_PER_ESCALATION * TOTAL)} notifications 'escalation' (lead and coordinator), polled every 100 ms.`,
              '³ Per worker process, from /proc/<pid>/status: VmRSS sampled every 250 ms; VmHWM is the peak of the whole process life, start-up (bundling the workflow code) included.',
              "⁴ Counting from the fired timer (server timestamps), in the event histories of 20 sleepers for the ceiling and of the plan's deadline-timers workflow for ours (its markDeadlines activity writes every escalation in one transaction).",
              '⁵ Ours: the assignment workflows do not wake for a shared deadline timer; they take it into their own state when they next run.',
              ...(mailFigures?.notes ?? []),
            ].join('\n'),
          ],
        };
      });
    },
  };
}

export const deliveryScenario = createDeliveryScenario({ mail: mailDelivery });
