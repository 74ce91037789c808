import { alias } from 'drizzle-orm/pg-core';
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import {
  assignmentStatuses,
  statusGroups,
  withLeadStatuses,
  type AssignmentStatus,
  type LifecycleState,
  type StatusGroup,
} from '../domain/lifecycle.ts';
import type { TaskBucket } from '../domain/task-buckets.ts';
import type { IsoDate } from '../domain/types.ts';
import { toPlanTime, type SimulatedClock } from '../domain/clock.ts';
import { detailsInUtc, localDay, utcInstant } from '../domain/instant.ts';
import { relationTo, type Principal } from '../domain/permissions.ts';
import { resolvePlanRef } from './plan-ref.ts';
import { stopReasonNames, type WorkflowStopReason } from '../domain/workflow-stops.ts';
import { fold } from '../domain/text.ts';
import { agencyLabel, agencyShortName, registryDisplayName, type AgencyLabel } from '../domain/agencies/names.ts';
import { allowedCommands } from '../domain/allowed-commands.ts';
import { agencyCodesOf, describeAudit } from '../domain/audit-summary.ts';
import { completionText, periodLabel, statusLabels, submittedText } from '../domain/labels.ts';
import { owedReport } from '../domain/report-periods.ts';
import type { Database } from '../db/client.ts';
import { agencyLabels } from '../db/agency-index.ts';
import {
  agencyRegistries,
  assignments,
  auditLog,
  plans,
  registryAgencies,
  reportFilings,
  tasks,
} from '../db/schema.ts';
import type { AssignmentView } from '../domain/assignment-view.ts';
import { Invalid } from './errors.ts';
import { owedReportLate, owedReportPeriod } from './report-owed.ts';
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

/** The lead agency's row of the plan's registry (db/agency-index.ts): its name, short form and search text. */
export const leadAgency = alias(registryAgencies, 'lead_agency');

/** The lead agency joined by registry and code, for any query that has the assignments and plans tables. */
export const leadAgencyJoin = and(
  eq(leadAgency.registry, plans.registry),
  eq(leadAgency.code, assignments.agencyCode),
)!;

/** The task's collaborators with the registry's names where they have a code. */
const collaboratorLabels = sql<{ code: string | null; name: string; shortName: string | null }[]>`coalesce((
  select jsonb_agg(jsonb_build_object('code', c.v->>'code', 'name', coalesce(ra.name, c.v->>'name'), 'shortName', ra.short_name) order by c.n)
  from jsonb_array_elements(${tasks.collaborators}) with ordinality as c(v, n)
  left join ${registryAgencies} ra on ra.registry = ${plans.registry} and ra.code = c.v->>'code'), '[]'::jsonb)`;

const columns = {
  row: assignments,
  planCode: plans.code,
  planSlug: plans.slug,
  planTitle: plans.title,
  registry: plans.registry,
  registryName: sql<string | null>`${agencyRegistries.data}->>'name'`,
  registryQualifiers: sql<string[] | null>`${agencyRegistries.data}->'qualifiers'`,
  planClock,
  taskKey: tasks.key,
  taskNumber: tasks.number,
  taskSection: tasks.section,
  taskTitle: tasks.title,
  taskArea: tasks.area,
  taskObjective: tasks.objective,
  taskDeliverables: tasks.deliverables,
  collaborators: tasks.collaborators,
  collaboratorLabels,
  leadName: leadAgency.name,
  leadShortName: leadAgency.shortName,
};

export type AssignmentRow = {
  row: typeof assignments.$inferSelect;
  planCode: string;
  planSlug: string;
  planTitle: string;
  registry: string;
  registryName: string | null;
  registryQualifiers: string[] | null;
  planClock: SimulatedClock | null;
  taskKey: string;
  taskNumber: string;
  taskSection: string | null;
  taskTitle: string;
  taskArea: string | null;
  taskObjective: string | null;
  taskDeliverables: string[];
  collaborators: { code: string | null; name: string }[];
  collaboratorLabels: { code: string | null; name: string; shortName: string | null }[];
  leadName: string | null;
  leadShortName: string | null;
};

