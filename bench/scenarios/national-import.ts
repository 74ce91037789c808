import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SimulatedClock } from '../../domain/clock.ts';
import { postJson } from '../support/api.ts';
import { syntheticPlan } from '../support/plan.ts';
import { alongside, Milestones, pollUntil } from '../support/poll.ts';
import { ProcessMeter, type PartUsage } from '../support/process-meter.ts';
import { startMany } from '../support/starts.ts';
import { count } from '../support/table.ts';
import { startWorkers } from '../support/workers.ts';
import type { NationalTarget } from './national-target.ts';

// The country's import: every province's registry gets its plan through the two APIs in turn, and
// the ceiling: as many empty workflows started through the same Temporal frontend.

const TIMEOUT_MS = 120 * 60_000;
const WARM_UP = 200;
/** Agency kinds the group "Các sở, ban, ngành" of the province template fans out to. */
const GROUP_KINDS = ['department', 'office', 'inspectorate', 'board'];

export interface Rate {
  workflows: number;
  /** All starts returned (ceiling) / every import answered (ours). */
  startedAfter: number;
  halfAfter: number;
  doneAfter: number;
  cpu: PartUsage;
}

/** One plan per province of data/agencies/provinces: its registry key, its name, its group's size. */
export interface ProvincePlan {
  registry: string;
  province: string;
  fanOut: number;
  tasks: number;
}

/** How many tasks each province's plan has so that the 34 plans make about `total` assignments. */
export async function provincePlans(c: NationalTarget, total: number): Promise<ProvincePlan[]> {
  const file = fileURLToPath(new URL('../../data/agencies/provinces/provinces.json', import.meta.url));
  const { provinces } = JSON.parse(await readFile(file, 'utf8')) as { provinces: { key: string; name: string }[] };
  const { rows } = await c.database.pool.query<{ registry: string; n: number }>(
    `select registry, count(*)::int as n from registry_agencies
      where registry = any($1) and kind = any($2) and merged_into is null group by registry`,
    [provinces.map((p) => p.key), GROUP_KINDS],
  );
  const fanOut = new Map(rows.map((r) => [r.registry, r.n]));
  const missing = provinces.filter((p) => !fanOut.get(p.key));
  if (missing.length > 0) throw new Error(`registries not seeded or empty: ${missing.map((p) => p.key).join(', ')}`);
  return provinces.map((p) => {
    const n = fanOut.get(p.key)!;
    return {
      registry: p.key,
      province: p.name,
      fanOut: n,
      tasks: Math.max(1, Math.round(total / provinces.length / n)),
    };
  });
}

