import type { Command, LifecycleState, ReportDocument } from './lifecycle.ts';
import { vnInteger as n } from './text.ts';

/**
 * What one assignment may hold. Its workflow carries its whole state (into every projection, every
 * continue-as-new and every query), and Temporal refuses a payload over 2 MB by terminating the
 * workflow. So every list a command grows is bounded by count and by size, each kind on its own
 * budget (a collaborator filling its share never stops the lead from reporting), and the whole
 * state stays under half a megabyte whatever callers send.
 */
export const ASSIGNMENT_BOUNDS = {
  /** A report's summary, a contribution's text. */
  textChars: 4_000,
  /** A reason, a note. */
  reasonChars: 2_000,
  /** A link, a document number, a deliverable's type. */
  shortChars: 1_000,
  contributions: { count: 60, perAgency: 20, bytes: 128 * 1024, bytesPerAgency: 48 * 1024 },
  /** Documents one report lists as issued in its period. */
  reportDocuments: 20,
  /** One report per period; a plan of ten years has forty. */
  reports: { count: 40, bytes: 192 * 1024 },
  /** Submitted, returned, submitted again. */
  submissions: { count: 20, bytes: 32 * 1024 },
  /** Asked, denied, asked again. */
  extensions: { count: 20, bytes: 32 * 1024 },
  agencyChanges: { count: 30, bytes: 32 * 1024 },
} as const;

/** Bytes of `value` as UTF-8 JSON, counted without an encoder (workflows run in a sandbox). */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value) ?? '';
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

const kb = (bytes: number) => `${n(Math.round(bytes / 1024))} KB`;

function tooLong(field: string, what: string, text: string | undefined, max: number): string | undefined {
  return text !== undefined && text.length > max
    ? `${what} (${field}) dài ${n(text.length)} ký tự, quá giới hạn ${n(max)} ký tự; nội dung dài hơn hãy gửi dưới dạng văn bản đính kèm hoặc đường dẫn.`
    : undefined;
}

/** `what` names the list as a sentence's subject would: "ý kiến phối hợp của cơ quan này". */
function full(what: string, list: readonly unknown[], added: unknown, limit: { count: number; bytes: number }) {
  if (list.length >= limit.count)
    return `Đã có ${n(list.length)} ${what}, đạt giới hạn ${n(limit.count)}; không thể thêm.`;
  const bytes = jsonBytes(list) + jsonBytes(added);
  if (bytes > limit.bytes)
    return `Các ${what} đã chiếm ${kb(bytes - jsonBytes(added))}; thêm nội dung này sẽ vượt giới hạn ${kb(limit.bytes)}. Nội dung dài hãy gửi dưới dạng văn bản đính kèm hoặc đường dẫn.`;
  return undefined;
}

/** The documents a report lists: how many, and each field's length (documents/<i>/<field>). */
function documentsProblem(documents: readonly ReportDocument[]): string | undefined {
  const b = ASSIGNMENT_BOUNDS;
  if (documents.length > b.reportDocuments)
    return `Báo cáo liệt kê ${n(documents.length)} văn bản, quá giới hạn ${n(b.reportDocuments)} văn bản một kỳ; hãy gộp các văn bản cùng loại hoặc gửi danh mục dưới dạng tệp đính kèm.`;
  for (const [i, d] of documents.entries()) {
    const problem =
      tooLong(`documents/${i}/kind`, 'Loại văn bản', d.kind, b.shortChars) ??
      tooLong(`documents/${i}/number`, 'Số, ký hiệu văn bản', d.number, b.shortChars) ??
      tooLong(`documents/${i}/title`, 'Trích yếu văn bản', d.title, b.shortChars);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Why a command would take the assignment beyond its bounds, in Vietnamese, or undefined when it
 * fits. Checked before the lifecycle's own rules; a refusal leaves no trace in the workflow.
 */
export function exceedsBounds(state: LifecycleState, command: Command, agencyCode?: string): string | undefined {
  const b = ASSIGNMENT_BOUNDS;
  switch (command.type) {
    case 'fileReport':
      return (
        tooLong('summary', 'Nội dung báo cáo', command.summary, b.textChars) ??
        tooLong('link', 'Đường dẫn', command.link, b.shortChars) ??
        tooLong('difficulties', 'Khó khăn, vướng mắc', command.difficulties, b.textChars) ??
        tooLong('causes', 'Nguyên nhân', command.causes, b.textChars) ??
        tooLong('proposals', 'Đề xuất, kiến nghị', command.proposals, b.textChars) ??
        documentsProblem(command.documents ?? []) ??
        full('báo cáo của nhiệm vụ', state.reports, command, b.reports)
      );
    case 'addContribution': {
      const added = { agencyCode, text: command.text, link: command.link };
      const own = state.contributions.filter((c) => c.agencyCode === agencyCode);
      return (
        tooLong('text', 'Ý kiến phối hợp', command.text, b.textChars) ??
        tooLong('link', 'Đường dẫn', command.link, b.shortChars) ??
        full('ý kiến phối hợp của nhiệm vụ', state.contributions, added, b.contributions) ??
        full('ý kiến phối hợp của cơ quan này', own, added, {
          count: b.contributions.perAgency,
          bytes: b.contributions.bytesPerAgency,
        })
      );
    }
    case 'submitDeliverable':
      return (
        tooLong('type', 'Loại sản phẩm', command.deliverableType, b.shortChars) ??
        tooLong('documentNumber', 'Số hiệu văn bản', command.documentNumber, b.shortChars) ??
        tooLong('link', 'Đường dẫn', command.link, b.shortChars) ??
        full('lần nộp sản phẩm của nhiệm vụ', state.submissions, command, b.submissions)
      );
    case 'requestExtension':
      return (
        tooLong('reason', 'Lý do', command.reason, b.reasonChars) ??
        full('đề nghị gia hạn của nhiệm vụ', state.extensions, command, b.extensions)
      );
    case 'reassign':
      return (
        tooLong('reason', 'Lý do', command.reason, b.reasonChars) ??
        full('lần giao lại của nhiệm vụ', state.agencyHistory, command, b.agencyChanges)
      );
    case 'approveExtension':
    case 'setDeadline':
      return tooLong('reason', 'Lý do', command.reason, b.reasonChars);
    case 'accept':
      return tooLong('note', 'Ý kiến', command.note, b.reasonChars);
    case 'return':
    case 'denyExtension':
    case 'cancel':
      return tooLong('reason', 'Lý do', command.reason, b.reasonChars);
    case 'acknowledge':
      return undefined;
  }
}
