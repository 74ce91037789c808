import type { AgencyLabel } from './agencies/names.ts';
import { bucketLabels, vnDate } from './labels.ts';
import type { ReportDocument, ProgressReport } from './lifecycle.ts';
import { parseReportPeriodId, reportWindow, type ReportKind } from './report-periods.ts';
import type { BucketFigures, TaskBucket } from './task-buckets.ts';
import { squish, vnInteger } from './text.ts';
import type { IsoDate } from './types.ts';

// The periodic CCHC report as a civil servant would write it (issue 23), composed as text: which
// sections, which sentences, which tables. Pure: services/narrative-report.ts gathers the facts,
// services/narrative-docx.ts lays the result out on A4 as Decree 30/2020/NĐ-CP prescribes. The
// model is the office's yearly report of Vĩnh Phúc 2023: I. results by reform area, with the
// documents issued listed as "- Kế hoạch số 32/KH-VP ngày 17/01/2023 về việc …"; II. the general
// assessment; III. the tasks of the next period.

export interface NarrativeTask {
  id: string;
  agency: AgencyLabel;
  planCode: string;
  number: string;
  title: string;
  /** The plan's section (reform area) the task sits in. */
  area: string | null;
  deliverables: string[];
  /** Effective last day (after extensions); null for continuous work. */
  due: IsoDate | null;
  /** The deadline as the plan writes it ("Quý IV/2027", "Thường xuyên"). */
  deadlineRaw: string;
  /** The bucket at the cut-off; null when the task did not count then. */
  bucket: TaskBucket | null;
  /** What the agency reported for the period. */
  report: ProgressReport | null;
  /** The deliverable the coordinator accepted by the cut-off. */
  accepted: { type: string; documentNumber: string; documentDate: IsoDate } | null;
  /** Extension requests made by the cut-off, with their reasons. */
  extensions: { until: IsoDate; reason: string; outcome: string }[];
  /** Not completed at the cut-off. */
  open: boolean;
}

type Figures = BucketFigures & { agencyCode: string; agency: AgencyLabel };

export interface NarrativeInput {
  kind: 'agency' | 'province';
  period: string;
  windowStart: IsoDate;
  /** The day the figures are taken at: the cut-off, or today while it has not come. */
  asOf: IsoDate;
  /** The day the report is drafted (its heading's date). */
  today: IsoDate;
  reconstructed: boolean;
  province: string;
  plans: { code: string; title: string }[];
  agency: AgencyLabel | null;
  total: BucketFigures;
  /** Ranked worst first, as the dashboard ranks them. */
  byAgency: Figures[];
  filings: {
    agencyCode: string;
    agency: AgencyLabel;
    onTime: number;
    late: number;
    missing: number;
    pending: number;
  }[];
  /** Every task that counts at the cut-off, in the plan's order. */
  tasks: NarrativeTask[];
  next: { period: string; windowEnd: IsoDate; tasks: NarrativeTask[] };
}

export type Run = { text: string; bold?: boolean; italic?: boolean };
export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'subheading'; text: string }
  | { kind: 'paragraph'; runs: Run[] }
  | { kind: 'table'; table: Table };

export interface Table {
  header: string[];
  rows: string[][];
  /** Relative widths of the columns. */
  widths: number[];
  /** Columns holding numbers: centred. */
  numeric?: number[];
}

export interface NarrativeDocument {
  /** The governing body (upper line, regular) and the issuing body (bold), both in capitals. */
  issuer: { parent: string | null; name: string };
  /** "Số:       /BC-SYT": the number left blank for the clerk to fill. */
  number: string;
  /** "Vĩnh Phúc, ngày 17 tháng 03 năm 2027". */
  placeDate: string;
  /** "BÁO CÁO" and the report's subject. */
  title: string;
  subject: string;
  body: Block[];
  /** "Nơi nhận:" and its list, ending with "- Lưu: VT, …". */
  recipients: string[];
  /** The signer's authority and title, in capitals. */
  signer: string[];
  appendices: { number: string; title: string; note: string; table: Table }[];
}

const kindSubject: Record<ReportKind, (year: number) => string> = {
  Q1: (y) => `quý I năm ${y}`,
  H1: (y) => `6 tháng đầu năm ${y}`,
  Q3: (y) => `quý III năm ${y}`,
  Y: (y) => `năm ${y}`,
};

