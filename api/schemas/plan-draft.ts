import { Type } from 'typebox';
import { Deadline, Instant, IsoDate } from './common.ts';

// A plan draft (POST /v1/plans/drafts): an appendix read and kept, edited by the coordinator on the
// import page, then imported. The front end's types are generated from these.

const Issue = Type.Object({
  row: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.String()),
  field: Type.Optional(Type.String()),
  message: Type.String(),
});

const DraftAgency = Type.Object({
  code: Type.Union([Type.String(), Type.Null()], {
    description: 'null: a name the registry does not know, or a group kept whole (a question)',
  }),
  name: Type.String({ description: 'The agency as people read it: "Sở Y tế"' }),
  group: Type.Optional(Type.String({ description: 'The group the cell named, when the agency comes from it' })),
  members: Type.Optional(
    Type.Integer({ description: 'A group kept whole: how many agencies it stands for (148 communes)' }),
  ),
});

export const QuestionKind = Type.Union(
  [
    Type.Literal('deadline'),
    Type.Literal('vague-group'),
    Type.Literal('commune-group'),
    Type.Literal('unknown-agency'),
    Type.Literal('proposal'),
    Type.Literal('issued-on'),
    Type.Literal('completed-on'),
  ],
  { description: 'What the coordinator is asked' },
);

export const DraftQuestion = Type.Object(
  {
    kind: QuestionKind,
    row: Type.Optional(Type.Integer({ description: 'The row it is about; absent for the whole table (issued-on)' })),
    column: Type.Optional(Type.String({ description: "The column's header as written" })),
    text: Type.String({ description: 'The question, in Vietnamese' }),
    options: Type.Array(
      Type.Object({
        value: Type.String({
          description:
            'An agency code (vague-group, unknown-agency), "each"/"group" (commune-group), "accept"/"reject" (proposal), a date (deadline)',
        }),
        label: Type.String(),
      }),
    ),
  },
  { $id: 'DraftQuestion' },
);

const DoneDocument = Type.Object({
  kind: Type.Optional(Type.String({ maxLength: 200, description: '"Kế hoạch", "Quyết định", "Báo cáo" …' })),
  number: Type.Optional(Type.String({ maxLength: 200, description: '"32/KH-UBND"' })),
  date: Type.Optional(IsoDate),
  title: Type.Optional(Type.String({ maxLength: 2000 })),
});

const TaskStatus = Type.Object({
  state: Type.Union([Type.Literal('open'), Type.Literal('done')]),
  completedOn: Type.Optional(IsoDate),
  document: Type.Optional(DoneDocument),
  raw: Type.Optional(Type.String({ description: 'The status cell as written' })),
});

export const RevisionSummary = Type.Object(
  {
    planId: Type.String(),
    code: Type.String(),
    revision: Type.Integer({ description: "The plan's revision now; importing makes the next" }),
    counts: Type.Object({
      added: Type.Integer({ description: 'Tasks added, and leads added to a task' }),
      cancelled: Type.Integer({ description: 'Assignments cancelled (their task or their lead left)' }),
      moved: Type.Integer({ description: 'Assignments moved to another lead' }),
      deadlineChanged: Type.Integer({ description: 'Tasks whose deadline changes' }),
      textChanged: Type.Integer({ description: 'Tasks whose text changes' }),
    }),
    planChanged: Type.Boolean({ description: "The plan's title, period or policy changes" }),
    changes: Type.Array(
      Type.Object({
        kind: Type.String({ description: 'added, removed, text, deadline, reassigned, lead-added, lead-removed' }),
        key: Type.String(),
        title: Type.String(),
        detail: Type.Optional(
          Type.String({ description: '"Quý IV/2026 → 30/06/2026", "SNV → SYT", the fields changed' }),
        ),
      }),
    ),
  },
  { $id: 'RevisionSummary', description: 'What importing would change in the plan already there' },
);

