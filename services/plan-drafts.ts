import { createHash } from 'node:crypto';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { AgencyRegistry } from '../domain/agencies/types.ts';
import { COMMUNES_TOGETHER } from '../domain/appendix/agency-cells.ts';
import { columnLetter } from '../domain/appendix/limits.ts';
import { draftChoices, type DraftEditField, type DraftEditRecord, type DraftFields } from '../domain/appendix/draft.ts';
import type {
  DoneDocument,
  Issue,
  PlanPreview,
  PreviewOptions,
  PreviewTask,
  ProposedAgency,
  RawTable,
  TaskStatus,
} from '../domain/appendix/types.ts';
import { isIsoDate, type WorkingCalendar } from '../domain/calendar.ts';
import { readDeadlineText, vnDate } from '../domain/deadline.ts';
import { actorName, type Actor } from '../domain/lifecycle.ts';
import type { Principal } from '../domain/permissions.ts';
import type { RevisionSummary } from '../domain/plan-revision.ts';
import { fold } from '../domain/text.ts';
import { defaultPolicy, resolvePolicy } from '../domain/policy.ts';
import { effectiveDueDay } from '../domain/schedule.ts';
import type { IsoDate } from '../domain/types.ts';
import type { Database } from '../db/client.ts';
import { planDrafts, planSources } from '../db/schema.ts';
import { NO_PLAN, resolvePlanRef } from './plan-ref.ts';
import type { ServiceDeps } from './deps.ts';
import { Forbidden, Invalid, NotFound, type FieldError } from './errors.ts';
import { readIsolated } from './isolated-preview.ts';
import { importPlan, revisionSummary, type ImportResult } from './plan-import.ts';
import { checkedPolicy, plainNames, registryFor, type PlanFile } from './plan-intake.ts';
import { planFromPreview, planTasksFromPreview } from './plan-sources.ts';
import { loadRegistry, withProposals } from './registries.ts';

// A draft is an appendix read and kept before it is imported: the file as sent (bytes and SHA-256),
// the table read from it once (in the isolated thread), and the coordinator's edits, each recorded
// (who changed which cell from what to what). Every edit re-reads the kept table with the edits, in
// the same thread; the import takes the edited reading, keeps the file with the plan and puts every
// edit in the audit trail. A draft belongs to its registry, lives seven days and is bounded in size.

export const DRAFT_LIFETIME_DAYS = 7;
/** The largest table a draft keeps, as JSON: a real appendix is well under a megabyte. */
export const DRAFT_TABLE_LIMIT = 16 * 1024 * 1024;
/** Edits one draft may hold in all; one request may send at most EDITS_PER_REQUEST. */
export const DRAFT_EDIT_LIMIT = 5_000;
export const EDITS_PER_REQUEST = 500;

export interface DraftRequestFields {
  code?: string;
  title?: string;
  province?: string;
  registry?: string;
  periodStart?: string;
  periodEnd?: string;
  issuedOn?: string;
  policy?: Record<string, unknown>;
  strict?: boolean;
}

/** One edit as a client sends it: a row's cell (with `row`), or the draft itself (without). */
export interface DraftEdit {
  row?: number;
  deadline?: string;
  leads?: string[] | { communes: 'each' | 'group' };
  collaborators?: string[];
  /** A task's title with `row`; the plan's title without. */
  title?: string;
  excluded?: boolean;
  status?: 'done' | 'open';
  completedOn?: string;
  document?: DoneDocument;
  taskColumn?: string;
  proposal?: { name: string; accept: boolean };
  issuedOn?: string | null;
  code?: string;
  periodStart?: string;
  periodEnd?: string;
  policy?: Record<string, unknown>;
}

type Row = typeof planDrafts.$inferSelect;

export interface DraftAgency {
  code: string | null;
  name: string;
  group?: string;
  members?: number;
}

