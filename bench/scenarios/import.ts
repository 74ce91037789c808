import { sql } from 'drizzle-orm';
import { WORKER_NODE_FLAGS } from '../../cluster/settings.ts';
import { assignments } from '../../db/schema.ts';
import { DEFAULT_CACHED_WORKFLOWS } from '../../runtime/config.ts';
import { startApi, postJson } from '../support/api.ts';
import { withEnvironment, type BenchEnvironment } from '../support/environment.ts';
import { historyStats, noHistory, spread, type HistoryStats } from '../support/histories.ts';
import { syntheticPlan, FAN_OUT } from '../support/plan.ts';
import { alongside, Milestones, pollUntil } from '../support/poll.ts';
import { DISPATCH_CONCURRENCY, startMany } from '../support/starts.ts';
import { count, markdownTable, mib, millis, rate, seconds } from '../support/table.ts';
import { CpuMeter, formatCpu, noCpu, type CpuUsage } from '../support/usage.ts';
import { startWorkers, type WorkerProcess } from '../support/workers.ts';
import {
  benchScale,
  positiveSetting,
  runs,
  type Scenario,
  type ScenarioOptions,
  type ScenarioResult,
} from './types.ts';

/**
 * Tasks of the plan (BENCH_IMPORT_TASKS; 1,000 scaled by BENCH_SCALE unless told), each for
 * FAN_OUT agencies: 2,500 puts 50,000 open workflows on one worker, to measure its memory.
 */
const TASKS = positiveSetting('BENCH_IMPORT_TASKS', Math.round(1_000 * benchScale()));
const TOTAL = TASKS * FAN_OUT;
const WARM_UP = 500;
/** Twenty minutes, or more for a larger plan: ours has run at 39 workflows/s on this machine. */
const TIMEOUT_MS = Math.max(20 * 60_000, (TOTAL / 15) * 1000);

interface Phase {
  /** All client starts (or the import request) returned. */
  startedAfter: number;
  /** Every workflow did its work: completed (ceiling) or projected (ours). */
  doneAfter: number;
  halfAfter: number;
  cpu: CpuUsage;
  history: HistoryStats;
  /** The worker processes' memory over the phase: the highest sampled RSS and VmHWM of any, MiB. */
  memory: { peakRss: number; hwm: number };
  /** Workflows of the phase still open at its end (visibility count): held by the worker, or replayed when they wake. */
  open: number;
  extra?: Record<string, string>;
}

function workerMemory(workers: WorkerProcess[]): Phase['memory'] {
  return {
    peakRss: Math.max(...workers.map((w) => w.peakRssSampled)),
    hwm: Math.max(...workers.map((w) => w.read().hwm)),
  };
}

async function countOpen(env: BenchEnvironment, workflowType: string): Promise<number> {
  const { count: n } = await env.client.workflow.count(
    `WorkflowType = "${workflowType}" AND ExecutionStatus = "Running"`,
  );
  return n;
}

const settle = () => new Promise((r) => setTimeout(r, 3_000));

async function countCompleted(env: BenchEnvironment, workflowType: string): Promise<number> {
  const { count: n } = await env.client.workflow.count(
    `WorkflowType = "${workflowType}" AND ExecutionStatus = "Completed"`,
  );
  return n;
}

