import { codeFor } from './codes.ts';
import type { RawRow } from '../appendix/types.ts';
import { fold, squish } from '../text.ts';
import { withGroup } from './registry.ts';
import { AGENCY_KINDS, type AgencyKind, type AgencyRecord, type AgencyRegistry } from './types.ts';

// A registry's agencies as a table a coordinator edits in a spreadsheet: to load a province's
// communes (from the official list), or to review and fix the registry in bulk.

export const AGENCY_TABLE_HEADER = ['Mã', 'Tên', 'Loại', 'Tên khác', 'Hợp nhất vào'];

/** The rows of the table, header first; aliases joined with "; ". */
export function agencyTable(registry: AgencyRegistry): string[][] {
  return [
    AGENCY_TABLE_HEADER,
    ...registry.data.agencies.map((a) => [a.code, a.name, a.kind, (a.aliases ?? []).join('; '), a.mergedInto ?? '']),
  ];
}

export interface TableProblem {
  row: number;
  column?: string;
  message: string;
}

const COLUMNS: Record<string, 'code' | 'name' | 'kind' | 'aliases' | 'mergedInto'> = {
  ma: 'code',
  'ma dvhc': 'code',
  'ma don vi': 'code',
  ten: 'name',
  'ten don vi': 'name',
  'ten co quan': 'name',
  loai: 'kind',
  cap: 'kind',
  'ten khac': 'aliases',
  'hop nhat vao': 'mergedInto',
};

/** A commune's "cấp" as the official lists write it, or one of our kinds. */
function kindOf(text: string): AgencyKind | undefined {
  const folded = fold(text);
  if (AGENCY_KINDS.includes(folded as AgencyKind)) return folded as AgencyKind;
  if (/^(xa|phuong|dac khu|thi tran)$/.test(folded)) return 'commune';
  return undefined;
}

/**
 * The agencies of a table in the shape `agencyTable` writes (or an official commune list: Mã,
 * Tên, Cấp). A row without a code gets one made from its name; a row without a kind gets
 * `defaultKind`. Every problem is named by row and column; rows with problems are left out.
 */
export function readAgencyTable(
  rows: readonly RawRow[],
  registry: AgencyRegistry,
  defaultKind: AgencyKind = 'commune',
): { records: AgencyRecord[]; problems: TableProblem[] } {
  const problems: TableProblem[] = [];
  const headerIndex = rows.findIndex((r) => r.cells.some((c) => COLUMNS[fold(c)] === 'name'));
  if (headerIndex < 0)
    return { records: [], problems: [{ row: 1, message: 'Không tìm thấy dòng tiêu đề có cột "Tên".' }] };
  const header = rows[headerIndex]!;
  const at = new Map<string, number>();
  header.cells.forEach((cell, i) => {
    const column = COLUMNS[fold(cell)];
    if (column && !at.has(column)) at.set(column, i);
  });
  const cell = (row: RawRow, column: string) => squish(row.cells[at.get(column) ?? -1] ?? '');
  const taken = new Set(registry.byCode.keys());
  const seen = new Set<string>();
  const records: AgencyRecord[] = [];
  for (const row of rows.slice(headerIndex + 1)) {
    if (row.cells.every((c) => c.trim() === '')) continue;
    const name = cell(row, 'name');
    if (!name) {
      problems.push({ row: row.row, column: header.cells[at.get('name')!], message: 'thiếu tên cơ quan' });
      continue;
    }
    const kindText = cell(row, 'kind');
    const kind = kindText ? kindOf(kindText) : defaultKind;
    if (!kind) {
      problems.push({
        row: row.row,
        column: header.cells[at.get('kind')!],
        message: `loại "${kindText}" không hợp lệ (${AGENCY_KINDS.join(', ')}, xã, phường, đặc khu)`,
      });
      continue;
    }
    const written = cell(row, 'code').toUpperCase();
    const code = written || codeFor(name, taken);
    if (seen.has(code)) {
      problems.push({
        row: row.row,
        column: header.cells[at.get('code') ?? 0],
        message: `mã "${code}" trùng với dòng trên`,
      });
      continue;
    }
    seen.add(code);
    taken.add(code);
    const aliases = cell(row, 'aliases')
      .split(';')
      .map((a) => a.trim())
      .filter(Boolean);
    const mergedInto = cell(row, 'mergedInto').toUpperCase();
    records.push({
      code,
      name,
      kind,
      ...(aliases.length > 0 ? { aliases } : {}),
      ...(mergedInto ? { mergedInto } : {}),
    });
  }
  return { records, problems };
}

/**
 * Once a registry lists communes, its "UBND cấp xã" group (written as nobody in particular while
 * there were none) stands for them again, so a plan's "UBND cấp xã" fans out to every commune.
 */
export function withCommunesGrouped(registry: AgencyRegistry): AgencyRegistry {
  if (!registry.data.agencies.some((a) => a.kind === 'commune' && !a.mergedInto)) return registry;
  let next = registry;
  for (const group of registry.data.groups) {
    if (group.members === 'unspecified' && fold(group.name) === 'ubnd cap xa') {
      const { note: _note, ...rest } = group;
      next = withGroup(next, { ...rest, members: { kinds: ['commune'] } });
    }
  }
  return next;
}
