import { exceedsBounds } from './assignment-bounds.ts';
import { isIsoDate } from './calendar.ts';
import { localDay } from './instant.ts';
import type { Deadline, IsoDate } from './types.ts';

/**
 * An assignment's life. `decide` checks a command against the state and returns
 * the next state or a refusal; it never changes its input, so the workflow can use it both to
 * validate an update (refusing leaves no trace) and to apply it.
 */

// The status sets, defined here once and used everywhere (SQL included).
export const assignmentStatuses = [
  'assigned',
  'acknowledged',
  'in_progress',
  'submitted',
  'completed',
  'cancelled',
] as const;
export type AssignmentStatus = (typeof assignmentStatuses)[number];

/** Not yet completed or cancelled: the work still belongs to someone. */
export const openStatuses: readonly AssignmentStatus[] = ['assigned', 'acknowledged', 'in_progress', 'submitted'];

/**
 * With the lead: open and not awaiting the coordinator's review. This is the work that is chased —
 * reminded, escalated, marked late, counted as overdue; a submitted deliverable stops the chase.
 */
export const withLeadStatuses: readonly AssignmentStatus[] = ['assigned', 'acknowledged', 'in_progress'];

/**
 * The groups a list of work is sorted into: with the lead (the work to do), awaiting the
 * coordinator's review (a deliverable submitted: "Chờ duyệt", never "due soon"), closed, and open.
 */
export const statusGroups = {
  withLead: withLeadStatuses,
  review: ['submitted'],
  closed: ['completed', 'cancelled'],
  open: openStatuses,
} as const satisfies Record<string, readonly AssignmentStatus[]>;
export type StatusGroup = keyof typeof statusGroups;

export function isWithLead(status: AssignmentStatus): boolean {
  return withLeadStatuses.includes(status);
}

export interface Actor {
  role: 'coordinator' | 'agency' | 'leadership' | 'system';
  /** The acting agency, for role `agency`. */
  agencyCode?: string;
  /** Who, for the audit trail: a token's name, "import", "system". Never a secret. */
  name: string;
}

/** How the audit trail names an actor: "agency:SYT:Văn thư Sở Y tế", "coordinator:chuyên viên". */
export function actorName(actor: Actor): string {
  return actor.agencyCode ? `${actor.role}:${actor.agencyCode}:${actor.name}` : `${actor.role}:${actor.name}`;
}

export interface Submission {
  type: string;
  documentNumber: string;
  documentDate: IsoDate;
  link?: string;
  /** The deliverable file sent with it (its id in the read model's files), if any. */
  file?: string;
  submittedAt: string;
  submittedBy: string;
  outcome: 'pending' | 'accepted' | 'returned';
  reason?: string;
  decidedAt?: string;
}

/** A document an agency issued for its work in a period: "Kế hoạch số 32/KH-VP ngày 17/01/2023 về việc …". */
export interface ReportDocument {
  /** "Kế hoạch", "Quyết định", "Công văn". */
  kind: string;
  /** Number and symbol as written: "32/KH-VP". */
  number: string;
  date: IsoDate;
  /** What it is about: the words after "về việc". */
  title: string;
  /** A file of the assignment (POST /v1/assignments/{id}/files) holding the document, if sent. */
  file?: string;
}

/**
 * The structured parts of a periodic report beside its summary (what was done in the period): each
 * optional, so reports filed before they existed stay as they are.
 */
export interface ReportParts {
  documents?: ReportDocument[];
  difficulties?: string;
  causes?: string;
  proposals?: string;
}

export interface ProgressReport extends ReportParts {
  period: string;
  /** What was done in the period. */
  summary: string;
  link?: string;
  filedAt: string;
  filedBy: string;
  /** Filed after the period's late mark. */
  late: boolean;
}

export interface ExtensionRequest {
  until: IsoDate;
  reason: string;
  requestedAt: string;
  requestedBy: string;
  outcome: 'pending' | 'approved' | 'denied';
  decidedAt?: string;
  decisionReason?: string;
}

export interface Contribution {
  agencyCode: string;
  text: string;
  link?: string;
  at: string;
}

export interface AgencyChange {
  from: string;
  to: string;
  reason: string;
  at: string;
}

export interface LifecycleState {
  status: AssignmentStatus;
  agencyCode: string;
  deadline: Deadline;
  /** An approved extension's last day; for a recurring task it holds for the current cycle only. */
  dueOverride?: IsoDate;
  acknowledgedAt?: string;
  completedAt?: string;
  cancelledAt?: string;
  cancelReason?: string;
  submissions: Submission[];
  reports: ProgressReport[];
  extensions: ExtensionRequest[];
  contributions: Contribution[];
  agencyHistory: AgencyChange[];
}

