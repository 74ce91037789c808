import type { UpdateDefinition } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import type {
  Activities,
  AuditEntry,
  EscalationRecord,
  NotificationRecord,
  PlannedSchedule,
} from '../activities/index.ts';
import { keepingRunClock, runClock, toPlanTime } from '../domain/clock.ts';
import { instantAt, localDay } from '../domain/instant.ts';
import {
  completedOnTime,
  decide,
  initialLifecycle,
  isClosed,
  type Actor,
  type Decision,
  type LifecycleState,
  type Transition,
} from '../domain/lifecycle.ts';
import {
  notificationsForCycle,
  notificationsForEvent,
  notificationsForTransition,
  recipientKey,
  type AssignmentFacts,
  type NotificationDraft,
} from '../domain/notifications.ts';
import { resolvePolicy } from '../domain/policy.ts';
import type { ScheduleEvent } from '../domain/schedule.ts';
import { timerEffect, timerKey } from '../domain/timer-effects.ts';
import type { Deadline } from '../domain/types.ts';
import {
  assignmentQuery,
  COMMAND_REFUSED,
  commandUpdates,
  revisePlanUpdate,
  type AssignmentInput,
  type AssignmentView,
  type CarriedState,
  type CommandRequest,
  type CycleSummary,
  type PlanRevisionRequest,
} from './messages.ts';

const { recordAssignment } = wf.proxyActivities<Activities>({
  // A transaction of a few rows; a worker lost mid-write is noticed and retried after this.
  startToCloseTimeout: '10 seconds',
  // No attempt limit: while the database is down the read model waits, nothing is lost.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// The same write, tried first inside the workflow task: no activity task and no second workflow
// task, which halves what the Temporal server does per change (BENCHMARKS.md, late-marks). One
// short attempt only: if it fails (database away) the write falls back to the activity above, so
// commands keep being accepted while it retries.
const { recordAssignment: recordAssignmentInTask } = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '5 seconds',
  retry: { maximumAttempts: 1 },
});

/** Histories from before the local first attempt replay with the activity alone. */
const RECORD_IN_TASK = 'record-assignment-in-task';
/** Histories from before yearly cycles rolled over unfinished replay without that timer. */
const CYCLE_ROLLOVER = 'recurring-cycle-rollover';
/** Histories from before the plan fired the report timers replay with the assignment firing them. */
const REPORT_TIMERS_BY_PLAN = 'report-timers-by-plan';

const { planSchedule } = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

/** How long a command waits for its change to reach the read model before answering anyway. */
const READ_YOUR_WRITES_WAIT = '10 seconds';
const DEFAULT_HISTORY_LIMIT = 10_000;

function refusal(decision: Extract<Decision, { ok: false }>): wf.ApplicationFailure {
  return wf.ApplicationFailure.create({
    type: COMMAND_REFUSED,
    message: decision.reason,
    details: [decision.code],
    nonRetryable: true,
  });
}

function actorName(actor: Actor): string {
  return actor.agencyCode ? `${actor.role}:${actor.agencyCode}:${actor.name}` : `${actor.role}:${actor.name}`;
}

/**
 * One assignment: a task for one lead agency, followed from assignment to completion — its
 * commands (Temporal Updates validated by the lifecycle), its timers (planned by the schedule on
 * the working calendar) and everything they record. A recurring task runs one cycle per year and
 * continues as new between cycles.
 */
