import * as wf from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
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
  isWithLead,
  actorName,
  type AssignmentStatus,
  type Decision,
  type LifecycleState,
  type Transition,
} from '../domain/lifecycle.ts';
import {
  notificationsForCycle,
  notificationsForEvent,
  notificationsForTransition,
  type AssignmentFacts,
  type NotificationDraft,
} from '../domain/notifications.ts';
import { resolvePolicy } from '../domain/policy.ts';
import type { ScheduleEvent } from '../domain/schedule.ts';
import { timerEffect, timerKey } from '../domain/timer-effects.ts';
import type { Deadline } from '../domain/types.ts';
import type { assignmentWorkflow } from './assignment.ts';
import {
  COMMAND_REFUSED,
  type AssignmentInput,
  type CarriedState,
  type CommandRequest,
  type PlanRevisionRequest,
} from './messages.ts';
import type { AssignmentView, CommandReceipt, CycleSummary } from '../domain/assignment-view.ts';
import { changeAuditKey, noticeKey } from '../domain/record-keys.ts';
import { UNPROJECTED_PLAN_ATTRIBUTE } from '../domain/search-attributes.ts';

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
/**
 * Runs that record this decide every patch at their start, before any local activity, and take
 * RECORD_IN_TASK and CYCLE_ROLLOVER as applied without their markers. A query that reaches a
 * workflow task before the worker picks it up makes the SDK (1.24.0) complete the task early,
 * possibly right after a local activity; a patch marker recorded after that activity then lies in
 * the next task, where replay, resolving the activity first, does not yet see it (TMPRL1100,
 * test/replay/unreplayable/). A later patch is decided here too: a run keeps what its start decided.
 */
const PATCHES_AT_START = 'patches-decided-at-start';
/** Histories from before the plan fired the shared due reminders and escalations replay with the assignment firing them. */
const DEADLINE_TIMERS_BY_PLAN = 'deadline-timers-by-plan';
/**
 * Runs that record this key the records of a change by the change itself (a command's or a
 * revision's Update id in this run, a timer's event, a cycle's year), not by the version it got.
 * The first write runs inside the workflow task (RECORD_IN_TASK); if that task never completes (the
 * worker dies after the commit), the next task makes the change again, and when it meets the state
 * later (a timer of the plan came in between) the change gets another version: keyed by version, it
 * was written twice, and its first key blocked the record of the change that took its version.
 */
const ROWS_KEYED_BY_CHANGE = 'rows-keyed-by-change';
/**
 * Runs that record this refuse a command that would take the assignment beyond its bounds
 * (domain/assignment-bounds.ts), and once their history is long they turn new commands away
 * ("busy", retried by the caller) until those in flight are written and they continue as new: under
 * a steady stream of commands a run that waited for a quiet moment would never start afresh. Runs
 * from before replay what they did; they take both at their next continue-as-new.
 */
const ASSIGNMENT_BOUNDS = 'assignment-bounds';
/**
 * Runs that record this show, while a change waits to reach the read model (its write in the
 * workflow task failed), their plan's id in a search attribute, which the plan's marks wait on
 * (domain/search-attributes.ts). Runs from before write as they did.
 */
const UNPROJECTED_VISIBLE = 'unprojected-visible';
const unprojectedPlan = defineSearchAttributeKey(UNPROJECTED_PLAN_ATTRIBUTE, SearchAttributeType.KEYWORD);

const { planSchedule } = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

/** How long a command waits for its change to reach the read model before answering anyway. */
const READ_YOUR_WRITES_WAIT = '10 seconds';
const DEFAULT_HISTORY_LIMIT = 10_000;
/** Well below Temporal's 50 MB: a run carries at most its bounded state into the next. */
const DEFAULT_HISTORY_BYTES_LIMIT = 8 * 1024 * 1024;

function refusal(decision: Extract<Decision, { ok: false }>): wf.ApplicationFailure {
  return wf.ApplicationFailure.create({
    type: COMMAND_REFUSED,
    message: decision.reason,
    details: [decision.code],
    nonRetryable: true,
  });
}

/**
 * One run of an assignment workflow (until it completes or continues as new): the assignment's
 * state, what it has yet to project to the read model, and the steps the workflow's handlers and
 * main loop take on it. It issues commands only from its async methods, each awaited by the
 * workflow exactly where the steps used to be inline, so that histories replay unchanged.
 */
