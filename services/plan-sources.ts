import { resolveAgencyCell } from '../domain/appendix/agency-cells.ts';
import { taskKeys } from '../domain/appendix/task-keys.ts';
import type { TaskCompletion } from '../domain/appendix/draft.ts';
import type { Issue, PlanPreview, PreviewAgency } from '../domain/appendix/types.ts';
import type { AgencyRegistry } from '../domain/agencies/types.ts';
import { readDeadline } from '../domain/deadline.ts';
import type { PolicyOverrides } from '../domain/policy.ts';
import type { Deadline } from '../domain/types.ts';
import { Invalid, type FieldError } from './errors.ts';
import type { PlanToImport, TaskToImport } from './plan-import.ts';

/**
 * The two ways a plan arrives — the JSON form and an appendix file read by domain/appendix — end
 * here as the importer's input. Either every task has a lead that can be assigned, or nothing is
 * imported and each problem is named by field or by row and column.
 */

/** One task of a plan sent as JSON (the API validates the shape; this is what the service reads). */
export interface PlanTaskJson {
  number: string;
  /** The section the task sits in ("II", "A"); numbers may repeat across sections. */
  section?: string;
  title: string;
  area?: string;
  objective?: string;
  deliverables?: string[];
  leads: string[];
  collaborators?: string[];
  dueDate?: string;
  deadline?: string;
  metadata?: Record<string, string>;
}

/** A plan sent as JSON rather than as an appendix file. */
export interface PlanJson {
  periodStart: string;
  periodEnd: string;
  tasks: PlanTaskJson[];
}

export interface PlanMeta {
  code: string;
  title: string;
  province: string;
  registry: AgencyRegistry;
  periodStart: string;
  periodEnd: string;
  policy: PolicyOverrides;
  /** The day the plan was signed, when known. */
  issuedOn?: string;
}

interface Where {
  field?: string;
  row?: number;
  column?: string;
}

const LEAD_COLUMN = 'Cơ quan chủ trì';

function problem(where: Where, message: string): FieldError {
  return {
    field: where.field ?? `row ${where.row}, column ${where.column}`,
    message,
    ...(where.row !== undefined ? { row: where.row, column: where.column } : {}),
  };
}

function assignable(leads: PreviewAgency[]): { code: string; name: string }[] {
  const seen = new Set<string>();
  return leads.flatMap((l) =>
    l.code && !seen.has(l.code) && seen.add(l.code) ? [{ code: l.code, name: l.name }] : [],
  );
}

/**
 * The longest free text a task may carry, in characters. Every workflow gets its task's text in
 * its input, and Temporal refuses an input over its payload limit (2 MB): a task of this size is
 * far below it, and far above any real appendix's longest cell.
 */
export const TASK_TEXT_LIMIT = 8_000;

/** Texts over the limit, each named by the task's row (a file) or its JSON pointer. */
function overlongTexts(tasks: readonly TaskToImport[], where: (task: TaskToImport, i: number) => Where): FieldError[] {
  const errors: FieldError[] = [];
  tasks.forEach((task, i) => {
    const texts: [string, string][] = [
      ['title', task.title],
      ['objective', task.objective ?? ''],
      ['area', task.area ?? ''],
      ['leads', task.leadsRaw],
      ['collaborators', task.collaboratorsRaw],
      ['deliverables', task.deliverables.join('; ')],
      ['metadata', Object.values(task.metadata).join('; ')],
    ];
    for (const [name, text] of texts) {
      if (text.length > TASK_TEXT_LIMIT)
        errors.push(
          problem(
            where(task, i),
            `Nhiệm vụ ${task.key ?? task.number}: ${name} dài ${text.length} ký tự, quá giới hạn ${TASK_TEXT_LIMIT}.`,
          ),
        );
    }
  });
  return errors;
}

