import { notificationKindLabels, periodName, statusLabels, vnDate } from './labels.ts';
import type { AssignmentStatus } from './lifecycle.ts';
import type { Deadline } from './types.ts';
import { stopReasonNames, type WorkflowStopReason } from './workflow-stops.ts';

// The audit trail as people read it: one Vietnamese sentence per entry ("Gửi báo cáo quý I/2026",
// "Đăng nhập", "Chấp nhận sản phẩm") and who did it ("Nguyễn Văn An", "Văn thư (Sở Y tế)"), built
// here from what the code records (the action, its details, the actor as `actorName` writes it).
// The API's audit list and every assignment's timeline use it, as would any export.

export interface AuditFacts {
  action: string;
  entityType: string;
  /** As domain/lifecycle.ts `actorName` writes it: "agency:SYT:Văn thư Sở Y tế", "system:timer". */
  actor: string;
  from: string | null;
  to: string | null;
  details: Record<string, unknown>;
}

/** An agency's name by its code (the registry's, or the code itself when none knows it). */
export type AgencyNamer = (code: string) => string;

const roleWords: Record<string, string> = {
  coordinator: 'cơ quan thường trực',
  leadership: 'lãnh đạo',
  agency: 'cơ quan',
};

const systemWords: Record<string, string> = {
  timer: 'Hệ thống (hẹn giờ)',
  import: 'Hệ thống (nhập kế hoạch)',
  watch: 'Hệ thống (giám sát)',
};

/** The parts of an actor name: its role, its agency (for an agency) and the token's or person's name. */
export function parseActor(actor: string): { role: string; agencyCode?: string; name: string } {
  const [role = '', ...rest] = actor.split(':');
  if (role === 'agency' && rest.length >= 2) return { role, agencyCode: rest[0]!, name: rest.slice(1).join(':') };
  return { role, name: rest.join(':') };
}

/** Who did it, as people read it: a person by name, a token by its name and whose it is, the system as such. */
export function auditWho(actor: string, agencyName: AgencyNamer): string {
  const { role, agencyCode, name } = parseActor(actor);
  if (role === 'system') return systemWords[name] ?? 'Hệ thống';
  // A person is recorded as "Name <e-mail>": the name is enough, the e-mail stays in the record.
  const person = /^(.*?)\s*<[^<>]*>\s*$/.exec(name)?.[1]?.trim();
  if (person) return agencyCode ? `${person} (${agencyName(agencyCode)})` : person;
  // A token: its name, and whose it is unless the name says so already ("Văn thư Sở Y tế").
  const who = name.trim();
  const whose = agencyCode ? agencyName(agencyCode) : roleWords[role];
  if (!who) return whose ? capitalise(whose) : actor;
  if (!whose || who.toLowerCase().includes(whose.toLowerCase())) return who;
  return `${who} (${whose})`;
}

/** The draft's editable fields (domain/appendix/draft.ts), as the audit trail names them. */
const draftFieldWords: Record<string, string> = {
  deadline: 'thời hạn',
  leads: 'cơ quan chủ trì',
  communes: 'cách giao cho cấp xã',
  collaborators: 'cơ quan phối hợp',
  title: 'tên nhiệm vụ',
  excluded: 'việc bỏ hoặc giữ dòng',
  status: 'tình trạng đã thực hiện',
  taskColumn: 'cột nhiệm vụ',
  proposal: 'đề xuất cơ quan mới',
  issuedOn: 'ngày ban hành',
  code: 'số kế hoạch',
  planTitle: 'tên kế hoạch',
  periodStart: 'năm bắt đầu',
  periodEnd: 'năm kết thúc',
  policy: 'cách giao nhiệm vụ',
};

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);
const reason = (value: unknown) => (str(value) ? `. Lý do: ${str(value)}` : '');
const day = (value: unknown) =>
  str(value) && /^\d{4}-\d{2}-\d{2}$/.test(str(value)!) ? vnDate(str(value)!) : str(value);

function deadlineWords(value: unknown): string | undefined {
  const d = value as Partial<Deadline> | undefined;
  if (!d || typeof d !== 'object') return undefined;
  if (d.due) return `ngày ${vnDate(d.due)}`;
  return str(d.raw);
}

