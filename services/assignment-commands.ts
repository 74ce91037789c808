import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Actor, Command, RefusalCode } from '../domain/lifecycle.ts';
import { openStatuses } from '../domain/lifecycle.ts';
import { authorizeCommand, type Principal } from '../domain/permissions.ts';
import { stoppedRefusal, type WorkflowStopReason } from '../domain/workflow-stops.ts';
import { assignments } from '../db/schema.ts';
import { COMMAND_REFUSED, commandUpdates } from '../workflows/messages.ts';
import type { CommandReceipt } from '../domain/assignment-view.ts';
import {
  findAssignmentRow,
  partiesOf,
  toAssignment,
  type AssignmentDto,
  type AssignmentRow,
} from './assignment-reads.ts';
import { filesOfAssignment, pendingFile } from './deliverable-files.ts';
import type { ServiceDeps } from './deps.ts';
import { Busy, Conflict, Forbidden, Invalid, NotFound, ServiceError } from './errors.ts';
import { agencyCodesIn, withAgencyNames } from '../domain/agency-names-in-text.ts';
import { agencyLabels } from '../db/agency-index.ts';
import { loadPlanRegistry } from './registries.ts';

/** The workflow's refusal, as the application's error of the same meaning. */
const refusalError: Record<RefusalCode, (message: string, code: RefusalCode) => ServiceError> = {
  'invalid-state': (message, code) => new Conflict(message, code),
  'invalid-input': (message, code) => new Invalid(message, [], code),
  'not-allowed': (message, code) => new Forbidden(message, code),
};

/**
 * Sends one command to an assignment's workflow as a Temporal Update and returns its receipt. The
 * API never changes an assignment itself. With `requestKey`, the same key sent again (a client
 * retrying after a lost answer) is the same update: Temporal applies it once and gives the retry
 * the first attempt's outcome.
 */
