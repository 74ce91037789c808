import { and, eq, like, ne, or, sql } from 'drizzle-orm';
import type { Actor } from '../domain/lifecycle.ts';
import { actorName, isClosed, type AssignmentStatus } from '../domain/lifecycle.ts';
import { sectionKey } from '../domain/appendix/task-keys.ts';
import { assignmentId, slugify } from '../domain/ids.ts';
import { fold } from '../domain/text.ts';
import { revisePlan, type ExistingTask, type IncomingTask, type TaskChange } from '../domain/plan-revision.ts';
import type { PolicyOverrides } from '../domain/policy.ts';
import type { Deadline, IsoDate } from '../domain/types.ts';
import type { Database } from '../db/client.ts';
import { assignments, plans, planSources, tasks, workflowOutbox } from '../db/schema.ts';
import type { DraftEditRecord, TaskCompletion } from '../domain/appendix/draft.ts';
import { instantAt } from '../domain/instant.ts';
import { summarizeRevision, type RevisionSummary } from '../domain/plan-revision.ts';
import { recordAudit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { Conflict, RevisionNeeded } from './errors.ts';
import type { OwedCommand } from '../domain/assignment-view.ts';
import { dispatchPlan } from './workflow-dispatch.ts';
import { noticeAssignments } from './assigned-notices.ts';
import { acceptProposedAgencies, registryNames, type JoiningAgencies } from './registries.ts';

export interface AgencyRef {
  code: string | null;
  name: string;
}

export interface TaskToImport {
  /** The number as written. */
  number: string;
  /** The section the task sits in ("II", "A"); none when the plan has no sections. */
  section?: string | null;
  /**
   * Its identity in the plan (revisions, assignment ids): the number, or "<section>.<number>"
   * when numbering restarts in each section (domain/appendix/task-keys.ts). Defaults to the number.
   */
  key?: string;
  sourceRow?: number;
  area: string | null;
  objective: string | null;
  title: string;
  deliverables: string[];
  leadsRaw: string;
  collaboratorsRaw: string;
  /** Resolved leads, groups already fanned out; every one has a code. */
  leads: { code: string; name: string }[];
  collaborators: AgencyRef[];
  deadline: Deadline;
  metadata: Record<string, string>;
  /** The task's code from the table's column of codes. */
  code?: string;
  /** Done before the import: its new assignments start completed on that day. */
  completion?: TaskCompletion;
}

/** The file a plan was imported from, kept with the plan (GET /v1/plans/{id}/source). */
export interface PlanSourceFile {
  fileName?: string;
  format: string;
  sha256: string;
  content: Uint8Array;
  /** The coordinator's edits to its reading (a draft's). */
  edits: DraftEditRecord[];
}

export interface PlanToImport {
  code: string;
  title: string;
  province: string;
  registry: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  policy: PolicyOverrides;
  /** The day the plan was signed, when known. */
  issuedOn?: IsoDate;
  tasks: TaskToImport[];
}

export interface ImportResult {
  plan: { id: string; code: string; slug: string; registry: string; revision: number };
  outcome: 'created' | 'updated' | 'unchanged';
  changes: TaskChange[];
  assignments: { created: number; total: number; started: number; pendingStart: number };
}

const importActor: Actor = { role: 'system', name: 'import' };

const keyOf = (task: TaskToImport) => task.key ?? task.number;

function incoming(task: TaskToImport): IncomingTask {
  return {
    key: keyOf(task),
    section: task.section ?? null,
    title: task.title,
    objective: task.objective,
    area: task.area,
    deliverables: task.deliverables,
    deadline: task.deadline,
    leadCodes: [...new Set(task.leads.map((l) => l.code))],
    collaboratorCodes: task.collaborators.map((c) => c.code ?? c.name),
  };
}

/** Whether the plan's tasks are keyed by section and number (II.1) rather than by number. */
async function keyedBySection(tx: Database, planId: string): Promise<boolean> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(tasks)
    .where(and(eq(tasks.planId, planId), ne(tasks.key, tasks.number)));
  return (row?.n ?? 0) > 0;
}

/**
 * The tasks as keyed in the plan already imported: a plan keyed by section keeps that keying
 * when a revision happens to number its tasks uniquely (a task dropped, say), or every task would
 * read as removed and added again.
 */
function keyedLikeBefore(planTasks: TaskToImport[], bySection: boolean): TaskToImport[] {
  if (!bySection) return planTasks;
  return planTasks.map((t) => ({ ...t, key: sectionKey({ number: t.number, section: t.section ?? null }) }));
}