function finish(
  meta: PlanMeta,
  tasks: TaskToImport[],
  errors: FieldError[],
  warnings: Issue[],
  where: (task: TaskToImport, i: number) => Where,
): { plan: PlanToImport; warnings: Issue[] } {
  for (const error of overlongTexts(tasks, where)) errors.push(error);
  if (meta.periodStart > meta.periodEnd) {
    errors.unshift({
      field: 'periodEnd',
      message: `Ngày kết thúc ${meta.periodEnd} trước ngày bắt đầu ${meta.periodStart}.`,
    });
  }
  if (errors.length > 0) throw new Invalid(`Kế hoạch có ${errors.length} lỗi; chưa có gì được ghi.`, errors);
  return {
    plan: {
      code: meta.code.trim(),
      title: meta.title,
      province: meta.province,
      registry: meta.registry.id,
      periodStart: meta.periodStart,
      periodEnd: meta.periodEnd,
      policy: meta.policy,
      ...(meta.issuedOn ? { issuedOn: meta.issuedOn } : {}),
      tasks,
    },
    warnings,
  };
}

/** An appendix file's preview, once it has no errors of its own. */
export function planFromPreview(preview: PlanPreview, meta: PlanMeta): { plan: PlanToImport; warnings: Issue[] } {
  const { tasks, errors } = planTasksFromPreview(preview);
  return finish(meta, tasks, errors, preview.warnings, (task) => ({
    field: `row ${task.sourceRow ?? '?'}`,
    ...(task.sourceRow !== undefined ? { row: task.sourceRow } : {}),
  }));
}

/** The tasks a preview would import, and what stops it, without refusing: a draft shows both. */
export function planTasksFromPreview(preview: PlanPreview): { tasks: TaskToImport[]; errors: FieldError[] } {
  const errors: FieldError[] = preview.errors.map((issue) =>
    problem(
      { row: issue.row, column: issue.column, field: issue.field ?? (issue.row === undefined ? 'file' : undefined) },
      issue.message,
    ),
  );
  const tasks = preview.tasks.flatMap((task): TaskToImport[] => {
    // Left out by the coordinator: not imported, and its questions need no answer.
    if (task.excluded) return [];
    const leads = assignable(task.leads);
    const where = { row: task.row, column: LEAD_COLUMN };
    for (const unknown of task.leads.filter((l) => l.code === null && !l.group)) {
      errors.push(
        problem(
          where,
          `Không có cơ quan chủ trì "${unknown.name}" trong danh mục; hãy thêm vào danh mục hoặc sửa tên rồi nhập lại.`,
        ),
      );
    }
    for (const question of task.questions.filter((q) => q.kind === 'commune-group'))
      errors.push(
        problem(
          where,
          `Dòng ${task.row}: chưa chọn giao cho từng xã, phường, đặc khu hay giao chung. ${question.text}`,
        ),
      );
    if (leads.length === 0 && task.leads.every((l) => l.code === null && l.group)) {
      errors.push(
        problem(
          where,
          `Nhiệm vụ ${task.key} không có cơ quan chủ trì cụ thể để giao ("${task.leadsRaw}"); hãy chọn cơ quan chủ trì.`,
        ),
      );
    }
    if (task.status.state === 'done' && !task.status.completedOn)
      errors.push(
        problem(
          { row: task.row, column: 'Tình hình thực hiện' },
          `Dòng ${task.row}: nhiệm vụ đã hoàn thành nhưng chưa có ngày hoàn thành; hãy nhập ngày hoặc đánh dấu chưa hoàn thành.`,
        ),
      );
    const completion: TaskCompletion | undefined =
      task.status.state === 'done' && task.status.completedOn
        ? { completedOn: task.status.completedOn, ...(task.status.document ? { document: task.status.document } : {}) }
        : undefined;
    return [
      {
        number: task.number,
        section: task.section,
        key: task.key,
        sourceRow: task.row,
        area: task.area,
        objective: task.objective,
        // A child's own text means little alone ("Dữ liệu y tế"): its group's title goes before it.
        title: task.parent ? `${task.parent} – ${task.title}` : task.title,
        ...(task.code ? { code: task.code } : {}),
        ...(completion ? { completion } : {}),
        deliverables: task.deliverables,
        leadsRaw: task.leadsRaw,
        collaboratorsRaw: task.collaboratorsRaw,
        leads,
        collaborators: task.collaborators.map((c) => ({ code: c.code, name: c.name })),
        deadline: task.deadline,
        metadata: task.metadata,
      },
    ];
  });
  return { tasks, errors };
}

