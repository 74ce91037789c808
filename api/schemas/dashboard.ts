import { Type } from 'typebox';
import { IsoDate } from './common.ts';

const count = (description: string) => Type.Integer({ minimum: 0, description });

/** The four buckets and the two rates (domain/task-buckets.ts), as fields to spread into a row. */
export const taskFigureFields = {
  onTime: count('Completed on time: accepted by the day, submitted by its effective due day'),
  late: count('Completed late: accepted by the day, submitted after its effective due day'),
  within: count('Not completed and within the deadline (or awaiting review, or without a due day)'),
  overdue: count('Not completed, with its lead, past its effective due day'),
  total: count('Assigned by the day and not cancelled by then: the four buckets together'),
  completionRate: Type.Union([Type.Number(), Type.Null()], { description: '(onTime + late) / total' }),
  onTimeRate: Type.Union([Type.Number(), Type.Null()], { description: 'onTime / (onTime + late + overdue)' }),
};

export const TaskFigures = Type.Object(taskFigureFields, {
  $id: 'TaskFigures',
  description: 'The Government Office’s four buckets of task statistics as of a day, and the rates',
});

export const Period = Type.String({
  pattern: '^(now|\\d{4}-(Q1|H1|Q3|Y))$',
  description: '"now", or a report period: 2027-Q1, 2027-H1 (six months), 2027-Q3, 2027-Y (the year)',
});

const reconstructed = Type.Boolean({
  description:
    'The cut-off came before a plan in scope was imported: the figures are what the period’s report would have said, reckoned from the deadlines and completion dates',
});

/** The four buckets' names, one parallel set everywhere. */
export const BucketLabels = Type.Object(
  {
    onTime: Type.String({ examples: ['Hoàn thành đúng hạn'] }),
    late: Type.String({ examples: ['Hoàn thành quá hạn'] }),
    within: Type.String({ examples: ['Chưa hoàn thành – trong hạn'] }),
    overdue: Type.String({ examples: ['Chưa hoàn thành – quá hạn'] }),
  },
  { $id: 'BucketLabels' },
);

export const Dashboard = Type.Object(
  {
    plan: Type.Union([Type.String(), Type.Null()], {
      description: 'The plan as asked for; null for every plan in scope',
    }),
    planLabel: Type.Union([Type.Ref('PlanLabel'), Type.Null()], {
      description: 'The plan by its number and title, when the figures are one plan’s',
    }),
    agency: Type.Union([Type.String(), Type.Null()], { description: 'The agency the figures are narrowed to' }),
    period: Period,
    asOf: IsoDate,
    today: IsoDate,
    label: Type.String({
      description: 'The period with its cut-off, written as one: "Năm 2025 (số liệu đến 14/12/2025)"',
    }),
    reconstructed,
    periods: Type.Array(
      Type.Object({
        id: Period,
        asOf: IsoDate,
        label: Type.String({ description: '"Quý I/2026", "6 tháng đầu năm 2026", "Năm 2026"' }),
        cutOffLabel: Type.String({ description: '"Năm 2025 (số liệu đến 14/12/2025)"' }),
        reconstructed,
      }),
      { description: 'The periods whose data cut-off has come, within the plans’ span' },
    ),
    bucketLabels: Type.Ref('BucketLabels'),
    total: Type.Ref('TaskFigures'),
    byAgency: Type.Array(
      Type.Object({ agencyCode: Type.String(), agency: Type.Ref('AgencyLabel'), ...taskFigureFields }),
      {
        description:
          'Worst first: most overdue, then lowest on-time rate, then most completed late. The work behind a row is ' +
          'GET /v1/assignments?agency=<agencyCode>&asOf=<asOf>&bucket=<bucket> (with plan= when the figures are one plan’s)',
      },
    ),
    byArea: Type.Array(Type.Object({ area: Type.Union([Type.String(), Type.Null()]), ...taskFigureFields })),
    trend: Type.Array(
      Type.Object({ period: Period, asOf: IsoDate, label: Type.String(), reconstructed, ...taskFigureFields }),
      {
        description: 'The figures at each period’s cut-off from the start of the span up to asOf (and today for "now")',
      },
    ),
    escalations: Type.Array(
      Type.Object({
        level: Type.Integer({ minimum: 1 }),
        label: Type.String({ description: '"Cảnh báo mức 2"' }),
        assignments: count('Assignments at this highest open level'),
      }),
      { description: 'By level, lowest first; the work behind one is GET /v1/assignments?escalationLevel=<level>' },
    ),
  },
  { $id: 'Dashboard' },
);