export type Command =
  | { type: 'acknowledge' }
  | ({ type: 'fileReport'; period: string; summary: string; link?: string } & ReportParts)
  | {
      type: 'submitDeliverable';
      deliverableType: string;
      documentNumber: string;
      documentDate: IsoDate;
      link?: string;
      /** A file sent beforehand to go with it (POST /v1/assignments/{id}/files). */
      file?: string;
    }
  | { type: 'accept'; note?: string }
  | { type: 'return'; reason: string }
  | { type: 'requestExtension'; until: IsoDate; reason: string }
  | { type: 'approveExtension'; until?: IsoDate; reason?: string }
  | { type: 'denyExtension'; reason: string }
  | { type: 'reassign'; toAgency: string; reason: string }
  | { type: 'cancel'; reason: string }
  | { type: 'setDeadline'; deadline: Deadline; reason?: string }
  | { type: 'addContribution'; text: string; link?: string };

export type CommandType = Command['type'];

export interface Transition {
  action: CommandType;
  from: AssignmentStatus;
  to: AssignmentStatus;
  details: Record<string, unknown>;
}

export type Decision =
  { ok: true; state: LifecycleState; transition: Transition } | { ok: false; code: RefusalCode; reason: string };

export type RefusalCode = 'invalid-state' | 'invalid-input' | 'not-allowed';

export interface DecideContext {
  /** The instant of the command, ISO. */
  now: string;
  actor: Actor;
  /** Periods whose late mark has already fired, so a report filed now is late. */
  latePeriods?: readonly string[];
  /** Extra rule for a period id (e.g. it must belong to the assignment's span). */
  isKnownPeriod?: (period: string) => boolean;
  /** The current last permissible day (the cycle's, for a recurring task), before any extension. */
  currentDue?: IsoDate;
  /** Whether the agency exists (for reassignment). */
  isKnownAgency?: (code: string) => boolean;
  /**
   * Whether the assignment's bounds apply (domain/assignment-bounds.ts). Runs started before them
   * replay the commands they accepted without them.
   */
  bounded?: boolean;
}

const statusNames: Record<AssignmentStatus, string> = {
  assigned: 'đã giao',
  acknowledged: 'đã tiếp nhận',
  in_progress: 'đang thực hiện',
  submitted: 'đã nộp sản phẩm, chờ xem xét',
  completed: 'đã hoàn thành',
  cancelled: 'đã hủy',
};

function refuse(code: RefusalCode, reason: string): Decision {
  return { ok: false, code, reason };
}

function wrongState(state: LifecycleState, what: string): Decision {
  return refuse('invalid-state', `Không thể ${what}: nhiệm vụ đang ở trạng thái "${statusNames[state.status]}".`);
}

/** Why a report's documents cannot be taken, in Vietnamese naming the document and field, or undefined. */
function reportPartsProblem(command: ReportParts, now: string): string | undefined {
  for (const [i, d] of (command.documents ?? []).entries()) {
    const which = `Văn bản thứ ${i + 1} (documents/${i})`;
    if (blank(d.kind)) return `${which} thiếu loại văn bản (kind), ví dụ "Kế hoạch".`;
    if (blank(d.number)) return `${which} thiếu số, ký hiệu (number), ví dụ "32/KH-VP".`;
    if (!isIsoDate(d.date)) return `${which}: ngày ban hành "${d.date}" không hợp lệ (date, dạng YYYY-MM-DD).`;
    if (d.date > localDay(new Date(now))) return `${which}: ngày ban hành ${d.date} ở tương lai.`;
    if (blank(d.title)) return `${which} thiếu trích yếu nội dung (title).`;
  }
  return undefined;
}

/** The parts a report was given, trimmed; blank texts and an empty list left out. */
function reportParts(command: ReportParts): ReportParts {
  const text = (t: string | undefined) => (blank(t) ? undefined : t!.trim());
  const documents = (command.documents ?? []).map((d) => ({
    kind: d.kind.trim(),
    number: d.number.trim(),
    date: d.date,
    title: d.title.trim(),
    ...(d.file ? { file: d.file } : {}),
  }));
  const parts: ReportParts = {};
  if (documents.length > 0) parts.documents = documents;
  for (const key of ['difficulties', 'causes', 'proposals'] as const) {
    const value = text(command[key]);
    if (value !== undefined) parts[key] = value;
  }
  return parts;
}

