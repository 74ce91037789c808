import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { withLeadStatuses, type AssignmentStatus } from '../domain/lifecycle.ts';
import type { TaskBucket } from '../domain/task-buckets.ts';
import type { IsoDate } from '../domain/types.ts';
import { toPlanTime, type SimulatedClock } from '../domain/clock.ts';
import { detailsInUtc, localDay, utcInstant } from '../domain/instant.ts';
import type { Principal } from '../domain/permissions.ts';
import { resolvePlanRef } from './plan-ref.ts';
import { stopReasonNames, type WorkflowStopReason } from '../domain/workflow-stops.ts';
import { fold } from '../domain/text.ts';
import type { Database } from '../db/client.ts';
import { assignments, auditLog, plans, reportFilings, tasks } from '../db/schema.ts';
import type { AssignmentView } from '../domain/assignment-view.ts';
import { asOfDay, highestOpenEscalation, inBucket, planClock, planToday } from './task-buckets.ts';

/**
 * Overdue is a fact derived from the due day and the plan's today, not stored: it changes at
 * midnight by itself. A plan on a simulated clock (domain/clock.ts) is overdue by its own time,
 * as its workflows are, not by the wall clock.
 */
export function isOverdue(
  status: string,
  effectiveDue: string | null,
  now: Date,
  clock?: SimulatedClock | null,
): boolean {
  return (
    withLeadStatuses.includes(status as AssignmentStatus) &&
    effectiveDue !== null &&
    localDay(toPlanTime(now, clock ?? undefined)) > effectiveDue
  );
}

/** Overdue now: the bucket of domain/task-buckets.ts as of each plan's today. */
export function overdueCondition(now: Date): SQL {
  return inBucket('overdue', planToday(now));
}

const columns = {
  row: assignments,
  planCode: plans.code,
  registry: plans.registry,
  planClock,
  taskKey: tasks.key,
  taskNumber: tasks.number,
  taskSection: tasks.section,
  taskTitle: tasks.title,
  taskArea: tasks.area,
  taskObjective: tasks.objective,
  collaborators: tasks.collaborators,
};

export type AssignmentRow = {
  row: typeof assignments.$inferSelect;
  planCode: string;
  registry: string;
  planClock: SimulatedClock | null;
  taskKey: string;
  taskNumber: string;
  taskSection: string | null;
  taskTitle: string;
  taskArea: string | null;
  taskObjective: string | null;
  collaborators: { code: string | null; name: string }[];
};

export function collaboratorCodes(row: AssignmentRow): string[] {
  return row.collaborators.flatMap((c) => (c.code ? [c.code] : []));
}

/**
 * The assignment as the API shows it: the read model's row, with the detail of the workflow's
 * state — as last projected, or as the workflow just answered a command (`view`).
 */
export function toAssignment(r: AssignmentRow, view?: AssignmentView, now = new Date()) {
  const state = view ?? r.row.state;
  const status = view?.status ?? r.row.status;
  const effectiveDue = view ? view.effectiveDue : r.row.effectiveDue;
  return {
    id: r.row.id,
    plan: { id: r.row.planId, code: r.planCode },
    task: {
      id: r.row.taskId,
      key: r.taskKey,
      number: r.taskNumber,
      section: r.taskSection,
      title: r.taskTitle,
      area: r.taskArea,
      objective: r.taskObjective,
    },
    agencyCode: view?.agencyCode ?? r.row.agencyCode,
    collaborators: r.collaborators,
    status,
    deadline: view?.deadline ?? r.row.deadline,
    effectiveDue,
    overdue: isOverdue(status, effectiveDue, now, r.planClock),
    escalationLevel: view?.escalationLevel ?? r.row.escalationLevel,
    acknowledgedAt: state.acknowledgedAt,
    completedAt: state.completedAt,
    cancelledAt: state.cancelledAt,
    onTime: state.onTime ?? null,
    submissions: state.submissions ?? [],
    reports: state.reports ?? [],
    latePeriods: state.latePeriods ?? [],
    extensions: state.extensions ?? [],
    contributions: state.contributions ?? [],
    agencyHistory: state.agencyHistory ?? [],
    cycle: state.cycle ?? null,
    cycles: state.cycles ?? [],
    nextEvent: state.nextEvent ? { ...state.nextEvent, at: utcInstant(state.nextEvent.at) } : null,
    version: view?.version ?? r.row.version,
    updatedAt: r.row.updatedAt.toISOString(),
    stopped:
      r.row.workflowStoppedAt && r.row.workflowStopReason
        ? {
            at: r.row.workflowStoppedAt.toISOString(),
            reason: r.row.workflowStopReason as WorkflowStopReason,
            text: `Việc theo dõi nhiệm vụ đã ngừng (tiến trình ${stopReasonNames[r.row.workflowStopReason as WorkflowStopReason]}); cần khởi động lại.`,
          }
        : null,
  };
}

