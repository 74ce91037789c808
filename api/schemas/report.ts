import { Type } from 'typebox';
import { Instant, IsoDate } from './common.ts';
import { taskFigureFields } from './dashboard.ts';

const Status = Type.Union([
  Type.Literal('on-time'),
  Type.Literal('late'),
  Type.Literal('missing'),
  Type.Literal('pending'),
]);

export const PeriodicReport = Type.Object(
  {
    period: Type.String(),
    agencies: Type.Array(
      Type.Object({
        agencyCode: Type.String(),
        onTime: Type.Integer(),
        late: Type.Integer(),
        missing: Type.Integer(),
        pending: Type.Integer(),
      }),
    ),
    rows: Type.Array(
      Type.Object({
        agencyCode: Type.String(),
        assignmentId: Type.String(),
        plan: Type.String(),
        taskNumber: Type.String(),
        taskTitle: Type.String(),
        status: Status,
        filedAt: Type.Union([Instant, Type.Null()]),
      }),
    ),
    tasks: Type.Object(
      {
        asOf: IsoDate,
        agencies: Type.Array(Type.Object({ agencyCode: Type.String(), ...taskFigureFields })),
        total: Type.Ref('TaskFigures'),
      },
      {
        description:
          'The tasks’ four buckets per lead agency at the period’s data cut-off (the 14th of its last month)',
      },
    ),
  },
  { $id: 'PeriodicReport' },
);
