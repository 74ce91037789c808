import { periodName as periodWords, vnDate } from './labels.ts';
import type { Transition } from './lifecycle.ts';
import type { ScheduleEvent } from './schedule.ts';
import type { IsoDate } from './types.ts';

export { vnDate };

/**
 * Who is told what, in Vietnamese. Pure: the workflow calls it when a timer fires
 * or a command changes the assignment; activities store the result as notification records, the
 * source for delivery by e-mail or webhook later.
 */

export type Role = 'coordinator' | 'coordinator-director' | 'leadership';

export type Recipient = { agencyCode: string } | { role: Role };

export type NotificationKind =
  | 'assigned'
  | 'reminder'
  | 'report-reminder'
  | 'report-late'
  | 'escalation'
  | 'ack-chase'
  | 'submitted'
  | 'accepted'
  | 'returned'
  | 'extension-requested'
  | 'extension-decided'
  | 'reassigned'
  | 'cancelled'
  | 'deadline-changed'
  | 'contribution'
  | 'cycle-started'
  | 'workflow-stopped';

export interface NotificationDraft {
  recipient: Recipient;
  kind: NotificationKind;
  text: string;
  link: string;
  level?: number;
  period?: string;
}

export interface AssignmentFacts {
  assignmentId: string;
  taskNumber: string;
  taskTitle: string;
  planCode: string;
  agencyCode: string;
  collaboratorCodes: string[];
  effectiveDue: IsoDate | null;
}

/** "báo cáo quý I/2026", "báo cáo 6 tháng đầu năm 2026", "báo cáo năm 2026" (domain/labels.ts). */
function periodName(period: string): string {
  return `báo cáo ${periodWords(period)}`;
}

function taskName(f: AssignmentFacts): string {
  const title = f.taskTitle.length > 120 ? `${f.taskTitle.slice(0, 117).trimEnd()}…` : f.taskTitle;
  return `nhiệm vụ số ${f.taskNumber} ("${title}", Kế hoạch ${f.planCode})`;
}

/** The API's address of an assignment, which a notification carries as its link. */
export const assignmentLink = (assignmentId: string) => `/v1/assignments/${encodeURIComponent(assignmentId)}`;
const linkOf = (f: AssignmentFacts) => assignmentLink(f.assignmentId);

const lead = (f: AssignmentFacts): Recipient => ({ agencyCode: f.agencyCode });
const coordinator: Recipient = { role: 'coordinator' };

/** The recipient's part of a notification's dedupe key. */
export function recipientKey(draft: NotificationDraft): string {
  return 'agencyCode' in draft.recipient ? `a:${draft.recipient.agencyCode}` : `r:${draft.recipient.role}`;
}

/** What a fired timer tells whom. */
export function notificationsForEvent(event: ScheduleEvent, f: AssignmentFacts): NotificationDraft[] {
  const link = linkOf(f);
  const name = taskName(f);
  switch (event.kind) {
    case 'reminder':
      return [
        {
          recipient: lead(f),
          kind: 'reminder',
          link,
          text: `Nhắc hạn: ${name} đến hạn hoàn thành ngày ${vnDate(event.dueDate)}, còn ${event.workingDaysBefore} ngày làm việc.`,
        },
      ];
    case 'report-reminder':
      return [
        {
          recipient: lead(f),
          kind: 'report-reminder',
          link,
          period: event.period,
          text: `Nhắc báo cáo: quý cơ quan chưa gửi ${periodName(event.period)} về ${name}; còn ${event.workingDaysBefore} ngày làm việc.`,
        },
      ];
    case 'report-due':
      return [lead(f), coordinator].map((recipient) => ({
        recipient,
        kind: 'report-late' as const,
        link,
        period: event.period,
        text: `Chậm báo cáo: ${periodName(event.period)} về ${name} của ${f.agencyCode} chưa được gửi đúng hạn.`,
      }));
    case 'escalation': {
      const due = f.effectiveDue ? ` (hạn ${vnDate(f.effectiveDue)})` : '';
      const text = `Quá hạn, cảnh báo mức ${event.level}: ${name}${due}, do ${f.agencyCode} chủ trì, chưa hoàn thành.`;
      const recipients: Recipient[] =
        event.level <= 1
          ? [lead(f), coordinator]
          : event.level === 2
            ? [{ role: 'coordinator-director' }]
            : [{ role: 'leadership' }];
      return recipients.map((recipient) => ({
        recipient,
        kind: 'escalation' as const,
        link,
        text,
        level: event.level,
      }));
    }
    case 'ack-chase':
      return [
        {
          recipient: lead(f),
          kind: 'ack-chase',
          link,
          text: `Đề nghị tiếp nhận: ${name} đã được giao nhưng quý cơ quan chưa xác nhận tiếp nhận.`,
        },
      ];
  }
}