export function collaboratorCodes(row: AssignmentRow): string[] {
  return row.collaborators.flatMap((c) => (c.code ? [c.code] : []));
}

/** A plan as every answer names it: its number and its title, not an id. */
export interface PlanLabel {
  id: string;
  code: string;
  slug: string;
  title: string;
}

/** Today, and the instant, in the plan's own time (its simulated clock, if it runs on one). */
function planTime(now: Date, clock: SimulatedClock | null) {
  const at = toPlanTime(now, clock ?? undefined);
  return { at, today: localDay(at) };
}

/** What the caller is to this assignment when it is an agency: its lead, or a collaborator. */
function callerRole(principal: Principal | undefined, row: AssignmentRow): 'lead' | 'collaborator' | null {
  if (!principal) return null;
  const relation = relationTo(principal, partiesOf(row));
  return relation === 'lead' || relation === 'collaborator' ? relation : null;
}

/**
 * The assignment as the API shows it: the read model's row, with the detail of the workflow's
 * state — as last projected, or as the workflow just answered a command (`view`). With the
 * principal, what it may do now (`allowedCommands`, domain/allowed-commands.ts) and what it is to
 * the assignment (`role`).
 */
export function toAssignment(r: AssignmentRow, view?: AssignmentView, now = new Date(), principal?: Principal) {
  const state = view ?? r.row.state;
  const status = view?.status ?? (r.row.status as AssignmentStatus);
  const effectiveDue = view ? view.effectiveDue : r.row.effectiveDue;
  const agencyCode = view?.agencyCode ?? r.row.agencyCode;
  const time = planTime(now, r.planClock);
  const lifecycle: LifecycleState = {
    status,
    agencyCode,
    deadline: view?.deadline ?? r.row.deadline,
    ...(state.dueOverride ? { dueOverride: state.dueOverride } : {}),
    submissions: state.submissions ?? [],
    reports: state.reports ?? [],
    extensions: state.extensions ?? [],
    contributions: state.contributions ?? [],
    agencyHistory: state.agencyHistory ?? [],
  };
  const accepted = lifecycle.submissions.find((s) => s.outcome === 'accepted');
  const owed =
    withLeadStatuses.includes(status) && state.expectedReports
      ? owedReport(
          state.expectedReports,
          lifecycle.reports.map((x) => x.period),
          time.today,
        )
      : null;
  const stopped =
    r.row.workflowStoppedAt && r.row.workflowStopReason
      ? {
          at: r.row.workflowStoppedAt.toISOString(),
          reason: r.row.workflowStopReason as WorkflowStopReason,
          text: `Việc theo dõi nhiệm vụ đã ngừng (tiến trình ${stopReasonNames[r.row.workflowStopReason as WorkflowStopReason]}); cần khởi động lại.`,
        }
      : null;
  return {
    id: r.row.id,
    plan: { id: r.row.planId, code: r.planCode, slug: r.planSlug, title: r.planTitle } satisfies PlanLabel,
    registry: { key: r.registry, name: registryNameOf(r) },
    task: {
      id: r.row.taskId,
      key: r.taskKey,
      number: r.taskNumber,
      section: r.taskSection,
      title: r.taskTitle,
      area: r.taskArea,
      objective: r.taskObjective,
      deliverables: r.taskDeliverables,
    },
    agencyCode,
    agency: agencyCode === r.row.agencyCode ? leadLabel(r) : agencyLabel(agencyCode),
    collaborators: r.collaboratorLabels.map((c) => ({
      code: c.code,
      name: c.name,
      shortName: c.shortName ?? agencyShortName(c.name),
    })),
    role: callerRole(principal, r),
    status,
    statusLabel: statusLabels[status],
    deadline: lifecycle.deadline,
    effectiveDue,
    overdue: isOverdue(status, effectiveDue, now, r.planClock),
    escalationLevel: view?.escalationLevel ?? r.row.escalationLevel,
    acknowledgedAt: state.acknowledgedAt,
    completedAt: state.completedAt,
    completion:
      status === 'completed' && state.completedAt
        ? completionText(
            localDay(new Date(state.completedAt)),
            accepted ? localDay(new Date(accepted.submittedAt)) : null,
            effectiveDue,
          )
        : null,
    cancelledAt: state.cancelledAt,
    onTime: state.onTime ?? null,
    submissions: lifecycle.submissions.map((s) => ({ ...s, submittedText: submittedText(s.submittedAt) })),
    reports: lifecycle.reports,
    latePeriods: state.latePeriods ?? [],
    reportOwed: owed
      ? { period: owed, label: periodLabel(owed), late: (state.latePeriods ?? []).includes(owed) }
      : null,
    extensions: lifecycle.extensions,
    contributions: lifecycle.contributions,
    agencyHistory: lifecycle.agencyHistory,
    cycle: state.cycle ?? null,
    cycles: state.cycles ?? [],
    nextEvent: state.nextEvent ? { ...state.nextEvent, at: utcInstant(state.nextEvent.at) } : null,
    version: view?.version ?? r.row.version,
    updatedAt: r.row.updatedAt.toISOString(),
    stopped,
    allowedCommands: principal
      ? allowedCommands(principal, partiesOf(r), lifecycle, {
          now: time.at.toISOString(),
          today: time.today,
          expectedReports: state.expectedReports ?? [],
          latePeriods: state.latePeriods ?? [],
          currentDue: state.cycle?.due ?? lifecycle.deadline.due ?? null,
          stopped: stopped !== null,
        })
      : [],
  };
}