/** The ceiling: empty workflows started by the client at the dispatcher's concurrency, run by a ceiling worker. */
async function ceilingEmpty(
  env: BenchEnvironment,
  options: ScenarioOptions,
  meter: (w: WorkerProcess[]) => CpuMeter,
): Promise<Phase> {
  const taskQueue = 'bench-empty';
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
    // A fresh server's first starts pay for namespace and task-queue set-up; neither side should.
    await startMany(env.client, {
      ids: Array.from({ length: WARM_UP }, (_, i) => `warm-${i}`),
      workflowType: 'benchEmptyWorkflow',
      taskQueue,
      args: () => [],
    });
    await pollUntil({
      probe: () => countCompleted(env, 'benchEmptyWorkflow'),
      done: (n) => n >= WARM_UP,
      timeoutMs: 120_000,
      what: 'the warm-up',
    });
    await settle();

    options.log(`ceiling: starting ${count(TOTAL)} empty workflows`);
    const ids = Array.from({ length: TOTAL }, (_, i) => `empty-${i}`);
    const cpu = meter(workers);
    const before = cpu.snapshot();
    const t0 = performance.now();
    const starting = alongside(
      t0,
      startMany(env.client, { ids, workflowType: 'benchEmptyWorkflow', taskQueue, args: () => [] }),
    );
    const milestones = new Milestones(TOTAL);
    await pollUntil({
      probe: async () => (await countCompleted(env, 'benchEmptyWorkflow')) - WARM_UP,
      done: (n) => n >= TOTAL,
      onValue: (n) => {
        starting.check();
        milestones.note(n, (performance.now() - t0) / 1000);
      },
      intervalMs: 250,
      timeoutMs: TIMEOUT_MS,
      what: 'every empty workflow completed',
    });
    const startedAfter = await starting.done;
    const doneAfter = (performance.now() - t0) / 1000;
    const usage = CpuMeter.between(before, cpu.snapshot());
    return {
      startedAfter,
      doneAfter,
      halfAfter: milestones.at(0.5),
      cpu: usage,
      history: await historyStats(env.client, spread(ids, 20), 'all'),
      memory: workerMemory(workers),
      open: await countOpen(env, 'benchEmptyWorkflow'),
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

/** A like-for-like reference: workflows that run one activity writing one row, as ours run one projection. */
async function ceilingOneRow(
  env: BenchEnvironment,
  options: ScenarioOptions,
  meter: (w: WorkerProcess[]) => CpuMeter,
): Promise<Phase> {
  const taskQueue = 'bench-rows';
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
    await settle();
    options.log(`reference: starting ${count(TOTAL)} one-row workflows`);
    const ids = Array.from({ length: TOTAL }, (_, i) => `row-${i}`);
    const cpu = meter(workers);
    const before = cpu.snapshot();
    const t0 = performance.now();
    const starting = alongside(
      t0,
      startMany(env.client, { ids, workflowType: 'benchWriteRowWorkflow', taskQueue, args: (id) => [id] }),
    );
    const milestones = new Milestones(TOTAL);
    await pollUntil({
      probe: async () =>
        Number(
          (await env.database.pool.query<{ n: string }>("SELECT count(*) AS n FROM bench_rows WHERE key LIKE 'row-%'"))
            .rows[0]!.n,
        ),
      done: (n) => n >= TOTAL,
      onValue: (n) => {
        starting.check();
        milestones.note(n, (performance.now() - t0) / 1000);
      },
      intervalMs: 250,
      timeoutMs: TIMEOUT_MS,
      what: 'every row written',
    });
    const startedAfter = await starting.done;
    const doneAfter = (performance.now() - t0) / 1000;
    const usage = CpuMeter.between(before, cpu.snapshot());
    return {
      startedAfter,
      doneAfter,
      halfAfter: milestones.at(0.5),
      cpu: usage,
      history: await historyStats(env.client, spread(ids, 20), 'all'),
      memory: workerMemory(workers),
      open: await countOpen(env, 'benchWriteRowWorkflow'),
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

/** Ours: POST /v1/plans with 1,000 tasks × 20 agencies, until every projection is visible. */
async function ours(
  env: BenchEnvironment,
  options: ScenarioOptions,
  meter: (w: WorkerProcess[]) => CpuMeter,
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
    })
  ).map(env.track);
  try {
    const api = await startApi(env, taskQueue);
    const year = new Date().getUTCFullYear();
    const plan = syntheticPlan({
      code: `BENCH-IMPORT-${Date.now()}/KH`,
      taskCount: TASKS,
      periodStart: `${year}-01-01`,
      periodEnd: `${year + 1}-12-31`,
      dueDate: `${year + 1}-06-30`,
    });
    await settle();

    options.log(`ours: POST /v1/plans with ${count(TASKS)} tasks × ${FAN_OUT} agencies`);
    const cpu = meter(workers);
    const before = cpu.snapshot();
    const t0 = performance.now();
    let answer: { status: number; body: unknown } | undefined;
    const importing = alongside(
      t0,
      postJson(api, '/v1/plans', plan).then((response) => {
        answer = response;
        if (response.status !== 201)
          throw new Error(`POST /v1/plans answered ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`);
      }),
    );
    let committedAfter = NaN;
    const milestones = new Milestones(TOTAL);
    await pollUntil({
      probe: async () => {
        const [row] = await env.database.db
          .select({
            rows: sql<number>`count(*)::int`,
            projected: sql<number>`count(*) filter (where ${assignments.version} >= 1)::int`,
          })
          .from(assignments);
        return row!;
      },
      done: (r) => r.projected >= TOTAL,
      onValue: (r) => {
        importing.check();
        // The rows appear all at once, when the import's transaction commits.
        if (r.rows > 0 && Number.isNaN(committedAfter)) committedAfter = (performance.now() - t0) / 1000;
        milestones.note(r.projected, (performance.now() - t0) / 1000);
      },
      intervalMs: 250,
      timeoutMs: TIMEOUT_MS,
      what: 'every projection visible',
    });
    const startedAfter = await importing.done;
    const doneAfter = Math.max((performance.now() - t0) / 1000, startedAfter);
    const usage = CpuMeter.between(before, cpu.snapshot());
    const body = answer!.body as { assignments: { total: number; started: number; pendingStart: number } };
    if (body.assignments.total !== TOTAL || body.assignments.pendingStart !== 0) {
      throw new Error(
        `the import answered ${JSON.stringify(body.assignments)}; expected ${TOTAL} assignments, all started`,
      );
    }
    const ids = (
      await env.database.db
        .select({ id: assignments.id })
        .from(assignments)
        .orderBy(assignments.createdAt, assignments.id)
    ).map((r) => r.id);
    return {
      startedAfter,
      doneAfter,
      halfAfter: milestones.at(0.5),
      cpu: usage,
      history: await historyStats(env.client, spread(ids, 20), 'all'),
      memory: workerMemory(workers),
      open: await countOpen(env, 'assignmentWorkflow'),
      extra: { committedAfter: seconds(committedAfter) },
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

function table(results: { ceiling: Phase; reference: Phase; ours: Phase }, workers: number): string {
  const { ceiling, reference, ours: o } = results;
  const r = (p: Phase) => TOTAL / p.doneAfter;
  const columns = [ceiling, reference, o];
  const row = (label: string, f: (p: Phase) => string) => [label, ...columns.map(f)];
  return markdownTable([
    ['', 'ceiling: empty workflows', 'reference: one-row workflows', 'ours: POST /v1/plans'],
    row('workflows', () => count(TOTAL)),
    row('worker processes', () => String(workers)),
    row('all started after (s)', (p) => seconds(p.startedAfter)),
    row('half done after (s)', (p) => seconds(p.halfAfter)),
    row('all done after (s) ¹', (p) => seconds(p.doneAfter)),
    row('rate (workflows/s)', (p) => rate(r(p))),
    row('share of the ceiling', (p) => `${Math.round((100 * r(p)) / r(ceiling))} %`),
    row('CPU s (server · workers · PostgreSQL · bench/API · other)', (p) => formatCpu(p.cpu)),
    row('machine busy', (p) => `${Math.round(100 * p.cpu.machineBusy)} %`),
    row(
      'workflow tasks / activities / local activities per workflow ²',
      (p) =>
        `${p.history.workflowTasks.toFixed(1)} / ${p.history.activities.toFixed(1)} / ${p.history.localActivities.toFixed(1)}`,
    ),
    row('workflow task queue wait p50 / p90 ²', (p) => millis(p.history.workflowTaskWait)),
    row('workflow task run p50 / p90 ²', (p) => millis(p.history.workflowTaskRun)),
    row('activity queue wait p50 / p90 ²', (p) => millis(p.history.activityWait)),
    row('activity run p50 / p90 ²', (p) => millis(p.history.activityRun)),
    row('workflows open at the end', (p) => (Number.isFinite(p.open) ? count(p.open) : '—')),
    row('worker: peak RSS sampled / VmHWM ³', (p) => `${mib(p.memory.peakRss)} / ${mib(p.memory.hwm)}`),
  ]);
}

export const importScenario: Scenario = {
  name: 'import',
  description: `a plan of ${count(TASKS)} tasks × ${FAN_OUT} agencies imported through POST /v1/plans, until every workflow is started and every projection visible`,
  async run(options): Promise<ScenarioResult> {
    return withEnvironment('import', async (env) => {
      const meter = (workers: WorkerProcess[]) => new CpuMeter(env.temporalPid, () => workers);
      const skipped: Phase = {
        startedAfter: NaN,
        doneAfter: NaN,
        halfAfter: NaN,
        cpu: noCpu,
        history: noHistory(),
        memory: { peakRss: NaN, hwm: NaN },
        open: NaN,
      };
      const ceiling = runs('ceiling') ? await ceilingEmpty(env, options, meter) : skipped;
      options.log(`ceiling: ${seconds(ceiling.doneAfter)} s`);
      const reference = runs('ceiling') ? await ceilingOneRow(env, options, meter) : skipped;
      options.log(`reference: ${seconds(reference.doneAfter)} s`);
      const o = runs('ours') ? await ours(env, options, meter) : skipped;
      options.log(`ours: ${seconds(o.doneAfter)} s`);
      const share = TOTAL / o.doneAfter / (TOTAL / ceiling.doneAfter);
      const targetMet = share >= 0.5;
      return {
        targetMet,
        sections: [
          table({ ceiling, reference, ours: o }, options.workers),
          [
            `Target: ours ≥ 50 % of the ceiling's rate — ${targetMet ? 'met' : 'not met'} (${Math.round(100 * share)} %).`,
            `Ours: the import transaction committed after ${o.extra?.committedAfter} s; the answer (every workflow started) came after ${seconds(o.startedAfter)} s.`,
            `¹ Ceiling: every workflow started and its workflow task completed (visibility count); reference: every row inserted; ours: every assignment row at version ≥ 1. Starts at concurrency ${DISPATCH_CONCURRENCY}, as the dispatcher. Order: ceiling, reference, ours, on one dev server, after ${WARM_UP} warm-up workflows.`,
            `² From the event histories of ${o.history.sampled} workflows spread over each run (server timestamps): up to the point each workflow rests at.`,
            `³ The worker processes' resident memory: the highest RSS sampled every 250 ms and VmHWM (the peak of the process's life, start-up included), the highest of the workers; the workflows they keep between tasks: ${process.env.DONDOC_WORKER_MAX_CACHED_WORKFLOWS ?? DEFAULT_CACHED_WORKFLOWS} (DONDOC_WORKER_MAX_CACHED_WORKFLOWS); ours started with ${WORKER_NODE_FLAGS.join(' ')}${process.env.BENCH_WORKER_NODE_ARGS ? ` ${process.env.BENCH_WORKER_NODE_ARGS}` : ''}.`,
          ].join('\n'),
        ],
      };
    });
  },
};