/** "quý I năm 2027", "6 tháng đầu năm 2027", "năm 2027": the period as a report's title says it. */
export function periodInWords(period: string): string {
  const parsed = parseReportPeriodId(period);
  return parsed ? kindSubject[parsed.kind](parsed.year) : period;
}

/** The report that follows a period: Q1 → 6 months → Q3 → year → next year's Q1. */
export function nextReportWindow(period: string) {
  const parsed = parseReportPeriodId(period);
  if (!parsed) throw new RangeError(`not a report period: ${period}`);
  const order: ReportKind[] = ['Q1', 'H1', 'Q3', 'Y'];
  const i = order.indexOf(parsed.kind);
  return i === 3 ? reportWindow(parsed.year + 1, 'Q1') : reportWindow(parsed.year, order[i + 1]!);
}

/**
 * A date as a document's heading writes it (Decree 30/2020/NĐ-CP, Phụ lục I): "ngày 17 tháng 01
 * năm 2027"; days below 10 and the months January and February with a leading zero.
 */
export function headingDate(day: IsoDate): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const dd = d < 10 ? `0${d}` : String(d);
  const mm = m < 3 ? `0${m}` : String(m);
  return `ngày ${dd} tháng ${mm} năm ${y}`;
}

/** A share as Vietnamese writes it, one decimal: 0.918 → "91,8 %"; null → "–". */
export function vnPercent(share: number | null): string {
  if (share === null) return '–';
  const tenths = Math.round(share * 1000);
  return `${vnInteger(Math.trunc(tenths / 10))},${Math.abs(tenths % 10)} %`;
}

/** A plan's section as a heading reads it: "CẢI CÁCH THỂ CHẾ" → "Cải cách thể chế"; mixed case kept. */
export function areaTitle(area: string | null): string {
  if (!area || !area.trim()) return 'Các nhiệm vụ khác';
  const text = squish(area).replace(/^[IVXLC]+[.)]\s*|^\d+[.)]\s*/u, '');
  if (text !== text.toLocaleUpperCase('vi')) return text;
  const lower = text.toLocaleLowerCase('vi');
  return lower.charAt(0).toLocaleUpperCase('vi') + lower.slice(1);
}

/** "- Kế hoạch số 32/KH-VP ngày 17/01/2023 về việc Thông tin, tuyên truyền CCHC năm 2023", as the seed lists them. */
export function documentLine(doc: ReportDocument): string {
  const title = doc.title.replace(/^về việc\s+/iu, '');
  return `- ${doc.kind} số ${doc.number} ngày ${vnDateShort(doc.date)} về việc ${title}`;
}

/** 17/01/2023, 27/3/2023: the day of a document as the seed writes it inside a sentence. */
function vnDateShort(day: IsoDate): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return `${String(d).padStart(2, '0')}/${m < 10 && m > 2 ? String(m) : String(m).padStart(2, '0')}/${y}`;
}

