import { Type } from 'typebox';
import { workflowStopReasons } from '../../domain/workflow-stops.ts';
import { assignmentStatuses } from '../../domain/lifecycle.ts';
import { commandTypes } from '../../domain/allowed-commands.ts';
import { Deadline, Instant, IsoDate } from './common.ts';

/** An agency's request for more time, and what became of it (domain/lifecycle.ts `ExtensionRequest`). */
const ExtensionRequest = Type.Object({
  until: IsoDate,
  reason: Type.String(),
  requestedAt: Instant,
  requestedBy: Type.String(),
  outcome: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('denied')]),
  decidedAt: Type.Optional(Instant),
  decisionReason: Type.Optional(Type.String()),
});

/** A periodic report as filed (domain/lifecycle.ts `ProgressReport`). */
const FiledReport = Type.Object({
  period: Type.String({ description: '2026-Q1, 2026-H1, 2026-Q3 or 2026-Y' }),
  summary: Type.String(),
  link: Type.Optional(Type.String()),
  filedAt: Instant,
  filedBy: Type.String(),
  late: Type.Boolean({ description: "Filed after the period's late mark" }),
  documents: Type.Optional(
    Type.Array(
      Type.Object({
        kind: Type.String(),
        number: Type.String(),
        date: IsoDate,
        title: Type.String(),
        file: Type.Optional(Type.String()),
      }),
    ),
  ),
  difficulties: Type.Optional(Type.String()),
  causes: Type.Optional(Type.String()),
  proposals: Type.Optional(Type.String()),
});

/** What a collaborating agency added to the work (domain/lifecycle.ts `Contribution`). */
const Contribution = Type.Object({
  agencyCode: Type.String(),
  text: Type.String(),
  link: Type.Optional(Type.String()),
  at: Instant,
});
const AssignmentStatus = Type.Union(assignmentStatuses.map((status) => Type.Literal(status)));

/** A lifecycle command's type: what `allowedCommands` lists and each command route sends. */
export const CommandType = Type.Union(
  commandTypes.map((type) => Type.Literal(type)),
  { $id: 'CommandType' },
);

/** An agency as every answer names it: the name to show, its short form, the code as secondary text. */
export const AgencyLabel = Type.Object(
  {
    code: Type.String({ description: 'Stable and short ("UBND-TDG"): secondary text only' }),
    name: Type.String({ description: 'The full name: "Ủy ban nhân dân huyện Tam Dương"; on hover and in print' }),
    shortName: Type.String({ description: 'Where space is tight: "UBND huyện Tam Dương", "VP UBND tỉnh", "Sở Y tế"' }),
  },
  { $id: 'AgencyLabel' },
);

/** A plan as every answer names it: its number and title. */
export const PlanLabel = Type.Object(
  {
    id: Type.String(),
    code: Type.String({ description: 'Its decision number: "2866/QĐ-UBND"' }),
    slug: Type.String({ description: 'Unique in the deployment; the prefix of its assignments’ ids' }),
    title: Type.String(),
  },
  { $id: 'PlanLabel' },
);

/** A registry as people call it. */
export const RegistryLabel = Type.Object(
  {
    key: Type.String({ description: '"vinh-phuc", "phu-tho": secondary text only' }),
    name: Type.String({ description: '"Phú Thọ", "Trung ương", "Vĩnh Phúc (trước 01/7/2025)"' }),
  },
  { $id: 'RegistryLabel' },
);

const CallerRole = Type.Union([Type.Literal('lead'), Type.Literal('collaborator'), Type.Null()], {
  description: 'For an agency: whether it leads this work or collaborates on it; null for the other roles',
});

const ReportOwed = Type.Union(
  [
    Type.Object({
      period: Type.String({ description: '2026-Q1, 2026-H1, 2026-Q3, 2026-Y' }),
      label: Type.String({ description: '"Báo cáo quý I/2026", "Báo cáo năm 2026"' }),
      late: Type.Boolean({ description: 'Its due day passed without it' }),
    }),
    Type.Null(),
  ],
  {
    description:
      'The report the work owes now: the earliest period not filed whose data cut-off (the 14th of its last month) has come; null when none, or when the work is not with its lead',
  },
);
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
  submittedText: Type.String({ description: 'When, as people read it: "Nộp lúc 04:20 ngày 07/12/2026"' }),
  submittedBy: Type.String(),
  outcome: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('returned')]),
  reason: Type.Optional(Type.String()),
  decidedAt: Type.Optional(Instant),
});

