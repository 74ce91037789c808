import type { FuzzyBudget } from '../agencies/nearest.ts';
import type { AgencyRegistry } from '../agencies/types.ts';
import { fold } from '../text.ts';
import { TABLE_LIMITS } from './limits.ts';
import type { IsoDate } from '../types.ts';
import { communeLeads, resolveAgencyCell, type CellProblem } from './agency-cells.ts';
import { cleanCell, cleanNumber, sectionKind, sectionNumeral, splitDeliverables } from './cells.ts';
import { looksLikeHeader, MEANING_NAMES } from './columns.ts';
import { readDeadlineCell } from './deadline-cells.ts';
import { readStatusCell } from './status-cells.ts';
import { taskKeys } from './task-keys.ts';
import type {
  ColumnMap,
  ColumnMeaning,
  Issue,
  PreviewAgency,
  PreviewTask,
  Question,
  RawRow,
  RawTable,
  RowOverride,
  TaskStatus,
} from './types.ts';

// From rows to tasks: section rows name the area and the section, parts open a new scope for
// numbering, groups (a numbered row over lettered or sub-numbered ones, an unnumbered heading) lend
// their title and their merged cells to their children, an empty objective continues the one above,
// agencies are resolved with the registry, deadlines read, each task keyed (task-keys.ts), and every
// doubt reported against the row and column a person can find: a warning, and for what only the
// coordinator can decide, a question.

export interface InterpretOptions {
  registry: AgencyRegistry;
  /** What suggesting near names may still cost in this file (shared with proposed agencies). */
  fuzzy?: FuzzyBudget;
  strict?: boolean;
  periodStart?: IsoDate;
  periodEnd?: IsoDate;
  /** The plan's issue date: what a deadline counted from the signing counts from. */
  issuedOn?: IsoDate;
  /** The coordinator's changes, by row. */
  overrides?: readonly RowOverride[];
}

export interface Interpretation {
  tasks: PreviewTask[];
  warnings: Issue[];
  errors: Issue[];
  /** Some deadline counts from the plan's signing and no issue date is known. */
  needsIssueDate: boolean;
}

const VALID_NUMBER = /^\d+(\.\d+)*[a-zđ]?$/i;
const NUMBER_HEADERS = new Set(['stt', 'tt', 'so tt', 'so thu tu', 'thu tu', 's tt']);

class RowReader {
  constructor(
    private readonly map: ColumnMap,
    readonly raw: RawRow,
  ) {}

  /** The cell as written in this row (a merged cell's continuation counts as empty: its value is the row's above). */
  own(meaning: ColumnMeaning): string {
    const index = this.map.columns[meaning];
    if (index === undefined || this.raw.continued?.includes(index)) return '';
    return this.raw.cells[index] ?? '';
  }

  cell(meaning: ColumnMeaning): string {
    const index = this.map.columns[meaning];
    return index === undefined ? '' : (this.raw.cells[index] ?? '');
  }

  column(meaning: ColumnMeaning): string {
    const index = this.map.columns[meaning];
    return (index !== undefined ? this.map.headers[index] : undefined) || MEANING_NAMES[meaning];
  }

  issue(meaning: ColumnMeaning | undefined, message: string): Issue {
    return { row: this.raw.row, ...(meaning ? { column: this.column(meaning), field: meaning } : {}), message };
  }
}

/** The rows after the header, without the column-numbering rows. */
function dataRows(table: RawTable, map: ColumnMap): RawRow[] {
  const afterHeader = map.headerRow === undefined ? 0 : table.rows.findIndex((r) => r.row === map.headerRow) + 1;
  const skip = new Set(map.skipRows);
  return table.rows.slice(afterHeader).filter((r) => !skip.has(r.row) && r.cells.some((c) => c.trim() !== ''));
}

const ROMAN_VALUES: Record<string, number> = { I: 1, V: 5, X: 10, L: 50 };
function romanValue(numeral: string): number {
  let total = 0;
  for (let i = 0; i < numeral.length; i++) {
    const value = ROMAN_VALUES[numeral[i]!] ?? 0;
    const next = ROMAN_VALUES[numeral[i + 1] ?? ''] ?? 0;
    total += value < next ? -value : value;
  }
  return total;
}

