import { Type } from 'typebox';
import { workflowStopReasons } from '../../domain/workflow-stops.ts';
import { assignmentStatuses } from '../../domain/lifecycle.ts';
import { Deadline, Instant, IsoDate } from './common.ts';
const AssignmentStatus = Type.Union(assignmentStatuses.map((status) => Type.Literal(status)));
const TaskKey = Type.String({
  description:
    'The task in its plan, as in the assignment id: its number, or "<section>.<number>" (II.1) when numbering restarts in each section',
});
const TaskSection = Type.Union([Type.String(), Type.Null()], { description: 'The section: "II", "A", "A.II"' });

export const Submission = Type.Object({
  type: Type.String(),
  documentNumber: Type.String(),
  documentDate: IsoDate,
  link: Type.Optional(Type.String()),
  file: Type.Optional(Type.String({ description: 'The deliverable file sent with it (GET /v1/files/{id})' })),
  submittedAt: Instant,
  submittedBy: Type.String(),
  outcome: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('returned')]),
  reason: Type.Optional(Type.String()),
  decidedAt: Type.Optional(Instant),
});

export const TimelineEntry = Type.Object({
  at: Instant,
  actor: Type.String(),
  action: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export const Assignment = Type.Object(
  {
    id: Type.String({ description: 'Business ID, also the workflow ID: plan:task:agency' }),
    plan: Type.Object({ id: Type.String(), code: Type.String() }),
    task: Type.Object({
      id: Type.String(),
      key: TaskKey,
      number: Type.String({ description: 'As written in the plan' }),
      section: TaskSection,
      title: Type.String(),
      area: Type.Union([Type.String(), Type.Null()]),
      objective: Type.Union([Type.String(), Type.Null()]),
    }),
    agencyCode: Type.String({ description: 'The lead agency' }),
    collaborators: Type.Array(Type.Object({ code: Type.Union([Type.String(), Type.Null()]), name: Type.String() })),
    status: AssignmentStatus,
    deadline: Deadline,
    effectiveDue: Type.Union([IsoDate, Type.Null()]),
    overdue: Type.Boolean(),
    escalationLevel: Type.Integer(),
    acknowledgedAt: Type.Optional(Instant),
    completedAt: Type.Optional(Instant),
    cancelledAt: Type.Optional(Instant),
    onTime: Type.Union([Type.Boolean(), Type.Null()], {
      description: 'Completed work: submitted by the effective due day',
    }),
    submissions: Type.Array(Submission),
    reports: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    latePeriods: Type.Array(Type.String()),
    extensions: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    contributions: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    agencyHistory: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    cycle: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
      description: 'The current cycle of a recurring task',
    }),
    cycles: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    nextEvent: Type.Union([Type.Object({ kind: Type.String(), at: Instant }), Type.Null()], {
      description: 'The next timer of the workflow: a reminder, report due, escalation',
    }),
    version: Type.Integer({ description: 'Grows with every change of the assignment' }),
    updatedAt: Instant,
    stopped: Type.Union(
      [
        Type.Object({
          at: Instant,
          reason: Type.Union(workflowStopReasons.map((r) => Type.Literal(r))),
          text: Type.String({ description: 'The reason in Vietnamese' }),
        }),
        Type.Null(),
      ],
      {
        description:
          'Set when Temporal closed the workflow while the work is open: nothing is chased until the coordinator restarts it (POST /v1/assignments/{id}/restart)',
      },
    ),
  },
  { $id: 'Assignment' },
);

export const AssignmentWithTimeline = Type.Intersect(
  [Type.Ref('Assignment'), Type.Object({ timeline: Type.Array(TimelineEntry) })],
  { $id: 'AssignmentWithTimeline' },
);

export const DeliverableBody = Type.Object(
  {
    type: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'Kind of deliverable, e.g. "Kế hoạch", "Báo cáo", "Quyết định"',
    }),
    documentNumber: Type.String({ minLength: 1, maxLength: 200, description: 'Document number, e.g. "319/KH-UBND"' }),
    date: IsoDate,
    link: Type.Optional(Type.String({ format: 'uri' })),
    file: Type.Optional(
      Type.String({ format: 'uuid', description: 'A file sent first to POST /v1/assignments/{id}/files' }),
    ),
  },
  { additionalProperties: false },
);

const Reason = Type.String({ minLength: 1, maxLength: 2000 });
const Text = Type.String({ minLength: 1, maxLength: 10_000 });
const Link = Type.String({ format: 'uri', maxLength: 2000 });
const strict = { additionalProperties: false } as const;

export const CommandBodies = {
  acknowledge: Type.Object({}, strict),
  fileReport: Type.Object(
    {
      period: Type.String({ pattern: '^\\d{4}-(Q1|H1|Q3|Y)$', description: '2026-Q1, 2026-H1, 2026-Q3 or 2026-Y' }),
      summary: Text,
      link: Type.Optional(Link),
    },
    strict,
  ),
  accept: Type.Object({ note: Type.Optional(Reason) }, strict),
  return: Type.Object({ reason: Reason }, strict),
  requestExtension: Type.Object({ until: IsoDate, reason: Reason }, strict),
  approveExtension: Type.Object({ until: Type.Optional(IsoDate), reason: Type.Optional(Reason) }, strict),
  denyExtension: Type.Object({ reason: Reason }, strict),
  reassign: Type.Object(
    { toAgency: Type.String({ minLength: 1, maxLength: 40, description: 'Agency code' }), reason: Reason },
    strict,
  ),
  cancel: Type.Object({ reason: Reason }, strict),
  setDeadline: Type.Object(
    {
      deadline: Type.Optional(
        Type.String({
          minLength: 1,
          description: 'As a plan writes it: "Quý 4/2026", "Trước ngày 30/6/2026", "Hằng năm"',
        }),
      ),
      due: Type.Optional(IsoDate),
      start: Type.Optional(IsoDate),
      reason: Type.Optional(Reason),
    },
    strict,
  ),
  addContribution: Type.Object({ text: Text, link: Type.Optional(Link) }, strict),
};

/** One row of the assignment list; GET /v1/assignments/{id} gives the whole assignment. */
export const AssignmentSummary = Type.Object(
  {
    id: Type.String(),
    plan: Type.Object({ id: Type.String(), code: Type.String() }),
    task: Type.Object({
      id: Type.String(),
      key: TaskKey,
      number: Type.String({ description: 'As written in the plan' }),
      section: TaskSection,
      title: Type.String(),
      area: Type.Union([Type.String(), Type.Null()]),
    }),
    agencyCode: Type.String(),
    status: AssignmentStatus,
    deadline: Deadline,
    effectiveDue: Type.Union([IsoDate, Type.Null()]),
    overdue: Type.Boolean(),
    escalationLevel: Type.Integer(),
    onTime: Type.Union([Type.Boolean(), Type.Null()]),
    version: Type.Integer(),
    updatedAt: Instant,
  },
  { $id: 'AssignmentSummary' },
);
