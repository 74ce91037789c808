import { sql } from 'drizzle-orm';
import {
  assignmentUrl,
  digestEmail,
  notificationEmail,
  type EmailMessage,
  type MessageAssignment,
} from '../domain/delivery-message.ts';
import { namedTexts } from '../db/agency-index.ts';
import type { deliveries } from '../db/schema.ts';
import type { DeliveryDeps } from './delivery.ts';

// Delivery: what a message says, read from its notification and rendered for e-mail and webhook.
export interface Envelope {
  email: EmailMessage;
  /** The webhook's JSON body. */
  payload: Record<string, unknown>;
}

export type EnvelopeRow = {
  id: string;
  kind: string;
  level: number | null;
  period: string | null;
  text: string;
  created_at: Date | string;
  recipient_agency: string | null;
  recipient_role: string | null;
  assignment_id: string;
  agency_code: string;
  status: string;
  effective_due: string | null;
  escalation_level: number;
  task_number: string;
  task_title: string;
  plan_code: string;
  plan_id: string;
  plan_title: string;
  registry: string;
  agency_name: string | null;
  agency_short_name: string | null;
};

/** What the e-mail and webhook of each notification say, read in one query; agencies by name. */
export async function notificationRows(deps: DeliveryDeps, ids: number[]): Promise<Map<number, EnvelopeRow>> {
  const found = new Map<number, EnvelopeRow>();
  if (ids.length === 0) return found;
  const { rows } = await deps.db.execute<EnvelopeRow>(sql`
    select n.id, n.kind, n.level, n.period, n.text, n.created_at, n.recipient_agency, n.recipient_role,
           a.id as assignment_id, a.agency_code, a.status, a.effective_due::text as effective_due, a.escalation_level,
           t.number as task_number, t.title as task_title, p.code as plan_code, p.id as plan_id,
           p.title as plan_title, p.registry, ra.name as agency_name, ra.short_name as agency_short_name
    from notifications n
    join assignments a on a.id = n.assignment_id
    join tasks t on t.id = a.task_id
    join plans p on p.id = a.plan_id
    left join registry_agencies ra on ra.registry = p.registry and ra.code = a.agency_code
    where n.id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  const texts = await namedTexts(deps.db, rows);
  rows.forEach((n, i) => found.set(Number(n.id), { ...n, text: texts[i]! }));
  return found;
}

export function envelopeOf(deps: DeliveryDeps, n: EnvelopeRow): Envelope {
  const assignment: MessageAssignment = {
    id: n.assignment_id,
    taskNumber: n.task_number,
    taskTitle: n.task_title,
    planCode: n.plan_code,
    planTitle: n.plan_title,
    agencyCode: n.agency_code,
    agencyName: n.agency_name ?? n.agency_code,
    agencyShortName: n.agency_short_name ?? n.agency_code,
  };
  const link = assignmentUrl(deps.publicUrl, n.assignment_id);
  return {
    email: notificationEmail({ kind: n.kind, text: n.text, level: n.level }, assignment, deps.publicUrl),
    payload: {
      type: 'notification',
      notification: {
        id: Number(n.id),
        kind: n.kind,
        level: n.level,
        period: n.period,
        text: n.text,
        recipientAgency: n.recipient_agency,
        recipientRole: n.recipient_role,
        createdAt: new Date(n.created_at).toISOString(),
      },
      assignment: {
        ...assignment,
        planId: n.plan_id,
        status: n.status,
        effectiveDue: n.effective_due,
        escalationLevel: n.escalation_level,
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
