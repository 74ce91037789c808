import { and, asc, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { parseReportPeriodId } from '../domain/report-periods.ts';
import { taskBuckets, type BucketFigures } from '../domain/task-buckets.ts';
import type { IsoDate } from '../domain/types.ts';
import { vnDate } from '../domain/notifications.ts';
import { localDay } from '../domain/instant.ts';
import type { Database } from '../db/client.ts';
import type { ReadScope } from './read-scope.ts';
import { withPlanId } from './plan-ref.ts';
import { assignments, plans, reportFilings, tasks } from '../db/schema.ts';
import { periodFigures } from './dashboard.ts';

export type FilingStatus = 'on-time' | 'late' | 'missing' | 'pending';

export interface PeriodicReport {
  period: string;
  agencies: { agencyCode: string; onTime: number; late: number; missing: number; pending: number }[];
  rows: {
    agencyCode: string;
    assignmentId: string;
    plan: string;
    taskNumber: string;
    taskTitle: string;
    status: FilingStatus;
    filedAt: string | null;
  }[];
  /**
   * The plan's tasks at the period's data cut-off (the 14th of its last month; today while it has not
   * come): the four buckets per lead agency, as the dashboard shows them for the same period.
   */
  tasks: {
    asOf: IsoDate;
    agencies: (BucketFigures & { agencyCode: string })[];
    total: BucketFigures;
  };
}

const statusNames: Record<FilingStatus, string> = {
  'on-time': 'Đúng hạn',
  late: 'Muộn',
  missing: 'Chưa gửi (quá hạn)',
  pending: 'Chưa đến hạn',
};

/** The Government Office's four buckets as its statistics name them. */
export const bucketNames: Record<(typeof taskBuckets)[number], string> = {
  onTime: 'Hoàn thành đúng hạn',
  late: 'Hoàn thành quá hạn',
  within: 'Đang thực hiện trong hạn',
  overdue: 'Quá hạn chưa hoàn thành',
};

function statusOf(filing: { filedAt: Date | null; late: boolean }): FilingStatus {
  if (filing.filedAt) return filing.late ? 'late' : 'on-time';
  return filing.late ? 'missing' : 'pending';
}

export function periodicReportQuery(db: Database, period: string, filter: ReadScope & { plan?: string }) {
  return db
    .select({
      filing: reportFilings,
      plan: plans.code,
      number: tasks.number,
      title: tasks.title,
    })
    .from(reportFilings)
    .innerJoin(assignments, eq(assignments.id, reportFilings.assignmentId))
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
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
  const details = rows.map((r) => ({
    agencyCode: r.filing.agencyCode,
    assignmentId: r.filing.assignmentId,
    plan: r.plan,
    taskNumber: r.number,
    taskTitle: r.title,
    status: statusOf(r.filing),
    filedAt: r.filing.filedAt?.toISOString() ?? null,
  }));
  const agencies = new Map<string, PeriodicReport['agencies'][number]>();
  for (const row of details) {
    const entry = agencies.get(row.agencyCode) ?? {
      agencyCode: row.agencyCode,
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
    agencies: [...agencies.values()],
    rows: details,
    tasks: { asOf: figures.asOf, agencies: figures.agencies, total: figures.total },
  };
}

export function periodTitle(period: string): string {
  const parsed = parseReportPeriodId(period);
  const names = { Q1: 'Báo cáo quý I', H1: 'Báo cáo 6 tháng', Q3: 'Báo cáo quý III', Y: 'Báo cáo năm' } as const;
  return parsed ? `${names[parsed.kind]} năm ${parsed.year}` : period;
}

const header = ['Cơ quan', 'Kế hoạch', 'STT nhiệm vụ', 'Nhiệm vụ', 'Tình trạng', 'Ngày gửi'];
const line = (r: PeriodicReport['rows'][number]) => [
  r.agencyCode,
  r.plan,
  r.taskNumber,
  r.taskTitle,
  statusNames[r.status],
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
  summary.addRow(['Cơ quan', 'Đúng hạn', 'Muộn', 'Chưa gửi (quá hạn)', 'Chưa đến hạn']).font = { bold: true };
  for (const a of report.agencies) summary.addRow([a.agencyCode, a.onTime, a.late, a.missing, a.pending]);
  summary.addRow([]);
  summary.addRow([`Tình hình thực hiện nhiệm vụ đến ngày ${vnDate(report.tasks.asOf)}`]).font = { bold: true };
  summary.addRow(['Cơ quan', ...taskBuckets.map((b) => bucketNames[b]), 'Tổng số']).font = { bold: true };
  for (const a of [...report.tasks.agencies, { agencyCode: 'Tổng cộng', ...report.tasks.total }]) {
    summary.addRow([a.agencyCode, ...taskBuckets.map((b) => a[b]), a.total]);
  }
  const detail = book.addWorksheet('Chi tiết');
  detail.addRow(header).font = { bold: true };
  for (const r of report.rows) detail.addRow(line(r));
  detail.columns.forEach((c, i) => {
    c.width = i === 3 ? 80 : 18;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