export type AssignmentDto = ReturnType<typeof toAssignment>;

function baseQuery(db: Database) {
  return db
    .select(columns)
    .from(assignments)
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId));
}

/**
 * What a principal may read, in a query that joins the assignment's plan and task: only its own
 * registry's work (when it has one), and for an agency the assignments it leads and those of tasks
 * it collaborates on.
 */
export function visibleTo(principal: Principal): SQL | undefined {
  const scope = principal.registry !== undefined ? eq(plans.registry, principal.registry) : undefined;
  if (principal.role !== 'agency') return scope;
  const code = principal.agencyCode ?? '';
  return and(
    scope,
    sql`(${assignments.agencyCode} = ${code} or ${tasks.collaborators} @> ${JSON.stringify([{ code }])}::jsonb)`,
  );
}

/** The parties of an assignment row, for the permission checks of domain/permissions.ts. */
export function partiesOf(row: AssignmentRow) {
  return { registry: row.registry, agencyCode: row.row.agencyCode, collaboratorCodes: collaboratorCodes(row) };
}

/** Assignments of plans in `registry`, as a condition on any query that has the assignments table. */
export function inRegistry(registry: string | undefined): SQL | undefined {
  return registry === undefined
    ? undefined
    : sql`${assignments.planId} in (select ${plans.id} from ${plans} where ${plans.registry} = ${registry})`;
}

export async function findAssignmentRow(db: Database, id: string): Promise<AssignmentRow | undefined> {
  const [row] = await baseQuery(db).where(eq(assignments.id, id));
  return row;
}

export async function assignmentTimeline(db: Database, id: string) {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'assignment'), eq(auditLog.entityId, id)))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  return rows.map((r) => ({
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    from: r.fromState,
    to: r.toState,
    details: detailsInUtc(r.details),
  }));
}

export interface AssignmentFilters {
  agency?: string;
  status?: string[];
  area?: string;
  /** A plan's id, slug or number (services/plan-ref.ts). */
  plan?: string;
  /** Only those whose workflow stopped while the work is open (to restart). */
  stopped?: boolean;
  overdue?: boolean;
  dueBefore?: string;
  dueAfter?: string;
  missingReport?: string;
  /** Work whose lead agency asked for more time and awaits the coordinator's decision. */
  extensionPending?: boolean;
  q?: string;
  /** Only tasks whose plan names no reform area (the dashboard's "no area" row). */
  noArea?: boolean;
  /** In this bucket of domain/task-buckets.ts as of `asOf` (a day, or each plan's today). */
  bucket?: TaskBucket;
  /** Whose highest escalation open at `asOf` (or now) is this level. */
  escalationLevel?: number;
  asOf?: IsoDate;
}