export class AssignmentRun {
  private input: AssignmentInput;
  private readonly planNow: () => Date;
  private readonly realMs: (planInstant: string) => number;
  private readonly assignedAt: string;

  private lifecycle: LifecycleState;
  private version: number;
  private leadSince: string;
  private escalationLevel: number;
  private latePeriods: string[];
  private cycleYear: number | null;
  private readonly cycles: CycleSummary[];
  private readonly reportTimersByPlan: boolean;
  private readonly patchesAtStart: boolean;
  private readonly deadlineTimersByPlan: boolean;
  private readonly rowsKeyedByChange: boolean;
  private readonly bounded: boolean;
  private readonly unprojectedVisible: boolean;

  private projectedVersion: number;
  private schedule: PlannedSchedule = { effectiveDue: null, events: [] };
  private replanNeeded = true;
  // The first plan of a run catches up timers due since `planFrom`; later plans look ahead only.
  private planFrom: string | null;
  private cycleToAnnounce: number | null;
  private readonly audit: AuditEntry[] = [];
  private readonly notifications: NotificationRecord[] = [];
  private readonly escalationsRaised: EscalationRecord[] = [];
  // Commands' notifications wait for the timers to be re-planned: they quote the new due day.
  private readonly notices: {
    transition: Transition;
    before: LifecycleState;
    facts: AssignmentFacts;
    /** What names the command's notifications: `v<version>`, or its Update (ROWS_KEYED_BY_CHANGE). */
    key: string;
  }[] = [];
  private readonly historyLimit: number;
  private readonly historyBytesLimit: number;
  private draining = false;
  // A query's own instant (see `viewAsOf`); null in the workflow's steps, which run at the workflow's time.
  private asOf: number | null = null;

  constructor(input: AssignmentInput) {
    this.input = input;
    const resolved = resolvePolicy(input.policy);
    const clock = 'policy' in resolved ? resolved.policy.clock : undefined;
    const { planNow, realMs } = runClock(clock, () => new Date(this.now()));
    this.planNow = planNow;
    this.realMs = realMs;

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
    this.assignedAt = carried.assignedAt;
    this.lifecycle = carried.lifecycle;
    this.version = carried.version;
    this.leadSince = carried.leadSince;
    this.escalationLevel = carried.escalationLevel;
    this.latePeriods = carried.latePeriods;
    this.cycleYear = carried.cycleYear;
    this.cycles = carried.cycles;
    // Report reminders and late marks fall due for every assignment of the plan at the same instant;
    // the plan's workflow (plan-reports.ts) records them for all at once. The assignment takes each
    // one into its own state when it next runs, silently and without a timer of its own.
    this.reportTimersByPlan = wf.patched(REPORT_TIMERS_BY_PLAN);
    this.patchesAtStart = wf.patched(PATCHES_AT_START);
    // Likewise the due reminders and escalations of the task's due day, when the plan's deadline
    // timers were started for this assignment (plan-deadlines.ts; see `sharedByPlan`).
    this.deadlineTimersByPlan = input.deadlineTimersByPlan === true && wf.patched(DEADLINE_TIMERS_BY_PLAN);
    this.rowsKeyedByChange = wf.patched(ROWS_KEYED_BY_CHANGE);
    this.bounded = wf.patched(ASSIGNMENT_BOUNDS);
    this.unprojectedVisible = wf.patched(UNPROJECTED_VISIBLE);

    this.projectedVersion = this.version;
    this.planFrom = carried.planFrom;
    this.cycleToAnnounce = carried.startsCycle ?? null;
    this.historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    this.historyBytesLimit = input.historyBytesLimit ?? DEFAULT_HISTORY_BYTES_LIMIT;

    if (!input.carried || input.carried.completedAtImport) {
      this.record({
        actor: 'system:import',
        action: 'assign',
        fromState: null,
        toState: 'assigned',
        details: { agencyCode: input.agencyCode, deadline: input.deadline },
      });
    }
    // Done before its plan was imported: recorded as completed on its day, and nothing is ever chased.
    const done = input.carried?.completedAtImport;
    if (done) {
      this.record(
        {
          actor: 'system:import',
          action: 'complete-at-import',
          fromState: 'assigned',
          toState: 'completed',
          details: { completedOn: done.completedOn },
        },
        done.at,
      );
    }
  }

  get status(): AssignmentStatus {
    return this.lifecycle.status;
  }