/**
 * The sections the rows are in, outermost first. Roman numerals and letters number different
 * levels, in whichever order the table nests them (A > I > 1, or I > A > 1): a numeral of a kind
 * already open replaces that level and closes the ones inside it. A part ("Phần B", a repeated
 * header row, Roman numerals starting again at I) opens a new scope around them all.
 */
class SectionPath {
  private levels: { kind: 'roman' | 'letter'; numeral: string }[] = [];
  private part: string | null = null;
  private parts = 1;

  enter(numeral: string): void {
    const kind = sectionKind(numeral);
    const at = this.levels.findIndex((level) => level.kind === kind);
    // I after IX (or I again) at the outermost Roman level, with nothing around it changing: a new part.
    if (kind === 'roman' && at === 0 && romanValue(numeral) <= romanValue(this.levels[0]!.numeral)) this.newPart();
    else if (at >= 0) this.levels.length = at;
    this.levels.push({ kind, numeral });
  }

  newPart(label?: string): void {
    this.parts++;
    this.part = label ?? `P${this.parts}`;
    this.levels = [];
  }

  clear(): void {
    this.levels = [];
  }

  /** "II", or "A.II" when sections nest, "P2.I" in a second part; null before the first section row. */
  get label(): string | null {
    const path = [...(this.part ? [this.part] : []), ...this.levels.map((level) => level.numeral)];
    return path.length > 0 ? path.join('.') : null;
  }
}

/** "Phần B", "PHẦN II: …", "Phần 2 -": a part's label, or undefined. */
function partLabel(row: RawRow): string | undefined {
  const first = row.cells.map((c) => c.trim()).find((c) => c !== '') ?? '';
  const match = /^phan\s+([a-z]|[ivx]+|\d+)\b/.exec(fold(first));
  return match ? match[1]!.toUpperCase() : undefined;
}

function sectionTitle(reader: RowReader, numeralTitle: string, numeral: string): string | null {
  if (numeralTitle) return numeralTitle;
  const title = reader.raw.cells.map(cleanCell).find((c) => c !== '' && cleanNumber(c) !== numeral);
  return title ? title.replace(/\n/g, ' ') : null;
}

type Kind =
  | { kind: 'header' }
  | { kind: 'part'; label: string }
  | { kind: 'section'; numeral: string; title: string }
  | { kind: 'numbered'; number: string }
  | { kind: 'lettered'; letter: string }
  | { kind: 'unnumbered' }
  | { kind: 'fragment'; written: string };

/** A cell spanning the row (a heading merged across the columns) shows its text in every column it covers: it is only the title. */
function unspan(row: RawRow, map: ColumnMap): RawRow {
  const task = map.columns.task;
  if (task === undefined) return row;
  const title = (row.cells[task] ?? '').trim();
  if (!title) return row;
  const spanned = Object.entries(map.columns).filter(
    ([meaning, index]) =>
      meaning !== 'task' && meaning !== 'number' && index !== undefined && (row.cells[index] ?? '').trim() === title,
  );
  if (spanned.length === 0) return row;
  const cells = [...row.cells];
  for (const [, index] of spanned) cells[index!] = '';
  return { ...row, cells };
}

function kindOf(reader: RowReader, headerRow: number | undefined): Kind {
  const { raw } = reader;
  // A header repeated (a new page, a new part) has the number column's header where a number goes.
  if (raw.row !== headerRow && NUMBER_HEADERS.has(fold(reader.cell('number'))) && looksLikeHeader(raw))
    return { kind: 'header' };
  const label = partLabel(raw);
  if (label) return { kind: 'part', label };
  const written = reader.cell('number').trim();
  const number = cleanNumber(written);
  const section = number ? sectionNumeral(number) : undefined;
  if (section) return { kind: 'section', numeral: section.numeral, title: section.title };
  const letter = /^([a-zđ])\s*[).]?$/u.exec(written);
  if (letter) return { kind: 'lettered', letter: letter[1]! };
  if (/^\d/.test(number)) return { kind: 'numbered', number };
  if (number === '' || /^[-+•*–]+$/.test(number)) {
    // "a) Dữ liệu y tế" with the letter written in the task's own cell.
    const inTitle = /^([a-zđ])\)\s+\S/u.exec(cleanCell(reader.cell('task')));
    if (inTitle) return { kind: 'lettered', letter: inTitle[1]! };
    return { kind: 'unnumbered' };
  }
  return { kind: 'fragment', written: number };
}

