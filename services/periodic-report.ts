import { and, asc, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { taskBuckets, type BucketFigures } from '../domain/task-buckets.ts';
import type { IsoDate } from '../domain/types.ts';
import { bucketLabels, periodCutOffLabel, periodLabel, reportStatusLabels, vnDate } from '../domain/labels.ts';
import { agencyLabel, type AgencyLabel } from '../domain/agencies/names.ts';
import { localDay } from '../domain/instant.ts';
import type { Database } from '../db/client.ts';
import type { ReadScope } from './read-scope.ts';
import { withPlanId } from './plan-ref.ts';
import { assignments, plans, registryAgencies, reportFilings, tasks } from '../db/schema.ts';
import { periodFigures } from './dashboard.ts';

export type FilingStatus = 'on-time' | 'late' | 'missing' | 'pending';

export interface PeriodicReport {
  period: string;
  /** "Báo cáo quý I/2026", "Báo cáo năm 2026". */
  label?: string;
  agencies: {
    agencyCode: string;
    agency?: AgencyLabel;
    onTime: number;
    late: number;
    missing: number;
    pending: number;
  }[];
  rows: {
    agencyCode: string;
    agency?: AgencyLabel;
    assignmentId: string;
    plan: string;
    planTitle?: string;
    taskNumber: string;
    taskTitle: string;
    status: FilingStatus;
    statusLabel?: string;
    filedAt: string | null;
  }[];
  /**
   * The plan's tasks at the period's data cut-off (the 14th of its last month; today while it has not
   * come): the four buckets per lead agency, as the dashboard shows them for the same period.
   */
  tasks: {
    asOf: IsoDate;
    /** "Quý I/2026 (số liệu đến 14/03/2026)". */
    label?: string;
    /** The cut-off came before a plan in scope was imported: reckoned from deadlines and completion dates. */
    reconstructed?: boolean;
    agencies: (BucketFigures & { agencyCode: string; agency?: AgencyLabel })[];
    total: BucketFigures;
  };
}

/** The Government Office's four buckets as its statistics name them (domain/labels.ts). */
export const bucketNames = bucketLabels;

function statusOf(filing: { filedAt: Date | null; late: boolean }): FilingStatus {
  if (filing.filedAt) return filing.late ? 'late' : 'on-time';
  return filing.late ? 'missing' : 'pending';
}

export function periodicReportQuery(db: Database, period: string, filter: ReadScope & { plan?: string }) {
  return db
    .select({
      filing: reportFilings,
      plan: plans.code,
      planTitle: plans.title,
      number: tasks.number,
      title: tasks.title,
      agencyName: registryAgencies.name,
      agencyShortName: registryAgencies.shortName,
    })
    .from(reportFilings)
    .innerJoin(assignments, eq(assignments.id, reportFilings.assignmentId))
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .leftJoin(
      registryAgencies,
      and(eq(registryAgencies.registry, plans.registry), eq(registryAgencies.code, reportFilings.agencyCode)),
    )
    .where(
      and(
        eq(reportFilings.period, period),
        filter.agency !== undefined ? eq(reportFilings.agencyCode, filter.agency) : undefined,
        filter.plan ? eq(plans.id, filter.plan) : undefined,
        filter.registry !== undefined ? eq(plans.registry, filter.registry) : undefined,
      ),
    )
    .orderBy(asc(reportFilings.agencyCode), asc(plans.code), asc(tasks.number), asc(reportFilings.assignmentId));
}

/** For one reporting period: each assignment that owes the report, and whether it came on time, late, or not at all. */
export async function periodicReport(
  db: Database,
  period: string,
  named: ReadScope & { plan?: string },
  now = new Date(),
): Promise<PeriodicReport> {
  const filter = await withPlanId(db, named);
  const [rows, figures] = await Promise.all([
    periodicReportQuery(db, period, filter),
    periodFigures(db, filter, period, now),
  ]);
  const details = rows.map((r) => {
    const status = statusOf(r.filing);
    return {
      agencyCode: r.filing.agencyCode,
      agency: agencyLabel(
        r.filing.agencyCode,
        r.agencyName ? { name: r.agencyName, shortName: r.agencyShortName } : null,
      ),
      assignmentId: r.filing.assignmentId,
      plan: r.plan,
      planTitle: r.planTitle,
      taskNumber: r.number,
      taskTitle: r.title,
      status,
      statusLabel: reportStatusLabels[status],
      filedAt: r.filing.filedAt?.toISOString() ?? null,
    };
  });
  const agencies = new Map<string, PeriodicReport['agencies'][number]>();
  for (const row of details) {
    const entry = agencies.get(row.agencyCode) ?? {
      agencyCode: row.agencyCode,
      agency: row.agency,
      onTime: 0,
      late: 0,
      missing: 0,
      pending: 0,
    };
    entry[row.status === 'on-time' ? 'onTime' : row.status] += 1;
    agencies.set(row.agencyCode, entry);
  }
  return {
    period,
    label: periodLabel(period),
    agencies: [...agencies.values()],
    rows: details,
    tasks: {
      asOf: figures.asOf,
      label: periodCutOffLabel(period, figures.asOf),
      reconstructed: figures.reconstructed,
      agencies: figures.agencies,
      total: figures.total,
    },
  };
}

/** The report's title: "Báo cáo quý I/2026", "Báo cáo 6 tháng đầu năm 2026", "Báo cáo năm 2026". */
export function periodTitle(period: string): string {
  return periodLabel(period);
}

const agencyName = (r: { agencyCode: string; agency?: AgencyLabel }) => r.agency?.name ?? r.agencyCode;

const header = ['Cơ quan', 'Mã cơ quan', 'Kế hoạch', 'STT nhiệm vụ', 'Nhiệm vụ', 'Tình trạng', 'Ngày gửi'];
const line = (r: PeriodicReport['rows'][number]) => [
  agencyName(r),
  r.agencyCode,
  r.plan,
  r.taskNumber,
  r.taskTitle,
  reportStatusLabels[r.status],
  r.filedAt ? vnDate(localDay(new Date(r.filedAt))) : '',
];

/**
 * One CSV cell, safe to open in a spreadsheet: a cell that starts like a formula (=, +, -, @, a tab
 * or a carriage return) gets a leading apostrophe, so "- Xây dựng…" reads as text and
 * "=HYPERLINK(…)" does nothing.
 */
export function csvCell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 with a BOM, so that Excel opens Vietnamese text correctly. */
export function reportCsv(report: PeriodicReport): string {
  return `\ufeff${[header, ...report.rows.map(line)].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export async function reportXlsx(report: PeriodicReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const summary = book.addWorksheet('Tổng hợp');
  summary.addRow([periodTitle(report.period)]).font = { bold: true };
  summary.addRow([
    'Cơ quan',
    'Mã cơ quan',
    ...(['on-time', 'late', 'missing', 'pending'] as const).map((s) => reportStatusLabels[s]),
  ]).font = { bold: true };
  for (const a of report.agencies)
    summary.addRow([agencyName(a), a.agencyCode, a.onTime, a.late, a.missing, a.pending]);
  summary.addRow([]);
  summary.addRow([`Tình hình thực hiện nhiệm vụ: ${periodCutOffLabel(report.period, report.tasks.asOf)}`]).font = {
    bold: true,
  };
  if (report.tasks.reconstructed)
    summary.addRow([
      'Số liệu được dựng lại từ thời hạn và ngày hoàn thành của từng nhiệm vụ (kế hoạch được nhập vào hệ thống sau ngày chốt số liệu).',
    ]);
  summary.addRow(['Cơ quan', 'Mã cơ quan', ...taskBuckets.map((b) => bucketLabels[b]), 'Tổng số']).font = {
    bold: true,
  };
  for (const a of report.tasks.agencies)
    summary.addRow([agencyName(a), a.agencyCode, ...taskBuckets.map((b) => a[b]), a.total]);
  const total = report.tasks.total;
  summary.addRow(['Tổng cộng', '', ...taskBuckets.map((b) => total[b]), total.total]).font = { bold: true };
  summary.getColumn(1).width = 40;
  const detail = book.addWorksheet('Chi tiết');
  detail.addRow(header).font = { bold: true };
  for (const r of report.rows) detail.addRow(line(r));
  detail.columns.forEach((c, i) => {
    c.width = i === 4 ? 80 : i === 0 ? 36 : 18;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