async function loadExisting(tx: Database, planId: string): Promise<ExistingTask[]> {
  const taskRows = await tx.select().from(tasks).where(eq(tasks.planId, planId));
  const assignmentRows = await tx
    .select({
      id: assignments.id,
      taskId: assignments.taskId,
      agencyCode: assignments.agencyCode,
      status: assignments.status,
    })
    .from(assignments)
    .where(eq(assignments.planId, planId));
  return taskRows.map((t) => {
    const mine = assignmentRows.filter((a) => a.taskId === t.id);
    return {
      id: t.id,
      removed: t.removedAt !== null,
      key: t.key,
      section: t.section,
      title: t.title,
      objective: t.objective,
      area: t.area,
      deliverables: t.deliverables,
      deadline: t.deadline,
      leadCodes: mine.map((a) => a.agencyCode),
      collaboratorCodes: t.collaborators.map((c) => c.code ?? c.name),
      openAssignments: mine
        .filter((a) => !isClosed(a.status as AssignmentStatus))
        .map((a) => ({ id: a.id, agencyCode: a.agencyCode })),
      closedAgencies: mine.filter((a) => isClosed(a.status as AssignmentStatus)).map((a) => a.agencyCode),
    };
  });
}

function taskRow(planId: string, task: TaskToImport) {
  return {
    planId,
    key: keyOf(task),
    number: task.number,
    section: task.section ?? null,
    sourceRow: task.sourceRow ?? null,
    area: task.area,
    objective: task.objective,
    title: task.title,
    deliverables: task.deliverables,
    leadsRaw: task.leadsRaw,
    collaboratorsRaw: task.collaboratorsRaw,
    collaborators: task.collaborators,
    deadline: task.deadline,
    metadata: task.metadata,
    completion: task.completion ?? null,
    code: task.code ?? null,
    searchText: fold([keyOf(task), task.code ?? '', task.title, task.objective ?? '', task.area ?? ''].join(' ')),
    removedAt: null,
    updatedAt: new Date(),
  };
}

/**
 * A new plan's row. Its slug names its workflows, so it is unique in the deployment: the code's
 * own, or prefixed by the registry when another province's plan of that number has it.
 */
async function insertPlan(tx: Database, plan: PlanToImport): Promise<typeof plans.$inferSelect> {
  const bare = slugify(plan.code);
  const taken = await tx
    .select({ code: plans.code, slug: plans.slug, registry: plans.registry })
    .from(plans)
    .where(or(eq(plans.slug, bare), like(plans.slug, `${plan.registry}-${bare}%`)));
  const sameForm = taken.find((p) => p.registry === plan.registry && slugify(p.code) === bare);
  if (sameForm) {
    throw new Conflict(
      `Số hiệu "${plan.code}" trùng với kế hoạch đã có "${sameForm.code}" (cùng mã ${bare}); nếu là cùng một kế hoạch, hãy dùng đúng số hiệu "${sameForm.code}".`,
    );
  }
  const used = new Set(taken.map((p) => p.slug));
  let slug = used.has(bare) ? `${plan.registry}-${bare}` : bare;
  for (let n = 2; used.has(slug); n++) slug = `${plan.registry}-${bare}-${n}`;
  const [row] = await tx
    .insert(plans)
    .values({
      code: plan.code,
      slug,
      title: plan.title,
      province: plan.province,
      registry: plan.registry,
      periodStart: plan.periodStart,
      periodEnd: plan.periodEnd,
      policy: plan.policy,
      issuedOn: plan.issuedOn ?? null,
    })
    .returning();
  return row!;
}

/** What importing `plan` would change in the plan of its registry and code already there, if any. */
async function revisionOf(tx: Database, plan: PlanToImport) {
  const [found] = await tx
    .select()
    .from(plans)
    .where(and(eq(plans.registry, plan.registry), eq(plans.code, plan.code)));
  if (!found) return undefined;
  const existing = await loadExisting(tx, found.id);
  const planTasks = keyedLikeBefore(plan.tasks, await keyedBySection(tx, found.id));
  const changes = revisePlan(existing, planTasks.map(incoming));
  const planChanged =
    found.title !== plan.title ||
    found.periodStart !== plan.periodStart ||
    found.periodEnd !== plan.periodEnd ||
    JSON.stringify(found.policy) !== JSON.stringify(plan.policy);
  return { found, existing, planTasks, changes, planChanged };
}

/** The titles of a revision's tasks, new or as they were. */
function titlesOf(existing: readonly ExistingTask[], planTasks: readonly TaskToImport[]): Map<string, string> {
  const titles = new Map(existing.map((t) => [t.key, t.title]));
  for (const task of planTasks) titles.set(keyOf(task), task.title);
  return titles;
}