/** A task of its own, though unnumbered: it names a lead, a product or a deadline. */
function standsAlone(reader: RowReader): boolean {
  return ['lead', 'deliverable', 'deadline', 'duration'].some((m) => cleanCell(reader.own(m as ColumnMeaning)) !== '');
}

interface Group {
  title: string;
  /** Its row, for the cells its children take when theirs are empty. */
  reader: RowReader;
  /** The numbered group's number ("1"), whose lettered children are "1.a"; absent for an unnumbered heading. */
  number?: string;
}

const issueOf = (reader: RowReader, meaning: ColumnMeaning | undefined, message: string) =>
  reader.issue(meaning, message);

export function interpretTable(table: RawTable, map: ColumnMap, options: InterpretOptions): Interpretation {
  const { registry } = options;
  const tasks: PreviewTask[] = [];
  const warnings: Issue[] = [];
  const errors: Issue[] = [];
  const sections = new SectionPath();
  const overrides = new Map((options.overrides ?? []).map((o) => [o.row, o]));
  let area: string | null = null;
  let objective: string | null = null;
  let needsIssueDate = false;

  const rows = dataRows(table, map).map((row) => unspan(row, map));
  const readers = rows.map((raw) => new RowReader(map, raw));
  const kinds = readers.map((reader) => kindOf(reader, map.headerRow));

  // Groups: a numbered row is one when lettered rows follow it, or sub-numbered rows that do not
  // name a lead of their own beside its (a merged cell), or when it names no lead itself.
  const groupRows = new Set<number>();
  kinds.forEach((kind, index) => {
    if (kind.kind !== 'numbered') return;
    const children: number[] = [];
    let lettered = false;
    for (let j = index + 1; j < kinds.length; j++) {
      const next = kinds[j]!;
      if (next.kind === 'lettered') {
        lettered = true;
        children.push(j);
      } else if (next.kind === 'numbered' && next.number.startsWith(`${kind.number}.`)) children.push(j);
      else if (next.kind === 'unnumbered' && !lettered) continue;
      else break;
    }
    if (children.length === 0) return;
    const ownLead = cleanCell(readers[index]!.own('lead'));
    const childLeads = children.some((j) => cleanCell(readers[j]!.own('lead')) !== '');
    if (lettered || !ownLead || !childLeads) groupRows.add(index);
  });

  let group: Group | undefined;
  let heading: Group | undefined;
  let anchor = { section: null as string | null, number: '0', count: 0 };
  const positions = new Map<number, string>();

  rows.forEach((raw, index) => {
    const reader = readers[index]!;
    const kind = kinds[index]!;

    if (raw.afterGap && kind.kind !== 'section') {
      area = null;
      objective = null;
      sections.clear();
      warnings.push(
        issueOf(
          reader,
          undefined,
          `Bản trích xuất bị ngắt trang ngay trước dòng ${raw.row} và có thể đã mất dữ liệu (như dòng tên mục); ` +
            'lĩnh vực và mục tiêu của các nhiệm vụ từ đây đến mục kế tiếp để trống, không suy đoán.',
        ),
      );
    }
    if (kind.kind === 'header' || kind.kind === 'part') {
      sections.newPart(kind.kind === 'part' ? kind.label : undefined);
      if (kind.kind === 'part') area = cleanCell(raw.cells.find((c) => c.trim() !== '')).replace(/\n/g, ' ');
      objective = null;
      group = undefined;
      heading = undefined;
      return;
    }
    if (kind.kind === 'section') {
      sections.enter(kind.numeral);
      area = sectionTitle(reader, kind.title, kind.numeral);
      objective = null;
      group = undefined;
      heading = undefined;
      return;
    }
    if (kind.kind === 'fragment') {
      // Text in the number column (a fragment of a lost row, a footnote) is not a task.
      const short =
        table.format === 'text' && raw.cells.length < map.headers.length
          ? `, chỉ có ${raw.cells.length} trên ${map.headers.length} ô`
          : '';
      const written = ` (ô STT ghi "${kind.written.length > 40 ? `${kind.written.slice(0, 40)}…` : kind.written}")`;
      warnings.push(
        issueOf(
          reader,
          'number',
          `Dòng ${raw.row} không có số thứ tự${written}${short}: có thể là phần còn lại của một dòng bị mất khi trích xuất, hoặc một ghi chú; dòng này không được nhập.`,
        ),
      );
      return;
    }
    if (kind.kind === 'numbered' && groupRows.has(index)) {
      const title = cleanCell(reader.cell('task')).replace(/\n/g, ' ');
      const ownObjective = cleanCell(reader.own('objective'));
      if (ownObjective) objective = ownObjective;
      group = { title, reader, number: kind.number };
      // An unnumbered task after the group is placed after its number.
      anchor = { section: sections.label, number: kind.number, count: 0 };
      return;
    }
    if (kind.kind === 'unnumbered' && !standsAlone(reader) && overrides.get(raw.row)?.excluded !== false) {
      const title = cleanCell(reader.cell('task')).replace(/\n/g, ' ');
      if (!title) return;
      // A note under the table ("Ghi chú: …") is neither a task nor a heading.
      if (/^(ghi chu|luu y|chu thich|chu y)\b|^\*/.test(fold(title))) {
        warnings.push(
          issueOf(reader, 'number', `Dòng ${raw.row} không có số thứ tự và là ghi chú; dòng này không được nhập.`),
        );
        return;
      }
      heading = { title, reader };
      group = undefined;
      return;
    }

    // A task. Its group, when it is in one: a lettered row or a sub-number of the numbered group,
    // else the unnumbered heading above.
    let number = '';
    let position: string | undefined;
    if (kind.kind === 'numbered') {
      if (group?.number !== undefined && !kind.number.startsWith(`${group.number}.`)) group = undefined;
      number = kind.number;
      anchor = { section: sections.label, number, count: 0 };
    } else if (kind.kind === 'lettered') {
      number = kind.letter;
      // Keyed under its group's number: "1.a".
      if (group?.number !== undefined) positions.set(tasks.length, `${group.number}.${kind.letter}`);
    } else {
      if (anchor.section !== sections.label) anchor = { section: sections.label, number: '0', count: 0 };
      anchor.count++;
      position = `${anchor.number}+${anchor.count}`;
      positions.set(tasks.length, position);
    }
    const parentGroup = group ?? heading;
    const override = overrides.get(raw.row);

    const inherited = (meaning: ColumnMeaning): string => {
      const own = cleanCell(reader.own(meaning));
      if (own) return own;
      const fromGroup = parentGroup ? cleanCell(parentGroup.reader.own(meaning)) : '';
      return fromGroup || cleanCell(reader.cell(meaning));
    };

    const taskWarnings: Issue[] = [];
    const questions: Question[] = [];
    if (number && kind.kind === 'numbered' && !VALID_NUMBER.test(number))
      taskWarnings.push(
        issueOf(
          reader,
          'number',
          `Số thứ tự "${number}" ở dòng ${raw.row} không đúng dạng (1, 2 … hoặc 1.1, 5.1.5); vẫn nhập như đã ghi.`,
        ),
      );

    const ownObjective = cleanCell(reader.own('objective')) || cleanCell(reader.cell('objective'));
    if (ownObjective) objective = ownObjective;

    const title = override?.title?.trim() || cleanCell(reader.cell('task'));
    if (!title)
      errors.push(issueOf(reader, 'task', `Dòng ${raw.row} (STT ${number || 'không số'}) không có nội dung nhiệm vụ.`));

    const agencyCell = (meaning: 'lead' | 'collaborators', text: string) => {
      if (!text) return { agencies: [] as PreviewAgency[], problems: [] as CellProblem[] };
      if (text.length > TABLE_LIMITS.agencyCellLength) {
        // A list of agencies is a few lines; matching pages of text against every name would cost seconds.
        errors.push(
          issueOf(
            reader,
            meaning,
            `Ô "${reader.column(meaning)}" ở dòng ${raw.row} dài ${text.length.toLocaleString('vi-VN')} ký tự, quá giới hạn ${TABLE_LIMITS.agencyCellLength.toLocaleString('vi-VN')} ký tự của ô tên cơ quan.`,
          ),
        );
        return { agencies: [], problems: [] };
      }
      return resolveAgencyCell(text, meaning, registry, options.strict ?? false, options.fuzzy);
    };

    const leadsRaw = inherited('lead');
    let leads: PreviewAgency[];
    if (override?.leads) {
      leads = agenciesByCode(override.leads, registry);
    } else {
      const cell = agencyCell('lead', leadsRaw);
      leads = [];
      for (const agency of cell.agencies) {
        if (
          agency.code === null &&
          agency.members !== undefined &&
          override?.communes &&
          isCommuneGroup(cell.problems, agency)
        ) {
          for (const commune of communeLeads(registry, agency, override.communes))
            if (!leads.some((l) => l.code === commune.code)) leads.push(commune);
        } else leads.push(agency);
      }
      for (const problem of cell.problems) {
        if (problem.kind === 'communes' && override?.communes) continue;
        (problem.blocking ? errors : taskWarnings).push(issueOf(reader, 'lead', problem.message));
        const question = leadQuestion(problem, reader, registry);
        if (question) questions.push(question);
      }
      if (!leadsRaw)
        errors.push(issueOf(reader, 'lead', `Dòng ${raw.row} (STT ${number || 'không số'}) không có cơ quan chủ trì.`));
    }

    const collaboratorsRaw = inherited('collaborators');
    let collaborators: PreviewAgency[];
    if (override?.collaborators) collaborators = agenciesByCode(override.collaborators, registry);
    else {
      const cell = agencyCell('collaborators', collaboratorsRaw);
      collaborators = cell.agencies;
      for (const problem of cell.problems)
        (problem.blocking ? errors : taskWarnings).push(issueOf(reader, 'collaborators', problem.message));
    }

    const duration = inherited('duration');
    const written = override?.deadline ?? inherited('deadline').replace(/\n/g, ' ');
    const deadlineText = written || durationText(duration);
    const read = readDeadlineCell(
      deadlineText,
      { start: options.periodStart, end: options.periodEnd },
      options.issuedOn ? { issuedOn: options.issuedOn } : {},
    );
    // A duration keeps its cell as written; the note says what it was counted from.
    if (!written && duration) read.deadline = { ...read.deadline, raw: duration };
    const deadlineColumn: ColumnMeaning = map.columns.deadline === undefined && duration ? 'duration' : 'deadline';
    if (read.warning) taskWarnings.push(issueOf(reader, deadlineColumn, read.warning));
    if (read.question === 'issued-on') needsIssueDate = true;
    if (read.question === 'deadline')
      questions.push({
        kind: 'deadline',
        row: raw.row,
        column: reader.column(deadlineColumn),
        text: deadlineText
          ? `Dòng ${raw.row}: thời hạn "${deadlineText}" không đọc được thành ngày; hãy nhập hạn (ví dụ 30/06/2026, Quý IV/2026).`
          : `Dòng ${raw.row}: chưa có thời hạn; hãy nhập hạn.`,
        options: options.periodEnd
          ? [{ value: options.periodEnd, label: `Hết kỳ kế hoạch (${vn(options.periodEnd)})` }]
          : [],
      });

    const status: TaskStatus = override?.status ?? readStatusCell(inherited('status'));
    if (status.state === 'done' && !status.completedOn)
      questions.push({
        kind: 'completed-on',
        row: raw.row,
        column: reader.column('status'),
        text: `Dòng ${raw.row}: đã hoàn thành nhưng chưa ghi ngày hoàn thành; hãy nhập ngày.`,
        options: [],
      });

    const metadata: Record<string, string> = {};
    for (const { index: column, header } of map.metadata) {
      const value = cleanCell(raw.cells[column]);
      if (value) metadata[header] = value;
    }
    const code = cleanCell(reader.cell('code'));

    tasks.push({
      row: raw.row,
      number,
      ...(code ? { code } : {}),
      ...(parentGroup?.title ? { parent: parentGroup.title } : {}),
      section: sections.label,
      key: number,
      area,
      objective,
      title,
      deliverables: splitDeliverables(inherited('deliverable')),
      leads,
      leadsRaw,
      collaborators,
      collaboratorsRaw,
      deadline: read.deadline,
      ...(read.note ? { deadlineNote: read.note } : {}),
      status,
      excluded: override?.excluded === true,
      questions,
      warnings: taskWarnings,
      metadata,
    });
    for (const warning of taskWarnings) warnings.push(warning);
  });

  const keyed = taskKeys(
    tasks.map((task, index) => {
      const position = positions.get(index);
      if (position === undefined) return { number: task.number, section: task.section };
      // A lettered child is numbered by its group ("1.a"); an unnumbered task by its place ("3+1").
      return task.number
        ? { number: position, section: task.section }
        : { number: '', section: task.section, position };
    }),
  );
  tasks.forEach((task, index) => (task.key = keyed.keys[index]!));
  for (const { index, previous } of keyed.duplicates) {
    const task = tasks[index]!;
    if (task.number === '') continue;
    const within = task.section ? ` (cùng mục ${task.section})` : '';
    const warning = new RowReader(map, { row: task.row, cells: [] }).issue(
      'number',
      `Số thứ tự "${task.number}" ở dòng ${task.row} trùng với dòng ${tasks[previous]!.row}${within}; cả hai đều được nhập, dòng ${task.row} với mã ${task.key}.`,
    );
    task.warnings.push(warning);
    warnings.push(warning);
  }
  // Duplicates are known once every task is read; issues go in row order, those of no row last.
  const byRow = (a: Issue, b: Issue) => (a.row ?? Number.MAX_SAFE_INTEGER) - (b.row ?? Number.MAX_SAFE_INTEGER);
  errors.sort(byRow);
  warnings.sort(byRow);

  if (tasks.length === 0 && errors.length === 0) {
    errors.push({ message: 'Không tìm thấy nhiệm vụ nào trong bảng (không có dòng nào có số thứ tự).' });
  }
  return { tasks, warnings, errors, needsIssueDate };
}