  get closed(): boolean {
    return isClosed(this.lifecycle.status);
  }

  get recurring(): boolean {
    return this.lifecycle.deadline.kind === 'recurring';
  }

  get replanning(): boolean {
    return this.replanNeeded;
  }

  /** Changes recorded but not yet written to the read model. */
  get unprojected(): boolean {
    return this.projectedVersion < this.version;
  }

  /** Every change written and no re-plan pending: nothing would be lost by continuing as new. */
  get settled(): boolean {
    return this.projectedVersion === this.version && !this.replanNeeded;
  }

  /** Something for the main loop to do before the next timer. */
  get hasWork(): boolean {
    return this.projectedVersion < this.version || this.replanNeeded || isClosed(this.lifecycle.status);
  }

  /** A patch from before PATCHES_AT_START: applied in runs that record it, else asked where first needed. */
  private applies(patchId: typeof RECORD_IN_TASK | typeof CYCLE_ROLLOVER): boolean {
    return this.patchesAtStart || wf.patched(patchId);
  }

  private firedByPlan(event: ScheduleEvent): boolean {
    return this.reportTimersByPlan && (event.kind === 'report-due' || event.kind === 'report-reminder');
  }

  private effectiveDue() {
    return this.schedule.effectiveDue ?? this.lifecycle.dueOverride ?? this.lifecycle.deadline.due ?? null;
  }

  /** The plan's report timers that have fired since this workflow last took them in. */
  private planTimersCome(): ScheduleEvent[] {
    return this.schedule.events.filter((e) => this.firedByPlan(e) && this.realMs(e.at) <= this.now());
  }

  /** Late periods, with the plan's late marks not yet taken in; nothing has changed since they fell. */
  private currentLatePeriods(come = this.planTimersCome()): string[] {
    const marked = come.flatMap((e) => {
      const effect = timerEffect(e, {
        status: this.lifecycle.status,
        reports: this.lifecycle.reports,
        escalationLevel: this.escalationLevel,
      });
      return effect.fires && effect.markLate && !this.latePeriods.includes(effect.markLate) ? [effect.markLate] : [];
    });
    return marked.length > 0 ? [...this.latePeriods, ...marked] : this.latePeriods;
  }

  /** Takes the plan's fired timers into the state; called before any change, so they meet the state they fell on. */
  takeInPlanTimers(): void {
    const come = this.planTimersCome();
    if (come.length > 0) {
      this.latePeriods = this.currentLatePeriods(come);
      this.schedule = { ...this.schedule, events: this.schedule.events.filter((e) => !come.includes(e)) };
    }
    this.takeInSharedTimers();
  }

  /** Real time, epoch ms: the workflow's, or a query's when it asks as of a later instant. */
  private now(): number {
    return this.asOf ?? Date.now();
  }

  /**
   * The assignment as the query asks for it, as of `at` (real epoch ms, the caller's clock): a
   * workflow's own clock stands still between its tasks, and the plan's timers do not wake it, so a
   * query that gives its instant sees what they have done since. Never earlier than the workflow's time.
   */
  viewAsOf(at: number | undefined): AssignmentView {
    if (at === undefined || !Number.isFinite(at) || at <= Date.now()) return this.view();
    this.asOf = at;
    try {
      return this.view();
    } finally {
      this.asOf = null;
    }
  }

  view(): AssignmentView {
    const { input, lifecycle, schedule } = this;
    const due = this.effectiveDue();
    const open = isWithLead(lifecycle.status);
    const next = schedule.events.find((e) => this.realMs(e.at) > this.now());
    const late = this.currentLatePeriods();
    return {
      ...lifecycle,
      id: input.assignmentId,
      planId: input.planId,
      planCode: input.planCode,
      taskId: input.taskId,
      taskNumber: input.taskNumber,
      taskTitle: input.taskTitle,
      assignedAt: this.assignedAt,
      effectiveDue: due,
      overdue: open && due !== null && localDay(this.planNow()) > due,
      escalationLevel: this.currentEscalationLevel(),
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
      cycles: this.cycles,
      nextEvent: next ? { kind: next.kind, at: next.at } : null,
      version: this.version,
    };
  }

  private facts(): AssignmentFacts {
    return {
      assignmentId: this.input.assignmentId,
      taskNumber: this.input.taskNumber,
      taskTitle: this.input.taskTitle,
      planCode: this.input.planCode,
      agencyCode: this.lifecycle.agencyCode,
      collaboratorCodes: this.input.collaboratorCodes ?? [],
      effectiveDue: this.effectiveDue(),
    };
  }