export async function assignmentWorkflow(input: AssignmentInput): Promise<AssignmentView> {
  const resolved = resolvePolicy(input.policy);
  const clock = 'policy' in resolved ? resolved.policy.clock : undefined;
  const { planNow, realMs } = runClock(clock, () => new Date());

  // Plan time of the assignment: the import's commit when known, else this start.
  const givenAt = toPlanTime(input.assignedAt ? new Date(input.assignedAt) : new Date(), clock).toISOString();
  const carried: CarriedState = input.carried ?? {
    lifecycle: initialLifecycle(input.agencyCode, input.deadline),
    version: 0,
    assignedAt: givenAt,
    leadSince: givenAt,
    escalationLevel: 0,
    latePeriods: [],
    cycleYear: null,
    cycles: [],
    planFrom: givenAt,
  };
  let lifecycle: LifecycleState = carried.lifecycle;
  let version = carried.version;
  let leadSince = carried.leadSince;
  let escalationLevel = carried.escalationLevel;
  let latePeriods = carried.latePeriods;
  let cycleYear = carried.cycleYear;
  const cycles = carried.cycles;
  const recurring = () => lifecycle.deadline.kind === 'recurring';
  // Report reminders and late marks fall due for every assignment of the plan at the same instant;
  // the plan's workflow (plan-reports.ts) records them for all at once. The assignment takes each
  // one into its own state when it next runs, silently and without a timer of its own.
  const reportTimersByPlan = wf.patched(REPORT_TIMERS_BY_PLAN);
  const firedByPlan = (event: ScheduleEvent) =>
    reportTimersByPlan && (event.kind === 'report-due' || event.kind === 'report-reminder');

  let projectedVersion = version;
  let schedule: PlannedSchedule = { effectiveDue: null, events: [] };
  let replanNeeded = true;
  // The first plan of a run catches up timers due since `planFrom`; later plans look ahead only.
  let planFrom: string | null = carried.planFrom;
  let cycleToAnnounce = carried.startsCycle ?? null;
  const audit: AuditEntry[] = [];
  const notifications: NotificationRecord[] = [];
  const escalationsRaised: EscalationRecord[] = [];

  const effectiveDue = () => schedule.effectiveDue ?? lifecycle.dueOverride ?? lifecycle.deadline.due ?? null;

  /** The plan's report timers that have fired since this workflow last took them in. */
  const planTimersCome = () => schedule.events.filter((e) => firedByPlan(e) && realMs(e.at) <= Date.now());

  /** Late periods, with the plan's late marks not yet taken in; nothing has changed since they fell. */
  const currentLatePeriods = (come = planTimersCome()): string[] => {
    const marked = come.flatMap((e) => {
      const effect = timerEffect(e, { status: lifecycle.status, reports: lifecycle.reports, escalationLevel });
      return effect.fires && effect.markLate && !latePeriods.includes(effect.markLate) ? [effect.markLate] : [];
    });
    return marked.length > 0 ? [...latePeriods, ...marked] : latePeriods;
  };

  /** Takes the plan's fired timers into the state; called before any change, so they meet the state they fell on. */
  const takeInPlanTimers = () => {
    const come = planTimersCome();
    if (come.length === 0) return;
    latePeriods = currentLatePeriods(come);
    schedule = { ...schedule, events: schedule.events.filter((e) => !come.includes(e)) };
  };

  const view = (): AssignmentView => {
    const due = effectiveDue();
    const open =
      lifecycle.status === 'assigned' || lifecycle.status === 'acknowledged' || lifecycle.status === 'in_progress';
    const next = schedule.events.find((e) => realMs(e.at) > Date.now());
    const late = currentLatePeriods();
    return {
      ...lifecycle,
      id: input.assignmentId,
      planId: input.planId,
      planCode: input.planCode,
      taskId: input.taskId,
      taskNumber: input.taskNumber,
      taskTitle: input.taskTitle,
      assignedAt: carried.assignedAt,
      effectiveDue: due,
      overdue: open && due !== null && localDay(planNow()) > due,
      escalationLevel,
      latePeriods: late,
      expectedReports: [
        ...new Set([
          ...lifecycle.reports.map((r) => r.period),
          ...late,
          ...schedule.events.flatMap((e) => (e.kind === 'report-due' ? [e.period] : [])),
        ]),
      ].sort(),
      onTime: completedOnTime(lifecycle, due, (iso) => localDay(new Date(iso))),
      cycle: schedule.cycle
        ? {
            year: schedule.cycle.year,
            start: schedule.cycle.start,
            due: schedule.cycle.due,
            effectiveDue: schedule.cycle.effectiveDue,
          }
        : null,
      cycles,
      nextEvent: next ? { kind: next.kind, at: next.at } : null,
      version,
    };
  };

  const facts = (): AssignmentFacts => ({
    assignmentId: input.assignmentId,
    taskNumber: input.taskNumber,
    taskTitle: input.taskTitle,
    planCode: input.planCode,
    agencyCode: lifecycle.agencyCode,
    collaboratorCodes: input.collaboratorCodes ?? [],
    effectiveDue: effectiveDue(),
  });

  /** One change of the assignment: a new version and its audit entry. */
  const record = (entry: Omit<AuditEntry, 'version' | 'seq' | 'at'>): number => {
    version += 1;
    audit.push({ ...entry, version, seq: 0, at: planNow().toISOString() });
    return version;
  };

  /** What a change tells whom; `key` names each notification so that it is written once. */
  const notify = (drafts: NotificationDraft[], key: (draft: NotificationDraft) => string) => {
    const at = planNow().toISOString();
    for (const draft of drafts) {
      notifications.push({
        dedupeKey: key(draft),
        ...('agencyCode' in draft.recipient
          ? { recipientAgency: draft.recipient.agencyCode }
          : { recipientRole: draft.recipient.role }),
        kind: draft.kind,
        text: draft.text,
        link: draft.link,
        level: draft.level,
        period: draft.period,
        at,
      });
    }
  };

  // Commands' notifications wait for the timers to be re-planned: they quote the new due day.
  const notices: { transition: Transition; before: LifecycleState; facts: AssignmentFacts; version: number }[] = [];

  const decideNow = (request: CommandRequest): Decision =>
    decide(lifecycle, request.command, {
      now: planNow().toISOString(),
      actor: request.actor,
      latePeriods: currentLatePeriods(),
      currentDue: schedule.cycle?.due ?? lifecycle.deadline.due,
    });

  if (!input.carried) {
    record({
      actor: 'system:import',
      action: 'assign',
      fromState: null,
      toState: 'assigned',
      details: { agencyCode: input.agencyCode, deadline: input.deadline },
    });
  }

  wf.setHandler(assignmentQuery, view);

  for (const definition of Object.values(commandUpdates)) {
    wf.setHandler(
      definition as UpdateDefinition<AssignmentView, [CommandRequest]>,
      async (request: CommandRequest) => {
        takeInPlanTimers();
        const decision = decideNow(request);
        if (!decision.ok) throw refusal(decision);
        const before = lifecycle;
        lifecycle = decision.state;
        const { transition } = decision;
        if (transition.action === 'approveExtension' || transition.action === 'setDeadline') escalationLevel = 0;
        if (transition.action === 'reassign') leadSince = planNow().toISOString();
        replanNeeded = true;
        const mine = record({
          actor: actorName(request.actor),
          action: transition.action,
          fromState: transition.from,
          toState: transition.to,
          details: transition.details,
        });
        notices.push({ transition, before, facts: facts(), version: mine });
        await wf.condition(() => projectedVersion >= mine, READ_YOUR_WRITES_WAIT);
        return view();
      },
      {
        validator: (request: CommandRequest) => {
          if (!request?.command || typeof request.command.type !== 'string' || !request.actor?.role) {
            throw wf.ApplicationFailure.create({
              type: COMMAND_REFUSED,
              message: 'Lệnh không hợp lệ.',
              details: ['invalid-input'],
              nonRetryable: true,
            });
          }
          const decision = decideNow(request);
          if (!decision.ok) throw refusal(decision);
        },
      },
    );
  }

  // A revised plan: later timers follow its policy and period, later notices its title. The clock
  // a run started on stays (a simulated one cannot jump mid-run).
  wf.setHandler(
    revisePlanUpdate,
    async ({ actor, revision }: PlanRevisionRequest) => {
      takeInPlanTimers();
      input = {
        ...input,
        policy: keepingRunClock(revision.policy, input.policy),
        planPeriod: revision.planPeriod,
        taskTitle: revision.taskTitle,
        collaboratorCodes: revision.collaboratorCodes,
      };
      // A finished yearly cycle waiting for the next year: that cycle starts with the revision.
      if (isClosed(lifecycle.status)) return view();
      replanNeeded = true;
      const mine = record({
        actor: actorName(actor),
        action: 'revisePlan',
        fromState: lifecycle.status,
        toState: lifecycle.status,
        details: { taskTitle: revision.taskTitle, planPeriod: revision.planPeriod },
      });
      await wf.condition(() => projectedVersion >= mine, READ_YOUR_WRITES_WAIT);
      return view();
    },
    {
      validator: ({ revision }: PlanRevisionRequest) => {
        const resolved = resolvePolicy(revision?.policy);
        if (!revision?.planPeriod || 'errors' in resolved) {
          throw wf.ApplicationFailure.create({
            type: COMMAND_REFUSED,
            message: 'Điều chỉnh kế hoạch không hợp lệ.',
            details: ['invalid-input'],
            nonRetryable: true,
          });
        }
      },
    },
  );

  /** The deadline the timers follow: the plan's reading, or an approved extension's last day. */
  function timedDeadline(): Deadline {
    const d = lifecycle.deadline;
    if (!lifecycle.dueOverride) return d;
    if (d.kind === 'recurring')
      return { kind: 'date', start: schedule.cycle?.start, due: lifecycle.dueOverride, raw: d.raw };
    return { ...d, kind: d.kind === 'range' ? 'range' : 'date', due: lifecycle.dueOverride, milestones: undefined };
  }

  async function replan(): Promise<void> {
    replanNeeded = false;
    if (isClosed(lifecycle.status)) {
      schedule = { ...schedule, events: [] };
      return;
    }
    const planned = await planSchedule({
      deadline: timedDeadline(),
      planPeriod: input.planPeriod,
      policy: input.policy,
      now: planFrom ?? planNow().toISOString(),
      leadSince,
      acknowledged: lifecycle.status !== 'assigned',
      cycleYear: recurring() && !lifecycle.dueOverride ? (cycleYear ?? undefined) : undefined,
    });
    planFrom = null;
    // An extended recurring cycle is planned as a date, but it is still the same cycle.
    schedule =
      planned.cycle || !schedule.cycle
        ? planned
        : {
            ...planned,
            cycle: { ...schedule.cycle, effectiveDue: planned.effectiveDue ?? schedule.cycle.effectiveDue },
          };
    if (recurring() && cycleYear === null) cycleYear = planned.cycle?.year ?? null;
    if (planned.error)
      wf.log.warn('schedule could not be planned', { assignmentId: input.assignmentId, error: planned.error });
  }

  function fire(event: ScheduleEvent): void {
    const effect = timerEffect(event, { status: lifecycle.status, reports: lifecycle.reports, escalationLevel });
    if (!effect.fires) return;
    if (effect.markLate && !latePeriods.includes(effect.markLate)) latePeriods = [...latePeriods, effect.markLate];
    if (effect.escalationLevel) {
      escalationLevel = effect.escalationLevel;
      escalationsRaised.push({
        cycle: cycleYear ?? 0,
        level: effect.escalationLevel,
        agencyCode: lifecycle.agencyCode,
        effectiveDue: effectiveDue(),
        at: planNow().toISOString(),
      });
    }
    const key = timerKey(event);
    record({
      actor: 'system:timer',
      action: event.kind === 'report-due' ? 'report-late' : event.kind,
      fromState: lifecycle.status,
      toState: lifecycle.status,
      details: { ...event },
    });
    notify(notificationsForEvent(event, facts()), (draft) => `${input.assignmentId}:${key}:${recipientKey(draft)}`);
  }

  async function flush(): Promise<void> {
    while (projectedVersion < version) {
      const snapshot = view();
      const write = {
        snapshot,
        audit: audit.splice(0),
        notifications: notifications.splice(0),
        escalations: escalationsRaised.splice(0),
      };
      let written = false;
      if (wf.patched(RECORD_IN_TASK)) {
        try {
          await recordAssignmentInTask(write);
          written = true;
        } catch (error) {
          wf.log.warn('projection failed in the workflow task; retrying as an activity', {
            assignmentId: input.assignmentId,
            error: String(error),
          });
        }
      }
      if (!written) await recordAssignment(write);
      projectedVersion = snapshot.version;
    }
  }

  function carry(overrides: Partial<CarriedState> = {}): CarriedState {
    return {
      lifecycle,
      version,
      assignedAt: carried.assignedAt,
      leadSince,
      escalationLevel,
      latePeriods,
      cycleYear,
      cycles,
      planFrom: planNow().toISOString(),
      startsCycle: undefined,
      ...overrides,
    };
  }

  /** The next cycle of a recurring task, started when its year begins (or now, if that has passed). */
  async function nextCycle(): Promise<never | void> {
    const year = (cycleYear ?? Number(localDay(planNow()).slice(0, 4))) + 1;
    if (year > Number(input.planPeriod.end.slice(0, 4))) return;
    const summary: CycleSummary = {
      year: cycleYear ?? year - 1,
      due: effectiveDue(),
      status: lifecycle.status,
      completedAt: lifecycle.completedAt,
      onTime: completedOnTime(lifecycle, effectiveDue(), (iso) => localDay(new Date(iso))) === true,
      lateReports: latePeriods,
    };
    const startsAt = instantAt(`${year}-01-01`, 0).toISOString();
    const wait = realMs(startsAt) - Date.now();
    if (wait > 0) await wf.sleep(wait);
    await wf.condition(wf.allHandlersFinished);
    const fresh = initialLifecycle(lifecycle.agencyCode, lifecycle.deadline);
    await wf.continueAsNew<typeof assignmentWorkflow>({
      ...input,
      carried: carry({
        // The lead knows the task already; each year's cycle does not need a new acknowledgement.
        lifecycle: {
          ...fresh,
          status: 'acknowledged',
          acknowledgedAt: startsAt,
          agencyHistory: lifecycle.agencyHistory,
        },
        leadSince: startsAt,
        planFrom: startsAt,
        escalationLevel: 0,
        latePeriods: [],
        cycleYear: year,
        startsCycle: year,
        cycles: [...cycles, summary],
      }),
    });
  }

  /**
   * When an unfinished yearly cycle gives way to the next (real milliseconds), or null: from
   * 1 January of the next year, once the cycle's escalation ladder has run its course, so that the
   * plan's later years are chased too. A deliverable awaiting review is decided first.
   */
  function rolloverAt(): number | null {
    if (!recurring() || cycleYear === null || lifecycle.status === 'submitted' || isClosed(lifecycle.status))
      return null;
    if (cycleYear + 1 > Number(input.planPeriod.end.slice(0, 4)) || !wf.patched(CYCLE_ROLLOVER)) return null;
    const newYear = realMs(instantAt(`${cycleYear + 1}-01-01`, 0).toISOString());
    const lastEscalation = schedule.events.filter((e) => e.kind === 'escalation').at(-1);
    return Math.max(newYear, lastEscalation ? realMs(lastEscalation.at) : 0);
  }

  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const tooLong = () => wf.workflowInfo().continueAsNewSuggested || wf.workflowInfo().historyLength > historyLimit;

  for (;;) {
    takeInPlanTimers();
    // Fire every timer whose instant has come, in order (several when the worker was away),
    // before a command's re-plan could drop them.
    while (schedule.events[0] && realMs(schedule.events[0].at) <= Date.now()) {
      fire(schedule.events.shift()!);
    }
    if (replanNeeded) {
      await replan();
      continue;
    }
    if (cycleToAnnounce !== null) {
      const year = cycleToAnnounce;
      cycleToAnnounce = null;
      record({
        actor: 'system:timer',
        action: 'startCycle',
        fromState: null,
        toState: lifecycle.status,
        details: { year, effectiveDue: effectiveDue() },
      });
      notify(
        notificationsForCycle(year, facts()),
        (draft) => `${input.assignmentId}:cycle:${year}:${recipientKey(draft)}`,
      );
    }
    for (const notice of notices.splice(0)) {
      const moved = notice.transition.action === 'approveExtension' || notice.transition.action === 'setDeadline';
      notify(
        notificationsForTransition(
          notice.transition,
          moved ? { ...notice.facts, effectiveDue: effectiveDue() } : notice.facts,
          notice.before,
        ),
        (draft) => `${input.assignmentId}:v${notice.version}:${draft.kind}:${recipientKey(draft)}`,
      );
    }

    if (projectedVersion < version) {
      await flush();
      continue;
    }

    if (isClosed(lifecycle.status)) {
      await wf.condition(wf.allHandlersFinished);
      if (projectedVersion < version) continue;
      if (recurring() && lifecycle.status === 'completed') await nextCycle();
      return view();
    }

    if (tooLong()) {
      await wf.condition(wf.allHandlersFinished);
      if (projectedVersion === version && !replanNeeded) {
        await wf.continueAsNew<typeof assignmentWorkflow>({ ...input, carried: carry() });
      }
      continue;
    }

    const rollover = rolloverAt();
    if (rollover !== null && rollover <= Date.now()) {
      await nextCycle();
      continue;
    }

    const next = schedule.events.find((e) => !firedByPlan(e));
    const wakeAt = Math.min(next ? realMs(next.at) : Infinity, rollover ?? Infinity);
    const wake = () => projectedVersion < version || replanNeeded || isClosed(lifecycle.status);
    if (Number.isFinite(wakeAt)) await wf.condition(wake, Math.max(0, wakeAt - Date.now()));
    else await wf.condition(wake);
  }
}