const vn = (day: IsoDate) => day.split('-').reverse().join('/');

/** A duration cell ("45", "45 ngày") as the deadline it means: counted from the plan's signing. */
function durationText(cell: string): string {
  const match = /^(\d{1,4})(?:\s*ngày)?\.?$/u.exec(cell.trim());
  return match ? `${match[1]} ngày kể từ ngày ban hành` : cell;
}

function isCommuneGroup(problems: readonly CellProblem[], agency: PreviewAgency): boolean {
  return problems.some((p) => p.kind === 'communes' && p.name === agency.name);
}

/** Agencies the coordinator chose by code, with their names (unknown codes are kept, named by their code). */
function agenciesByCode(codes: readonly string[], registry: AgencyRegistry): PreviewAgency[] {
  const seen = new Set<string>();
  return codes.flatMap((code) => {
    if (seen.has(code)) return [];
    seen.add(code);
    const agency = registry.byCode.get(code);
    return [{ code: agency ? agency.code : null, name: agency?.name ?? code }];
  });
}

/** What a lead cell's problem asks the coordinator, with the answers offered. */
function leadQuestion(problem: CellProblem, reader: RowReader, registry: AgencyRegistry): Question | undefined {
  const base = { row: reader.raw.row, column: reader.column('lead') };
  switch (problem.kind) {
    case 'communes':
      return {
        kind: 'commune-group',
        ...base,
        text: problem.message,
        options: [
          { value: 'each', label: `Giao cho từng xã, phường, đặc khu (${problem.members ?? 0} phân công)` },
          { value: 'group', label: 'Giao chung một phân công cho cấp xã' },
        ],
      };
    case 'unspecified':
      return { kind: 'vague-group', ...base, text: problem.message, options: [] };
    case 'unknown': {
      const byName = new Map(registry.data.agencies.map((a) => [a.name, a]));
      const options = (problem.nearest ?? []).flatMap((name) => {
        const agency = byName.get(name);
        return agency ? [{ value: agency.code, label: agency.name }] : [];
      });
      return { kind: 'unknown-agency', ...base, text: problem.message, options };
    }
    default:
      return undefined;
  }
}