const n = vnInteger;
const p = (text: string, extra: Omit<Run, 'text'> = {}): Block => ({ kind: 'paragraph', runs: [{ text, ...extra }] });
const withStop = (text: string) => (/[.;:!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** "Nhiệm vụ 5 (Kế hoạch 319/KH-UBND)": a task as a sentence names it. */
function taskName(t: NarrativeTask, manyPlans: boolean): string {
  return `Nhiệm vụ ${t.number}${manyPlans ? ` (Kế hoạch số ${t.planCode})` : ''}`;
}

function dueText(t: NarrativeTask): string {
  return t.due ? vnDate(t.due) : t.deadlineRaw || 'Thường xuyên';
}

/** The task's state at the cut-off as a table cell says it. */
function stateText(t: NarrativeTask): string {
  return t.bucket ? bucketLabels[t.bucket] : '';
}

/** "Văn bản/kết quả": the accepted deliverable, and the documents reported for the period. */
function resultText(t: NarrativeTask): string {
  const parts: string[] = [];
  if (t.accepted)
    parts.push(`${t.accepted.type} số ${t.accepted.documentNumber} ngày ${vnDate(t.accepted.documentDate)}`);
  for (const d of t.report?.documents ?? []) {
    const line = `${d.kind} số ${d.number} ngày ${vnDate(d.date)}`;
    if (!parts.includes(line)) parts.push(line);
  }
  return parts.join('; ');
}

function countSentence(f: BucketFigures, subject: string, asOf: IsoDate): string {
  if (f.total === 0) return `Tính đến ngày ${vnDate(asOf)}, ${subject} chưa có nhiệm vụ nào được giao.`;
  return (
    `Tính đến ngày ${vnDate(asOf)}, ${subject} ${n(f.total)} nhiệm vụ, trong đó: ` +
    `${bucketLabels.onTime.toLocaleLowerCase('vi')} ${n(f.onTime)} nhiệm vụ; ` +
    `${bucketLabels.late.toLocaleLowerCase('vi')} ${n(f.late)} nhiệm vụ; ` +
    `${bucketLabels.within.toLocaleLowerCase('vi')} ${n(f.within)} nhiệm vụ; ` +
    `${bucketLabels.overdue.toLocaleLowerCase('vi')} ${n(f.overdue)} nhiệm vụ. ` +
    `Tỷ lệ hoàn thành đạt ${vnPercent(f.completionRate)}` +
    (f.onTimeRate === null
      ? '; chưa có nhiệm vụ nào đến hạn.'
      : `; tỷ lệ hoàn thành đúng hạn trên số nhiệm vụ đã đến hạn đạt ${vnPercent(f.onTimeRate)}.`)
  );
}

/** Why the task is late, in the agency's own words: its report's difficulties and causes, its extension requests. */
function reasonsOf(t: NarrativeTask): string[] {
  const reasons: string[] = [];
  if (t.report?.difficulties) reasons.push(`khó khăn: ${t.report.difficulties}`);
  if (t.report?.causes) reasons.push(`nguyên nhân: ${t.report.causes}`);
  const outcome: Record<string, string> = {
    pending: 'đang chờ xem xét',
    approved: 'đã được chấp thuận',
    denied: 'không được chấp thuận',
  };
  for (const e of t.extensions)
    reasons.push(`đề nghị gia hạn đến ${vnDate(e.until)} (${outcome[e.outcome] ?? e.outcome}) vì: ${e.reason}`);
  return reasons;
}

function tasksTable(tasks: NarrativeTask[], withAgency: boolean): Table {
  return {
    header: [
      'STT',
      'Nhiệm vụ',
      ...(withAgency ? ['Cơ quan chủ trì'] : []),
      'Sản phẩm',
      'Thời hạn',
      'Tình trạng',
      'Văn bản/kết quả',
    ],
    widths: withAgency ? [6, 26, 13, 10, 14, 13, 18] : [6, 32, 11, 14, 15, 22],
    numeric: [0],
    rows: tasks.map((t, i) => [
      n(i + 1),
      `${t.number}. ${t.title}`,
      ...(withAgency ? [t.agency.name] : []),
      t.deliverables.join('; '),
      dueText(t),
      stateText(t),
      resultText(t),
    ]),
  };
}

function agencyTable(rows: Figures[]): Table {
  return {
    header: [
      'STT',
      'Cơ quan',
      'Tổng số nhiệm vụ',
      bucketLabels.onTime,
      bucketLabels.late,
      bucketLabels.within,
      bucketLabels.overdue,
      'Tỷ lệ hoàn thành',
      'Tỷ lệ đúng hạn',
    ],
    widths: [7, 25, 9, 10, 10, 10, 10, 10, 10],
    numeric: [0, 2, 3, 4, 5, 6, 7, 8],
    rows: rows.map((a, i) => [
      n(i + 1),
      a.agency.name,
      n(a.total),
      n(a.onTime),
      n(a.late),
      n(a.within),
      n(a.overdue),
      vnPercent(a.completionRate),
      vnPercent(a.onTimeRate),
    ]),
  };
}

/** Groups tasks by reform area, in the order the plan first lists each area. */
function byArea(tasks: NarrativeTask[]): [string, NarrativeTask[]][] {
  const groups = new Map<string, NarrativeTask[]>();
  for (const t of tasks) {
    const key = areaTitle(t.area);
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(t);
  }
  // The catch-all group goes last.
  return [...groups].sort(([a], [b]) => (a === 'Các nhiệm vụ khác' ? 1 : b === 'Các nhiệm vụ khác' ? -1 : 0));
}

/** The report, composed: headings, sentences, lists and tables, ready to lay out. */
export function composeNarrative(input: NarrativeInput): NarrativeDocument {
  const province = input.province;
  const agency = input.kind === 'agency' ? input.agency! : null;
  const who = agency ? agency.name : `Ủy ban nhân dân tỉnh ${province}`;
  const symbol = agency ? agency.code.toLocaleUpperCase('vi') : 'UBND';
  const periodWords = periodInWords(input.period);
  const manyPlans = input.plans.length > 1;
  const body: Block[] = [];

  // The opening: on what basis, for which window of data.
  const basis = input.plans.map((pl) => `Kế hoạch số ${pl.code} (${pl.title})`).join('; ');
  body.push(
    p(
      `Thực hiện chế độ báo cáo công tác cải cách hành chính (CCHC), căn cứ ${basis}, ${who} báo cáo kết quả thực hiện công tác CCHC ${periodWords} ` +
        `(số liệu tính từ ngày ${vnDate(input.windowStart)} đến ngày ${vnDate(input.asOf)}) như sau:`,
    ),
  );
  if (input.reconstructed)
    body.push(
      p(
        'Số liệu của kỳ này được tổng hợp lại từ thời hạn và ngày hoàn thành của từng nhiệm vụ do kế hoạch được cập nhật vào hệ thống sau ngày chốt số liệu.',
        { italic: true },
      ),
    );

  // I. Results, by reform area.
  body.push({ kind: 'heading', text: `I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CCHC ${periodWords.toLocaleUpperCase('vi')}` });
  const documents = input.tasks.flatMap((t) => (t.report?.documents ?? []).map((d) => ({ d, t })));
  // The province's documents are listed under each reform area instead.
  if (agency && documents.length > 0) {
    body.push(
      p(
        `Trong kỳ, ${agency ? agency.name : 'các cơ quan, đơn vị'} đã ban hành các văn bản triển khai thực hiện nhiệm vụ CCHC, cụ thể:`,
      ),
    );
    documents.forEach(({ d, t }, i) =>
      body.push(p(`${documentLine(d)}${agency ? '' : ` (${t.agency.name})`}${i === documents.length - 1 ? '.' : ';'}`)),
    );
  } else if (agency) {
    body.push(p('Trong kỳ, chưa có văn bản nào được báo cáo là đã ban hành để thực hiện nhiệm vụ CCHC.'));
  }
  const areas = byArea(input.tasks);
  if (!agency && areas.length > 0)
    body.push(
      p(
        `Kết quả theo từng lĩnh vực cải cách như sau (danh mục từng nhiệm vụ, cơ quan chủ trì và tình trạng tại Phụ lục ${input.byAgency.length > 0 ? 'II' : 'I'}):`,
      ),
    );
  if (areas.length === 0)
    body.push(p(`Trong kỳ, ${agency ? `${agency.name} không được giao chủ trì` : 'không có'} nhiệm vụ CCHC nào.`));
  areas.forEach(([area, tasks], i) => {
    body.push({ kind: 'subheading', text: `${i + 1}. ${area}` });
    if (!agency) {
      const tally = { onTime: 0, late: 0, within: 0, overdue: 0 };
      for (const t of tasks) if (t.bucket) tally[t.bucket] += 1;
      body.push(
        p(
          `Lĩnh vực có ${n(tasks.length)} lượt nhiệm vụ giao cơ quan chủ trì: ${bucketLabels.onTime.toLocaleLowerCase('vi')} ${n(tally.onTime)}; ` +
            `${bucketLabels.late.toLocaleLowerCase('vi')} ${n(tally.late)}; ${bucketLabels.within.toLocaleLowerCase('vi')} ${n(tally.within)}; ` +
            `${bucketLabels.overdue.toLocaleLowerCase('vi')} ${n(tally.overdue)}.`,
        ),
      );
    }
    if (!agency) {
      // The province's report is read by leadership: the figures and the documents issued, each
      // task's detail in the appendix, not a page per task.
      const issued = tasks.flatMap((t) => (t.report?.documents ?? []).map((d) => ({ d, t })));
      if (issued.length > 0) {
        body.push(p('Các văn bản các cơ quan đã ban hành để thực hiện nhiệm vụ của lĩnh vực:'));
        issued.forEach(({ d, t }, k) =>
          body.push(p(`${documentLine(d)} (${t.agency.name})${k === issued.length - 1 ? '.' : ';'}`)),
        );
      } else
        body.push(p('Trong kỳ, các cơ quan chưa báo cáo văn bản nào ban hành để thực hiện nhiệm vụ của lĩnh vực.'));
      const done = tasks.filter((t) => t.accepted && (t.bucket === 'onTime' || t.bucket === 'late'));
      const completedInPeriod = done.filter((t) => t.accepted!.documentDate >= input.windowStart);
      if (completedInPeriod.length > 0) {
        body.push(p('Các nhiệm vụ hoàn thành trong kỳ:'));
        completedInPeriod.forEach((t, k) =>
          body.push(
            p(
              `- ${taskName(t, manyPlans)} (${t.agency.name}): ${t.accepted!.type} số ${t.accepted!.documentNumber} ngày ${vnDate(t.accepted!.documentDate)}${k === completedInPeriod.length - 1 ? '.' : ';'}`,
            ),
          ),
        );
      }
      return;
    }
    for (const t of tasks) {
      body.push({
        kind: 'paragraph',
        runs: [
          { text: `${taskName(t, manyPlans)}: `, bold: true },
          { text: withStop(t.title) },
          { text: ` Thời hạn: ${dueText(t)}. `, italic: true },
          { text: `Tình trạng tại ngày ${vnDate(input.asOf)}: ${stateText(t).toLocaleLowerCase('vi')}` },
          { text: agency ? '.' : ` (${t.agency.name} chủ trì).` },
        ],
      });
      if (t.report) body.push(p(`Kết quả thực hiện: ${withStop(t.report.summary)}`));
      else body.push(p(`${agency ? 'Cơ quan' : t.agency.name} chưa gửi báo cáo kỳ này về nhiệm vụ.`, { italic: true }));
      if (t.accepted)
        body.push(
          p(
            `Sản phẩm đã được cơ quan thường trực chấp nhận: ${t.accepted.type} số ${t.accepted.documentNumber} ngày ${vnDate(t.accepted.documentDate)}.`,
          ),
        );
    }
  });

  // II. The general assessment.
  body.push({ kind: 'heading', text: 'II. ĐÁNH GIÁ CHUNG' });
  body.push({ kind: 'subheading', text: '1. Kết quả thực hiện nhiệm vụ' });
  body.push(
    p(
      countSentence(
        input.total,
        agency ? `${agency.name} được giao chủ trì` : 'các cơ quan, đơn vị được giao chủ trì',
        input.asOf,
      ),
    ),
  );
  if (!agency) {
    if (input.byAgency.length > 0) {
      body.push(p('Kết quả của từng cơ quan, xếp từ cơ quan còn nhiều nhiệm vụ quá hạn nhất:'));
      body.push({ kind: 'table', table: agencyTable(input.byAgency) });
    }
    const lateOrMissing = input.filings.filter((f) => f.late > 0 || f.missing > 0);
    body.push({ kind: 'subheading', text: '2. Việc gửi báo cáo của các cơ quan' });
    if (lateOrMissing.length === 0)
      body.push(p(`Các cơ quan đều gửi báo cáo ${periodWords} đúng hạn hoặc chưa đến hạn gửi.`));
    else {
      body.push(p('Các cơ quan gửi báo cáo muộn hoặc chưa gửi báo cáo:'));
      lateOrMissing.forEach((f, i) =>
        body.push(
          p(
            `- ${f.agency.name}: ${[
              f.late > 0 ? `${n(f.late)} báo cáo gửi muộn` : '',
              f.missing > 0 ? `${n(f.missing)} báo cáo chưa gửi` : '',
            ]
              .filter(Boolean)
              .join(', ')}${i === lateOrMissing.length - 1 ? '.' : ';'}`,
          ),
        ),
      );
    }
  }
  let item = agency ? 2 : 3;
  body.push({ kind: 'subheading', text: `${item++}. Nhiệm vụ chậm so với thời hạn` });
  const overdue = input.tasks.filter((t) => t.bucket === 'overdue');
  if (overdue.length === 0) body.push(p(`Tại ngày ${vnDate(input.asOf)}, không có nhiệm vụ nào quá hạn.`));
  for (const t of overdue) {
    const reasons = reasonsOf(t);
    body.push(
      p(
        `- ${taskName(t, manyPlans)}${agency ? '' : ` (${t.agency.name})`}: ${withStop(t.title).replace(/\.$/, '')}, thời hạn ${dueText(t)}; ` +
          (reasons.length > 0 ? `${withStop(reasons.join('; '))}` : 'cơ quan chưa báo cáo lý do chậm.'),
      ),
    );
  }
  const withDifficulties = input.tasks.filter((t) => t.report?.difficulties || t.report?.causes);
  body.push({ kind: 'subheading', text: `${item++}. Khó khăn, vướng mắc và nguyên nhân` });
  if (withDifficulties.length === 0) body.push(p('Trong kỳ, các báo cáo không nêu khó khăn, vướng mắc nào.'));
  for (const t of withDifficulties) {
    const parts = [t.report!.difficulties, t.report!.causes ? `Nguyên nhân: ${t.report!.causes}` : undefined].filter(
      (x): x is string => Boolean(x),
    );
    body.push(p(`- ${taskName(t, manyPlans)}${agency ? '' : ` (${t.agency.name})`}: ${parts.map(withStop).join(' ')}`));
  }
  const withProposals = input.tasks.filter((t) => t.report?.proposals);
  body.push({ kind: 'subheading', text: `${item}. Đề xuất, kiến nghị` });
  if (withProposals.length === 0) body.push(p('Trong kỳ, các báo cáo không có đề xuất, kiến nghị.'));
  for (const t of withProposals)
    body.push(
      p(`- ${taskName(t, manyPlans)}${agency ? '' : ` (${t.agency.name})`}: ${withStop(t.report!.proposals!)}`),
    );

  // III. The next period.
  const nextWords = periodInWords(input.next.period);
  body.push({ kind: 'heading', text: `III. PHƯƠNG HƯỚNG, NHIỆM VỤ ${nextWords.toLocaleUpperCase('vi')}` });
  if (input.next.tasks.length === 0)
    body.push(p(`Không có nhiệm vụ nào đến hạn trong kỳ tới (đến ngày ${vnDate(input.next.windowEnd)}).`));
  else {
    body.push(
      p(
        `Tập trung hoàn thành các nhiệm vụ đến hạn trong kỳ tới (đến ngày ${vnDate(input.next.windowEnd)}), đồng thời khắc phục các nhiệm vụ còn quá hạn:`,
      ),
    );
    input.next.tasks.forEach((t, i) =>
      body.push(
        p(
          `${i + 1}. ${withStop(t.title).replace(/\.$/, '')} (${agency ? '' : `${t.agency.name}; `}thời hạn ${dueText(t)}).`,
        ),
      ),
    );
  }
  body.push(
    p(
      `Trên đây là Báo cáo kết quả thực hiện công tác CCHC ${periodWords} và phương hướng, nhiệm vụ ${nextWords} của ${who}./.`,
    ),
  );

  const appendixNote = `(Kèm theo Báo cáo số      /BC-${symbol} ngày      /     /${input.today.slice(0, 4)} của ${who})`;
  const appendices: NarrativeDocument['appendices'] = [];
  if (!agency && input.byAgency.length > 0)
    appendices.push({
      number: 'I',
      title: `KẾT QUẢ THỰC HIỆN NHIỆM VỤ CCHC ${periodWords.toLocaleUpperCase('vi')} THEO CƠ QUAN`,
      note: appendixNote,
      table: agencyTable(input.byAgency),
    });
  appendices.push({
    number: appendices.length === 0 ? 'I' : 'II',
    title: `DANH MỤC NHIỆM VỤ CCHC ${periodWords.toLocaleUpperCase('vi')}`,
    note: appendixNote,
    table: tasksTable(input.tasks, !agency),
  });

  return {
    issuer: agency
      ? { parent: `UBND TỈNH ${province.toLocaleUpperCase('vi')}`, name: agency.name.toLocaleUpperCase('vi') }
      : { parent: null, name: `ỦY BAN NHÂN DÂN TỈNH ${province.toLocaleUpperCase('vi')}` },
    number: `Số:        /BC-${symbol}`,
    placeDate: `${province}, ${headingDate(input.today)}`,
    title: 'BÁO CÁO',
    subject: `Kết quả thực hiện công tác cải cách hành chính ${periodWords}`,
    body,
    recipients: agency
      ? ['- Sở Nội vụ (b/c);', '- Lãnh đạo cơ quan;', `- Lưu: VT, ${symbol}.`]
      : [
          '- Bộ Nội vụ (b/c);',
          '- TT Tỉnh ủy, TT HĐND tỉnh (b/c);',
          '- Chủ tịch, các PCT UBND tỉnh;',
          '- Các sở, ban, ngành;',
          '- Lưu: VT, SNV.',
        ],
    signer: agency ? ['THỦ TRƯỞNG CƠ QUAN'] : ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'],
    appendices,
  };
}
