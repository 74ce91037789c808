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
    label: Type.String({ description: '"Báo cáo quý I/2026", "Báo cáo 6 tháng đầu năm 2026", "Báo cáo năm 2026"' }),
    agencies: Type.Array(
      Type.Object({
        agencyCode: Type.String(),
        agency: Type.Ref('AgencyLabel'),
        onTime: Type.Integer(),
        late: Type.Integer(),
        missing: Type.Integer(),
        pending: Type.Integer(),
      }),
    ),
    rows: Type.Array(
      Type.Object({
        agencyCode: Type.String(),
        agency: Type.Ref('AgencyLabel'),
        assignmentId: Type.String(),
        plan: Type.String({ description: 'The plan’s number' }),
        planTitle: Type.String(),
        taskNumber: Type.String(),
        taskTitle: Type.String(),
        status: Status,
        statusLabel: Type.String({
          description: '"Đã gửi – đúng hạn", "Đã gửi – muộn", "Chưa gửi – quá hạn", "Chưa gửi – chưa đến hạn"',
        }),
        filedAt: Type.Union([Instant, Type.Null()]),
      }),
    ),
    tasks: Type.Object(
      {
        asOf: IsoDate,
        label: Type.String({ description: '"Quý I/2026 (số liệu đến 14/03/2026)"' }),
        reconstructed: Type.Boolean({
          description:
            'The cut-off came before a plan in scope was imported: reckoned from the deadlines and completion dates',
        }),
        agencies: Type.Array(
          Type.Object({ agencyCode: Type.String(), agency: Type.Ref('AgencyLabel'), ...taskFigureFields }),
          { description: 'Worst first, as the dashboard ranks them' },
        ),
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