export type AssignmentDto = ReturnType<typeof toAssignment>;

function leadLabel(r: Pick<AssignmentRow, 'row' | 'leadName' | 'leadShortName'>): AgencyLabel {
  return agencyLabel(r.row.agencyCode, r.leadName ? { name: r.leadName, shortName: r.leadShortName } : null);
}

function registryNameOf(r: Pick<AssignmentRow, 'registry' | 'registryName' | 'registryQualifiers'>): string {
  return registryDisplayName({
    registry: r.registry,
    ...(r.registryName ? { name: r.registryName } : {}),
    qualifiers: r.registryQualifiers ?? [],
  });
}

function baseQuery(db: Database) {
  return db
    .select(columns)
    .from(assignments)
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .leftJoin(agencyRegistries, eq(agencyRegistries.key, plans.registry))
    .leftJoin(leadAgency, leadAgencyJoin);
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

/**
 * The assignment's history from the audit trail, oldest first: each entry with its sentence in
 * Vietnamese and who did it (domain/audit-summary.ts), beside what was recorded.
 */
export async function assignmentTimeline(db: Database, id: string, registry?: string) {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'assignment'), eq(auditLog.entityId, id)))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  const facts = rows.map((r) => ({
    action: r.action,
    entityType: r.entityType,
    actor: r.actor,
    from: r.fromState,
    to: r.toState,
    details: r.details,
  }));
  const names =
    registry === undefined
      ? new Map<string, AgencyLabel>()
      : await agencyLabels(db, registry, facts.flatMap(agencyCodesOf));
  const nameOf = (code: string) => names.get(code)?.name ?? code;
  return rows.map((r, i) => ({
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    from: r.fromState,
    to: r.toState,
    details: detailsInUtc(r.details),
    ...describeAudit(facts[i]!, nameOf),
  }));
}

export interface AssignmentFilters {
  agency?: string;
  /** Statuses, or the groups of domain/lifecycle.ts `statusGroups` (withLead, review, closed, open). */
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
  /** Free text: the task's number, title, objective or area, or the lead agency's name. */
  q?: string;
  /** Only tasks whose plan names no reform area (the dashboard's "no area" row). */
  noArea?: boolean;
  /** In this bucket of domain/task-buckets.ts as of `asOf` (a day, or each plan's today). */
  bucket?: TaskBucket;
  /** Whose highest escalation open at `asOf` (or now) is this level. */
  escalationLevel?: number;
  asOf?: IsoDate;
  /** For an agency: the work it leads, or the work it collaborates on. */
  role?: 'lead' | 'collaborator';
  /** Only work that owes a report now (services/report-owed.ts). */
  reportOwed?: boolean;
}