/** One sentence for an entry: what was done, with the details that say which. */
export function auditSummary(entry: AuditFacts, agencyName: AgencyNamer): string {
  const d = entry.details;
  const agency = (value: unknown) => (str(value) ? agencyName(str(value)!) : 'cơ quan khác');
  switch (entry.action) {
    // An assignment's life.
    case 'assign': {
      const due = deadlineWords(d.deadline);
      return `Giao nhiệm vụ cho ${agency(d.agencyCode)} chủ trì${due ? ` (hạn ${due})` : ''}`;
    }
    case 'acknowledge':
      return 'Tiếp nhận nhiệm vụ';
    case 'fileReport':
      return `Gửi ${str(d.period) ? `báo cáo ${periodName(str(d.period)!)}` : 'báo cáo định kỳ'}${d.late ? ' (muộn)' : ''}`;
    case 'submitDeliverable': {
      const what = [str(d.type), str(d.documentNumber) ? `số ${str(d.documentNumber)}` : undefined]
        .filter(Boolean)
        .join(' ');
      const date = day(d.documentDate);
      return `Nộp sản phẩm${what ? `: ${what}` : ''}${date ? ` ngày ${date}` : ''}`;
    }
    case 'accept':
      return `Chấp nhận sản phẩm${str(d.note) ? `. Ghi chú: ${str(d.note)}` : ''}`;
    case 'return':
      return `Trả lại sản phẩm${reason(d.reason)}`;
    case 'requestExtension':
      return `Xin gia hạn đến ngày ${day(d.until) ?? '…'}${reason(d.reason)}`;
    case 'approveExtension':
      return `Đồng ý gia hạn đến ngày ${day(d.until) ?? '…'}${d.from ? ` (hạn cũ ${day(d.from)})` : ''}`;
    case 'denyExtension':
      return `Không đồng ý gia hạn${reason(d.reason)}`;
    case 'reassign':
      return `Giao cho ${agency(d.toAgency)} chủ trì thay ${agency(d.fromAgency)}${reason(d.reason)}`;
    case 'cancel':
      return `Hủy nhiệm vụ${reason(d.reason)}`;
    case 'setDeadline': {
      const to = deadlineWords(d.to);
      return `Đặt lại thời hạn${to ? `: ${to}` : ''}${reason(d.reason)}`;
    }
    case 'addContribution':
      return `${capitalise(agency(d.agencyCode))} gửi ý kiến phối hợp`;
    case 'revisePlan':
      return 'Kế hoạch được điều chỉnh';
    case 'startCycle':
      return `Bắt đầu chu kỳ năm ${String(d.year ?? '')}${day(d.effectiveDue) ? ` (hạn ${day(d.effectiveDue)})` : ''}`.trim();
    // Timers.
    case 'reminder':
      return `Nhắc hạn: còn ${String(d.workingDaysBefore ?? '…')} ngày làm việc đến hạn ngày ${day(d.dueDate) ?? '…'}`;
    case 'report-reminder':
      return `Nhắc gửi báo cáo ${str(d.period) ? periodName(str(d.period)!) : 'định kỳ'}`;
    case 'report-late':
    case 'report-due':
      return `Chậm gửi báo cáo ${str(d.period) ? periodName(str(d.period)!) : 'định kỳ'}`;
    case 'escalation':
      return `Cảnh báo quá hạn mức ${String(d.level ?? '')}`.trim();
    case 'ack-chase':
      return 'Nhắc tiếp nhận nhiệm vụ';
    case 'complete-at-import':
      return `Ghi nhận đã hoàn thành trước khi nhập kế hoạch${day(d.completedOn) ? ` (ngày ${day(d.completedOn)})` : ''}`;
    case 'workflow-stopped': {
      const why = stopReasonNames[d.reason as WorkflowStopReason];
      return `Ngừng theo dõi nhiệm vụ${why ? ` (tiến trình ${why})` : ''}`;
    }
    case 'workflow-restart':
      return 'Khởi động lại việc theo dõi nhiệm vụ';
    case 'file-upload':
      return `Tải lên tệp${str(d.fileName) ? ` "${str(d.fileName)}"` : ''}`;
    case 'file-expire':
      return 'Xóa tệp đã tải lên nhưng không nộp kèm sản phẩm';
    // People and sessions.
    case 'session-open':
      return 'Đăng nhập';
    case 'session-close':
      return 'Đăng xuất';
    case 'sign-in-hold-back':
      return 'Tạm chặn đăng nhập sau nhiều lần sai mật khẩu';
    case 'password-change':
      return 'Đổi mật khẩu';
    case 'password-set':
      return 'Đặt mật khẩu mới';
    case 'password-reset':
      return 'Đặt lại mật khẩu (gửi đường dẫn chọn mật khẩu mới)';
    case 'user-invite':
      return `Mời ${str(d.name) ?? str(d.email) ?? 'người dùng'} sử dụng hệ thống`;
    case 'user-create':
      return 'Tạo tài khoản';
    case 'user-disable':
      return 'Khóa tài khoản';
    case 'user-enable':
      return 'Mở lại tài khoản';
    case 'invitation-revoke':
      return 'Thu hồi lời mời';
    case 'preferences-update':
      return 'Đổi cách nhận thông báo';
    case 'calendar-create':
      return 'Tạo đường dẫn lịch công việc';
    case 'calendar-revoke':
      return 'Thu hồi đường dẫn lịch công việc';
    // Tokens, contacts, registries, plans.
    case 'token-create':
      return `Tạo mã truy cập${str(d.name) ? ` "${str(d.name)}"` : ''}`;
    case 'token-revoke':
      return `Thu hồi mã truy cập${str(d.name) ? ` "${str(d.name)}"` : ''}`;
    case 'contact-add':
      return `Thêm nơi nhận thông báo${d.channel === 'webhook' ? ' (webhook)' : ' (thư điện tử)'}`;
    case 'contact-update':
      return 'Sửa nơi nhận thông báo';
    case 'contact-remove':
      return 'Xóa nơi nhận thông báo';
    case 'agency-create':
      return `Thêm cơ quan ${agencyRecordName(d.after) ?? ''}`.trim();
    case 'agency-update':
      return `Sửa cơ quan ${agencyRecordName(d.after) ?? ''}`.trim();
    case 'agency-merge':
      return `Hợp nhất cơ quan vào ${agency(d.into)}`;
    case 'registry-import':
      return `Nhập bảng cơ quan: thêm ${String(d.added ?? 0)}, sửa ${String(d.updated ?? 0)}`;
    case 'plan-import':
      return `Nhập kế hoạch ${str(d.code) ?? ''}: ${String(d.assignmentsCreated ?? 0)} nhiệm vụ được giao`.replace(
        '  ',
        ' ',
      );
    case 'plan-draft-edit': {
      const field = draftFieldWords[str(d.field) ?? ''] ?? 'nội dung';
      return `Sửa ${field} trong bản xem trước${typeof d.row === 'number' ? ` (dòng ${d.row})` : ''}`;
    }
    case 'plan-revise':
      return `Điều chỉnh kế hoạch ${str(d.code) ?? ''}`.trim();
    case 'plan-move-registry':
      return `Chuyển kế hoạch ${str(d.code) ?? ''} sang danh mục "${entry.to ?? ''}"`.replace('  ', ' ');
    default: {
      // A notice kind, or an action recorded before this list knew it: still words, never a code alone.
      const kind = notificationKindLabels[entry.action as keyof typeof notificationKindLabels];
      if (kind) return kind;
      const to = statusLabels[entry.to as AssignmentStatus];
      return to ? `${entry.action} → ${to}` : entry.action;
    }
  }
}

function agencyRecordName(value: unknown): string | undefined {
  return value && typeof value === 'object' ? str((value as { name?: unknown }).name) : undefined;
}

/** The entry as people read it: the sentence and who. */
export function describeAudit(entry: AuditFacts, agencyName: AgencyNamer): { summary: string; who: string } {
  return { summary: auditSummary(entry, agencyName), who: auditWho(entry.actor, agencyName) };
}

/** The agency codes an entry names (its actor's, its details'), to look their names up in one query. */
export function agencyCodesOf(entry: AuditFacts): string[] {
  const codes = [parseActor(entry.actor).agencyCode];
  for (const key of ['agencyCode', 'toAgency', 'fromAgency', 'into'])
    if (typeof entry.details[key] === 'string') codes.push(entry.details[key] as string);
  return codes.filter((c): c is string => Boolean(c));
}
