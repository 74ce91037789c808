import type { WorkingCalendar } from './calendar.ts';
import { openStatuses, type AssignmentStatus } from './lifecycle.ts';
import type { IsoDate } from './types.ts';

/**
 * The daily digest of one recipient: what falls due in the next working days, what is overdue,
 * reports late, escalations, and the notifications it chose to receive this way. Composed at 08:00
 * local time on working days; an empty digest is never sent.
 */

export const DIGEST_HOUR = 8;
export const DIGEST_HORIZON_WORKING_DAYS = 7;
/** Items listed per section; the rest are counted ("và 12 nhiệm vụ khác"). */
export const DIGEST_SECTION_LIMIT = 25;

export interface DigestAssignment {
  id: string;
  taskNumber: string;
  taskTitle: string;
  planCode: string;
  agencyCode: string;
  /** The lead's short name, where the registry has one (domain/agencies/names.ts). */
  agencyShortName?: string;
  status: AssignmentStatus;
  effectiveDue: IsoDate | null;
  escalationLevel: number;
}

export interface DigestLateReport {
  assignmentId: string;
  taskNumber: string;
  taskTitle: string;
  planCode: string;
  agencyCode: string;
  agencyShortName?: string;
  period: string;
}

export interface DigestNotice {
  notificationId: number;
  assignmentId: string;
  kind: string;
  text: string;
}

export interface DigestSection<T> {
  items: T[];
  /** How many more there are beyond the listed ones. */
  more: number;
}

export interface DigestContent {
  day: IsoDate;
  /** The last day of "due soon": DIGEST_HORIZON_WORKING_DAYS working days after `day`. */
  horizon: IsoDate;
  dueSoon: DigestSection<DigestAssignment>;
  overdue: DigestSection<DigestAssignment>;
  escalations: DigestSection<DigestAssignment>;
  lateReports: DigestSection<DigestLateReport>;
  notices: DigestSection<DigestNotice>;
}

export interface DigestInput {
  day: IsoDate;
  calendar: WorkingCalendar;
  /** The recipient's assignments (any state: closed ones are left out here). */
  assignments: readonly DigestAssignment[];
  lateReports: readonly DigestLateReport[];
  notices: readonly DigestNotice[];
  limit?: number;
}

/** Whether a digest goes out on this local day at all. */
export function isDigestDay(calendar: WorkingCalendar, day: IsoDate): boolean {
  return calendar.isWorkingDay(day);
}

/**
 * The first digest instant strictly after `afterMs`: 08:00 Asia/Ho_Chi_Minh (UTC+7, no daylight
 * saving) on a working day.
 */
export function nextDigestAt(calendar: WorkingCalendar, afterMs: number): { day: IsoDate; at: string } {
  const local = new Date(afterMs + 7 * 3_600_000);
  let day = local.toISOString().slice(0, 10) as IsoDate;
  const instant = (d: IsoDate) => Date.parse(`${d}T0${DIGEST_HOUR}:00:00+07:00`);
  if (!isDigestDay(calendar, day) || instant(day) <= afterMs) day = calendar.nextWorkingDay(day);
  return { day, at: new Date(instant(day)).toISOString() };
}

function section<T>(items: T[], limit: number): DigestSection<T> {
  return { items: items.slice(0, limit), more: Math.max(0, items.length - limit) };
}

const byDue = (a: DigestAssignment, b: DigestAssignment) =>
  (a.effectiveDue ?? '').localeCompare(b.effectiveDue ?? '') || a.id.localeCompare(b.id);

/** The digest, or null when it would be empty (nothing is sent then), or when `day` is not a working day. */
export function composeDigest(input: DigestInput): DigestContent | null {
  const { day, calendar } = input;
  if (!isDigestDay(calendar, day)) return null;
  const limit = input.limit ?? DIGEST_SECTION_LIMIT;
  const horizon = calendar.addWorkingDays(day, DIGEST_HORIZON_WORKING_DAYS);
  const open = input.assignments.filter((a) => openStatuses.includes(a.status));
  const dueSoon = open.filter((a) => a.effectiveDue && a.effectiveDue >= day && a.effectiveDue <= horizon).sort(byDue);
  const overdue = open.filter((a) => a.effectiveDue && a.effectiveDue < day).sort(byDue);
  const escalations = open
    .filter((a) => a.escalationLevel > 0)
    .sort((a, b) => b.escalationLevel - a.escalationLevel || byDue(a, b));
  const lateReports = [...input.lateReports].sort(
    (a, b) => a.period.localeCompare(b.period) || a.assignmentId.localeCompare(b.assignmentId),
  );
  const notices = [...input.notices].sort((a, b) => a.notificationId - b.notificationId);
  const total = dueSoon.length + overdue.length + escalations.length + lateReports.length + notices.length;
  if (total === 0) return null;
  return {
    day,
    horizon,
    dueSoon: section(dueSoon, limit),
    overdue: section(overdue, limit),
    escalations: section(escalations, limit),
    lateReports: section(lateReports, limit),
    notices: section(notices, limit),
  };
}