export const TimelineEntry = Type.Object({
  at: Instant,
  summary: Type.String({ description: 'What was done, in Vietnamese: "Gửi báo cáo quý I/2026", "Chấp nhận sản phẩm"' }),
  who: Type.String({ description: 'Who did it: a person’s name, a token and whose it is, or "Hệ thống (hẹn giờ)"' }),
  actor: Type.String({ description: 'As recorded: role, agency code and name' }),
  action: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export const Assignment = Type.Object(
  {
    id: Type.String({ description: 'Business ID, also the workflow ID: plan:task:agency' }),
    plan: Type.Ref('PlanLabel'),
    registry: Type.Ref('RegistryLabel'),
    task: Type.Object({
      id: Type.String(),
      key: TaskKey,
      number: Type.String({ description: 'As written in the plan' }),
      section: TaskSection,
      title: Type.String(),
      area: Type.Union([Type.String(), Type.Null()]),
      objective: Type.Union([Type.String(), Type.Null()], {
        description: 'The plan’s objective (Mục tiêu) the task serves; not its product',
      }),
      deliverables: Type.Array(Type.String(), {
        description: 'The products the plan asks for (Sản phẩm: "Đề án", "Báo cáo")',
      }),
    }),
    agencyCode: Type.String({ description: 'The lead agency’s code (kept for older clients; show `agency`)' }),
    agency: Type.Ref('AgencyLabel'),
    collaborators: Type.Array(
      Type.Object({
        code: Type.Union([Type.String(), Type.Null()]),
        name: Type.String({ description: 'The registry’s name, or the plan’s words when the registry has none' }),
        shortName: Type.String(),
      }),
    ),
    role: CallerRole,
    status: AssignmentStatus,
    statusLabel: Type.String({ description: '"Đã giao", "Đang thực hiện", "Chờ duyệt", "Hoàn thành"…' }),
    deadline: Deadline,
    effectiveDue: Type.Union([IsoDate, Type.Null()], {
      description: 'Hạn hoàn thành: the last day after extensions and the working-day shift',
    }),
    overdue: Type.Boolean(),
    escalationLevel: Type.Integer(),
    acknowledgedAt: Type.Optional(Instant),
    completedAt: Type.Optional(Instant),
    completion: Type.Union([Type.String(), Type.Null()], {
      description: 'For completed work: "Hoàn thành ngày 07/12/2026 (quá hạn 3 ngày)" or "… (đúng hạn)"',
    }),
    cancelledAt: Type.Optional(Instant),
    onTime: Type.Union([Type.Boolean(), Type.Null()], {
      description: 'Completed work: submitted by the effective due day',
    }),
    submissions: Type.Array(Submission),
    reports: Type.Array(FiledReport),
    latePeriods: Type.Array(Type.String()),
    reportOwed: ReportOwed,
    extensions: Type.Array(ExtensionRequest),
    contributions: Type.Array(Contribution),
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
    allowedCommands: Type.Array(Type.Ref('CommandType'), {
      description:
        'What the caller may do on this assignment now, from the same rules the workflow decides by (its role, the status, pending requests, the bounds): the page shows these buttons and no others',
    }),
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
// Looser than domain/assignment-bounds.ts, as Text and Link are: the bounds refuse first, in Vietnamese
// naming the field and its limit.
const Part = { maxLength: 10_000 } as const;
const Short = { minLength: 1, maxLength: 2000 } as const;
const ReportDocument = Type.Object(
  {
    kind: Type.String({ ...Short, description: '"Kế hoạch", "Quyết định", "Công văn"' }),
    number: Type.String({ ...Short, description: 'Number and symbol as written: "32/KH-VP"' }),
    date: IsoDate,
    title: Type.String({ ...Short, description: 'What it is about (trích yếu)' }),
    file: Type.Optional(
      Type.String({ format: 'uuid', description: 'A file of the assignment (POST /v1/assignments/{id}/files)' }),
    ),
  },
  strict,
);

export const CommandBodies = {
  acknowledge: Type.Object({}, strict),
  fileReport: Type.Object(
    {
      period: Type.String({ pattern: '^\\d{4}-(Q1|H1|Q3|Y)$', description: '2026-Q1, 2026-H1, 2026-Q3 or 2026-Y' }),
      summary: Type.String({ ...Text, description: 'What was done in the period' }),
      link: Type.Optional(Link),
      documents: Type.Optional(
        Type.Array(ReportDocument, {
          maxItems: 100,
          description: 'Documents issued for the task in the period, as the narrative report lists them',
        }),
      ),
      difficulties: Type.Optional(Type.String({ ...Part, description: 'Difficulties met (khó khăn, vướng mắc)' })),
      causes: Type.Optional(Type.String({ ...Part, description: 'Their causes (nguyên nhân)' })),
      proposals: Type.Optional(Type.String({ ...Part, description: 'Proposals (đề xuất, kiến nghị)' })),
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
    plan: Type.Ref('PlanLabel'),
    task: Type.Object({
      id: Type.String(),
      key: TaskKey,
      number: Type.String({ description: 'As written in the plan' }),
      section: TaskSection,
      title: Type.String(),
      area: Type.Union([Type.String(), Type.Null()]),
    }),
    agencyCode: Type.String({ description: 'The lead agency’s code (kept for older clients; show `agency`)' }),
    agency: Type.Ref('AgencyLabel'),
    role: CallerRole,
    status: AssignmentStatus,
    statusLabel: Type.String(),
    deadline: Deadline,
    effectiveDue: Type.Union([IsoDate, Type.Null()]),
    overdue: Type.Boolean(),
    escalationLevel: Type.Integer(),
    onTime: Type.Union([Type.Boolean(), Type.Null()]),
    reportOwed: ReportOwed,
    version: Type.Integer(),
    updatedAt: Instant,
  },
  { $id: 'AssignmentSummary' },
);
