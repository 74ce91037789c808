import { and, eq, isNull, notInArray, sql } from 'drizzle-orm';
import { isWithLead } from '../domain/lifecycle.ts';
import type { Database } from '../db/client.ts';
import { assignments, auditLog, deliverableFiles, escalations, notifications, reportFilings } from '../db/schema.ts';
import type { AssignmentView } from '../domain/assignment-view.ts';
import { versionAuditKey } from '../domain/record-keys.ts';

export interface AuditEntry {
  /** The assignment version this entry produced; with `seq` it makes retries land once. */
  version: number;
  seq: number;
  at: string;
  actor: string;
  action: string;
  fromState: string | null;
  toState: string | null;
  details: Record<string, unknown>;
  /** Instead of version and seq: a fired due reminder or escalation, keyed as the plan's shared timer keys it. */
  dedupeKey?: string;
}

export interface NotificationRecord {
  dedupeKey: string;
  recipientAgency?: string;
  recipientRole?: string;
  kind: string;
  text: string;
  link: string;
  level?: number;
  period?: string;
  at: string;
}

export interface EscalationRecord {
  cycle: number;
  level: number;
  agencyCode: string;
  effectiveDue: string | null;
  at: string;
}

export interface RecordAssignmentInput {
  snapshot: AssignmentView;
  audit: AuditEntry[];
  notifications?: NotificationRecord[];
  escalations?: EscalationRecord[];
}

/**
 * Writes what the workflow did, in one transaction: its state into the read model, audit entries,
 * notifications, escalations and report filings. Idempotent and ordered: a snapshot older than the
 * stored one changes no state, and every record carries a key so a retry never writes it twice.
 */