/** The orders a list can take; "-" first is descending. Ties go by id, so a page never repeats a row. */
export const assignmentSorts = [
  'due',
  '-due',
  'agency',
  '-agency',
  'status',
  '-status',
  'updated',
  '-updated',
] as const;
export type AssignmentSort = (typeof assignmentSorts)[number];

const statusOrder = sql.join(
  assignmentStatuses.map((s) => sql`${s}`),
  sql`, `,
);

/** Each order's key as SQL, and the type its cursor's text is read back as. */
const sortKeys: Record<'due' | 'agency' | 'status' | 'updated', { key: SQL; type: SQL }> = {
  // Work without a due day comes after every dated one.
  due: { key: sql`coalesce(${assignments.effectiveDue}, '9999-12-31'::date)`, type: sql`date` },
  agency: { key: sql`coalesce(${leadAgency.shortName}, ${assignments.agencyCode})`, type: sql`text` },
  status: { key: sql`array_position(array[${statusOrder}]::text[], ${assignments.status})`, type: sql`int` },
  updated: { key: sql`${assignments.updatedAt}`, type: sql`timestamptz` },
};

function sortOf(sort: AssignmentSort | undefined) {
  if (!sort) return undefined;
  const descending = sort.startsWith('-');
  return { ...sortKeys[sort.replace('-', '') as keyof typeof sortKeys], descending };
}

/** Where the next page starts: after this id (the default order), or after this sort key and id. */
export type ListPosition = { id: string; key?: string };

function statusesOf(names: string[]): string[] {
  return names.flatMap((name) => (name in statusGroups ? [...statusGroups[name as StatusGroup]] : [name]));
}

