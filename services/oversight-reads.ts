import { and, desc, eq, gte, isNull, lt, lte, sql } from 'drizzle-orm';
import { detailsInUtc } from '../domain/instant.ts';
import { agencyLabel } from '../domain/agencies/names.ts';
import { agencyCodesOf, describeAudit } from '../domain/audit-summary.ts';
import type { Database } from '../db/client.ts';
import { agencyLabelsIn } from '../db/agency-index.ts';
import { apiTokens, assignments, auditLog, escalations, plans, tasks } from '../db/schema.ts';
import { leadAgency, leadAgencyJoin } from './assignment-reads.ts';

export interface EscalationFilter {
  open: boolean;
  level?: number;
  /** Only the escalations of work this agency leads now. */
  agency?: string;
  /** Only those of this registry's plans. */
  registry?: string;
}

function escalationConditions(filter: EscalationFilter) {
  return and(
    filter.open ? isNull(escalations.resolvedAt) : undefined,
    filter.level ? eq(escalations.level, filter.level) : undefined,
    // The agency that leads the work now: one that gave it up no longer answers for it.
    filter.agency ? eq(assignments.agencyCode, filter.agency) : undefined,
    filter.registry !== undefined ? eq(plans.registry, filter.registry) : undefined,
  );
}

/** How many escalations the filter matches, for the page's `total`. */
export async function countEscalations(db: Database, filter: EscalationFilter): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(escalations)
    .innerJoin(assignments, eq(assignments.id, escalations.assignmentId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .where(escalationConditions(filter));
  return Number(row?.n ?? 0);
}

/** Escalations, highest level first, `limit + 1` from `offset` so the caller knows whether more follow. */
export async function listEscalations(db: Database, filter: EscalationFilter, page: { limit: number; offset: number }) {
  const rows = await db
    .select({
      e: escalations,
      plan: plans.code,
      planId: plans.id,
      planSlug: plans.slug,
      planTitle: plans.title,
      leadName: leadAgency.name,
      leadShortName: leadAgency.shortName,
      leadCode: assignments.agencyCode,
      key: tasks.key,
      number: tasks.number,
      title: tasks.title,
      status: assignments.status,
    })
    .from(escalations)
    .innerJoin(assignments, eq(assignments.id, escalations.assignmentId))
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .leftJoin(leadAgency, leadAgencyJoin)
    .where(escalationConditions(filter))
    .orderBy(desc(escalations.level), escalations.raisedAt, escalations.assignmentId)
    .limit(page.limit + 1)
    .offset(page.offset);
  // The agency that answers for the work now, as `agency`; `agencyCode` is the one escalated then.
  return rows.map((r) => ({
    assignmentId: r.e.assignmentId,
    level: r.e.level,
    cycle: r.e.cycle,
    agencyCode: r.e.agencyCode,
    agency: agencyLabel(
      r.e.agencyCode,
      r.leadName && r.e.agencyCode === r.leadCode ? { name: r.leadName, shortName: r.leadShortName } : null,
    ),
    planInfo: { id: r.planId, code: r.plan, slug: r.planSlug, title: r.planTitle },
    effectiveDue: r.e.effectiveDue,
    raisedAt: r.e.raisedAt.toISOString(),
    resolvedAt: r.e.resolvedAt?.toISOString() ?? null,
    plan: r.plan,
    task: { key: r.key, number: r.number, title: r.title },
    status: r.status,
  }));
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  /** Part of the actor's name. */
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** Only what belongs to this registry (a province's coordinator sees its province's trail). */
  registry?: string;
}

/**
 * An audit entry belongs to the registry of what it is about: an assignment's or a plan's
 * province, a token's, an agency's (its id is `<registry>:<code>`), or the registry itself.
 * Entries about nothing in a registry (deployment-wide tokens) are for the unbound coordinator only.
 */
function inRegistry(registry: string) {
  return sql`(
    (${auditLog.entityType} = 'assignment' and exists (
      select 1 from ${assignments} join ${plans} on ${plans.id} = ${assignments.planId}
      where ${assignments.id} = ${auditLog.entityId} and ${plans.registry} = ${registry}))
    or (${auditLog.entityType} = 'plan' and exists (
      select 1 from ${plans} where ${plans.id}::text = ${auditLog.entityId} and ${plans.registry} = ${registry}))
    or (${auditLog.entityType} = 'token' and exists (
      select 1 from ${apiTokens} where ${apiTokens.id}::text = ${auditLog.entityId} and ${apiTokens.registry} = ${registry}))
    or (${auditLog.entityType} = 'agency' and starts_with(${auditLog.entityId}, ${`${registry}:`}))
    or (${auditLog.entityType} = 'registry' and ${auditLog.entityId} = ${registry})
  )`;
}

function auditConditions(filter: AuditFilter) {
  return and(
    filter.entityType ? eq(auditLog.entityType, filter.entityType) : undefined,
    filter.entityId ? eq(auditLog.entityId, filter.entityId) : undefined,
    filter.actor ? sql`${auditLog.actor} like ${`%${filter.actor}%`}` : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.from ? gte(auditLog.at, filter.from) : undefined,
    filter.to ? lte(auditLog.at, filter.to) : undefined,
    filter.registry !== undefined ? inRegistry(filter.registry) : undefined,
  );
}

/** How many audit entries the filter matches, for the page's `total`. */
export async function countAudit(db: Database, filter: AuditFilter): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(auditConditions(filter));
  return Number(row?.n ?? 0);
}