export async function sendCommand(
  deps: ServiceDeps,
  assignmentId: string,
  actor: Actor,
  command: Command,
  requestKey?: string,
): Promise<CommandReceipt> {
  // A workflow that is busy (draining before it continues as new, or at Temporal's limit of Updates
  // in flight) is so for a moment: the command waits a little before the caller is told.
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce(deps, assignmentId, actor, command, requestKey);
    } catch (error) {
      if (!(error instanceof Busy) || attempt >= BUSY_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

const BUSY_ATTEMPTS = 5;

async function sendOnce(
  deps: ServiceDeps,
  assignmentId: string,
  actor: Actor,
  command: Command,
  requestKey?: string,
): Promise<CommandReceipt> {
  const handle = deps.temporal.client.workflow.getHandle(assignmentId);
  try {
    return (await handle.executeUpdate(commandUpdates[command.type] as never, {
      args: [{ actor, command }] as never,
      ...(requestKey ? { updateId: requestKey } : {}),
    })) as CommandReceipt;
  } catch (error) {
    if (isBusy(error)) throw new Busy('Nhiệm vụ đang nhận nhiều thao tác cùng lúc; vui lòng thử lại sau giây lát.');
    if (
      error instanceof WorkflowUpdateFailedError &&
      error.cause instanceof ApplicationFailure &&
      error.cause.type === COMMAND_REFUSED
    ) {
      const code = (error.cause.details?.[0] ?? 'invalid-state') as RefusalCode;
      throw (refusalError[code] ?? refusalError['invalid-state'])(error.cause.message, code);
    }
    if (error instanceof WorkflowNotFoundError) {
      // The workflow ended (completed or cancelled) or was never started.
      throw new Conflict('Nhiệm vụ đã kết thúc hoặc chưa được khởi tạo; không thể thực hiện thao tác này.', 'closed');
    }
    throw error;
  }
}

/** gRPC's RESOURCE_EXHAUSTED, as the client's error carries it in its cause. */
const RESOURCE_EXHAUSTED = 8;

/**
 * Whether an Update could not be taken for now: Temporal's limit of Updates in flight on one
 * workflow, or the workflow turning commands away while it drains before continuing as new.
 */
export function isBusy(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ((error.cause as { code?: unknown } | undefined)?.code === RESOURCE_EXHAUSTED) return true;
  return (
    error instanceof WorkflowUpdateFailedError &&
    error.cause instanceof ApplicationFailure &&
    error.cause.type === COMMAND_REFUSED &&
    error.cause.details?.[0] === 'busy'
  );
}

/** What only the read model can say about a command: the file it names, the agency it names. */
async function checkAgainstReadModel(deps: ServiceDeps, row: AssignmentRow, command: Command): Promise<void> {
  if (command.type === 'submitDeliverable' && command.file) {
    // Checked before the workflow hears of the submission, so a wrong file changes nothing.
    await pendingFile(deps.db, row.row.id, command.file);
  }
  if (command.type === 'fileReport' && command.documents) {
    await filesOfAssignment(
      deps.db,
      row.row.id,
      command.documents.map((d) => d.file),
    );
  }
  if (command.type === 'reassign') {
    const registry = await loadPlanRegistry(deps.db, row.row.planId);
    if (!registry?.byCode.has(command.toAgency))
      throw new Invalid(`Không có cơ quan mã "${command.toAgency}" trong danh mục.`, [
        { field: '/toAgency', message: 'không có trong danh mục' },
      ]);
    const name = registry.byCode.get(command.toAgency)!.name;
    if (command.toAgency === row.row.agencyCode)
      throw new Invalid(`${name} đang chủ trì nhiệm vụ này; hãy chọn cơ quan khác.`, [
        { field: '/toAgency', message: 'đang chủ trì nhiệm vụ' },
      ]);
    // The task has several leads: the other lead already has its own assignment of it.
    const [other] = await deps.db
      .select({ id: assignments.id })
      .from(assignments)
      .where(
        and(
          eq(assignments.taskId, row.row.taskId),
          eq(assignments.agencyCode, command.toAgency),
          ne(assignments.id, row.row.id),
          inArray(assignments.status, [...openStatuses]),
        ),
      );
    if (other)
      throw new Invalid(`${name} đã chủ trì nhiệm vụ này (${other.id}); không giao thêm cho cơ quan đó.`, [
        { field: '/toAgency', message: 'đã chủ trì nhiệm vụ' },
      ]);
  }
}

/**
 * A person's or a system's command on one assignment, from the request to the answer: who may
 * send it, what only the read model knows, the workflow's own decision, and the assignment as it
 * is after it (the Update waited for the read model).
 */
export async function commandAssignment(
  deps: ServiceDeps,
  input: { principal: Principal; actor: Actor; id: string; command: Command; requestKey?: string },
): Promise<AssignmentDto> {
  const row = await findAssignmentRow(deps.db, input.id);
  const verdict = row ? authorizeCommand(input.principal, partiesOf(row), input.command.type) : 'hidden';
  // Others' work is not revealed: what the caller may not see does not exist for it.
  if (verdict === 'hidden' || !row) throw new NotFound(`Không có nhiệm vụ ${input.id}.`);
  if (verdict === 'forbidden')
    throw new Forbidden(`Quý cơ quan không được thực hiện thao tác này trên nhiệm vụ ${row.row.id}.`);
  if (row.row.workflowStopReason)
    throw new Conflict(stoppedRefusal(row.row.workflowStopReason as WorkflowStopReason), 'stopped');
  await checkAgainstReadModel(deps, row, input.command);
  try {
    await sendCommand(
      deps,
      row.row.id,
      input.actor,
      input.command,
      // Scoped to the caller, so one principal's key never answers for another's command.
      input.requestKey ? `${input.principal.tokenId}:${input.requestKey}` : undefined,
    );
  } catch (error) {
    // The workflow's refusal names agencies by code ("do cơ quan SYT chủ trì"): people read names.
    if (error instanceof ServiceError) {
      const names = await agencyLabels(deps.db, row.registry, agencyCodesIn(error.message));
      error.message = withAgencyNames(error.message, (code) => {
        const found = names.get(code);
        return found && found.name !== code ? found.name : undefined;
      });
    }
    throw error;
  }
  return toAssignment((await findAssignmentRow(deps.db, row.row.id))!, undefined, new Date(), input.principal);
}
