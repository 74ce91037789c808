import { and, asc, eq, sql } from 'drizzle-orm';
import { agencyLabel, type AgencyLabel } from '../domain/agencies/names.ts';
import type { AssignmentView } from '../domain/assignment-view.ts';
import type { ProgressReport } from '../domain/lifecycle.ts';
import {
  composeNarrative,
  nextReportWindow,
  type NarrativeInput,
  type NarrativeTask,
} from '../domain/narrative-report.ts';
import { parseReportPeriodId, reportWindow } from '../domain/report-periods.ts';
import type { TaskBucket } from '../domain/task-buckets.ts';
import type { IsoDate } from '../domain/types.ts';
import { localDay } from '../domain/instant.ts';
import type { Database } from '../db/client.ts';
import { assignments, plans, registryAgencies, tasks } from '../db/schema.ts';
import { NotFound } from './errors.ts';
import { periodicReport } from './periodic-report.ts';
import { withPlanId } from './plan-ref.ts';
import type { ReadScope } from './read-scope.ts';
import { planSpan } from './dashboard.ts';
import { bucketAt } from './task-buckets.ts';

// The periodic CCHC report drafted as a document (issue 23): everything it quotes is read here,
// as of the period's data cut-off, through the same services as the dashboard and the periodic
// report (periodicReport → periodFigures), so the document's figures are the dashboard's.

export interface NarrativeRequest extends ReadScope {
  /** A plan's id, slug or number; every plan of the reader's registry without it. */
  plan?: string;
  /** The agency whose own report is drafted; the province's report without it. */
  reportAgency?: string;
  period: string;
}

interface Row {
  id: string;
  agencyCode: string;
  agencyName: string | null;
  agencyShortName: string | null;
  planCode: string;
  number: string;
  title: string;
  area: string | null;
  deliverables: string[];
  effectiveDue: IsoDate | null;
  deadlineRaw: string;
  bucket: TaskBucket | null;
  state: Partial<AssignmentView>;
}

