import type { FuzzyBudget } from '../agencies/nearest.ts';
import type { AgencyRegistry } from '../agencies/types.ts';
import { TABLE_LIMITS } from './limits.ts';
import type { IsoDate } from '../types.ts';
import { resolveAgencyCell } from './agency-cells.ts';
import { cleanCell, cleanNumber, sectionKind, sectionNumeral, splitDeliverables } from './cells.ts';
import { MEANING_NAMES } from './columns.ts';
import { readDeadlineCell } from './deadline-cells.ts';
import { taskKeys } from './task-keys.ts';
import type { ColumnMap, ColumnMeaning, Issue, PreviewAgency, PreviewTask, RawRow, RawTable } from './types.ts';

// From rows to tasks: section rows name the area and the section, an empty objective continues
// the one above, agencies are resolved with the registry, deadlines read, each task keyed
// (task-keys.ts), and every doubt reported against the row and column a person can find.

export interface InterpretOptions {
  registry: AgencyRegistry;
  /** What suggesting near names may still cost in this file (shared with proposed agencies). */
  fuzzy?: FuzzyBudget;
  strict?: boolean;
  periodStart?: IsoDate;
  periodEnd?: IsoDate;
}

export interface Interpretation {
  tasks: PreviewTask[];
  warnings: Issue[];
  errors: Issue[];
}

const VALID_NUMBER = /^\d+(\.\d+)*[a-zđ]?$/i;

class RowReader {
  constructor(
    private readonly map: ColumnMap,
    readonly raw: RawRow,
  ) {}

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

/**
 * The sections the rows are in, outermost first. Roman numerals and letters number different
 * levels, in whichever order the table nests them (A > I > 1, or I > A > 1): a numeral of a kind
 * already open replaces that level and closes the ones inside it.
 */
class SectionPath {
  private levels: { kind: 'roman' | 'letter'; numeral: string }[] = [];

  enter(numeral: string): void {
    const kind = sectionKind(numeral);
    const at = this.levels.findIndex((level) => level.kind === kind);
    if (at >= 0) this.levels.length = at;
    this.levels.push({ kind, numeral });
  }

  clear(): void {
    this.levels = [];
  }

