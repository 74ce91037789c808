import type { UpdateDefinition } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import { resolvePolicy } from '../domain/policy.ts';
import { AssignmentRun } from './assignment-run.ts';
import {
  assignmentQuery,
  calendarChangedSignal,
  COMMAND_REFUSED,
  commandUpdates,
  revisePlanUpdate,
  type AssignmentInput,
  type CommandRequest,
  type PlanRevisionRequest,
} from './messages.ts';
import type { AssignmentView, CommandReceipt } from '../domain/assignment-view.ts';

function invalidInput(message: string): wf.ApplicationFailure {
  return wf.ApplicationFailure.create({
    type: COMMAND_REFUSED,
    message,
    details: ['invalid-input'],
    nonRetryable: true,
  });
}

/**
 * One assignment: a task for one lead agency, followed from assignment to completion — its
 * commands (Temporal Updates validated by the lifecycle), its timers (planned by the schedule on
 * the working calendar) and everything they record. A recurring task runs one cycle per year and
 * continues as new between cycles. The state and the steps are in `AssignmentRun`.
 */
export async function assignmentWorkflow(input: AssignmentInput): Promise<AssignmentView> {
  const run = new AssignmentRun(input);

  wf.setHandler(assignmentQuery, (options) => run.viewAsOf(options?.at));

  // The handlers hand back the run's own promise: an async wrapper would add turns before an update
  // completes, and could move its completion among the commands of a workflow task.
  for (const definition of Object.values(commandUpdates)) {
    wf.setHandler(
      definition as UpdateDefinition<CommandReceipt, [CommandRequest]>,
      (request: CommandRequest) => run.applyCommand(request),
      {
        validator: (request: CommandRequest) => {
          if (!request?.command || typeof request.command.type !== 'string' || !request.actor?.role) {
            throw invalidInput('Lệnh không hợp lệ.');
          }
          run.admit();
          run.allowed(request);
        },
      },
    );
  }

  wf.setHandler(calendarChangedSignal, () => run.calendarChanged());
  wf.setHandler(revisePlanUpdate, (request: PlanRevisionRequest) => run.revisePlan(request), {
    validator: ({ revision }: PlanRevisionRequest) => {
      run.admit();
      const resolved = resolvePolicy(revision?.policy);
      if (!revision?.planPeriod || 'errors' in resolved) throw invalidInput('Điều chỉnh kế hoạch không hợp lệ.');
    },
  });

  for (;;) {
    // After one of the plan's instants, nothing changes until the plan has marked it.
    if (run.waitsForPlan) await run.awaitPlanMarks();
    run.takeInPlanTimers();
    run.fireDueTimers();
    if (run.replanning) {
      await run.replan();
      continue;
    }
    run.announce();

    if (run.unprojected) {
      await run.flush();
      continue;
    }

    if (run.closed) {
      await wf.condition(wf.allHandlersFinished);
      if (run.unprojected) continue;
      if (run.recurring && run.status === 'completed') await run.nextCycle();
      return run.view();
    }

    if (run.tooLong()) {
      if (run.drains) {
        // New commands are turned away from now on (`admit`); those in flight finish as the loop
        // projects them, and the run starts afresh as soon as none is left.
        run.startDraining();
        if (run.settled && wf.allHandlersFinished()) {
          await wf.continueAsNew<typeof assignmentWorkflow>(run.continuation());
        }
        await wf.condition(() => run.hasWork || wf.allHandlersFinished());
        continue;
      }
      await wf.condition(wf.allHandlersFinished);
      if (run.settled) {
        await wf.continueAsNew<typeof assignmentWorkflow>(run.continuation());
      }
      continue;
    }

    const rollover = run.rolloverAt();
    if (rollover !== null && rollover <= Date.now()) {
      await run.nextCycle();
      continue;
    }

    const wakeAt = run.wakeAt(rollover);
    const wake = () => run.hasWork;
    if (Number.isFinite(wakeAt)) await wf.condition(wake, Math.max(0, wakeAt - Date.now()));
    else await wf.condition(wake);
  }
}