/** The JSON form of a plan: names resolved as in a file, problems named by JSON pointer. */
export function planFromJson(body: PlanJson, meta: PlanMeta): { plan: PlanToImport; warnings: Issue[] } {
  const errors: FieldError[] = [];
  const warnings: Issue[] = [];
  const sections = body.tasks.map((task) => task.section?.trim() || null);
  const keyed = taskKeys(body.tasks.map((task, i) => ({ number: task.number, section: sections[i]! })));
  for (const { index, previous } of keyed.duplicates) {
    const { number } = body.tasks[index]!;
    const within = keyed.keys[index] !== number ? ` (cùng mục ${sections[index]})` : '';
    errors.push({
      field: `/tasks/${index}/number`,
      message: `Số thứ tự "${number}" trùng với /tasks/${previous}${within}.`,
    });
  }
  const tasks = body.tasks.map((task, i): TaskToImport => {
    const at = `/tasks/${i}`;

    const leads: PreviewAgency[] = [];
    task.leads.forEach((name, j) => {
      const cell = resolveAgencyCell(name, 'lead', meta.registry, false);
      for (const p of cell.problems)
        (p.kind === 'unknown' ? errors : warnings).push({ field: `${at}/leads/${j}`, message: p.message });
      leads.push(...cell.agencies);
    });
    if (assignable(leads).length === 0 && !errors.some((e) => e.field.startsWith(`${at}/leads`))) {
      errors.push({ field: `${at}/leads`, message: 'Không có cơ quan chủ trì cụ thể nào để giao nhiệm vụ.' });
    }

    const collaborators = (task.collaborators ?? []).flatMap((name, j) => {
      const cell = resolveAgencyCell(name, 'collaborators', meta.registry, false);
      for (const p of cell.problems) warnings.push({ field: `${at}/collaborators/${j}`, message: p.message });
      return cell.agencies.map((a) => ({ code: a.code, name: a.name }));
    });

    let deadline: Deadline;
    const deadlineField = task.dueDate ? `${at}/dueDate` : `${at}/deadline`;
    if (task.dueDate) deadline = { kind: 'date', due: task.dueDate, raw: task.dueDate };
    else deadline = readDeadline(task.deadline ?? '');
    if (deadline.kind === 'unresolved') {
      warnings.push({
        field: deadlineField,
        message: `Chưa đọc được thời hạn "${deadline.raw}"; cơ quan thường trực cần đặt hạn.`,
      });
    }
    for (const day of [deadline.start, deadline.due]) {
      if (day && (day < body.periodStart || day > body.periodEnd)) {
        warnings.push({
          field: deadlineField,
          message: `Thời hạn ${day} nằm ngoài thời gian của kế hoạch (${body.periodStart} – ${body.periodEnd}).`,
        });
        break;
      }
    }
    return {
      number: task.number,
      section: sections[i]!,
      key: keyed.keys[i]!,
      area: task.area ?? null,
      objective: task.objective ?? null,
      title: task.title,
      deliverables: task.deliverables ?? [],
      leadsRaw: task.leads.join('; '),
      collaboratorsRaw: (task.collaborators ?? []).join('; '),
      leads: assignable(leads),
      collaborators,
      deadline,
      metadata: task.metadata ?? {},
    };
  });
  return finish(meta, tasks, errors, warnings, (_task, i) => ({ field: `/tasks/${i}` }));
}