export function filterConditions(filters: AssignmentFilters, now: Date): SQL[] {
  const overdue = overdueCondition(now);
  const conditions: (SQL | undefined)[] = [
    filters.agency ? eq(assignments.agencyCode, filters.agency) : undefined,
    filters.status?.length ? inArray(assignments.status, filters.status) : undefined,
    filters.area ? eq(tasks.area, filters.area) : undefined,
    filters.noArea ? isNull(tasks.area) : undefined,
    filters.bucket ? inBucket(filters.bucket, asOfDay(filters.asOf ?? 'now', now)) : undefined,
    filters.escalationLevel
      ? sql`${highestOpenEscalation(filters.asOf ?? 'now')} = ${filters.escalationLevel}`
      : undefined,
    filters.plan ? eq(plans.id, filters.plan) : undefined,
    filters.stopped === true ? isNotNull(assignments.workflowStoppedAt) : undefined,
    filters.overdue === true ? overdue : filters.overdue === false ? sql`not coalesce(${overdue}, false)` : undefined,
    filters.dueBefore ? lte(assignments.effectiveDue, filters.dueBefore) : undefined,
    filters.dueAfter ? gte(assignments.effectiveDue, filters.dueAfter) : undefined,
    filters.missingReport
      ? sql`exists (select 1 from ${reportFilings} where ${reportFilings.assignmentId} = ${assignments.id} and ${reportFilings.period} = ${filters.missingReport} and ${reportFilings.filedAt} is null)`
      : undefined,
    filters.extensionPending
      ? sql`${assignments.state}->'extensions' @> ${JSON.stringify([{ outcome: 'pending' }])}::jsonb`
      : undefined,
    filters.q ? sql`${tasks.searchText} like ${`%${fold(filters.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : undefined,
  ];
  return conditions.filter((c): c is SQL => c !== undefined);
}

/**
 * A page of the list: what a table of assignments shows, without each one's history (read one
 * assignment for that). Lists are what people open all day, so they stay lean.
 */
export function listQuery(
  db: Database,
  principal: Principal,
  filters: AssignmentFilters,
  page: { limit: number; after?: string },
  now: Date,
) {
  const conditions = [
    visibleTo(principal),
    ...filterConditions(filters, now),
    page.after ? gt(assignments.id, page.after) : undefined,
  ];
  return db
    .select({
      id: assignments.id,
      planId: assignments.planId,
      planCode: plans.code,
      planClock,
      taskId: assignments.taskId,
      taskKey: tasks.key,
      taskNumber: tasks.number,
      taskSection: tasks.section,
      taskTitle: tasks.title,
      area: tasks.area,
      agencyCode: assignments.agencyCode,
      status: assignments.status,
      deadline: assignments.deadline,
      effectiveDue: assignments.effectiveDue,
      escalationLevel: assignments.escalationLevel,
      onTime: assignments.onTime,
      version: assignments.version,
      updatedAt: assignments.updatedAt,
    })
    .from(assignments)
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .where(and(...conditions))
    .orderBy(asc(assignments.id))
    .limit(page.limit + 1);
}

export async function listAssignments(
  db: Database,
  principal: Principal,
  filters: AssignmentFilters,
  page: { limit: number; after?: string },
  now = new Date(),
) {
  // A plan named by its number is looked for in the reader's registry only.
  const resolved = filters.plan
    ? { ...filters, plan: await resolvePlanRef(db, filters.plan, principal.registry) }
    : filters;
  const rows = await listQuery(db, principal, resolved, page, now);
  const items = rows.slice(0, page.limit).map((r) => ({
    id: r.id,
    plan: { id: r.planId, code: r.planCode },
    task: {
      id: r.taskId,
      key: r.taskKey,
      number: r.taskNumber,
      section: r.taskSection,
      title: r.taskTitle,
      area: r.area,
    },
    agencyCode: r.agencyCode,
    status: r.status,
    deadline: r.deadline,
    effectiveDue: r.effectiveDue,
    overdue: isOverdue(r.status, r.effectiveDue, now, r.planClock),
    escalationLevel: r.escalationLevel,
    onTime: r.onTime,
    version: r.version,
    updatedAt: r.updatedAt.toISOString(),
  }));
  return { items, last: rows.length > page.limit ? items.at(-1)?.id : undefined };
}
