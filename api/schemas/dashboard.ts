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

export const Dashboard = Type.Object(
  {
    plan: Type.Union([Type.String(), Type.Null()], { description: 'The plan’s code; null for every plan in scope' }),
    agency: Type.Union([Type.String(), Type.Null()], { description: 'The agency the figures are narrowed to' }),
    period: Period,
    asOf: IsoDate,
    today: IsoDate,
    periods: Type.Array(Type.Object({ id: Period, asOf: IsoDate }), {
      description: 'The periods whose data cut-off has come, within the plans’ span',
    }),
    total: Type.Ref('TaskFigures'),
    byAgency: Type.Array(Type.Object({ agencyCode: Type.String(), ...taskFigureFields })),
    byArea: Type.Array(Type.Object({ area: Type.Union([Type.String(), Type.Null()]), ...taskFigureFields })),
    trend: Type.Array(Type.Object({ period: Period, asOf: IsoDate, ...taskFigureFields }), {
      description: 'The figures at each period’s cut-off from the start of the span up to asOf (and today for "now")',
    }),
    escalations: Type.Array(
      Type.Object({
        level: Type.Integer({ minimum: 1 }),
        assignments: count('Assignments at this highest open level'),
      }),
    ),
  },
  { $id: 'Dashboard' },
);