export interface DraftTask {
  row: number;
  section: string | null;
  number: string;
  key: string;
  code?: string;
  parent?: string;
  title: string;
  area: string | null;
  objective: string | null;
  deliverables: string[];
  leads: DraftAgency[];
  leadsRaw: string;
  collaborators: DraftAgency[];
  collaboratorsRaw: string;
  /** `effectiveDue`: the day the task will be due, reckoned as the workflow does (a weekend's day moved to a working day). */
  deadline: PreviewTask['deadline'] & { note?: string; effectiveDue?: IsoDate };
  status: TaskStatus;
  excluded: boolean;
  questions: NonNullable<PlanPreview['questions']>;
  warnings: Issue[];
  metadata: Record<string, string>;
}

export interface PlanDraftDto {
  id: string;
  registry: { key: string; name: string };
  code: string | null;
  title: string | null;
  province: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  policy: Record<string, unknown>;
  issuedOn: string | null;
  issuedOnSource: 'document' | 'given' | null;
  /** The line of the document the issue date was read from. */
  issuedOnText: string | null;
  file: { name: string | null; format: string; size: number; sha256: string };
  revision: RevisionSummary | null;
  tasks: DraftTask[];
  questions: NonNullable<PlanPreview['questions']>;
  proposals: (ProposedAgency & { decision: 'accepted' | 'rejected' | null })[];
  warnings: { message: string; rows: number[]; column?: string }[];
  errors: Issue[];
  columns: NonNullable<PlanPreview['columns']>;
  edits: Omit<DraftEditRecord, 'actor'>[];
  counts: {
    tasks: number;
    excluded: number;
    assignments: number;
    byLead: { code: string; name: string; assignments: number }[];
  };
  importedPlanId: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

const notFound = (id: string) => new NotFound(`Không có bản nháp kế hoạch ${id} (hoặc đã hết hạn).`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The proposals accepted so far, as they were offered. */
function acceptedProposals(edits: readonly DraftEditRecord[]): ProposedAgency[] {
  const { accepted } = draftChoices(edits);
  const offered = new Map<string, ProposedAgency>();
  for (const edit of edits)
    if (edit.field === 'proposal') {
      const to = edit.to as { name: string; proposal?: ProposedAgency };
      if (to.proposal) offered.set(to.name, to.proposal);
    }
  return accepted.flatMap((name) => {
    const proposal = offered.get(name);
    return proposal ? [proposal] : [];
  });
}

/** A table as JSON keeps: its map of stray cells as pairs (a Map does not survive JSON). */
function storable(table: RawTable): RawTable {
  return { ...table, ...(table.stray ? { stray: [...table.stray] as unknown as RawTable['stray'] } : {}) };
}

function restored(table: RawTable): RawTable {
  const stray = table.stray as unknown as [number, number][] | undefined;
  return { ...table, ...(Array.isArray(stray) ? { stray: new Map(stray) } : { stray: new Map() }) };
}

async function reread(
  db: Database,
  table: RawTable,
  fields: DraftFields,
  edits: readonly DraftEditRecord[],
): Promise<PlanPreview> {
  const base = await loadRegistry(db, fields.registry);
  if (!base) throw new NotFound(`Không có danh mục cơ quan "${fields.registry}".`);
  const choices = draftChoices(edits);
  const options: PreviewOptions = {
    registry: withProposals(base, acceptedProposals(edits)),
    strict: fields.strict ?? false,
    ...(fields.periodStart ? { periodStart: fields.periodStart } : {}),
    ...(fields.periodEnd ? { periodEnd: fields.periodEnd } : {}),
    ...(fields.issuedOn ? { issuedOn: fields.issuedOn } : {}),
    ...(choices.taskColumn !== undefined ? { taskColumn: choices.taskColumn } : {}),
    overrides: choices.overrides,
    rejectedProposals: choices.rejected,
  };
  return (await readIsolated({ table: restored(table) }, options)).preview;
}

/** Warnings once per message, with the rows that have it. */
function groupedWarnings(warnings: readonly Issue[]): PlanDraftDto['warnings'] {
  const byMessage = new Map<string, { message: string; rows: number[]; column?: string }>();
  for (const warning of warnings) {
    const entry = byMessage.get(warning.message) ?? {
      message: warning.message,
      rows: [],
      ...(warning.column ? { column: warning.column } : {}),
    };
    if (warning.row !== undefined && !entry.rows.includes(warning.row)) entry.rows.push(warning.row);
    byMessage.set(warning.message, entry);
  }
  return [...byMessage.values()];
}

function draftTask(task: PreviewTask, effective: (due: IsoDate) => IsoDate): DraftTask {
  const agency = (a: PreviewTask['leads'][number]): DraftAgency => ({
    code: a.code,
    name: a.name,
    ...(a.group ? { group: a.group } : {}),
    ...(a.members !== undefined ? { members: a.members } : {}),
  });
  return {
    row: task.row,
    section: task.section,
    number: task.number,
    key: task.key,
    ...(task.code ? { code: task.code } : {}),
    ...(task.parent ? { parent: task.parent } : {}),
    title: task.title,
    area: task.area,
    objective: task.objective,
    deliverables: task.deliverables,
    leads: task.leads.map(agency),
    leadsRaw: task.leadsRaw,
    collaborators: task.collaborators.map(agency),
    collaboratorsRaw: task.collaboratorsRaw,
    deadline: {
      ...task.deadline,
      ...(task.deadlineNote ? { note: task.deadlineNote } : {}),
      ...(task.deadline.due && isIsoDate(task.deadline.due) ? { effectiveDue: effective(task.deadline.due) } : {}),
    },
    status: task.status,
    excluded: task.excluded,
    questions: task.questions,
    warnings: task.warnings,
    metadata: task.metadata,
  };
}

function counts(preview: PlanPreview): PlanDraftDto['counts'] {
  const byLead = new Map<string, { code: string; name: string; assignments: number }>();
  let assignments = 0;
  let excluded = 0;
  for (const task of preview.tasks) {
    if (task.excluded) {
      excluded++;
      continue;
    }
    const seen = new Set<string>();
    for (const lead of task.leads) {
      if (lead.code === null || seen.has(lead.code)) continue;
      seen.add(lead.code);
      assignments++;
      const entry = byLead.get(lead.code) ?? { code: lead.code, name: lead.name, assignments: 0 };
      entry.assignments++;
      byLead.set(lead.code, entry);
    }
  }
  return {
    tasks: preview.tasks.length - excluded,
    excluded,
    assignments,
    byLead: [...byLead.values()].sort((a, b) => b.assignments - a.assignments || a.name.localeCompare(b.name, 'vi')),
  };
}

/** What importing the draft now would revise in the plan of that registry and code, if there is one. */
async function revisionFor(db: Database, row: Row, registry: AgencyRegistry): Promise<RevisionSummary | null> {
  const { fields, preview } = row;
  if (!fields.code || !fields.periodStart || !fields.periodEnd) return null;
  const { tasks } = planTasksFromPreview(preview);
  const summary = await revisionSummary(db, {
    code: fields.code.trim(),
    title: fields.title ?? '',
    province: fields.province ?? '',
    registry: registry.id,
    periodStart: fields.periodStart,
    periodEnd: fields.periodEnd,
    policy: fields.policy ?? {},
    tasks,
  });
  return summary ?? null;
}

/**
 * The draft as the page reads it. `calendar` is the working calendar the worker reckons deadlines
 * on: each task's deadline carries the day its assignment will have, under the draft's policy.
 */
async function toDto(db: Database, row: Row, calendar: WorkingCalendar): Promise<PlanDraftDto> {
  const registry = await loadRegistry(db, row.registry);
  if (!registry) throw new NotFound(`Không có danh mục cơ quan "${row.registry}".`);
  const { fields, preview, edits } = row;
  const choices = draftChoices(edits);
  const decided = (name: string): 'accepted' | 'rejected' | null =>
    choices.accepted.includes(name) ? 'accepted' : choices.rejected.includes(name) ? 'rejected' : null;
  const accepted = acceptedProposals(edits);
  const issuedOn = fields.issuedOn ?? preview.issued?.date ?? null;
  // The draft's policy as the import will resolve it; one it cannot resolve is refused there, and
  // meanwhile the defaults reckon the days.
  const resolved = resolvePolicy(fields.policy ?? {});
  const policy = 'policy' in resolved ? resolved.policy : defaultPolicy;
  return {
    id: row.id,
    registry: { key: registry.id, name: registry.data.name ?? registry.id },
    code: fields.code ?? null,
    title: fields.title ?? null,
    province: fields.province ?? null,
    periodStart: fields.periodStart ?? null,
    periodEnd: fields.periodEnd ?? null,
    policy: fields.policy ?? {},
    issuedOn,
    issuedOnSource: fields.issuedOn ? 'given' : preview.issued ? 'document' : null,
    issuedOnText: !fields.issuedOn && preview.issued ? preview.issued.text : null,
    file: { name: row.fileName, format: row.format, size: row.size, sha256: row.sha256 },
    revision: await revisionFor(db, row, registry),
    tasks: preview.tasks.map((task) => draftTask(task, (due) => effectiveDueDay(due, policy, calendar))),
    questions: preview.questions ?? [],
    proposals: [
      ...accepted.map((p) => ({ ...p, decision: 'accepted' as const })),
      ...(preview.proposedAgencies ?? []).map((p) => ({ ...p, decision: decided(p.name) })),
    ],
    warnings: groupedWarnings(preview.warnings),
    errors: preview.errors,
    columns: preview.columns ?? [],
    edits: edits.map(({ actor: _actor, ...edit }) => edit),
    counts: counts(preview),
    importedPlanId: row.importedPlanId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

/** Reads the file in the isolated thread and keeps it with its table: a 201 draft, questions and all; an unreadable file is 422. */
export async function createDraft(
  deps: ServiceDeps,
  input: {
    file: PlanFile;
    fields: DraftRequestFields;
    within?: string;
    by: Actor;
    maxBytes: number;
    calendar: WorkingCalendar;
    now?: Date;
  },
): Promise<PlanDraftDto> {
  const { fields } = input;
  const registry = await registryFor(deps.db, fields, plainNames, input.within);
  if (fields.policy !== undefined) checkedPolicy(fields.policy, 'policy');
  const draftFields: DraftFields = {
    registry: registry.id,
    ...(fields.code?.trim() ? { code: fields.code.trim() } : {}),
    ...(fields.title?.trim() ? { title: fields.title.trim() } : {}),
    ...(fields.province?.trim()
      ? { province: fields.province.trim() }
      : { province: registry.data.name ?? registry.id }),
    ...(fields.periodStart ? { periodStart: fields.periodStart } : {}),
    ...(fields.periodEnd ? { periodEnd: fields.periodEnd } : {}),
    ...(fields.issuedOn ? { issuedOn: fields.issuedOn } : {}),
    ...(fields.policy ? { policy: fields.policy } : {}),
    ...(fields.strict ? { strict: true } : {}),
  };
  const { preview, table } = await readIsolated(input.file, {
    registry,
    strict: fields.strict ?? false,
    ...(fields.periodStart ? { periodStart: fields.periodStart } : {}),
    ...(fields.periodEnd ? { periodEnd: fields.periodEnd } : {}),
    ...(fields.issuedOn ? { issuedOn: fields.issuedOn } : {}),
    maxBytes: input.maxBytes,
  });
  // A file that gives no table, or no task at all, cannot be fixed on the page: named as today.
  if (!table || preview.tasks.length === 0) throw fileErrors(preview);
  const size = Buffer.byteLength(JSON.stringify(table));
  if (size > DRAFT_TABLE_LIMIT)
    throw new Invalid(
      `Bảng đọc từ tệp quá lớn để lưu bản nháp (${Math.ceil(size / 1024 / 1024)} MB, giới hạn ${DRAFT_TABLE_LIMIT / 1024 / 1024} MB).`,
      [{ field: 'file', message: 'bảng quá lớn' }],
    );
  const now = input.now ?? new Date();
  // Drafts past their time go as new ones come: nobody keeps them.
  await deps.db.delete(planDrafts).where(lt(planDrafts.expiresAt, now));
  const [row] = await deps.db
    .insert(planDrafts)
    .values({
      registry: registry.id,
      createdBy: actorName(input.by),
      fileName: input.file.fileName ?? null,
      format: input.file.format ?? table.format,
      sha256: createHash('sha256').update(input.file.bytes).digest('hex'),
      size: input.file.bytes.byteLength,
      content: input.file.bytes,
      table: storable(table),
      fields: draftFields,
      edits: [],
      preview,
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + DRAFT_LIFETIME_DAYS * 86_400_000),
    })
    .returning();
  return toDto(deps.db, row!, input.calendar);
}

function fileErrors(preview: PlanPreview): Invalid {
  const errors: FieldError[] = preview.errors.map((e) => ({
    field: e.field ?? (e.row !== undefined ? `row ${e.row}${e.column ? `, column ${e.column}` : ''}` : 'file'),
    message: e.message,
    ...(e.row !== undefined ? { row: e.row } : {}),
    ...(e.column ? { column: e.column } : {}),
  }));
  return new Invalid(`Phụ lục có ${preview.errors.length} lỗi.`, errors);
}

async function findDraft(db: Database, principal: Principal, id: string, now = new Date()): Promise<Row> {
  if (!UUID.test(id)) throw notFound(id);
  const [row] = await db.select().from(planDrafts).where(eq(planDrafts.id, id));
  if (!row || row.expiresAt <= now) throw notFound(id);
  // A draft is its registry's: another province's coordinator does not see that it exists.
  if (principal.registry !== undefined && principal.registry !== row.registry) throw notFound(id);
  if (principal.role !== 'coordinator') throw new Forbidden('Chỉ cơ quan thường trực xem và sửa bản nháp kế hoạch.');
  return row;
}

export async function getDraft(
  deps: ServiceDeps,
  principal: Principal,
  id: string,
  calendar: WorkingCalendar,
): Promise<PlanDraftDto> {
  return toDto(deps.db, await findDraft(deps.db, principal, id), calendar);
}

const problem = (row: number | null, field: string, message: string): FieldError => ({
  field: row === null ? field : `edits[row ${row}].${field}`,
  message,
  ...(row !== null ? { row } : {}),
});

function statusOf(task: PreviewTask): unknown {
  return task.status.state === 'done'
    ? { state: 'done', ...(task.status.completedOn ? { completedOn: task.status.completedOn } : {}) }
    : { state: 'open' };
}

/**
 * Turns one client edit into the fields it changes, checked against the draft as it reads now; a
 * change that does not apply is named by row and field (422).
 */
function recordsOf(
  edit: DraftEdit,
  preview: PlanPreview,
  fields: DraftFields,
  registry: AgencyRegistry,
  by: Actor,
  at: string,
  today: string,
): { records: DraftEditRecord[]; errors: FieldError[]; fields: DraftFields } {
  const records: DraftEditRecord[] = [];
  const errors: FieldError[] = [];
  const who = actorName(by);
  const record = (row: number | null, field: DraftEditField, from: unknown, to: unknown) =>
    records.push({ who, actor: by, at, row, field, from: from ?? null, to });
  let next = fields;

  if (edit.row !== undefined) {
    const row = edit.row;
    const task = preview.tasks.find((t) => t.row === row);
    if (!task) {
      errors.push(problem(row, 'row', `Dòng ${row} không phải một nhiệm vụ của bảng.`));
      return { records, errors, fields };
    }
    for (const draftOnly of [
      'taskColumn',
      'proposal',
      'issuedOn',
      'code',
      'periodStart',
      'periodEnd',
      'policy',
    ] as const)
      if (edit[draftOnly] !== undefined)
        errors.push(
          problem(row, draftOnly, `"${draftOnly}" là trường của bản nháp, không của một dòng: gửi không kèm "row".`),
        );
    if (edit.deadline !== undefined) {
      const text = edit.deadline.trim();
      const reading = readDeadlineText(text, fields.issuedOn ? { issuedOn: fields.issuedOn } : {});
      if (!text || (!isIsoDate(text) && reading.deadline.kind === 'unresolved' && !reading.needsIssueDate))
        errors.push(
          problem(
            row,
            'deadline',
            `Không đọc được thời hạn "${edit.deadline}"; hãy nhập ngày (30/06/2026) hoặc kỳ (Quý IV/2026).`,
          ),
        );
      else record(row, 'deadline', task.deadline.raw, text);
    }
    if (Array.isArray(edit.leads)) {
      const unknown = edit.leads.filter((code) => !registry.byCode.get(code) || registry.byCode.get(code)!.mergedInto);
      if (edit.leads.length === 0) errors.push(problem(row, 'leads', 'Cần ít nhất một cơ quan chủ trì.'));
      else if (unknown.length > 0)
        errors.push(
          problem(
            row,
            'leads',
            `Không có cơ quan mã ${unknown.join(', ')} trong danh mục ${registry.id} (hoặc đã hợp nhất).`,
          ),
        );
      else
        record(
          row,
          'leads',
          task.leads.map((l) => l.code ?? l.name),
          edit.leads,
        );
    } else if (edit.leads !== undefined) {
      const choice = edit.leads.communes;
      const communal =
        task.questions.some((q) => q.kind === 'commune-group') ||
        task.leads.some(
          (l) =>
            l.group !== undefined &&
            (l.code === COMMUNES_TOGETHER || registry.byCode.get(l.code ?? '')?.kind === 'commune'),
        );
      if (!communal) errors.push(problem(row, 'leads', `Dòng ${row} không giao cho cấp xã; "communes" không áp dụng.`));
      else
        record(
          row,
          'communes',
          task.leads.map((l) => l.code ?? l.name),
          choice,
        );
    }
    if (edit.collaborators !== undefined) {
      const unknown = edit.collaborators.filter((code) => !registry.byCode.get(code));
      if (unknown.length > 0)
        errors.push(
          problem(row, 'collaborators', `Không có cơ quan mã ${unknown.join(', ')} trong danh mục ${registry.id}.`),
        );
      else
        record(
          row,
          'collaborators',
          task.collaborators.map((c) => c.code ?? c.name),
          edit.collaborators,
        );
    }
    if (edit.title !== undefined) {
      if (!edit.title.trim()) errors.push(problem(row, 'title', 'Tên nhiệm vụ không được để trống.'));
      else record(row, 'title', task.title, edit.title.trim());
    }
    if (edit.excluded !== undefined) record(row, 'excluded', task.excluded, edit.excluded);
    if (edit.status === 'open') record(row, 'status', statusOf(task), { state: 'open' });
    else if (edit.status === 'done') {
      if (!edit.completedOn || !isIsoDate(edit.completedOn))
        errors.push(problem(row, 'completedOn', 'Đánh dấu hoàn thành cần ngày hoàn thành (YYYY-MM-DD).'));
      else if (edit.completedOn > today)
        errors.push(problem(row, 'completedOn', `Ngày hoàn thành ${vnDate(edit.completedOn)} chưa đến.`));
      else
        record(row, 'status', statusOf(task), {
          state: 'done',
          completedOn: edit.completedOn,
          ...(edit.document ? { document: edit.document } : {}),
        });
    } else if (edit.completedOn !== undefined || edit.document !== undefined)
      errors.push(problem(row, 'status', '"completedOn" và "document" đi cùng "status": "done".'));
    return { records, errors, fields };
  }

  for (const rowOnly of [
    'deadline',
    'leads',
    'collaborators',
    'excluded',
    'status',
    'completedOn',
    'document',
  ] as const)
    if (edit[rowOnly] !== undefined)
      errors.push(problem(null, rowOnly, `"${rowOnly}" sửa một dòng: cần "row" (số dòng như bản xem trước ghi).`));
  if (edit.taskColumn !== undefined) {
    const wanted = fold(edit.taskColumn);
    const column = (preview.columns ?? []).find(
      (c) =>
        fold(c.letter) === wanted || fold(c.header) === wanted || columnLetter(c.index + 1).toLowerCase() === wanted,
    );
    if (!column) errors.push(problem(null, 'taskColumn', `Bảng không có cột "${edit.taskColumn}".`));
    else
      record(
        null,
        'taskColumn',
        (preview.columns ?? []).find((c) => c.meaning === 'task')?.index ?? null,
        column.index,
      );
  }
  if (edit.proposal !== undefined) {
    const proposal = (preview.proposedAgencies ?? []).find((p) => p.name === edit.proposal!.name);
    if (!proposal) errors.push(problem(null, 'proposal', `Không có đề xuất thêm cơ quan "${edit.proposal.name}".`));
    else
      record(null, 'proposal', null, {
        name: proposal.name,
        accept: edit.proposal.accept,
        ...(edit.proposal.accept ? { proposal } : {}),
      });
  }
  if (edit.issuedOn !== undefined) {
    if (edit.issuedOn !== null && !isIsoDate(edit.issuedOn))
      errors.push(problem(null, 'issuedOn', 'Ngày ban hành cần dạng YYYY-MM-DD.'));
    else {
      record(null, 'issuedOn', fields.issuedOn ?? null, edit.issuedOn);
      const { issuedOn: _old, ...rest } = next;
      next = edit.issuedOn === null ? rest : { ...rest, issuedOn: edit.issuedOn };
    }
  }
  const planField = (
    name: 'code' | 'periodStart' | 'periodEnd',
    value: string | undefined,
    check: (v: string) => string | undefined,
  ) => {
    if (value === undefined) return;
    const problemText = check(value);
    if (problemText) errors.push(problem(null, name, problemText));
    else {
      record(null, name, next[name] ?? null, value.trim());
      next = { ...next, [name]: value.trim() };
    }
  };
  planField('code', edit.code, (v) => (v.trim() ? undefined : 'Số hiệu không được để trống.'));
  planField('periodStart', edit.periodStart, (v) => (isIsoDate(v) ? undefined : 'Cần ngày dạng YYYY-MM-DD.'));
  planField('periodEnd', edit.periodEnd, (v) => (isIsoDate(v) ? undefined : 'Cần ngày dạng YYYY-MM-DD.'));
  if (edit.title !== undefined) {
    if (!edit.title.trim()) errors.push(problem(null, 'title', 'Tên kế hoạch không được để trống.'));
    else {
      record(null, 'planTitle', next.title ?? null, edit.title.trim());
      next = { ...next, title: edit.title.trim() };
    }
  }
  if (edit.policy !== undefined) {
    try {
      checkedPolicy(edit.policy, 'policy');
      record(null, 'policy', next.policy ?? {}, edit.policy);
      next = { ...next, policy: edit.policy };
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      errors.push(...error.errors.map((e) => problem(null, e.field, e.message)));
    }
  }
  return { records, errors, fields: next };
}

/** Applies the edits in order, all or none; the draft is read again with them and returned. */
export async function editDraft(
  deps: ServiceDeps,
  input: { principal: Principal; id: string; edits: DraftEdit[]; by: Actor; calendar: WorkingCalendar; now?: Date },
): Promise<PlanDraftDto> {
  const now = input.now ?? new Date();
  const row = await findDraft(deps.db, input.principal, input.id, now);
  if (row.importedPlanId) throw new Invalid('Bản nháp đã được nhập thành kế hoạch; hãy tạo bản nháp mới.', []);
  if (input.edits.length > EDITS_PER_REQUEST || row.edits.length + input.edits.length > DRAFT_EDIT_LIMIT)
    throw new Invalid(
      `Quá nhiều chỉnh sửa (tối đa ${EDITS_PER_REQUEST} mỗi lần, ${DRAFT_EDIT_LIMIT} cho một bản nháp).`,
      [{ field: 'edits', message: 'quá nhiều' }],
    );
  const base = await loadRegistry(deps.db, row.registry);
  if (!base) throw new NotFound(`Không có danh mục cơ quan "${row.registry}".`);
  const at = now.toISOString();
  const today = new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  let fields = row.fields;
  let edits = row.edits;
  let preview = row.preview;
  const errors: FieldError[] = [];
  for (const edit of input.edits) {
    const registry = withProposals(base, acceptedProposals(edits));
    const result = recordsOf(edit, preview, fields, registry, input.by, at, today);
    errors.push(...result.errors);
    if (result.errors.length > 0 || result.records.length === 0) continue;
    fields = result.fields;
    edits = [...edits, ...result.records];
    // Each edit meets the table as the edits before it left it (a task column chosen, a date given).
    preview = await reread(deps.db, row.table, fields, edits);
  }
  if (errors.length > 0)
    throw new Invalid(`${errors.length} chỉnh sửa không áp dụng được; chưa có gì thay đổi.`, errors);
  const [saved] = await deps.db
    .update(planDrafts)
    .set({ fields, edits, preview, updatedAt: now })
    .where(and(eq(planDrafts.id, row.id), sql`${planDrafts.importedPlanId} is null`))
    .returning();
  if (!saved) throw notFound(input.id);
  return toDto(deps.db, saved, input.calendar);
}

/**
 * Imports the draft as it reads now: the plan keeps its file and the edits (each in the audit
 * trail); a plan already there is revised only with `revise` (else 409 with what would change).
 */
export async function importDraft(
  deps: ServiceDeps,
  input: {
    principal: Principal;
    id: string;
    revise: boolean;
    by: Actor;
    onDispatchFailure?: (error: unknown) => void;
  },
): Promise<ImportResult & { warnings: Issue[] }> {
  const row = await findDraft(deps.db, input.principal, input.id);
  if (row.importedPlanId) throw new Invalid('Bản nháp đã được nhập thành kế hoạch; hãy tạo bản nháp mới.', []);
  const { fields } = row;
  const missing = (['code', 'title', 'periodStart', 'periodEnd'] as const).filter((name) => !fields[name]);
  if (missing.length > 0)
    throw new Invalid(
      `Bản nháp chưa có ${missing.join(', ')}; hãy điền trước khi nhập.`,
      missing.map((field) => ({ field, message: 'bắt buộc' })),
    );
  const accepted = acceptedProposals(row.edits);
  const current = await loadRegistry(deps.db, row.registry);
  if (!current) throw new NotFound(`Không có danh mục cơ quan "${row.registry}".`);
  // Accepted names join the registry (audited) in the import's own transaction, before the plan
  // that names them; the plan is read against the registry as it will be.
  const joining = accepted.filter((p) => !current.byCode.has(p.code));
  const registry = withProposals(current, joining);
  const issuedOn = fields.issuedOn ?? row.preview.issued?.date;
  const converted = planFromPreview(row.preview, {
    code: fields.code!,
    title: fields.title!,
    province: fields.province ?? registry.data.name ?? registry.id,
    registry,
    periodStart: fields.periodStart!,
    periodEnd: fields.periodEnd!,
    policy: checkedPolicy(fields.policy ?? {}, 'policy'),
    ...(issuedOn ? { issuedOn } : {}),
  });
  const result = await importPlan(deps, converted.plan, {
    by: input.by,
    revise: input.revise,
    ...(joining.length > 0 ? { joining: { proposals: joining, by: input.by } } : {}),
    ...(input.onDispatchFailure ? { onDispatchFailure: input.onDispatchFailure } : {}),
    source: {
      ...(row.fileName ? { fileName: row.fileName } : {}),
      format: row.format,
      sha256: row.sha256,
      content: row.content,
      edits: row.edits,
    },
  });
  await deps.db
    .update(planDrafts)
    .set({ importedPlanId: result.plan.id, updatedAt: new Date() })
    .where(eq(planDrafts.id, row.id));
  return { ...result, warnings: converted.warnings };
}

/** The file the plan's latest import came from, as it was sent (whoever sees the plan may read it). */
export async function planSourceFile(
  db: Database,
  principal: Principal,
  planRef: string,
): Promise<{ fileName: string; format: string; sha256: string; content: Uint8Array; revision: number }> {
  const planId = await resolvePlanRef(db, planRef, principal.registry);
  const [source] =
    planId === NO_PLAN
      ? []
      : await db
          .select()
          .from(planSources)
          .where(eq(planSources.planId, planId))
          .orderBy(desc(planSources.revision), desc(planSources.id))
          .limit(1);
  if (!source) throw new NotFound(`Kế hoạch ${planRef} không có tệp gốc (chưa có, hoặc được nhập dạng JSON).`);
  const extension = { xlsx: 'xlsx', docx: 'docx', csv: 'csv', text: 'txt' }[source.format] ?? 'bin';
  return {
    fileName: source.fileName ?? `ke-hoach.${extension}`,
    format: source.format,
    sha256: source.sha256,
    content: source.content,
    revision: source.revision,
  };
}
