import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Actor, Command, RefusalCode } from '../domain/lifecycle.ts';
import { COMMAND_REFUSED, commandUpdates } from '../workflows/messages.ts';
import type { AssignmentView } from '../domain/assignment-view.ts';
import type { ServiceDeps } from './deps.ts';
import { Conflict, Forbidden, Invalid, type ServiceError } from './errors.ts';

/** The workflow's refusal, as the application's error of the same meaning. */
const refusalError: Record<RefusalCode, (message: string, code: RefusalCode) => ServiceError> = {
  'invalid-state': (message, code) => new Conflict(message, code),
  'invalid-input': (message, code) => new Invalid(message, [], code),
  'not-allowed': (message, code) => new Forbidden(message, code),
};

/**
 * Sends one command to an assignment's workflow as a Temporal Update and returns the workflow's
 * answer. The API never changes an assignment itself. With `requestKey`, the same key sent again
 * (a client retrying after a lost answer) is the same update: Temporal applies it once and gives
 * the retry the first attempt's outcome.
 */
export async function sendCommand(
  deps: ServiceDeps,
  assignmentId: string,
  actor: Actor,
  command: Command,
  requestKey?: string,
): Promise<AssignmentView> {
  const handle = deps.temporal.client.workflow.getHandle(assignmentId);
  try {
    return (await handle.executeUpdate(commandUpdates[command.type] as never, {
      args: [{ actor, command }] as never,
      ...(requestKey ? { updateId: requestKey } : {}),
    })) as AssignmentView;
  } catch (error) {
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