  /**
   * The name of the Update being handled, for its records (ROWS_KEYED_BY_CHANGE): the same in every
   * task that applies it, and unique in the run (Temporal applies an Update id once per run).
   */
  private updateKey(): string | undefined {
    const update = this.rowsKeyedByChange ? wf.currentUpdateInfo() : undefined;
    return update ? `u:${wf.workflowInfo().runId}:${update.id}` : undefined;
  }

  /** The audit entry's own key, when the change names its records (else its version does). */
  private auditKey(change: string | undefined): Pick<AuditEntry, 'dedupeKey'> {
    return change ? { dedupeKey: changeAuditKey(this.input.assignmentId, change) } : {};
  }

  /** One change of the assignment: a new version and its audit entry. */
  private record(entry: Omit<AuditEntry, 'version' | 'seq' | 'at'>, at = this.planNow().toISOString()): number {
    this.version += 1;
    this.audit.push({ ...entry, version: this.version, seq: 0, at });
    return this.version;
  }

  /** What a change tells whom; `key` names each notification so that it is written once. */
  private notify(
    drafts: NotificationDraft[],
    key: (draft: NotificationDraft) => string,
    at = this.planNow().toISOString(),
  ): void {
    for (const draft of drafts) {
      this.notifications.push({
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
  }

  /** Whether this run turns commands away while it drains before continuing as new (ASSIGNMENT_BOUNDS). */
  get drains(): boolean {
    return this.bounded;
  }

  /**
   * From now on new commands are turned away until the run continues as new. Decided by the main
   * loop, which runs on events of the history, never by a validator, which runs on none: replay must
   * see the run start draining where it did.
   */
  startDraining(): void {
    this.draining = true;
  }

  /** Refuses a new command while the run drains before continuing as new: the caller tries again in a moment. */
  admit(): void {
    if (this.draining)
      throw wf.ApplicationFailure.create({
        type: COMMAND_REFUSED,
        message: 'Nhiệm vụ đang được lưu gọn lại; vui lòng thử lại sau giây lát.',
        details: ['busy'],
        nonRetryable: true,
      });
  }

  /** The lifecycle's decision on a command in the current state; a refusal is thrown to the caller. */
  allowed(request: CommandRequest): Extract<Decision, { ok: true }> {
    const decision = decide(this.lifecycle, request.command, {
      now: this.planNow().toISOString(),
      actor: request.actor,
      latePeriods: this.currentLatePeriods(),
      currentDue: this.schedule.cycle?.due ?? this.lifecycle.deadline.due,
      bounded: this.bounded,
    });
    if (!decision.ok) throw refusal(decision);
    return decision;
  }

  /** What an Update answers: small and of bounded size, however much the assignment holds. */
  private receipt(version: number): CommandReceipt {
    return {
      id: this.input.assignmentId,
      status: this.lifecycle.status,
      version,
      projected: this.projectedVersion >= version,
    };
  }

  /** A command (the Update handler): applied, recorded, and answered once projected or after a short wait. */
  async applyCommand(request: CommandRequest): Promise<CommandReceipt> {
    const change = this.updateKey();
    this.takeInPlanTimers();
    const decision = this.allowed(request);
    const before = this.lifecycle;
    this.lifecycle = decision.state;
    const { transition } = decision;
    if (transition.action === 'approveExtension' || transition.action === 'setDeadline') this.escalationLevel = 0;
    if (transition.action === 'reassign') this.leadSince = this.planNow().toISOString();
    this.replanNeeded = true;
    const mine = this.record({
      actor: actorName(request.actor),
      action: transition.action,
      fromState: transition.from,
      toState: transition.to,
      details: transition.details,
      ...this.auditKey(change),
    });
    this.notices.push({ transition, before, facts: this.facts(), key: change ?? `v${mine}` });
    await wf.condition(() => this.projectedVersion >= mine, READ_YOUR_WRITES_WAIT);
    return this.receipt(mine);
  }

  /**
   * A revised plan: later timers follow its policy and period, later notices its title. The clock
   * a run started on stays (a simulated one cannot jump mid-run).
   */
  async revisePlan({ actor, revision }: PlanRevisionRequest): Promise<CommandReceipt> {
    const change = this.updateKey();
    this.takeInPlanTimers();
    this.input = {
      ...this.input,
      policy: keepingRunClock(revision.policy, this.input.policy),
      planPeriod: revision.planPeriod,
      taskTitle: revision.taskTitle,
      collaboratorCodes: revision.collaboratorCodes,
    };
    // A finished yearly cycle waiting for the next year: that cycle starts with the revision.
    if (isClosed(this.lifecycle.status)) return this.receipt(this.version);
    this.replanNeeded = true;
    const mine = this.record({
      actor: actorName(actor),
      action: 'revisePlan',
      fromState: this.lifecycle.status,
      toState: this.lifecycle.status,
      details: { taskTitle: revision.taskTitle, planPeriod: revision.planPeriod },
      ...this.auditKey(change),
    });
    await wf.condition(() => this.projectedVersion >= mine, READ_YOUR_WRITES_WAIT);
    return this.receipt(mine);
  }

  /** The calendar data changed: the timers are planned again on it, looking ahead only. */
  calendarChanged(): void {
    if (!isClosed(this.lifecycle.status)) this.replanNeeded = true;
  }

  /** The deadline the timers follow: the plan's reading, or an approved extension's last day. */
  private timedDeadline(): Deadline {
    const d = this.lifecycle.deadline;
    const due = this.lifecycle.dueOverride;
    if (!due) return d;
    if (d.kind === 'recurring') return { kind: 'date', start: this.schedule.cycle?.start, due, raw: d.raw };
    return { ...d, kind: d.kind === 'range' ? 'range' : 'date', due, milestones: undefined };
  }

  async replan(): Promise<void> {
    this.replanNeeded = false;
    if (isClosed(this.lifecycle.status)) {
      this.schedule = { ...this.schedule, events: [] };
      return;
    }
    const planned = await planSchedule({
      deadline: this.timedDeadline(),
      planPeriod: this.input.planPeriod,
      policy: this.input.policy,
      now: this.planFrom ?? this.planNow().toISOString(),
      leadSince: this.leadSince,
      acknowledged: this.lifecycle.status !== 'assigned',
      cycleYear: this.recurring && !this.lifecycle.dueOverride ? (this.cycleYear ?? undefined) : undefined,
      escalationLevel: this.escalationLevel,
    });
    this.planFrom = null;
    // An extended recurring cycle is planned as a date, but it is still the same cycle.
    const { schedule } = this;
    this.schedule =
      planned.cycle || !schedule.cycle
        ? planned
        : {
            ...planned,
            cycle: { ...schedule.cycle, effectiveDue: planned.effectiveDue ?? schedule.cycle.effectiveDue },
          };
    if (this.recurring && this.cycleYear === null) this.cycleYear = planned.cycle?.year ?? null;
    if (planned.error)
      wf.log.warn('schedule could not be planned', { assignmentId: this.input.assignmentId, error: planned.error });
  }

  /**
   * Fires every timer whose instant has come, in order (several when the worker was away), before
   * a command's re-plan could drop them.
   */
  fireDueTimers(): void {
    while (this.schedule.events[0] && this.realMs(this.schedule.events[0].at) <= Date.now()) {
      this.fire(this.schedule.events.shift()!);
    }
  }

  private fire(event: ScheduleEvent): void {
    // A due reminder or escalation is keyed as the plan keys it, and dated at its instant: whichever
    // of the plan and the assignment writes it first, it is written once, the same.
    const shared = this.deadlineTimersByPlan && (event.kind === 'reminder' || event.kind === 'escalation');
    const at = shared ? new Date(event.at).toISOString() : this.planNow().toISOString();
    const effect = timerEffect(event, {
      status: this.lifecycle.status,
      reports: this.lifecycle.reports,
      escalationLevel: this.escalationLevel,
    });
    if (!effect.fires) return;
    if (effect.markLate && !this.latePeriods.includes(effect.markLate))
      this.latePeriods = [...this.latePeriods, effect.markLate];
    if (effect.escalationLevel) {
      this.escalationLevel = effect.escalationLevel;
      this.escalationsRaised.push({
        cycle: this.cycleYear ?? 0,
        level: effect.escalationLevel,
        agencyCode: this.lifecycle.agencyCode,
        effectiveDue: this.effectiveDue(),
        at,
      });
    }
    const key = timerKey(event);
    this.record(
      {
        actor: 'system:timer',
        action: event.kind === 'report-due' ? 'report-late' : event.kind,
        fromState: this.lifecycle.status,
        toState: this.lifecycle.status,
        details: { ...event },
        ...(shared || this.rowsKeyedByChange ? this.auditKey(key) : {}),
      },
      at,
    );
    this.notify(
      notificationsForEvent(event, this.facts()),
      (draft) => noticeKey(this.input.assignmentId, key, draft),
      at,
    );
  }

  /**
   * Whether the plan's deadline timers fire this event (plan-deadlines.ts): a due reminder or a step
   * of the escalation ladder of the task's own due day, for a date or a range. The plan fires every
   * due day of its tasks; an assignment whose due day was moved (an extension, a new deadline) or
   * that is planned after part of its ladder (the catch-up step) keeps timers of its own.
   */
  private sharedByPlan(event: ScheduleEvent): boolean {
    if (!this.deadlineTimersByPlan) return false;
    const { deadline, dueOverride } = this.lifecycle;
    if (deadline.kind !== 'date' && deadline.kind !== 'range') return false;
    const due = dueOverride ?? deadline.due;
    if (!due || due !== this.input.deadline.due) return false;
    if (event.kind === 'reminder') return event.cycle === undefined && event.dueDate === this.schedule.effectiveDue;
    return event.kind === 'escalation' && event.cycle === undefined && !event.catchUp;
  }

  /**
   * Fires the plan's shared timers that have come since this workflow last ran, in order with any
   * timer of its own due before them: the state meets them as it was at their instant (nothing has
   * changed since: every change takes them in first). The plan has written their records already;
   * these writes find them there and add nothing, unless the plan was late.
   */
  private takeInSharedTimers(): void {
    const { events } = this.schedule;
    const last = events.findLastIndex((e) => this.sharedByPlan(e) && this.realMs(e.at) <= Date.now());
    if (last < 0) return;
    for (const event of events.slice(0, last + 1)) this.fire(event);
    this.schedule = { ...this.schedule, events: events.slice(last + 1) };
  }

  /** The escalation level, with the plan's shared escalations not yet taken in. */
  private currentEscalationLevel(): number {
    if (!isWithLead(this.lifecycle.status)) return this.escalationLevel;
    const come = this.schedule.events.filter(
      (e): e is Extract<ScheduleEvent, { kind: 'escalation' }> =>
        e.kind === 'escalation' && this.sharedByPlan(e) && this.realMs(e.at) <= this.now(),
    );
    return Math.max(this.escalationLevel, ...come.map((e) => e.level));
  }

  /** Records the start of a carried-in cycle, and the commands' notices, now that the timers are planned. */
  announce(): void {
    const { assignmentId } = this.input;
    if (this.cycleToAnnounce !== null) {
      const year = this.cycleToAnnounce;
      this.cycleToAnnounce = null;
      this.record({
        actor: 'system:timer',
        action: 'startCycle',
        fromState: null,
        toState: this.lifecycle.status,
        details: { year, effectiveDue: this.effectiveDue() },
        ...(this.rowsKeyedByChange ? this.auditKey(`cycle:${year}`) : {}),
      });
      this.notify(notificationsForCycle(year, this.facts()), (draft) =>
        noticeKey(assignmentId, `cycle:${year}`, draft),
      );
    }
    for (const notice of this.notices.splice(0)) {
      const moved = notice.transition.action === 'approveExtension' || notice.transition.action === 'setDeadline';
      this.notify(
        notificationsForTransition(
          notice.transition,
          moved ? { ...notice.facts, effectiveDue: this.effectiveDue() } : notice.facts,
          notice.before,
        ),
        (draft) => noticeKey(assignmentId, `${notice.key}:${draft.kind}`, draft),
      );
    }
  }

  /** Writes every recorded change to the read model. */
  async flush(): Promise<void> {
    while (this.projectedVersion < this.version) {
      const snapshot = this.view();
      const write = {
        snapshot,
        audit: this.audit.splice(0),
        notifications: this.notifications.splice(0),
        escalations: this.escalationsRaised.splice(0),
      };
      let written = false;
      if (this.applies(RECORD_IN_TASK)) {
        try {
          await recordAssignmentInTask(write);
          written = true;
        } catch (error) {
          wf.log.warn('projection failed in the workflow task; retrying as an activity', {
            assignmentId: this.input.assignmentId,
            error: String(error),
          });
        }
      }
      if (!written) {
        // The plan's marks read the read model: they wait while it lacks a change of ours.
        if (this.unprojectedVisible) wf.upsertSearchAttributes([{ key: unprojectedPlan, value: this.input.planId }]);
        await recordAssignment(write);
        if (this.unprojectedVisible) wf.upsertSearchAttributes([{ key: unprojectedPlan, value: null }]);
      }
      this.projectedVersion = snapshot.version;
    }
  }

  private carry(overrides: Partial<CarriedState> = {}): CarriedState {
    return {
      lifecycle: this.lifecycle,
      version: this.version,
      assignedAt: this.assignedAt,
      leadSince: this.leadSince,
      escalationLevel: this.escalationLevel,
      latePeriods: this.latePeriods,
      cycleYear: this.cycleYear,
      cycles: this.cycles,
      planFrom: this.planNow().toISOString(),
      startsCycle: undefined,
      ...overrides,
    };
  }

  /** The input of the next run when this one continues as new within the same cycle. */
  continuation(): AssignmentInput {
    return { ...this.input, carried: this.carry() };
  }

  /** The next cycle of a recurring task, started when its year begins (or now, if that has passed). */
  async nextCycle(): Promise<never | void> {
    const { lifecycle, cycleYear } = this;
    const year = (cycleYear ?? Number(localDay(this.planNow()).slice(0, 4))) + 1;
    if (year > Number(this.input.planPeriod.end.slice(0, 4))) return;
    const summary: CycleSummary = {
      year: cycleYear ?? year - 1,
      due: this.effectiveDue(),
      status: lifecycle.status,
      completedAt: lifecycle.completedAt,
      onTime: completedOnTime(lifecycle, this.effectiveDue(), (iso) => localDay(new Date(iso))) === true,
      lateReports: this.latePeriods,
    };
    const startsAt = instantAt(`${year}-01-01`, 0).toISOString();
    const wait = this.realMs(startsAt) - Date.now();
    if (wait > 0) await wf.sleep(wait);
    await wf.condition(wf.allHandlersFinished);
    const fresh = initialLifecycle(this.lifecycle.agencyCode, this.lifecycle.deadline);
    await wf.continueAsNew<typeof assignmentWorkflow>({
      ...this.input,
      carried: this.carry({
        // The lead knows the task already; each year's cycle does not need a new acknowledgement.
        lifecycle: {
          ...fresh,
          status: 'acknowledged',
          acknowledgedAt: startsAt,
          agencyHistory: this.lifecycle.agencyHistory,
        },
        leadSince: startsAt,
        planFrom: startsAt,
        escalationLevel: 0,
        latePeriods: [],
        cycleYear: year,
        startsCycle: year,
        cycles: [...this.cycles, summary],
      }),
    });
  }

  /**
   * When an unfinished yearly cycle gives way to the next (real milliseconds), or null: from
   * 1 January of the next year, once the cycle's escalation ladder has run its course, so that the
   * plan's later years are chased too. A deliverable awaiting review is decided first.
   */
  rolloverAt(): number | null {
    const { cycleYear, lifecycle } = this;
    if (!this.recurring || cycleYear === null || lifecycle.status === 'submitted' || isClosed(lifecycle.status))
      return null;
    if (cycleYear + 1 > Number(this.input.planPeriod.end.slice(0, 4)) || !this.applies(CYCLE_ROLLOVER)) return null;
    const newYear = this.realMs(instantAt(`${cycleYear + 1}-01-01`, 0).toISOString());
    const lastEscalation = this.schedule.events.filter((e) => e.kind === 'escalation').at(-1);
    return Math.max(newYear, lastEscalation ? this.realMs(lastEscalation.at) : 0);
  }

  /** The next instant (real milliseconds) the main loop must wake at, or Infinity: the plan fires its own timers. */
  wakeAt(rollover: number | null): number {
    const next = this.schedule.events.find((e) => !this.firedByPlan(e) && !this.sharedByPlan(e));
    return Math.min(next ? this.realMs(next.at) : Infinity, rollover ?? Infinity);
  }

  /** The history has grown enough to start afresh: by events or by bytes, whatever Temporal's own suggestion says. */
  tooLong(): boolean {
    const info = wf.workflowInfo();
    return (
      info.continueAsNewSuggested || info.historyLength > this.historyLimit || info.historySize > this.historyBytesLimit
    );
  }
}