/**
 * What importing `plan` would do to the plan already in its registry, or undefined when there is
 * none: shown before a revision happens, and what a refused revision answers (409).
 */
export async function revisionSummary(db: Database, plan: PlanToImport): Promise<RevisionSummary | undefined> {
  const revision = await revisionOf(db, plan);
  if (!revision) return undefined;
  return summarizeRevision(
    { id: revision.found.id, code: revision.found.code, revision: revision.found.revision },
    revision.changes,
    titlesOf(revision.existing, revision.planTasks),
    revision.planChanged,
  );
}

/** The assignment row of a task done before the import: completed on its day, on time or late by its due day. */
function completedAtImport(task: TaskToImport): Partial<typeof assignments.$inferInsert> {
  if (!task.completion) return {};
  const due = task.deadline.due ?? null;
  return {
    status: 'completed',
    completedAt: instantAt(task.completion.completedOn, 17),
    onTime: due === null || task.completion.completedOn <= due,
  };
}

/**
 * Imports a plan, or a revision of one, in one transaction: plan, tasks and assignment rows,
 * plus the commands owed to running workflows. Workflows are started and told afterwards; what
 * could not be sent stays owed and is sent by the next dispatch.
 */
export async function importPlan(
  deps: ServiceDeps,
  plan: PlanToImport,
  options: {
    onDispatchFailure?: (error: unknown) => void;
    by?: Actor;
    /** The coordinator confirmed that a plan already there is revised; without it a revision is refused (409). */
    revise?: boolean;
    /** The file the plan came from, kept with the plan. */
    source?: PlanSourceFile;
    /** Agencies the coordinator accepted into the registry for this plan: written with it or not at all. */
    joining?: JoiningAgencies;
  } = {},
): Promise<ImportResult> {
  const result = await deps.db.transaction(async (tx) => {
    // One import of a code at a time, whatever the registry: the row lock below has nothing to
    // lock on a first import, and two registries importing the same number must not race for a slug.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`plan:${slugify(plan.code)}`}))`);
    if (options.joining)
      await acceptProposedAgencies(tx, plan.registry, options.joining.proposals, options.joining.by, plan.code);
    // A plan is its registry's: the same decision number in another province is another plan.
    const [found] = await tx
      .select()
      .from(plans)
      .where(and(eq(plans.registry, plan.registry), eq(plans.code, plan.code)))
      .for('update');
    const planRow = found ?? (await insertPlan(tx, plan));
    const slug = planRow.slug;

    const existing = found ? await loadExisting(tx, planRow.id) : [];
    const planTasks = keyedLikeBefore(plan.tasks, found ? await keyedBySection(tx, planRow.id) : false);
    const changes = revisePlan(existing, planTasks.map(incoming));
    const planChanged =
      Boolean(found) &&
      (found!.title !== plan.title ||
        found!.periodStart !== plan.periodStart ||
        found!.periodEnd !== plan.periodEnd ||
        JSON.stringify(found!.policy) !== JSON.stringify(plan.policy));

    if (found && changes.length === 0 && !planChanged) {
      return { planRow, outcome: 'unchanged' as const, changes, created: 0 };
    }
    // A revision is shown before it happens and confirmed: never silently.
    if (found && !options.revise) {
      throw new RevisionNeeded(
        `Kế hoạch ${found.code} đã có trong danh mục ${found.registry}; nhập lại là điều chỉnh kế hoạch (${changes.length} thay đổi). Hãy xem các thay đổi rồi xác nhận điều chỉnh (revise=true).`,
        summarizeRevision(
          { id: found.id, code: found.code, revision: found.revision },
          changes,
          titlesOf(existing, planTasks),
          planChanged,
        ),
      );
    }

    const byKey = new Map(planTasks.map((t) => [keyOf(t), t]));
    const taskIds = new Map(existing.map((t) => [t.key, t.id]));
    const newAssignments: (typeof assignments.$inferInsert)[] = [];
    const owed: { assignmentId: string; command: OwedCommand }[] = [];

    const addAssignments = (taskId: string, task: TaskToImport, codes: string[]) => {
      for (const code of codes) {
        const key = keyOf(task);
        const base = assignmentId(slug, key, code);
        // A lead that returns after its assignment was closed gets a fresh assignment.
        const id = existing.some((t) => t.key === key && t.closedAgencies.includes(code))
          ? `${base}~r${planRow.revision + 1}`
          : base;
        newAssignments.push({
          id,
          planId: planRow.id,
          taskId,
          agencyCode: code,
          status: 'assigned',
          deadline: task.deadline,
          effectiveDue: task.deadline.due ?? null,
          // Done before the import: never chased; its workflow starts completed (workflow-dispatch.ts).
          ...completedAtImport(task),
        });
      }
    };

    for (const change of changes) {
      const task = byKey.get(change.key);
      switch (change.kind) {
        case 'added': {
          const [row] = await tx
            .insert(tasks)
            .values(taskRow(planRow.id, task!))
            .onConflictDoUpdate({ target: [tasks.planId, tasks.key], set: taskRow(planRow.id, task!) })
            .returning({ id: tasks.id });
          taskIds.set(change.key, row!.id);
          addAssignments(row!.id, task!, change.leads);
          break;
        }
        case 'text':
        case 'deadline':
          await tx.update(tasks).set(taskRow(planRow.id, task!)).where(eq(tasks.id, change.taskId));
          // A deadline the revision made unreadable is flagged by the preview; the running
          // workflow keeps the one it has rather than be told a deadline it cannot use.
          if (change.kind === 'deadline' && change.to.kind !== 'unresolved') {
            for (const id of change.assignments)
              owed.push({
                assignmentId: id,
                command: { type: 'setDeadline', deadline: change.to, reason: 'Kế hoạch được điều chỉnh' },
              });
          }
          break;
        case 'reassigned':
          owed.push({
            assignmentId: change.assignment,
            command: {
              type: 'reassign',
              toAgency: change.to,
              reason: 'Kế hoạch được điều chỉnh: thay đổi cơ quan chủ trì',
            },
          });
          break;
        case 'lead-added':
          addAssignments(change.taskId, task!, change.agencies);
          break;
        case 'lead-removed':
          for (const id of change.cancel)
            owed.push({
              assignmentId: id,
              command: { type: 'cancel', reason: 'Kế hoạch được điều chỉnh: cơ quan không còn chủ trì nhiệm vụ' },
            });
          break;
        case 'removed':
          await tx
            .update(tasks)
            .set({ removedAt: new Date(), updatedAt: new Date() })
            .where(eq(tasks.id, change.taskId));
          for (const id of change.cancel)
            owed.push({
              assignmentId: id,
              command: { type: 'cancel', reason: 'Kế hoạch được điều chỉnh: nhiệm vụ bị bỏ khỏi kế hoạch' },
            });
          break;
      }
    }

    // Running workflows plan their timers by the plan's policy and period and quote the task's
    // title and collaborators: a revision of either is sent to each open assignment concerned.
    const retold = new Set(
      changes.flatMap((c) =>
        c.kind === 'text' && c.fields.some((f) => f === 'title' || f === 'collaborators') ? [c.taskId] : [],
      ),
    );
    for (const before of existing) {
      const task = byKey.get(before.key);
      if (!task || (!planChanged && !retold.has(before.id))) continue;
      const revision = {
        policy: plan.policy,
        planPeriod: { start: plan.periodStart, end: plan.periodEnd },
        taskTitle: task.title,
        collaboratorCodes: task.collaborators.flatMap((c) => (c.code ? [c.code] : [])),
      };
      for (const { id } of before.openAssignments)
        owed.push({ assignmentId: id, command: { type: 'revisePlan', revision } });
    }

    // Rows go in batches: a large plan fans out to tens of thousands of assignments.
    for (let i = 0; i < newAssignments.length; i += 2000) {
      await tx
        .insert(assignments)
        .values(newAssignments.slice(i, i + 2000))
        .onConflictDoNothing();
    }
    // Each new lead hears of its task (an `assigned` notice, written here, not by the workflow).
    const taskById = new Map([...taskIds].flatMap(([key, id]) => (byKey.has(key) ? [[id, byKey.get(key)!]] : [])));
    await noticeAssignments(tx, newAssignments, { planCode: plan.code, task: (id) => taskById.get(id) });
    if (owed.length > 0) {
      await tx
        .insert(workflowOutbox)
        .values(owed.map((o) => ({ assignmentId: o.assignmentId, command: o.command, actor: importActor })));
    }
    let revised = planRow;
    if (found) {
      [revised] = (await tx
        .update(plans)
        .set({
          title: plan.title,
          periodStart: plan.periodStart,
          periodEnd: plan.periodEnd,
          policy: plan.policy,
          ...(plan.issuedOn ? { issuedOn: plan.issuedOn } : {}),
          revision: sql`${plans.revision} + 1`,
          updatedAt: new Date(),
        })
        .where(eq(plans.id, planRow.id))
        .returning()) as [typeof planRow];
    }
    if (options.source) {
      const { source } = options;
      await tx.insert(planSources).values({
        planId: revised.id,
        revision: revised.revision,
        fileName: source.fileName ?? null,
        format: source.format,
        sha256: source.sha256,
        size: source.content.byteLength,
        content: source.content,
        edits: source.edits,
        importedBy: actorName(options.by ?? importActor),
      });
      // Each of the coordinator's edits to the reading, one entry each: who changed which cell from what to what.
      for (const edit of source.edits)
        await recordAudit(tx, {
          actor: edit.actor,
          action: 'plan-draft-edit',
          entityType: 'plan',
          entityId: revised.id,
          from: edit.from === undefined ? null : JSON.stringify(edit.from),
          to: edit.to === undefined ? null : JSON.stringify(edit.to),
          details: { row: edit.row, field: edit.field, at: edit.at, revision: revised.revision },
        });
    }
    // The permanent record of who imported or revised the plan, and what that changed.
    await recordAudit(tx, {
      actor: options.by ?? importActor,
      action: found ? 'plan-revise' : 'plan-import',
      entityType: 'plan',
      entityId: revised.id,
      from: found ? String(found.revision) : null,
      to: String(revised.revision),
      details: {
        code: plan.code,
        registry: plan.registry,
        tasks: plan.tasks.length,
        assignmentsCreated: newAssignments.length,
        ...(options.source
          ? { source: { sha256: options.source.sha256, fileName: options.source.fileName ?? null } }
          : {}),
        changes: changes.map((c) => ({ kind: c.kind, key: c.key })),
      },
    });
    return {
      planRow: revised,
      outcome: found ? ('updated' as const) : ('created' as const),
      changes,
      created: newAssignments.length,
    };
  });

  // The plan is committed whatever happens now: what cannot be started or sent (Temporal away)
  // stays owed, the periodic dispatch retries it, and the answer counts it as pending.
  let started = 0;
  try {
    started = (await dispatchPlan(deps, result.planRow.id)).started;
  } catch (error) {
    options.onDispatchFailure?.(error);
  }
  const [counts] = await deps.db
    .select({
      total: sql<number>`count(*)::int`,
      pending: sql<number>`count(*) filter (where ${assignments.workflowStartedAt} is null)::int`,
    })
    .from(assignments)
    .where(eq(assignments.planId, result.planRow.id));
  return {
    plan: {
      id: result.planRow.id,
      code: result.planRow.code,
      slug: result.planRow.slug,
      registry: result.planRow.registry,
      revision: result.planRow.revision,
    },
    outcome: result.outcome,
    changes: result.changes,
    assignments: { created: result.created, total: counts?.total ?? 0, started, pendingStart: counts?.pending ?? 0 },
  };
}

