import { addDays } from './calendar.ts';
import { localDay } from './instant.ts';
import type { AssignmentStatus, CommandType, StatusGroup } from './lifecycle.ts';
import type { NotificationKind } from './notifications.ts';
import { parseReportPeriodId, reportWindow, type ReportKind } from './report-periods.ts';
import type { TaskBucket } from './task-buckets.ts';
import type { IsoDate } from './types.ts';

// The words people read, defined once: the server writes them into notifications, e-mails and
// exports, and gives them to the pages beside the codes (a period's `label`, an assignment's
// `statusLabel`, GET /v1/labels). One set of words per idea, so that the dashboard, the report
// and the e-mail never call the same thing two names.

/** 2026-03-19 → 19/03/2026, as Vietnamese documents write dates. */
export function vnDate(day: IsoDate): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** An instant in Vietnam's time, as a sentence writes it: "04:20 ngày 07/12/2026". */
export function vnDateTime(instant: Date | string): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  const local = new Date(at.getTime() + 7 * 3_600_000);
  const hm = `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
  return `${hm} ngày ${vnDate(localDay(at))}`;
}

const kindWords: Record<ReportKind, (year: number) => string> = {
  Q1: (year) => `quý I/${year}`,
  H1: (year) => `6 tháng đầu năm ${year}`,
  Q3: (year) => `quý III/${year}`,
  Y: (year) => `năm ${year}`,
};

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The period itself, inside a sentence: "quý I/2026", "6 tháng đầu năm 2026", "năm 2026"; an unknown id as given. */
export function periodName(period: string): string {
  const parsed = parseReportPeriodId(period);
  return parsed ? kindWords[parsed.kind](parsed.year) : period;
}

/** The report of a period, as a title: "Báo cáo quý I/2026", "Báo cáo 6 tháng đầu năm 2026", "Báo cáo năm 2026". */
export function periodLabel(period: string): string {
  return parseReportPeriodId(period) ? `Báo cáo ${periodName(period)}` : period;
}

/** The period as a heading or a choice: "Quý I/2026", "6 tháng đầu năm 2026", "Năm 2026". */
export function periodHeading(period: string): string {
  return capitalise(periodName(period));
}

/** A period with the day its figures are taken at, written as one: "Năm 2025 (số liệu đến 14/12/2025)". */
export function periodCutOffLabel(period: string, asOf?: IsoDate): string {
  const parsed = parseReportPeriodId(period);
  if (!parsed) return period === 'now' ? `Hiện tại${asOf ? ` (số liệu đến ${vnDate(asOf)})` : ''}` : period;
  const day = asOf ?? reportWindow(parsed.year, parsed.kind).windowEnd;
  return `${periodHeading(period)} (số liệu đến ${vnDate(day)})`;
}

/** The Government Office's four buckets, one parallel set everywhere. */
export const bucketLabels: Readonly<Record<TaskBucket, string>> = {
  onTime: 'Hoàn thành đúng hạn',
  late: 'Hoàn thành quá hạn',
  within: 'Chưa hoàn thành – trong hạn',
  overdue: 'Chưa hoàn thành – quá hạn',
};

/** An assignment's status as a badge or a column shows it. */
export const statusLabels: Readonly<Record<AssignmentStatus, string>> = {
  assigned: 'Đã giao',
  acknowledged: 'Đã tiếp nhận',
  in_progress: 'Đang thực hiện',
  submitted: 'Chờ duyệt',
  completed: 'Hoàn thành',
  cancelled: 'Đã hủy',
};

/** The groups of a work list (domain/lifecycle.ts `statusGroups`). */
export const statusGroupLabels: Readonly<Record<StatusGroup, string>> = {
  withLead: 'Đang thực hiện',
  review: 'Chờ duyệt',
  closed: 'Đã kết thúc',
  open: 'Chưa hoàn thành',
};

/** Whether a period's report came: one parallel set, as the buckets are. */
export const reportStatusLabels: Readonly<Record<'on-time' | 'late' | 'missing' | 'pending', string>> = {
  'on-time': 'Đã gửi – đúng hạn',
  late: 'Đã gửi – muộn',
  missing: 'Chưa gửi – quá hạn',
  pending: 'Chưa gửi – chưa đến hạn',
};

/** What each command does, as its button says it. */
export const commandLabels: Readonly<Record<CommandType, string>> = {
  acknowledge: 'Tiếp nhận nhiệm vụ',
  fileReport: 'Gửi báo cáo định kỳ',
  submitDeliverable: 'Nộp sản phẩm',
  requestExtension: 'Xin gia hạn',
  addContribution: 'Gửi ý kiến phối hợp',
  accept: 'Chấp nhận sản phẩm',
  return: 'Trả lại sản phẩm',
  approveExtension: 'Đồng ý gia hạn',
  denyExtension: 'Không đồng ý gia hạn',
  reassign: 'Giao cho cơ quan khác',
  cancel: 'Hủy nhiệm vụ',
  setDeadline: 'Đặt lại thời hạn',
};

/** What a notification is about, as an e-mail's subject and the Thông báo page name it. */
export const notificationKindLabels: Readonly<Record<NotificationKind, string>> = {
  assigned: 'Giao nhiệm vụ',
  reminder: 'Nhắc hạn',
  'report-reminder': 'Nhắc gửi báo cáo định kỳ',
  'report-late': 'Chậm báo cáo',
  escalation: 'Quá hạn',
  'ack-chase': 'Chưa tiếp nhận nhiệm vụ',
  submitted: 'Đã nộp sản phẩm',
  accepted: 'Sản phẩm được chấp nhận',
  returned: 'Sản phẩm bị trả lại',
  'extension-requested': 'Đề nghị gia hạn',
  'extension-decided': 'Kết quả đề nghị gia hạn',
  reassigned: 'Giao lại nhiệm vụ',
  cancelled: 'Hủy nhiệm vụ',
  'deadline-changed': 'Thay đổi thời hạn',
  contribution: 'Ý kiến phối hợp',
  'cycle-started': 'Chu kỳ mới',
  'workflow-stopped': 'Nhiệm vụ ngừng theo dõi',
};

/** The fields of a task, as a page or an export heads them. */
export const fieldLabels = {
  /** The last day after extensions and the working-day shift: what the agency must meet. */
  effectiveDue: 'Hạn hoàn thành',
  /** The deadline in the plan's own words ("Quý IV/2026"). */
  planDeadline: 'Thời hạn theo kế hoạch',
  objective: 'Mục tiêu',
  deliverables: 'Sản phẩm',
  lead: 'Cơ quan chủ trì',
  collaborators: 'Cơ quan phối hợp',
  plan: 'Kế hoạch',
  registry: 'Danh mục',
} as const;

/** "Sản phẩm: Đề án, Báo cáo", or null when the plan names none. */
export function deliverablesText(deliverables: readonly string[]): string | null {
  const named = deliverables.map((d) => d.trim()).filter(Boolean);
  return named.length > 0 ? `${fieldLabels.deliverables}: ${named.join(', ')}` : null;
}

/** When a deliverable went in: "Nộp lúc 04:20 ngày 07/12/2026". */
export function submittedText(submittedAt: string): string {
  return `Nộp lúc ${vnDateTime(submittedAt)}`;
}

/**
 * How late work was finished, in calendar days past its effective due day, judged (like the
 * buckets) by when the accepted deliverable was submitted; 0 when on time or without a due day.
 */
export function daysLate(submittedOn: IsoDate, effectiveDue: IsoDate | null): number {
  if (effectiveDue === null || submittedOn <= effectiveDue) return 0;
  return Math.round((Date.parse(`${submittedOn}T00:00:00Z`) - Date.parse(`${effectiveDue}T00:00:00Z`)) / 86_400_000);
}

/** A completed task: "Hoàn thành ngày 07/12/2026 (quá hạn 3 ngày)" or "… (đúng hạn)". */
export function completionText(
  completedOn: IsoDate,
  submittedOn: IsoDate | null,
  effectiveDue: IsoDate | null,
): string {
  const late = submittedOn === null ? 0 : daysLate(submittedOn, effectiveDue);
  return `Hoàn thành ngày ${vnDate(completedOn)} (${late > 0 ? `quá hạn ${late} ngày` : 'đúng hạn'})`;
}

/** The day after `day`: an all-day event's end, a range's first day out. */
export const nextDay = (day: IsoDate): IsoDate => addDays(day, 1);

/** How a person receives a kind of notification, as their page offers it. */
export const personalModeLabels = {
  immediate: 'Gửi thư ngay',
  digest: 'Gộp vào thư tổng hợp buổi sáng',
  off: 'Không nhận',
} as const;

/** Who a person is in Đôn đốc. */
export const roleLabels = {
  coordinator: 'Cơ quan thường trực',
  agency: 'Cơ quan chủ trì, phối hợp',
  leadership: 'Lãnh đạo',
} as const;