export async function recordAssignment(db: Database, input: RecordAssignmentInput): Promise<void> {
  const s = input.snapshot;
  await db.transaction(async (tx) => {
    const row = {
      id: s.id,
      planId: s.planId,
      taskId: s.taskId,
      agencyCode: s.agencyCode,
      status: s.status,
      deadline: s.deadline,
      effectiveDue: s.effectiveDue,
      escalationLevel: s.escalationLevel,
      completedAt: s.completedAt ? new Date(s.completedAt) : null,
      onTime: s.onTime,
      state: s,
      version: s.version,
      workflowStartedAt: new Date(s.assignedAt),
      updatedAt: new Date(),
    };
    const applied = await tx
      .insert(assignments)
      .values(row)
      .onConflictDoUpdate({
        target: assignments.id,
        set: {
          agencyCode: row.agencyCode,
          status: row.status,
          deadline: row.deadline,
          effectiveDue: row.effectiveDue,
          escalationLevel: row.escalationLevel,
          completedAt: row.completedAt,
          onTime: row.onTime,
          state: row.state,
          version: row.version,
          workflowStartedAt: sql`coalesce(${assignments.workflowStartedAt}, excluded.workflow_started_at)`,
          // A workflow that writes is running: one restarted after a stop is no longer stopped.
          workflowStoppedAt: null,
          workflowStopReason: null,
          updatedAt: row.updatedAt,
        },
        setWhere: sql`${assignments.version} < excluded.version`,
      })
      .returning({ id: assignments.id });

    if (input.audit.length > 0) {
      await tx
        .insert(auditLog)
        .values(
          input.audit.map((entry) => ({
            at: new Date(entry.at),
            actor: entry.actor,
            action: entry.action,
            entityType: 'assignment',
            entityId: s.id,
            fromState: entry.fromState,
            toState: entry.toState,
            details: entry.details,
            dedupeKey: entry.dedupeKey ?? versionAuditKey(s.id, entry.version, entry.seq),
          })),
        )
        .onConflictDoNothing({ target: auditLog.dedupeKey });
    }
    if (input.notifications?.length) {
      await tx
        .insert(notifications)
        .values(
          input.notifications.map((n) => ({
            assignmentId: s.id,
            recipientAgency: n.recipientAgency ?? null,
            recipientRole: n.recipientRole ?? null,
            kind: n.kind,
            level: n.level ?? null,
            period: n.period ?? null,
            text: n.text,
            link: n.link,
            createdAt: new Date(n.at),
            dedupeKey: n.dedupeKey,
          })),
        )
        .onConflictDoNothing({ target: notifications.dedupeKey });
    }
    if (input.escalations?.length) {
      await tx
        .insert(escalations)
        .values(
          input.escalations.map((e) => ({
            assignmentId: s.id,
            cycle: e.cycle,
            level: e.level,
            agencyCode: e.agencyCode,
            effectiveDue: e.effectiveDue,
            raisedAt: new Date(e.at),
          })),
        )
        .onConflictDoNothing();
    }

    // A file sent with a submission goes with it from now on; one never attached stays removable.
    // Only the latest submission can be new: earlier ones were attached when they were written.
    const latest = s.submissions.at(-1);
    if (latest?.file) {
      await tx
        .update(deliverableFiles)
        .set({ submission: s.submissions.length - 1 })
        .where(
          and(
            eq(deliverableFiles.id, latest.file),
            eq(deliverableFiles.assignmentId, s.id),
            isNull(deliverableFiles.submission),
          ),
        );
    }

    // The rest follows the state, so only a snapshot newer than the stored one may write it.
    if (applied.length === 0) return;
    const escalationsOver = !isWithLead(s.status) || s.escalationLevel === 0;
    if (escalationsOver) {
      await tx
        .update(escalations)
        .set({ resolvedAt: new Date() })
        .where(and(eq(escalations.assignmentId, s.id), isNull(escalations.resolvedAt)));
    }
    const filings = new Map<string, typeof reportFilings.$inferInsert>();
    // Periods still to come are listed as owed (pending) while the assignment is open.
    if (isWithLead(s.status)) {
      // A period no longer owed (the deadline moved) must not be marked late by the plan's timer.
      await tx
        .delete(reportFilings)
        .where(
          and(
            eq(reportFilings.assignmentId, s.id),
            isNull(reportFilings.filedAt),
            eq(reportFilings.late, false),
            s.expectedReports.length > 0 ? notInArray(reportFilings.period, s.expectedReports) : undefined,
          ),
        );
      for (const period of s.expectedReports) {
        filings.set(period, {
          assignmentId: s.id,
          period,
          agencyCode: s.agencyCode,
          late: false,
          markedLateAt: null,
          filedAt: null,
        });
      }
    } else {
      await tx
        .delete(reportFilings)
        .where(and(eq(reportFilings.assignmentId, s.id), isNull(reportFilings.filedAt), eq(reportFilings.late, false)));
    }
    for (const period of s.latePeriods) {
      filings.set(period, {
        assignmentId: s.id,
        period,
        agencyCode: s.agencyCode,
        late: true,
        markedLateAt: new Date(),
        filedAt: null,
      });
    }
    for (const report of s.reports) {
      filings.set(report.period, {
        assignmentId: s.id,
        period: report.period,
        agencyCode: s.agencyCode,
        late: report.late || s.latePeriods.includes(report.period),
        markedLateAt: filings.get(report.period)?.markedLateAt ?? null,
        filedAt: new Date(report.filedAt),
      });
    }
    if (filings.size > 0) {
      await tx
        .insert(reportFilings)
        .values([...filings.values()])
        .onConflictDoUpdate({
          target: [reportFilings.assignmentId, reportFilings.period],
          set: {
            agencyCode: sql`excluded.agency_code`,
            filedAt: sql`coalesce(excluded.filed_at, ${reportFilings.filedAt})`,
            // A filed report is late as the workflow judged it; an unfiled one stays marked once marked.
            late: sql`case when excluded.filed_at is not null then excluded.late else excluded.late or ${reportFilings.late} end`,
            markedLateAt: sql`coalesce(${reportFilings.markedLateAt}, excluded.marked_late_at)`,
          },
        });
    }
  });
}