/** The plans imported, of one registry when `registry` is given, each with its registry's name. */
export async function listPlans(db: Database, registry?: string) {
  const rows = await plansOf(db, registry);
  const names = await registryNames(
    db,
    rows.map((r) => r.registry),
  );
  return rows.map((r) => ({ ...r, registryName: names.get(r.registry) ?? r.registry }));
}

function plansOf(db: Database, registry?: string) {
  return db
    .select({
      id: plans.id,
      code: plans.code,
      slug: plans.slug,
      title: plans.title,
      province: plans.province,
      registry: plans.registry,
      periodStart: plans.periodStart,
      periodEnd: plans.periodEnd,
      revision: plans.revision,
      // Written out: drizzle leaves columns unqualified in a select list, which these subqueries need.
      tasks: sql<number>`(select count(*)::int from tasks t where t.plan_id = plans.id and t.removed_at is null)`,
      assignments: sql<number>`(select count(*)::int from assignments a where a.plan_id = plans.id)`,
    })
    .from(plans)
    .where(registry !== undefined ? eq(plans.registry, registry) : undefined)
    .orderBy(plans.createdAt);
}

/** How far a plan's import has come: its assignments, and those whose workflow has recorded its first state. */
export async function importProgress(
  db: Database,
  plan: { registry: string; code: string },
): Promise<{ total: number; projected: number }> {
  const [row] = await db
    .select({
      total: sql<number>`count(${assignments.id})::int`,
      projected: sql<number>`count(${assignments.id}) filter (where ${assignments.version} >= 1)::int`,
    })
    .from(assignments)
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .where(and(eq(plans.registry, plan.registry), eq(plans.code, plan.code)));
  return { total: Number(row?.total ?? 0), projected: Number(row?.projected ?? 0) };
}
