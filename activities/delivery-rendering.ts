import { and, eq, inArray } from 'drizzle-orm';
import {
  assignmentUrl,
  digestEmail,
  notificationEmail,
  type EmailMessage,
  type MessageAssignment,
} from '../domain/delivery-message.ts';
import { namedTexts } from '../db/agency-index.ts';
import { assignments, notifications, plans, registryAgencies, tasks, type deliveries } from '../db/schema.ts';
import type { DeliveryDeps } from './delivery.ts';

// Delivery: what a message says, read from its notification and rendered for e-mail and webhook.
export interface Envelope {
  email: EmailMessage;
  /** The webhook's JSON body. */
  payload: Record<string, unknown>;
}

/** What the e-mail and webhook of each notification say, read in one query; agencies by name. */
export async function notificationRows(deps: DeliveryDeps, ids: number[]): Promise<Map<number, EnvelopeRow>> {
  const found = new Map<number, EnvelopeRow>();
  if (ids.length === 0) return found;
  const rows = await envelopeQuery(deps.db).where(inArray(notifications.id, ids));
  const texts = await namedTexts(deps.db, rows);
  rows.forEach((n, i) => found.set(n.id, { ...n, text: texts[i]! }));
  return found;
}

function envelopeQuery(db: DeliveryDeps['db']) {
  return db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      level: notifications.level,
      period: notifications.period,
      text: notifications.text,
      createdAt: notifications.createdAt,
      recipientAgency: notifications.recipientAgency,
      recipientRole: notifications.recipientRole,
      assignmentId: assignments.id,
      agencyCode: assignments.agencyCode,
      status: assignments.status,
      effectiveDue: assignments.effectiveDue,
      escalationLevel: assignments.escalationLevel,
      taskNumber: tasks.number,
      taskTitle: tasks.title,
      planCode: plans.code,
      planId: plans.id,
      planTitle: plans.title,
      registry: plans.registry,
      agencyName: registryAgencies.name,
      agencyShortName: registryAgencies.shortName,
    })
    .from(notifications)
    .innerJoin(assignments, eq(assignments.id, notifications.assignmentId))
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .leftJoin(
      registryAgencies,
      and(eq(registryAgencies.registry, plans.registry), eq(registryAgencies.code, assignments.agencyCode)),
    );
}

/** A notification with what its message says about the assignment, its plan and its lead. */
export type EnvelopeRow = Awaited<ReturnType<typeof envelopeQuery>>[number];

export function envelopeOf(deps: DeliveryDeps, n: EnvelopeRow): Envelope {
  const assignment: MessageAssignment = {
    id: n.assignmentId,
    taskNumber: n.taskNumber,
    taskTitle: n.taskTitle,
    planCode: n.planCode,
    planTitle: n.planTitle,
    agencyCode: n.agencyCode,
    agencyName: n.agencyName ?? n.agencyCode,
    agencyShortName: n.agencyShortName ?? n.agencyCode,
  };
  const link = assignmentUrl(deps.publicUrl, n.assignmentId);
  return {
    email: notificationEmail({ kind: n.kind, text: n.text, level: n.level }, assignment, deps.publicUrl),
    payload: {
      type: 'notification',
      notification: {
        id: n.id,
        kind: n.kind,
        level: n.level,
        period: n.period,
        text: n.text,
        recipientAgency: n.recipientAgency,
        recipientRole: n.recipientRole,
        createdAt: n.createdAt.toISOString(),
      },
      assignment: {
        ...assignment,
        planId: n.planId,
        status: n.status,
        effectiveDue: n.effectiveDue,
        escalationLevel: n.escalationLevel,
        url: link,
      },
    },
  };
}

/** A delivery row as stored. */
export type DeliveryRow = typeof deliveries.$inferSelect;

export function digestEnvelope(deps: DeliveryDeps, delivery: DeliveryRow): Envelope | undefined {
  if (!delivery.content) return undefined;
  return {
    email: digestEmail(delivery.content, deps.publicUrl),
    payload: { type: 'digest', registry: delivery.registry, digest: delivery.content },
  };
}