export function filterConditions(filters: AssignmentFilters, now: Date, principal?: Principal): SQL[] {
  const overdue = overdueCondition(now);
  const own = principal?.agencyCode ?? '';
  if (filters.role && principal?.role !== 'agency')
    throw new Invalid('Bộ lọc "role" (chủ trì / phối hợp) chỉ dành cho cơ quan.', [
      { field: 'querystring:/role', message: 'chỉ dành cho tài khoản của cơ quan' },
    ]);
  const search = filters.q ? `%${fold(filters.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const conditions: (SQL | undefined)[] = [
    filters.agency ? eq(assignments.agencyCode, filters.agency) : undefined,
    filters.status?.length ? inArray(assignments.status, statusesOf(filters.status)) : undefined,
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
    search ? sql`(${tasks.searchText} like ${search} or coalesce(${leadAgency.search}, '') like ${search})` : undefined,
    filters.role === 'lead' ? eq(assignments.agencyCode, own) : undefined,
    filters.role === 'collaborator' ? sql`${assignments.agencyCode} <> ${own}` : undefined,
    filters.reportOwed === true ? sql`${owedReportPeriod(planToday(now))} is not null` : undefined,
    filters.reportOwed === false ? sql`${owedReportPeriod(planToday(now))} is null` : undefined,
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
  page: { limit: number; after?: string | ListPosition; sort?: AssignmentSort },
  now: Date,
) {
  const sort = sortOf(page.sort);
  const after = typeof page.after === 'string' ? { id: page.after } : page.after;
  const position = !after
    ? undefined
    : sort && after.key !== undefined
      ? sort.descending
        ? sql`(${sort.key}, ${assignments.id}) < (${after.key}::${sort.type}, ${after.id})`
        : sql`(${sort.key}, ${assignments.id}) > (${after.key}::${sort.type}, ${after.id})`
      : sql`${assignments.id} > ${after.id}`;
  const today = planToday(now);
  const owed = owedReportPeriod(today);
  return db
    .select({
      id: assignments.id,
      planId: assignments.planId,
      planCode: plans.code,
      planSlug: plans.slug,
      planTitle: plans.title,
      planClock,
      taskId: assignments.taskId,
      taskKey: tasks.key,
      taskNumber: tasks.number,
      taskSection: tasks.section,
      taskTitle: tasks.title,
      area: tasks.area,
      agencyCode: assignments.agencyCode,
      leadName: leadAgency.name,
      leadShortName: leadAgency.shortName,
      status: assignments.status,
      deadline: assignments.deadline,
      effectiveDue: assignments.effectiveDue,
      escalationLevel: assignments.escalationLevel,
      onTime: assignments.onTime,
      version: assignments.version,
      updatedAt: assignments.updatedAt,
      reportOwed: sql<string | null>`${owed}`,
      reportOwedLate: owedReportLate(owed),
      sortKey: sql<string | null>`${sort ? sql`(${sort.key})::text` : sql`null`}`,
    })
    .from(assignments)
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .leftJoin(leadAgency, leadAgencyJoin)
    .where(and(visibleTo(principal), ...filterConditions(filters, now, principal), position))
    .orderBy(
      ...(sort ? [sort.descending ? desc(sort.key) : asc(sort.key)] : []),
      sort?.descending ? desc(assignments.id) : asc(assignments.id),
    )
    .limit(page.limit + 1);
}

/** How many assignments the filters match in all, for the page's `total`. */
function countQuery(db: Database, principal: Principal, filters: AssignmentFilters, now: Date) {
  return db
    .select({ n: count() })
    .from(assignments)
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .leftJoin(leadAgency, leadAgencyJoin)
    .where(and(visibleTo(principal), ...filterConditions(filters, now, principal)));
}

export async function listAssignments(
  db: Database,
  principal: Principal,
  filters: AssignmentFilters,
  page: { limit: number; after?: string | ListPosition; sort?: AssignmentSort },
  now = new Date(),
) {
  // A plan named by its number is looked for in the reader's registry only.
  const resolved = filters.plan
    ? { ...filters, plan: await resolvePlanRef(db, filters.plan, principal.registry) }
    : filters;
  const [rows, [counted]] = await Promise.all([
    listQuery(db, principal, resolved, page, now),
    countQuery(db, principal, resolved, now),
  ]);
  const own = principal.role === 'agency' ? (principal.agencyCode ?? '') : undefined;
  const items = rows.slice(0, page.limit).map((r) => ({
    id: r.id,
    plan: { id: r.planId, code: r.planCode, slug: r.planSlug, title: r.planTitle } satisfies PlanLabel,
    task: {
      id: r.taskId,
      key: r.taskKey,
      number: r.taskNumber,
      section: r.taskSection,
      title: r.taskTitle,
      area: r.area,
    },
    agencyCode: r.agencyCode,
    agency: agencyLabel(r.agencyCode, r.leadName ? { name: r.leadName, shortName: r.leadShortName } : null),
    // Visible to an agency only as its lead or a collaborator (visibleTo).
    role: own === undefined ? null : r.agencyCode === own ? ('lead' as const) : ('collaborator' as const),
    status: r.status as AssignmentStatus,
    statusLabel: statusLabels[r.status as AssignmentStatus] ?? r.status,
    deadline: r.deadline,
    effectiveDue: r.effectiveDue,
    overdue: isOverdue(r.status, r.effectiveDue, now, r.planClock),
    escalationLevel: r.escalationLevel,
    onTime: r.onTime,
    reportOwed: r.reportOwed
      ? { period: r.reportOwed, label: periodLabel(r.reportOwed), late: Boolean(r.reportOwedLate) }
      : null,
    version: r.version,
    updatedAt: r.updatedAt.toISOString(),
  }));
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  return {
    items,
    last: last ? { id: last.id, ...(page.sort ? { key: last.sortKey ?? '' } : {}) } : undefined,
    total: Number(counted?.n ?? 0),
  };
}
