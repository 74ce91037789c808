import { Type } from 'typebox';
import { Instant, IsoDate } from './common.ts';

export const Escalation = Type.Object(
  {
    assignmentId: Type.String(),
    level: Type.Integer(),
    cycle: Type.Integer(),
    agencyCode: Type.String({ description: 'The agency the escalation was raised against (its code)' }),
    agency: Type.Ref('AgencyLabel'),
    planInfo: Type.Ref('PlanLabel'),
    effectiveDue: Type.Union([IsoDate, Type.Null()]),
    raisedAt: Instant,
    resolvedAt: Type.Union([Instant, Type.Null()]),
    plan: Type.String(),
    task: Type.Object({
      key: Type.String({
        description: 'Its number, or "<section>.<number>" when the plan numbers each section from 1',
      }),
      number: Type.String(),
      title: Type.String(),
    }),
    status: Type.String(),
  },
  { $id: 'Escalation' },
);

export const AuditEntry = Type.Object(
  {
    id: Type.Integer(),
    at: Instant,
    summary: Type.String({
      description: 'What was done, in Vietnamese: "Đăng nhập", "Gửi báo cáo quý I/2026", "Chấp nhận sản phẩm"',
    }),
    who: Type.String({ description: 'Who did it, as people read it: a person’s name, a token and whose, the system' }),
    actor: Type.String({ description: 'As recorded: role, agency code and name' }),
    action: Type.String(),
    entityType: Type.String(),
    entityId: Type.String(),
    entity: Type.Union([Type.String(), Type.Null()], {
      description:
        'The record, as people read it: "1. Chuẩn hoá quy trình — Sở Nội vụ", "Kế hoạch 31/KH-UBND", an agency’s name; null: none (an account, a token)',
    }),
    from: Type.Union([Type.String(), Type.Null()]),
    to: Type.Union([Type.String(), Type.Null()]),
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'AuditEntry' },
);

const Counts = Type.Object({
  total: Type.Integer(),
  completed: Type.Integer(),
  completedOnTime: Type.Integer(),
  completedLate: Type.Integer(),
  open: Type.Integer(),
  overdue: Type.Integer(),
  cancelled: Type.Integer(),
  completionRate: Type.Union([Type.Number(), Type.Null()], { description: 'completed / (total − cancelled)' }),
  onTimeRate: Type.Union([Type.Number(), Type.Null()], {
    description: 'completed on time / work that has come due (completed + overdue)',
  }),
});

export const AgencyStats = Type.Object(
  {
    asOf: Type.String({ description: 'The local day the figures are for' }),
    items: Type.Array(
      Type.Intersect([
        Type.Object({
          agencyCode: Type.String(),
          byArea: Type.Array(Type.Intersect([Type.Object({ area: Type.Union([Type.String(), Type.Null()]) }), Counts])),
        }),
        Counts,
      ]),
    ),
    total: Counts,
  },
  { $id: 'AgencyStats' },
);