  /** "II", or "A.II" when sections nest; null before the first section row. */
  get label(): string | null {
    return this.levels.length > 0 ? this.levels.map((level) => level.numeral).join('.') : null;
  }
}

function sectionTitle(reader: RowReader, numeralTitle: string, numeral: string): string | null {
  if (numeralTitle) return numeralTitle;
  const title = reader.raw.cells.map(cleanCell).find((c) => c !== '' && cleanNumber(c) !== numeral);
  return title ? title.replace(/\n/g, ' ') : null;
}

export function interpretTable(table: RawTable, map: ColumnMap, options: InterpretOptions): Interpretation {
  const { registry } = options;
  const tasks: PreviewTask[] = [];
  const warnings: Issue[] = [];
  const errors: Issue[] = [];
  const sections = new SectionPath();
  let area: string | null = null;
  let objective: string | null = null;

  const rows = dataRows(table, map);
  const numbers = rows.map((raw) => cleanNumber(new RowReader(map, raw).cell('number')));

  rows.forEach((raw, index) => {
    const reader = new RowReader(map, raw);
    const number = numbers[index]!;

    const section = number ? sectionNumeral(number) : undefined;
    if (raw.afterGap && !section) {
      area = null;
      objective = null;
      sections.clear();
      warnings.push(
        reader.issue(
          undefined,
          `Bản trích xuất bị ngắt trang ngay trước dòng ${raw.row} và có thể đã mất dữ liệu (như dòng tên mục); ` +
            'lĩnh vực và mục tiêu của các nhiệm vụ từ đây đến mục kế tiếp để trống, không suy đoán.',
        ),
      );
    }
    if (section) {
      sections.enter(section.numeral);
      area = sectionTitle(reader, section.title, section.numeral);
      objective = null;
      return;
    }

    // A row without a number (a fragment of a lost row, a footnote) is not a task.
    if (!/^\d/.test(number)) {
      const short =
        table.format === 'text' && raw.cells.length < map.headers.length
          ? `, chỉ có ${raw.cells.length} trên ${map.headers.length} ô`
          : '';
      const written = number ? ` (ô STT ghi "${number.length > 40 ? `${number.slice(0, 40)}…` : number}")` : '';
      warnings.push(
        reader.issue(
          'number',
          `Dòng ${raw.row} không có số thứ tự${written}${short}: có thể là phần còn lại của một dòng bị mất khi trích xuất, hoặc một ghi chú; dòng này không được nhập.`,
        ),
      );
      return;
    }

    const leadsRaw = cleanCell(reader.cell('lead'));
    // "5.1" with no lead, followed by "5.1.1": a heading over its sub-tasks, not a task.
    if (
      !leadsRaw &&
      numbers
        .slice(index + 1)
        .find((n) => n !== '')
        ?.startsWith(`${number}.`)
    )
      return;

    const taskWarnings: Issue[] = [];
    if (!VALID_NUMBER.test(number))
      taskWarnings.push(
        reader.issue(
          'number',
          `Số thứ tự "${number}" ở dòng ${raw.row} không đúng dạng (1, 2 … hoặc 1.1, 5.1.5); vẫn nhập như đã ghi.`,
        ),
      );

    const ownObjective = cleanCell(reader.cell('objective'));
    if (ownObjective) objective = ownObjective;

    const title = cleanCell(reader.cell('task'));
    if (!title) errors.push(reader.issue('task', `Dòng ${raw.row} (STT ${number}) không có nội dung nhiệm vụ.`));

    const agencyCell = (meaning: 'lead' | 'collaborators', text: string): PreviewAgency[] => {
      if (!text) return [];
      if (text.length > TABLE_LIMITS.agencyCellLength) {
        // A list of agencies is a few lines; matching pages of text against every name would cost seconds.
        errors.push(
          reader.issue(
            meaning,
            `Ô "${reader.column(meaning)}" ở dòng ${raw.row} dài ${text.length.toLocaleString('vi-VN')} ký tự, quá giới hạn ${TABLE_LIMITS.agencyCellLength.toLocaleString('vi-VN')} ký tự của ô tên cơ quan.`,
          ),
        );
        return [];
      }
      const { agencies, problems } = resolveAgencyCell(text, meaning, registry, options.strict ?? false, options.fuzzy);
      for (const problem of problems)
        (problem.blocking ? errors : taskWarnings).push(reader.issue(meaning, problem.message));
      return agencies;
    };
    if (!leadsRaw) errors.push(reader.issue('lead', `Dòng ${raw.row} (STT ${number}) không có cơ quan chủ trì.`));
    const leads = agencyCell('lead', leadsRaw);
    const collaboratorsRaw = cleanCell(reader.cell('collaborators'));
    const collaborators = agencyCell('collaborators', collaboratorsRaw);

    const deadlineRaw = cleanCell(reader.cell('deadline')).replace(/\n/g, ' ');
    const { deadline, warning } = readDeadlineCell(deadlineRaw, { start: options.periodStart, end: options.periodEnd });
    if (warning) taskWarnings.push(reader.issue('deadline', warning));

    const metadata: Record<string, string> = {};
    for (const { index: column, header } of map.metadata) {
      const value = cleanCell(raw.cells[column]);
      if (value) metadata[header] = value;
    }

    tasks.push({
      row: raw.row,
      number,
      section: sections.label,
      key: number,
      area,
      objective,
      title,
      deliverables: splitDeliverables(cleanCell(reader.cell('deliverable'))),
      leads,
      leadsRaw,
      collaborators,
      collaboratorsRaw,
      deadline,
      warnings: taskWarnings,
      metadata,
    });
    for (const warning of taskWarnings) warnings.push(warning);
  });

  const keyed = taskKeys(tasks);
  tasks.forEach((task, index) => (task.key = keyed.keys[index]!));
  for (const { index, previous } of keyed.duplicates) {
    const task = tasks[index]!;
    const within = task.key !== task.number ? ` (cùng mục ${task.section})` : '';
    errors.push(
      new RowReader(map, { row: task.row, cells: [] }).issue(
        'number',
        `Số thứ tự "${task.number}" ở dòng ${task.row} trùng với dòng ${tasks[previous]!.row}${within}.`,
      ),
    );
  }
  // Duplicates are known once every task is read; errors go in row order, those of no row last.
  errors.sort((a, b) => (a.row ?? Number.MAX_SAFE_INTEGER) - (b.row ?? Number.MAX_SAFE_INTEGER));

  if (tasks.length === 0 && errors.length === 0) {
    errors.push({ message: 'Không tìm thấy nhiệm vụ nào trong bảng (không có dòng nào có số thứ tự).' });
  }
  return { tasks, warnings, errors };
}
