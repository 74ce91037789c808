import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Actor, Command, RefusalCode } from '../../domain/lifecycle.ts';
import { COMMAND_REFUSED, commandUpdates, type AssignmentView } from '../../workflows/messages.ts';
import type { ApiDeps } from '../deps.ts';
import { HttpProblem } from '../problem.ts';

const statusFor: Record<RefusalCode, number> = { 'invalid-state': 409, 'invalid-input': 422, 'not-allowed': 403 };

/**
 * Sends one command to an assignment's workflow as a Temporal Update and returns the workflow's
 * answer. The API never changes an assignment itself.
 */
export async function sendCommand(
  deps: ApiDeps,
  assignmentId: string,
  actor: Actor,
  command: Command,
): Promise<AssignmentView> {
  const handle = deps.temporal.client.workflow.getHandle(assignmentId);
  try {
    return (await handle.executeUpdate(commandUpdates[command.type] as never, {
      args: [{ actor, command }] as never,
    })) as AssignmentView;
  } catch (error) {
    if (
      error instanceof WorkflowUpdateFailedError &&
      error.cause instanceof ApplicationFailure &&
      error.cause.type === COMMAND_REFUSED
    ) {
      const code = (error.cause.details?.[0] ?? 'invalid-state') as RefusalCode;
      throw new HttpProblem(statusFor[code] ?? 409, error.cause.message, { code });
    }
    if (error instanceof WorkflowNotFoundError) {
      // The workflow ended (completed or cancelled) or was never started.
      throw new HttpProblem(409, 'Nhiệm vụ đã kết thúc hoặc chưa được khởi tạo; không thể thực hiện thao tác này.', {
        code: 'closed',
      });
    }
    throw error;
  }
}