function blank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

function isOpen(status: AssignmentStatus): boolean {
  return openStatuses.includes(status);
}

function pendingExtension(state: LifecycleState): ExtensionRequest | undefined {
  return state.extensions.find((e) => e.outcome === 'pending');
}

function next(
  state: LifecycleState,
  changes: Partial<LifecycleState>,
  action: CommandType,
  details: Record<string, unknown>,
): Decision {
  const to = changes.status ?? state.status;
  return { ok: true, state: { ...state, ...changes }, transition: { action, from: state.status, to, details } };
}

/** What only the lead agency does; an agency acting on work it no longer leads is refused here too. */
const leadCommands: ReadonlySet<CommandType> = new Set([
  'acknowledge',
  'fileReport',
  'submitDeliverable',
  'requestExtension',
]);

export function decide(state: LifecycleState, command: Command, ctx: DecideContext): Decision {
  const decision = decideByRules(state, command, ctx);
  if (!decision.ok || !ctx.bounded) return decision;
  const beyond = exceedsBounds(state, command, ctx.actor.agencyCode);
  return beyond === undefined ? decision : refuse('invalid-input', beyond);
}

function decideByRules(state: LifecycleState, command: Command, ctx: DecideContext): Decision {
  const by = ctx.actor.name;
  // The API checks this against the read model; the workflow checks it against the truth, which
  // differs for a moment after a reassignment.
  if (ctx.actor.role === 'agency' && leadCommands.has(command.type) && ctx.actor.agencyCode !== state.agencyCode) {
    return refuse('not-allowed', `Nhiệm vụ này hiện do cơ quan ${state.agencyCode} chủ trì.`);
  }
  switch (command.type) {
    case 'acknowledge':
      if (state.status !== 'assigned') return wrongState(state, 'tiếp nhận');
      return next(state, { status: 'acknowledged', acknowledgedAt: ctx.now }, 'acknowledge', {});

    case 'fileReport': {
      if (!isOpen(state.status)) return wrongState(state, 'gửi báo cáo');
      if (!/^\d{4}-(Q1|H1|Q3|Y)$/.test(command.period)) {
        return refuse(
          'invalid-input',
          `Kỳ báo cáo "${command.period}" không hợp lệ; dùng dạng 2026-Q1, 2026-H1, 2026-Q3 hoặc 2026-Y.`,
        );
      }
      if (ctx.isKnownPeriod && !ctx.isKnownPeriod(command.period)) {
        return refuse('invalid-input', `Kỳ báo cáo ${command.period} không thuộc thời gian thực hiện nhiệm vụ.`);
      }
      if (blank(command.summary)) return refuse('invalid-input', 'Báo cáo cần có nội dung (summary).');
      if (state.reports.some((r) => r.period === command.period)) {
        return refuse('invalid-state', `Báo cáo kỳ ${command.period} đã được gửi.`);
      }
      const wrongPart = reportPartsProblem(command, ctx.now);
      if (wrongPart) return refuse('invalid-input', wrongPart);
      const late = ctx.latePeriods?.includes(command.period) ?? false;
      const report: ProgressReport = {
        period: command.period,
        summary: command.summary.trim(),
        link: command.link,
        // Only the parts given: a report without them is what it was before they existed.
        ...reportParts(command),
        filedAt: ctx.now,
        filedBy: by,
        late,
      };
      const status = state.status === 'assigned' || state.status === 'acknowledged' ? 'in_progress' : state.status;
      return next(
        state,
        {
          status,
          acknowledgedAt: state.acknowledgedAt ?? ctx.now,
          reports: [...state.reports, report],
        },
        'fileReport',
        { period: command.period, late },
      );
    }

    case 'submitDeliverable': {
      if (state.status === 'submitted') {
        return refuse(
          'invalid-state',
          'Sản phẩm đã được nộp và đang chờ cơ quan thường trực xem xét; không thể nộp lại lúc này.',
        );
      }
      if (!isOpen(state.status)) return wrongState(state, 'nộp sản phẩm');
      if (blank(command.deliverableType)) return refuse('invalid-input', 'Thiếu loại sản phẩm (type).');
      if (blank(command.documentNumber))
        return refuse('invalid-input', 'Thiếu số hiệu văn bản (documentNumber), ví dụ "319/KH-UBND".');
      if (!isIsoDate(command.documentDate))
        return refuse('invalid-input', `Ngày văn bản "${command.documentDate}" không hợp lệ (YYYY-MM-DD).`);
      // A document dated today (Vietnam time) is fine even in the hours when UTC is still on yesterday.
      if (command.documentDate > localDay(new Date(ctx.now))) {
        return refuse('invalid-input', `Ngày văn bản ${command.documentDate} ở tương lai.`);
      }
      const submission: Submission = {
        type: command.deliverableType.trim(),
        documentNumber: command.documentNumber.trim(),
        documentDate: command.documentDate,
        link: command.link,
        ...(command.file ? { file: command.file } : {}),
        submittedAt: ctx.now,
        submittedBy: by,
        outcome: 'pending',
      };
      return next(
        state,
        {
          status: 'submitted',
          acknowledgedAt: state.acknowledgedAt ?? ctx.now,
          submissions: [...state.submissions, submission],
        },
        'submitDeliverable',
        {
          type: submission.type,
          documentNumber: submission.documentNumber,
          documentDate: submission.documentDate,
          ...(command.file ? { file: command.file, submission: state.submissions.length } : {}),
        },
      );
    }

    case 'accept':
    case 'return': {
      const verb = command.type === 'accept' ? 'chấp nhận sản phẩm' : 'trả lại sản phẩm';
      if (state.status !== 'submitted') return wrongState(state, verb);
      if (command.type === 'return' && blank(command.reason))
        return refuse('invalid-input', 'Cần nêu lý do trả lại (reason).');
      const outcome = command.type === 'accept' ? 'accepted' : 'returned';
      const reason = command.type === 'accept' ? command.note : command.reason.trim();
      const submissions = state.submissions.map((s) =>
        s.outcome === 'pending' ? ({ ...s, outcome, reason, decidedAt: ctx.now } as Submission) : s,
      );
      return command.type === 'accept'
        ? next(state, { status: 'completed', completedAt: ctx.now, submissions }, 'accept', { note: command.note })
        : next(state, { status: 'in_progress', submissions }, 'return', { reason });
    }

    case 'requestExtension': {
      if (!isOpen(state.status) || state.status === 'submitted') return wrongState(state, 'xin gia hạn');
      if (pendingExtension(state)) return refuse('invalid-state', 'Đã có một đề nghị gia hạn đang chờ xem xét.');
      if (!isIsoDate(command.until))
        return refuse('invalid-input', `Ngày gia hạn "${command.until}" không hợp lệ (YYYY-MM-DD).`);
      if (blank(command.reason)) return refuse('invalid-input', 'Cần nêu lý do xin gia hạn (reason).');
      const due = state.dueOverride ?? ctx.currentDue ?? state.deadline.due;
      if (!due) return refuse('invalid-state', 'Nhiệm vụ không có hạn hoàn thành nên không thể gia hạn.');
      if (command.until <= due) {
        return refuse('invalid-input', `Ngày gia hạn ${command.until} phải sau hạn hiện tại ${due}.`);
      }
      const request: ExtensionRequest = {
        until: command.until,
        reason: command.reason.trim(),
        requestedAt: ctx.now,
        requestedBy: by,
        outcome: 'pending',
      };
      return next(state, { extensions: [...state.extensions, request] }, 'requestExtension', {
        until: command.until,
        reason: request.reason,
      });
    }

    case 'approveExtension':
    case 'denyExtension': {
      const pending = pendingExtension(state);
      if (!pending) return refuse('invalid-state', 'Không có đề nghị gia hạn nào đang chờ xem xét.');
      if (!isOpen(state.status)) return wrongState(state, 'xử lý đề nghị gia hạn');
      if (command.type === 'denyExtension') {
        if (blank(command.reason)) return refuse('invalid-input', 'Cần nêu lý do từ chối gia hạn (reason).');
        const extensions = state.extensions.map((e) =>
          e === pending
            ? { ...e, outcome: 'denied' as const, decidedAt: ctx.now, decisionReason: command.reason.trim() }
            : e,
        );
        return next(state, { extensions }, 'denyExtension', { reason: command.reason.trim() });
      }
      const until = command.until ?? pending.until;
      if (!isIsoDate(until)) return refuse('invalid-input', `Ngày gia hạn "${until}" không hợp lệ (YYYY-MM-DD).`);
      const extensions = state.extensions.map((e) =>
        e === pending
          ? { ...e, outcome: 'approved' as const, until, decidedAt: ctx.now, decisionReason: command.reason }
          : e,
      );
      const from = state.dueOverride ?? ctx.currentDue ?? state.deadline.due ?? null;
      return next(state, { extensions, dueOverride: until }, 'approveExtension', { from, until });
    }

    case 'reassign': {
      if (!isOpen(state.status)) return wrongState(state, 'giao lại');
      if (state.status === 'submitted')
        return refuse(
          'invalid-state',
          'Sản phẩm đang chờ xem xét; hãy chấp nhận hoặc trả lại trước khi giao cho cơ quan khác.',
        );
      if (blank(command.toAgency)) return refuse('invalid-input', 'Thiếu cơ quan nhận (toAgency).');
      if (command.toAgency === state.agencyCode)
        return refuse('invalid-input', `Nhiệm vụ đã do cơ quan ${command.toAgency} chủ trì.`);
      if (ctx.isKnownAgency && !ctx.isKnownAgency(command.toAgency))
        return refuse('invalid-input', `Không có cơ quan mã "${command.toAgency}" trong danh mục.`);
      if (blank(command.reason)) return refuse('invalid-input', 'Cần nêu lý do giao lại (reason).');
      const change: AgencyChange = {
        from: state.agencyCode,
        to: command.toAgency,
        reason: command.reason.trim(),
        at: ctx.now,
      };
      // The new lead has not seen the task yet: it must acknowledge it again.
      return next(
        state,
        {
          status: 'assigned',
          agencyCode: command.toAgency,
          acknowledgedAt: undefined,
          agencyHistory: [...state.agencyHistory, change],
        },
        'reassign',
        { fromAgency: change.from, toAgency: change.to, reason: change.reason },
      );
    }

    case 'cancel':
      if (!isOpen(state.status)) return wrongState(state, 'hủy');
      if (blank(command.reason)) return refuse('invalid-input', 'Cần nêu lý do hủy (reason).');
      return next(state, { status: 'cancelled', cancelledAt: ctx.now, cancelReason: command.reason.trim() }, 'cancel', {
        reason: command.reason.trim(),
      });

    case 'setDeadline': {
      if (!isOpen(state.status)) return wrongState(state, 'đặt hạn');
      const d = command.deadline;
      if (d.kind === 'unresolved')
        return refuse('invalid-input', 'Hạn mới phải là một ngày, khoảng thời gian, hằng năm hoặc thường xuyên.');
      if ((d.kind === 'date' || d.kind === 'range') && (!d.due || !isIsoDate(d.due)))
        return refuse('invalid-input', 'Hạn mới cần ngày hoàn thành (due) dạng YYYY-MM-DD.');
      if (d.start !== undefined && !isIsoDate(d.start))
        return refuse('invalid-input', 'Ngày bắt đầu (start) phải có dạng YYYY-MM-DD.');
      if (d.start && d.due && d.start > d.due)
        return refuse('invalid-input', `Ngày bắt đầu ${d.start} sau ngày hoàn thành ${d.due}.`);
      return next(state, { deadline: d, dueOverride: undefined }, 'setDeadline', {
        from: state.deadline,
        to: d,
        reason: command.reason,
      });
    }

    case 'addContribution':
      if (!isOpen(state.status)) return wrongState(state, 'gửi ý kiến phối hợp');
      if (!ctx.actor.agencyCode) return refuse('not-allowed', 'Chỉ cơ quan phối hợp mới gửi được ý kiến phối hợp.');
      if (blank(command.text)) return refuse('invalid-input', 'Ý kiến phối hợp cần có nội dung (text).');
      return next(
        state,
        {
          contributions: [
            ...state.contributions,
            { agencyCode: ctx.actor.agencyCode, text: command.text.trim(), link: command.link, at: ctx.now },
          ],
        },
        'addContribution',
        { agencyCode: ctx.actor.agencyCode },
      );
  }
}

export function initialLifecycle(agencyCode: string, deadline: Deadline): LifecycleState {
  return {
    status: 'assigned',
    agencyCode,
    deadline,
    submissions: [],
    reports: [],
    extensions: [],
    contributions: [],
    agencyHistory: [],
  };
}

export function isClosed(status: AssignmentStatus): boolean {
  return status === 'completed' || status === 'cancelled';
}

/**
 * Whether finished work was on time: the accepted deliverable was submitted by the effective due
 * day (local date). Null while not completed; work without a due day is on time.
 */
export function completedOnTime(
  state: Pick<LifecycleState, 'status' | 'submissions'>,
  effectiveDue: IsoDate | null,
  localDayOf: (iso: string) => IsoDate,
): boolean | null {
  if (state.status !== 'completed') return null;
  const accepted = state.submissions.find((s) => s.outcome === 'accepted');
  if (!accepted) return null;
  return effectiveDue === null || localDayOf(accepted.submittedAt) <= effectiveDue;
}