/**
 * A new assignment, told to its lead agency: written by the import beside the assignment's row (not
 * by the workflow), so running workflows record nothing new.
 */
export function notificationForAssignment(f: AssignmentFacts): NotificationDraft {
  const due = f.effectiveDue ? ` Hạn hoàn thành: ngày ${vnDate(f.effectiveDue)}.` : '';
  return {
    recipient: lead(f),
    kind: 'assigned',
    link: linkOf(f),
    text: `Quý cơ quan được giao chủ trì ${taskName(f)}.${due} Đề nghị tiếp nhận nhiệm vụ.`,
  };
}

/** A recurring task's new yearly cycle, told to its lead. */
export function notificationsForCycle(year: number, f: AssignmentFacts): NotificationDraft[] {
  const due = f.effectiveDue ? `; hạn hoàn thành ngày ${vnDate(f.effectiveDue)}` : '';
  return [
    {
      recipient: lead(f),
      kind: 'cycle-started',
      link: linkOf(f),
      text: `Bắt đầu chu kỳ năm ${year} của ${taskName(f)}${due}.`,
    },
  ];
}

/** What a command that changed the assignment tells whom. `before` is the agency before a reassignment. */
export function notificationsForTransition(
  transition: Transition,
  f: AssignmentFacts,
  before: { agencyCode: string },
): NotificationDraft[] {
  const link = linkOf(f);
  const name = taskName(f);
  const d = transition.details as Record<string, string | undefined>;
  const collaborators = f.collaboratorCodes.map((agencyCode): Recipient => ({ agencyCode }));
  switch (transition.action) {
    case 'submitDeliverable':
      return [
        {
          recipient: coordinator,
          kind: 'submitted',
          link,
          text: `${f.agencyCode} đã nộp sản phẩm (${d.type}, số ${d.documentNumber}) cho ${name}; đề nghị xem xét.`,
        },
      ];
    case 'accept':
      return [
        {
          recipient: lead(f),
          kind: 'accepted',
          link,
          text: `Sản phẩm của ${name} đã được chấp nhận; nhiệm vụ hoàn thành.`,
        },
      ];
    case 'return':
      return [
        { recipient: lead(f), kind: 'returned', link, text: `Sản phẩm của ${name} bị trả lại. Lý do: ${d.reason}` },
      ];
    case 'requestExtension':
      return [
        {
          recipient: coordinator,
          kind: 'extension-requested',
          link,
          text: `${f.agencyCode} đề nghị gia hạn ${name} đến ngày ${vnDate(d.until!)}. Lý do: ${d.reason}`,
        },
      ];
    case 'approveExtension':
      return [lead(f), ...collaborators].map((recipient) => ({
        recipient,
        kind: 'extension-decided' as const,
        link,
        text: `Đồng ý gia hạn ${name} đến ngày ${vnDate(d.until!)}.`,
      }));
    case 'denyExtension':
      return [
        {
          recipient: lead(f),
          kind: 'extension-decided',
          link,
          text: `Không đồng ý gia hạn ${name}. Lý do: ${d.reason}`,
        },
      ];
    case 'reassign':
      return [
        {
          recipient: { agencyCode: f.agencyCode },
          kind: 'reassigned',
          link,
          text: `Quý cơ quan được giao chủ trì ${name} (trước đây do ${before.agencyCode} chủ trì). Lý do: ${d.reason}`,
        },
        {
          recipient: { agencyCode: before.agencyCode },
          kind: 'reassigned',
          link,
          text: `${name} đã được chuyển cho ${f.agencyCode} chủ trì. Lý do: ${d.reason}`,
        },
        ...collaborators.map((recipient) => ({
          recipient,
          kind: 'reassigned' as const,
          link,
          text: `${name} nay do ${f.agencyCode} chủ trì.`,
        })),
      ];
    case 'cancel':
      return [lead(f), ...collaborators].map((recipient) => ({
        recipient,
        kind: 'cancelled' as const,
        link,
        text: `${name} đã bị hủy. Lý do: ${d.reason}`,
      }));
    case 'setDeadline':
      return [lead(f), ...collaborators].map((recipient) => ({
        recipient,
        kind: 'deadline-changed' as const,
        link,
        text: f.effectiveDue
          ? `Thời hạn của ${name} được đặt lại: ngày ${vnDate(f.effectiveDue)}.`
          : `Thời hạn của ${name} đã thay đổi.`,
      }));
    case 'addContribution':
      return [
        { recipient: lead(f), kind: 'contribution', link, text: `${d.agencyCode} đã gửi ý kiến phối hợp cho ${name}.` },
      ];
    case 'acknowledge':
    case 'fileReport':
      return [];
  }
}