interface EntityFacts {
  entry: { entityType: string; entityId: string };
  task: { number: string; title: string; agencyCode: string } | null;
  planCode: string | null;
}

/** The agency an entry's record belongs to: an assignment's lead, an agency itself (`<registry>:<code>`). */
function entityAgencyCodes({ entry, task }: EntityFacts): string[] {
  if (task) return [task.agencyCode];
  if (entry.entityType === 'agency') return [entry.entityId.slice(entry.entityId.indexOf(':') + 1)];
  return [];
}

/**
 * The record an entry is about, as people read it: "1. Chuẩn hoá quy trình — Sở Nội vụ", "Kế hoạch
 * 31/KH-UBND", an agency's name; null for what has no such name (an account, a token).
 */
function entityName({ entry, task, planCode }: EntityFacts, nameOf: (code: string) => string): string | null {
  if (task) return `${task.number}. ${task.title} — ${nameOf(task.agencyCode)}`;
  if (planCode) return `Kế hoạch ${planCode}`;
  const [code] = entityAgencyCodes({ entry, task, planCode });
  return code ? nameOf(code) : null;
}

/** The audit trail, newest first, `limit + 1` entries before the id `before`. */
export async function listAudit(db: Database, filter: AuditFilter, page: { limit: number; before?: number }) {
  const rows = await db
    .select({
      entry: auditLog,
      // The registry whose agencies the entry names: its assignment's plan's, an agency's own.
      registry: sql<string | null>`(case
        when ${auditLog.entityType} = 'assignment' then (select p.registry from ${assignments} a join ${plans} p on p.id = a.plan_id where a.id = ${auditLog.entityId})
        when ${auditLog.entityType} = 'agency' then split_part(${auditLog.entityId}, ':', 1)
        when ${auditLog.entityType} = 'plan' then (select p.registry from ${plans} p where p.id::text = ${auditLog.entityId})
        end)`,
      // What the entry is about, to be named for people: an assignment's task and lead, a plan's number.
      task: sql<{ number: string; title: string; agencyCode: string } | null>`(case
        when ${auditLog.entityType} = 'assignment' then (select json_build_object('number', t.number, 'title', t.title, 'agencyCode', a.agency_code)
          from ${assignments} a join ${tasks} t on t.id = a.task_id where a.id = ${auditLog.entityId})
        end)`,
      planCode: sql<string | null>`(case
        when ${auditLog.entityType} = 'plan' then (select p.code from ${plans} p where p.id::text = ${auditLog.entityId})
        end)`,
    })
    .from(auditLog)
    .where(and(auditConditions(filter), page.before !== undefined ? lt(auditLog.id, page.before) : undefined))
    .orderBy(desc(auditLog.id))
    .limit(page.limit + 1);
  const facts = rows.map(({ entry: r, registry }) => ({
    registry: registry ?? filter.registry ?? null,
    action: r.action,
    entityType: r.entityType,
    actor: r.actor,
    from: r.fromState,
    to: r.toState,
    details: r.details,
  }));
  const names = await agencyLabelsIn(
    db,
    facts.flatMap((f, i) =>
      f.registry === null
        ? []
        : [...agencyCodesOf(f), ...entityAgencyCodes(rows[i]!)].map((code) => ({ registry: f.registry!, code })),
    ),
  );
  return rows.map(({ entry: r }, i) => {
    const f = facts[i]!;
    const nameOf = (code: string) => (f.registry === null ? code : (names.get(`${f.registry}|${code}`)?.name ?? code));
    return {
      id: r.id,
      at: r.at.toISOString(),
      ...describeAudit(f, nameOf),
      actor: r.actor,
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      entity: entityName(rows[i]!, (code) =>
        f.registry === null ? code : (names.get(`${f.registry}|${code}`)?.shortName ?? code),
      ),
      from: r.fromState,
      to: r.toState,
      details: detailsInUtc(r.details),
    };
  });
}