export const PlanDraft = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    registry: Type.Object({ key: Type.String(), name: Type.String({ description: '"Phú Thọ"' }) }),
    code: Type.Union([Type.String(), Type.Null()]),
    title: Type.Union([Type.String(), Type.Null()]),
    province: Type.Union([Type.String(), Type.Null()]),
    periodStart: Type.Union([IsoDate, Type.Null()]),
    periodEnd: Type.Union([IsoDate, Type.Null()]),
    policy: Type.Record(Type.String(), Type.Unknown()),
    issuedOn: Type.Union([IsoDate, Type.Null()], { description: 'The day the plan was signed' }),
    issuedOnSource: Type.Union([Type.Literal('document'), Type.Literal('given'), Type.Null()], {
      description: "document: read from the file's heading; given: set by the coordinator; null: unknown",
    }),
    issuedOnText: Type.Union([Type.String(), Type.Null()], {
      description: 'The line of the document it was read from',
    }),
    file: Type.Object({
      name: Type.Union([Type.String(), Type.Null()]),
      format: Type.String(),
      size: Type.Integer(),
      sha256: Type.String(),
    }),
    revision: Type.Union([Type.Ref('RevisionSummary'), Type.Null()], {
      description: 'null: a new plan; else the plan of that number is already there and importing revises it',
    }),
    tasks: Type.Array(
      Type.Object({
        row: Type.Integer({ description: "The table's row, as edits name it" }),
        section: Type.Union([Type.String(), Type.Null()], { description: '"II", "B.I", "P2.I" in a second part' }),
        number: Type.String({ description: 'As written; empty for an unnumbered task; a letter for a lettered one' }),
        key: Type.String({
          description: 'Its identity in the plan: "II.1", "1.a", "II.3+1" (unnumbered), "II.2~2" (a repeated number)',
        }),
        code: Type.Optional(Type.String({ description: 'From a column of codes' })),
        parent: Type.Optional(Type.String({ description: "The group's title: shown before the task's own" })),
        title: Type.String(),
        area: Type.Union([Type.String(), Type.Null()]),
        objective: Type.Union([Type.String(), Type.Null()]),
        deliverables: Type.Array(Type.String()),
        leads: Type.Array(DraftAgency),
        leadsRaw: Type.String({ description: 'The lead cell as written' }),
        collaborators: Type.Array(DraftAgency),
        collaboratorsRaw: Type.String(),
        deadline: Type.Intersect([
          Deadline,
          Type.Object({
            note: Type.Optional(
              Type.String({
                description:
                  'What the reader decided beyond the text, in Vietnamese: "cuối tháng 6/2025 → 30/06/2025", "90 ngày kể từ ngày ban hành (14/07/2026) → 12/10/2026"',
              }),
            ),
            effectiveDue: Type.Optional(
              Type.String({
                pattern: '^\\d{4}-\\d{2}-\\d{2}$',
                description:
                  'The day the task will be due once imported: `due` moved to a working day when the plan’s policy says so (shiftDeadlineToWorkingDay), reckoned as the workflow reckons it; the page shows this day',
              }),
            ),
          }),
        ]),
        status: TaskStatus,
        excluded: Type.Boolean(),
        questions: Type.Array(Type.Ref('DraftQuestion')),
        warnings: Type.Array(Issue),
        metadata: Type.Record(Type.String(), Type.String()),
      }),
    ),
    questions: Type.Array(Type.Ref('DraftQuestion'), { description: "Every question: the table's own, then by row" }),
    proposals: Type.Array(
      Type.Object({
        code: Type.String({ description: 'The code it would get' }),
        name: Type.String(),
        kind: Type.String(),
        rows: Type.Array(Type.Integer()),
        nearest: Type.Array(Type.String(), { description: 'The closest names the registry knows' }),
        written: Type.Array(Type.String()),
        decision: Type.Union([Type.Literal('accepted'), Type.Literal('rejected'), Type.Null()]),
      }),
    ),
    warnings: Type.Array(
      Type.Object({ message: Type.String(), rows: Type.Array(Type.Integer()), column: Type.Optional(Type.String()) }),
      { description: 'One entry per message, with the rows that have it' },
    ),
    errors: Type.Array(Issue, { description: 'What stops the import until it is fixed (an edit may fix it)' }),
    columns: Type.Array(
      Type.Object({
        index: Type.Integer(),
        letter: Type.String(),
        header: Type.String(),
        meaning: Type.Union([Type.String(), Type.Null()], {
          description: 'number, code, objective, task, deliverable, lead, collaborators, deadline, duration, status',
        }),
      }),
    ),
    edits: Type.Array(
      Type.Object({
        who: Type.String(),
        at: Instant,
        row: Type.Union([Type.Integer(), Type.Null()]),
        field: Type.String(),
        from: Type.Unknown(),
        to: Type.Unknown(),
      }),
    ),
    counts: Type.Object({
      tasks: Type.Integer({ description: 'Tasks the import would create (excluded ones left out)' }),
      excluded: Type.Integer(),
      assignments: Type.Integer({ description: 'Assignments the import would make' }),
      byLead: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), assignments: Type.Integer() })),
    }),
    importedPlanId: Type.Union([Type.String(), Type.Null()]),
    createdBy: Type.String(),
    createdAt: Instant,
    expiresAt: Instant,
  },
  { $id: 'PlanDraft' },
);

const Codes = Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 5000 });

export const DraftEdit = Type.Object(
  {
    row: Type.Optional(
      Type.Integer({ minimum: 1, description: "The table's row as the draft shows it; absent for a draft-level edit" }),
    ),
    deadline: Type.Optional(Type.String({ maxLength: 500, description: 'As people write it, or YYYY-MM-DD' })),
    leads: Type.Optional(
      Type.Union([
        Codes,
        Type.Object(
          { communes: Type.Union([Type.Literal('each'), Type.Literal('group')]) },
          { additionalProperties: false },
        ),
      ]),
    ),
    collaborators: Type.Optional(Codes),
    title: Type.Optional(
      Type.String({ minLength: 1, maxLength: 8000, description: "The task's title with row; the plan's without" }),
    ),
    excluded: Type.Optional(Type.Boolean()),
    status: Type.Optional(Type.Union([Type.Literal('done'), Type.Literal('open')])),
    completedOn: Type.Optional(IsoDate),
    document: Type.Optional(DoneDocument),
    taskColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A column letter or header' })),
    proposal: Type.Optional(
      Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 500 }), accept: Type.Boolean() },
        { additionalProperties: false },
      ),
    ),
    issuedOn: Type.Optional(Type.Union([IsoDate, Type.Null()])),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    periodStart: Type.Optional(IsoDate),
    periodEnd: Type.Optional(IsoDate),
    policy: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  {
    $id: 'DraftEdit',
    additionalProperties: false,
    description:
      'One edit: of a row (with row: deadline, leads, collaborators, title, excluded, status with completedOn and document) or of the draft (without row: taskColumn, proposal, issuedOn, code, title, periodStart, periodEnd, policy)',
  },
);
