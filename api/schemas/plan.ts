import { Type } from 'typebox';
import { Deadline, IsoDate } from './common.ts';

export const PlanTaskJson = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 50, description: 'STT as written: "14", "5.1.5"' }),
    section: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'The section the task sits in ("II", "A"). When numbers repeat across sections (I: 1, 2; II: 1, 2) each task\'s key is "<section>.<number>"',
      }),
    ),
    title: Type.String({ minLength: 1 }),
    area: Type.Optional(Type.String()),
    objective: Type.Optional(Type.String()),
    deliverables: Type.Optional(Type.Array(Type.String())),
    leads: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'Lead agencies by name, alias or group',
    }),
    collaborators: Type.Optional(Type.Array(Type.String())),
    dueDate: Type.Optional(IsoDate),
    deadline: Type.Optional(
      Type.String({
        description: 'Deadline as the plan writes it ("Quý 4/2023", "Hằng năm"); used when dueDate is absent',
      }),
    ),
    metadata: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);

export const PlanJson = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 200, description: 'Decision number, e.g. "2866/QĐ-UBND"' }),
    title: Type.String({ minLength: 1, maxLength: 2000 }),
    province: Type.String({ minLength: 1, maxLength: 200 }),
    registry: Type.Optional(
      Type.String({ description: 'Agency registry key; defaults to the province, e.g. "vinh-phuc"' }),
    ),
    periodStart: IsoDate,
    periodEnd: IsoDate,
    policy: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    issuedOn: Type.Optional({ ...IsoDate, description: 'The day the plan was signed' }),
    revise: Type.Optional(
      Type.Boolean({ description: 'Confirms that a plan of this number already in the registry is revised' }),
    ),
    tasks: Type.Array(PlanTaskJson, { minItems: 1 }),
  },
  { $id: 'PlanJson', additionalProperties: false },
);

const TaskChange = Type.Object(
  {
    kind: Type.String({ description: 'added, removed, text, deadline, reassigned, lead-added, lead-removed' }),
    key: Type.String({ description: 'The task\'s key: its number, or "<section>.<number>" when numbering restarts' }),
  },
  { additionalProperties: true },
);

export const ImportResult = Type.Object(
  {
    plan: Type.Object({
      id: Type.String(),
      code: Type.String(),
      slug: Type.String({
        description: 'Unique in the deployment; names the plan where its number alone is ambiguous',
      }),
      registry: Type.String({ description: 'The registry the plan belongs to' }),
      revision: Type.Integer(),
    }),
    outcome: Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('unchanged')]),
    changes: Type.Array(TaskChange),
    assignments: Type.Object({
      created: Type.Integer(),
      total: Type.Integer(),
      started: Type.Integer(),
      pendingStart: Type.Integer({ description: 'Workflows still to start; they are started by the next dispatch' }),
    }),
    warnings: Type.Array(
      Type.Object({
        row: Type.Optional(Type.Integer()),
        column: Type.Optional(Type.String()),
        field: Type.Optional(Type.String()),
        message: Type.String(),
      }),
    ),
  },
  { $id: 'ImportResult' },
);

const PreviewIssue = Type.Object({
  row: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.String()),
  field: Type.Optional(Type.String()),
  message: Type.String(),
});

const PreviewAgency = Type.Object({
  code: Type.Union([Type.String(), Type.Null()], {
    description: 'null: not in the registry, or a group without listed members',
  }),
  name: Type.String(),
  group: Type.Optional(Type.String({ description: 'The group this agency was fanned out from' })),
  members: Type.Optional(Type.Integer({ description: 'A group kept whole: how many agencies it stands for' })),
});

export const PlanPreviewSchema = Type.Object(
  {
    tasks: Type.Array(
      Type.Object({
        row: Type.Integer({
          description: 'Where the task is in the file: line of the text, CSV record line, worksheet row',
        }),
        number: Type.String({ description: 'As written' }),
        section: Type.Union([Type.String(), Type.Null()], { description: '"II", "A", or "A.II" when sections nest' }),
        key: Type.String({
          description:
            'The task\'s identity in the plan, in its assignment ids: the number, or "<section>.<number>" when numbering restarts in each section',
        }),
        area: Type.Union([Type.String(), Type.Null()]),
        objective: Type.Union([Type.String(), Type.Null()]),
        title: Type.String(),
        deliverables: Type.Array(Type.String()),
        leads: Type.Array(PreviewAgency),
        leadsRaw: Type.String(),
        collaborators: Type.Array(PreviewAgency),
        collaboratorsRaw: Type.String(),
        deadline: Deadline,
        deadlineNote: Type.Optional(
          Type.String({ description: 'What the reader decided beyond the text: "cuối tháng 6/2025 → 30/06/2025"' }),
        ),
        code: Type.Optional(Type.String({ description: 'From a column of codes' })),
        parent: Type.Optional(Type.String({ description: "The group's title" })),
        status: Type.Object({
          state: Type.Union([Type.Literal('open'), Type.Literal('done')]),
          completedOn: Type.Optional(IsoDate),
          document: Type.Optional(Type.Record(Type.String(), Type.String())),
          raw: Type.Optional(Type.String()),
        }),
        excluded: Type.Boolean(),
        questions: Type.Array(Type.Ref('DraftQuestion')),
        warnings: Type.Array(PreviewIssue),
        metadata: Type.Record(Type.String(), Type.String()),
      }),
    ),
    warnings: Type.Array(PreviewIssue),
    errors: Type.Array(PreviewIssue),
    questions: Type.Optional(Type.Array(Type.Ref('DraftQuestion'))),
    columns: Type.Optional(
      Type.Array(
        Type.Object({
          index: Type.Integer(),
          letter: Type.String(),
          header: Type.String(),
          meaning: Type.Union([Type.String(), Type.Null()]),
        }),
      ),
    ),
    issued: Type.Optional(
      Type.Object(
        { date: IsoDate, text: Type.String() },
        { description: "The plan's issue date as its document writes it" },
      ),
    ),
    proposedAgencies: Type.Optional(
      Type.Array(
        Type.Object({
          code: Type.String({ description: 'The code it would get' }),
          name: Type.String({ description: 'Normalised, abbreviations written out' }),
          kind: Type.String(),
          rows: Type.Array(Type.Integer(), { description: 'The rows that name it' }),
          nearest: Type.Array(Type.String(), { description: 'The closest names the registry knows' }),
          written: Type.Array(Type.String(), { description: 'Other ways the plan wrote it, kept as aliases' }),
        }),
        {
          description:
            'Names the registry does not know; import with acceptProposedAgencies=true to add them (not in strict mode)',
        },
      ),
    ),
  },
  { $id: 'PlanPreview' },
);

export const PlanSummary = Type.Object(
  {
    id: Type.String(),
    code: Type.String(),
    slug: Type.String(),
    title: Type.String(),
    province: Type.String(),
    registry: Type.String(),
    registryName: Type.String({ description: 'The registry as people call it: "Vĩnh Phúc (trước 01/7/2025)"' }),
    periodStart: IsoDate,
    periodEnd: IsoDate,
    revision: Type.Integer(),
    tasks: Type.Integer(),
    assignments: Type.Integer(),
  },
  { $id: 'PlanSummary' },
);
