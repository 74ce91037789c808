import ExcelJS from 'exceljs';
import { agencyTable, readAgencyTable, withCommunesGrouped } from '../domain/agencies/agency-table.ts';
import { RegistryError, withAgency } from '../domain/agencies/registry.ts';
import type { AgencyRegistry } from '../domain/agencies/types.ts';
import { readCsvTable } from '../domain/appendix/read-csv.ts';
import { isZip } from '../domain/appendix/office-kind.ts';
import { readXlsxTable } from '../domain/appendix/read-xlsx.ts';
import { AppendixReadError } from '../domain/appendix/types.ts';
import type { Actor } from '../domain/lifecycle.ts';
import type { Database } from '../db/client.ts';
import { Invalid } from './errors.ts';
import { csvCell } from './periodic-report.ts';
import { editRegistry, requireRegistry } from './registries.ts';

export type TableFormat = 'csv' | 'xlsx';

/** A registry's agencies as CSV (UTF-8 with a BOM, for Excel; cells safe to open) or XLSX. */
export async function exportAgencies(db: Database, key: string, format: TableFormat): Promise<Buffer> {
  const rows = agencyTable(await requireRegistry(db, key));
  if (format === 'csv')
    return Buffer.from(`\ufeff${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`, 'utf8');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Cơ quan');
  for (const row of rows) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * Adds or replaces the agencies of a table (CSV or XLSX) in a registry: a province's communes from
 * the official list, or a reviewed export. All or nothing: any problem, named by row and column,
 * leaves the registry as it was. One audit entry records what changed.
 */
export async function importAgencies(
  db: Database,
  key: string,
  bytes: Uint8Array,
  by: Actor,
): Promise<{ added: number; updated: number }> {
  let rows;
  try {
    rows = (isZip(bytes) ? await readXlsxTable(bytes) : readCsvTable(bytes)).rows;
  } catch (error) {
    if (error instanceof AppendixReadError)
      throw new Invalid(error.issue.message, [{ field: 'file', message: error.issue.message }]);
    throw error;
  }
  return editRegistry(db, key, by, (current) => {
    const { records, problems } = readAgencyTable(rows, current);
    const fieldErrors = problems.map((p) => ({
      field: `row ${p.row}${p.column ? `, column ${p.column}` : ''}`,
      message: p.message,
      row: p.row,
      ...(p.column ? { column: p.column } : {}),
    }));
    if (fieldErrors.length > 0)
      throw new Invalid(`Bảng cơ quan có ${fieldErrors.length} lỗi; chưa có gì được ghi.`, fieldErrors);
    let next: AgencyRegistry = current;
    let added = 0;
    for (const record of records) {
      try {
        next = withAgency(next, record);
      } catch (error) {
        if (!(error instanceof RegistryError)) throw error;
        throw new Invalid(`Không thêm được cơ quan ${record.code}: ${error.problems.join('; ')}.`, [
          { field: `agency ${record.code}`, message: error.problems.join('; ') },
        ]);
      }
      if (!current.byCode.has(record.code)) added += 1;
    }
    const result = { added, updated: records.length - added };
    return {
      registry: withCommunesGrouped(next),
      result,
      change: { action: 'registry-import', entityType: 'registry', entityId: key, details: result },
    };
  });
}