/** Gathers what the narrative report of a period says, for one agency or the whole province. */
export async function narrativeInput(
  db: Database,
  request: NarrativeRequest,
  now = new Date(),
): Promise<NarrativeInput> {
  const parsed = parseReportPeriodId(request.period);
  if (!parsed) throw new NotFound(`Kỳ báo cáo "${request.period}" không hợp lệ.`);
  const named = { ...(request.plan ? { plan: request.plan } : {}), ...scopeOf(request) };
  const filter = await withPlanId(db, named);
  const span = await planSpan(db, filter, now);
  if (span.plans === 0) {
    throw new NotFound(request.plan ? `Không có kế hoạch ${request.plan}.` : 'Chưa có kế hoạch nào để báo cáo.');
  }
  const agency = request.reportAgency !== undefined ? await agencyOf(db, request.reportAgency, filter) : undefined;
  const narrowed = { ...filter, ...(agency ? { agency: agency.code } : {}) };
  // The filings and the four buckets, exactly as GET /v1/reports/periodic and the dashboard give them.
  const report = await periodicReport(db, request.period, narrowed, now);
  const asOf = report.tasks.asOf;
  const window = reportWindow(parsed.year, parsed.kind);
  const next = nextReportWindow(request.period);

  const planRows = await db
    .select({ code: plans.code, title: plans.title, province: plans.province })
    .from(plans)
    .where(
      and(
        filter.plan ? eq(plans.id, filter.plan) : undefined,
        filter.registry !== undefined ? eq(plans.registry, filter.registry) : undefined,
      ),
    )
    .orderBy(asc(plans.periodStart), asc(plans.code));

  const rows = (await db
    .select({
      id: assignments.id,
      agencyCode: assignments.agencyCode,
      agencyName: registryAgencies.name,
      agencyShortName: registryAgencies.shortName,
      planCode: plans.code,
      number: tasks.number,
      title: tasks.title,
      area: tasks.area,
      deliverables: tasks.deliverables,
      effectiveDue: sql<IsoDate | null>`to_char(${assignments.effectiveDue}, 'YYYY-MM-DD')`,
      deadlineRaw: sql<string>`coalesce(${assignments.deadline}->>'raw', '')`,
      bucket: bucketAt(sql`${asOf}::date`),
      state: assignments.state,
    })
    .from(assignments)
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .leftJoin(
      registryAgencies,
      and(eq(registryAgencies.registry, plans.registry), eq(registryAgencies.code, assignments.agencyCode)),
    )
    .where(
      and(
        filter.plan ? eq(plans.id, filter.plan) : undefined,
        filter.registry !== undefined ? eq(plans.registry, filter.registry) : undefined,
        agency ? eq(assignments.agencyCode, agency.code) : undefined,
      ),
    )
    .orderBy(
      asc(plans.periodStart),
      asc(plans.code),
      sql`${tasks.sourceRow} nulls last`,
      sql`string_to_array(regexp_replace(${tasks.number}, '[^0-9.]', '', 'g'), '.')::int[] nulls last`,
      asc(tasks.number),
      asc(assignments.agencyCode),
    )) as Row[];

  const toTask = (r: Row): NarrativeTask => {
    const state = r.state;
    const reports = (state.reports ?? []) as ProgressReport[];
    const accepted = (state.submissions ?? []).find(
      (s) => s.outcome === 'accepted' && s.decidedAt !== undefined && localDayOf(s.decidedAt) <= asOf,
    );
    return {
      id: r.id,
      agency: agencyLabel(r.agencyCode, r.agencyName ? { name: r.agencyName, shortName: r.agencyShortName } : null),
      planCode: r.planCode,
      number: r.number,
      title: r.title,
      area: r.area,
      deliverables: r.deliverables,
      due: r.effectiveDue,
      deadlineRaw: r.deadlineRaw,
      bucket: r.bucket,
      report: reports.find((p) => p.period === request.period) ?? null,
      accepted: accepted
        ? { type: accepted.type, documentNumber: accepted.documentNumber, documentDate: accepted.documentDate }
        : null,
      extensions: (state.extensions ?? [])
        .filter((e) => localDayOf(e.requestedAt) <= asOf)
        .map((e) => ({ until: e.until, reason: e.reason, outcome: e.outcome })),
      open: r.bucket === 'within' || r.bucket === 'overdue',
    };
  };
  const all = rows.map(toTask);
  return {
    kind: agency ? 'agency' : 'province',
    period: request.period,
    windowStart: window.windowStart,
    asOf,
    today: span.today,
    reconstructed: report.tasks.reconstructed ?? false,
    province: planRows[0]?.province ?? '',
    plans: planRows.map((p) => ({ code: p.code, title: p.title })),
    agency: agency ?? null,
    total: report.tasks.total,
    byAgency: report.tasks.agencies.map((a) => ({ ...a, agency: a.agency ?? agencyLabel(a.agencyCode) })),
    filings: report.agencies.map((a) => ({ ...a, agency: a.agency ?? agencyLabel(a.agencyCode) })),
    tasks: all.filter((t) => t.bucket !== null),
    next: {
      period: next.id,
      windowEnd: next.windowEnd,
      tasks: all.filter((t) => t.open && t.due !== null && t.due > asOf && t.due <= next.windowEnd),
    },
  };
}

function scopeOf(request: NarrativeRequest): ReadScope {
  return request.registry !== undefined ? { registry: request.registry } : {};
}

const localDayOf = (instant: string): IsoDate => localDay(new Date(instant));

/** The agency of the report, from the registries of the plans in scope; an agency none of them has is not found. */
async function agencyOf(
  db: Database,
  code: string,
  filter: { plan?: string; registry?: string },
): Promise<AgencyLabel> {
  const [row] = await db
    .selectDistinct({ code: registryAgencies.code, name: registryAgencies.name, shortName: registryAgencies.shortName })
    .from(registryAgencies)
    .innerJoin(plans, eq(plans.registry, registryAgencies.registry))
    .where(
      and(
        eq(registryAgencies.code, code),
        filter.plan ? eq(plans.id, filter.plan) : undefined,
        filter.registry !== undefined ? eq(plans.registry, filter.registry) : undefined,
      ),
    )
    .limit(1);
  if (!row) throw new NotFound(`Không có cơ quan mã "${code}" trong danh mục của kế hoạch.`);
  return agencyLabel(row.code, row);
}

/** The drafted report as a .docx and the name to save it under ("bao-cao-cchc-2027-Q1-SYT.docx"). */
export async function narrativeReport(
  db: Database,
  request: NarrativeRequest,
  now = new Date(),
): Promise<{ body: Buffer; fileName: string }> {
  const input = await narrativeInput(db, request, now);
  // The generator is a megabyte of code: loaded when a report is first drafted, not with the API.
  const { narrativeDocx } = await import('./narrative-docx.ts');
  const body = await narrativeDocx(composeNarrative(input));
  const who = input.agency ? input.agency.code : 'tinh';
  return { body, fileName: `bao-cao-cchc-${input.period}-${who}.docx`.replace(/[^A-Za-z0-9._-]/g, '-') };
}