/** Empty workflows through the cluster's frontend, started at the dispatcher's pace by two ceiling workers' client. */
export async function importCeiling(c: NationalTarget, n: number, log: (m: string) => void): Promise<Rate> {
  const taskQueue = 'bench-national-empty';
  const workers = await startWorkers(2, {
    kind: 'ceiling',
    name: 'ceiling worker',
    taskQueue,
    temporalAddress: c.temporal.address,
    namespace: c.temporal.namespace,
    databaseUrl: c.readModelUrl,
    client: c.client,
  });
  const completed = async () =>
    (await c.client.workflow.count(`WorkflowType = "benchEmptyWorkflow" AND ExecutionStatus = "Completed"`)).count;
  try {
    await startMany(c.client, {
      ids: Array.from({ length: WARM_UP }, (_, i) => `national-warm-${i}`),
      workflowType: 'benchEmptyWorkflow',
      taskQueue,
      args: () => [],
    });
    await pollUntil({ probe: completed, done: (k) => k >= WARM_UP, timeoutMs: 300_000, what: 'the warm-up' });
    log(
      `ceiling: starting ${count(n)} empty workflows through ${c.label === 'cluster' ? "the cluster's frontend" : 'the dev server'}`,
    );
    const meter = new ProcessMeter(() => [...c.processes(), ...workers.map((w) => ({ name: w.name, pid: w.pid }))]);
    const before = meter.snapshot();
    const t0 = performance.now();
    const starting = alongside(
      t0,
      startMany(c.client, {
        ids: Array.from({ length: n }, (_, i) => `national-empty-${i}`),
        workflowType: 'benchEmptyWorkflow',
        taskQueue,
        args: () => [],
      }),
    );
    const milestones = new Milestones(n);
    await pollUntil({
      probe: async () => (await completed()) - WARM_UP,
      done: (k) => k >= n,
      onValue: (k) => {
        starting.check();
        milestones.note(k, (performance.now() - t0) / 1000);
      },
      intervalMs: 500,
      timeoutMs: TIMEOUT_MS,
      what: 'every empty workflow completed',
    });
    const startedAfter = await starting.done;
    const doneAfter = (performance.now() - t0) / 1000;
    const cpu = ProcessMeter.between(before, meter.snapshot());
    meter.stop();
    return { workflows: n, startedAfter, halfAfter: milestones.at(0.5), doneAfter, cpu };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

/**
 * Ours: each province's plan posted to the APIs in turn (plan i to API i mod 2), `concurrency`
 * imports in flight, until every assignment is projected (version ≥ 1). Returns the rate and the
 * plans' ids.
 */
export async function importCountry(
  c: NationalTarget,
  plans: ProvincePlan[],
  options: { clock: SimulatedClock; concurrency: number; runTag: string; log: (m: string) => void },
): Promise<Rate & { planIds: string[] }> {
  const bodies = plans.map((p) => ({
    ...syntheticPlan({
      code: `QG-${options.runTag}-${p.registry}/KH`,
      taskCount: p.tasks,
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      // Due on Thursday 19 March: overdue at midnight, escalated at level 1 on Friday 08:00, the
      // same instant as the Q1 reports' late mark (as the chaos run's plan).
      dueDate: '2026-03-19',
      policy: {
        dueReminderWorkingDays: [],
        reportReminderWorkingDays: [],
        reports: ['Q1'],
        ackChaseWorkingDays: 30,
        escalation: [{ level: 1, afterWorkingDays: 1 }],
        clock: options.clock,
      },
    }),
    province: p.province,
    registry: p.registry,
  }));
  const expected = plans.reduce((sum, p) => sum + p.tasks * p.fanOut, 0);
  options.log(
    `ours: ${plans.length} plans (${count(expected)} assignments) through ${c.apis.length} APIs, ${options.concurrency} at a time`,
  );
  const meter = new ProcessMeter(() => c.processes());
  const before = meter.snapshot();
  const t0 = performance.now();
  const planIds: string[] = [];
  let answered = 0;
  let next = 0;
  const importing = alongside(
    t0,
    Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        for (let i = next++; i < bodies.length; i = next++) {
          const api = c.apis[i % c.apis.length]!;
          const response = await postJson(api, '/v1/plans', bodies[i]);
          if (response.status !== 201)
            throw new Error(
              `POST /v1/plans (${plans[i]!.registry}) to ${api.url} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`,
            );
          const body = response.body as {
            plan: { id: string };
            assignments: { total: number; pendingStart: number };
          };
          planIds.push(body.plan.id);
          answered += body.assignments.total;
        }
      }),
    ),
  );
  const milestones = new Milestones(expected);
  let projected = 0;
  await pollUntil({
    probe: async () =>
      (
        await c.database.pool.query<{ n: number }>(
          'select count(*) filter (where version >= 1)::int as n from assignments',
        )
      ).rows[0]!.n,
    done: (k) => k >= expected,
    onValue: (k) => {
      importing.check();
      projected = k;
      milestones.note(k, (performance.now() - t0) / 1000);
    },
    intervalMs: 500,
    timeoutMs: TIMEOUT_MS,
    what: 'every assignment of the country projected',
  });
  const startedAfter = await importing.done;
  const doneAfter = Math.max(startedAfter, (performance.now() - t0) / 1000);
  const cpu = ProcessMeter.between(before, meter.snapshot());
  meter.stop();
  if (answered !== expected || projected !== expected)
    throw new Error(`expected ${expected} assignments; the imports answered ${answered}, ${projected} projected`);
  return { workflows: expected, startedAfter, halfAfter: milestones.at(0.5), doneAfter, cpu, planIds };
}
