import * as wf from '@temporalio/workflow';
import type { AssignmentView, CommandReceipt } from '../domain/assignment-view.ts';
import { keepingRunClock, runClock, toPlanTime } from '../domain/clock.ts';
import { actorName, decide, isClosed, type AssignmentStatus, type Decision } from '../domain/lifecycle.ts';
import { resolvePolicy } from '../domain/policy.ts';
import type { ScheduleEvent } from '../domain/schedule.ts';
import { continuation, rolloverAt, startNextCycle } from './assignment-cycles.ts';
import { decidePatches, type Patches } from './assignment-patches.ts';
import { planInstantsCome, untilPlanMarked } from './assignment-plan-marks.ts';
import { firedByPlan, latePeriodsWith, sharedByPlan } from './assignment-plan-timers.ts';
import { writeToReadModel } from './assignment-projection.ts';
import { AssignmentRecords } from './assignment-records.ts';
import { AssignmentTimers } from './assignment-timers.ts';
import { planTimers } from './assignment-schedule.ts';
import { planTimersCome, startingState, viewOf } from './assignment-state.ts';
import type { AssignmentState, RunClock } from './assignment-state.ts';
import { COMMAND_REFUSED, type AssignmentInput, type CommandRequest, type PlanRevisionRequest } from './messages.ts';

/** How long a command waits for its change to reach the read model before answering anyway. */
const READ_YOUR_WRITES_WAIT = '10 seconds';
const DEFAULT_HISTORY_LIMIT = 10_000;
/** Well below Temporal's 50 MB: a run carries at most its bounded state into the next. */
const DEFAULT_HISTORY_BYTES_LIMIT = 8 * 1024 * 1024;

function refused(code: string, message: string): wf.ApplicationFailure {
  return wf.ApplicationFailure.create({ type: COMMAND_REFUSED, message, details: [code], nonRetryable: true });
}

/**
 * One run of an assignment workflow (until it completes or continues as new): the assignment's
 * state, what it has yet to project to the read model, and the steps the workflow's handlers and
 * main loop take on it. It issues commands only from its async methods, each awaited by the
 * workflow exactly where the steps used to be inline, so that histories replay unchanged. What its
 * history decided (the patches) is in `assignment-patches.ts`, the state and its view in
 * `assignment-state.ts`, the plan's timers in `assignment-plan-timers.ts`, the cycles in
 * `assignment-cycles.ts`, the write to the read model in `assignment-projection.ts`.
 */
export class AssignmentRun {
  private readonly state: AssignmentState;
  private readonly clock: RunClock;
  private readonly patches: Patches;
  private readonly records: AssignmentRecords;
  private readonly timers: AssignmentTimers;
  private projectedVersion: number;
  private replanNeeded = true;
  // The first plan of a run catches up timers due since `planFrom`; later plans look ahead only.
  private planFrom: string | null;
  private cycleToAnnounce: number | null;
  private readonly historyLimit: number;
  private readonly historyBytesLimit: number;
  private draining = false;
  /** A query's instant (real epoch ms) while it is being answered. */
  private asOf: number | null = null;

  constructor(input: AssignmentInput) {
    const resolved = resolvePolicy(input.policy);
    const policyClock = 'policy' in resolved ? resolved.policy.clock : undefined;
    const { planNow, realMs } = runClock(policyClock, () => new Date(this.clock.now()));
    this.clock = { planNow, realMs, now: () => this.asOf ?? Date.now() };

    // Plan time of the assignment: the import's commit when known, else this start.
    const givenAt = toPlanTime(input.assignedAt ? new Date(input.assignedAt) : new Date(), policyClock).toISOString();
    const { planFrom, ...state } = startingState(input, givenAt);
    this.state = state;
    // Report reminders and late marks, and the due reminders and escalations of the task's due day,
    // are fired by the plan's workflows for all its assignments (plan-reports.ts, plan-deadlines.ts).
    this.patches = decidePatches(input.deadlineTimersByPlan === true);
    this.records = new AssignmentRecords(state, this.patches, this.clock);
    this.timers = new AssignmentTimers(state, this.patches, this.clock, this.records);
    this.projectedVersion = state.version;
    this.planFrom = planFrom;
    this.cycleToAnnounce = input.carried?.startsCycle ?? null;
    this.historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    this.historyBytesLimit = input.historyBytesLimit ?? DEFAULT_HISTORY_BYTES_LIMIT;

    if (!input.carried || input.carried.completedAtImport) {
      const details = { agencyCode: input.agencyCode, deadline: input.deadline };
      this.records.change({ actor: 'system:import', action: 'assign', fromState: null, toState: 'assigned', details });
    }
    // Done before its plan was imported: recorded as completed on its day, and nothing is ever chased.
    const done = input.carried?.completedAtImport;
    if (done) {
      const details = { completedOn: done.completedOn };
      const entry = { actor: 'system:import', action: 'complete-at-import', fromState: 'assigned', details };
      this.records.change({ ...entry, toState: 'completed' }, done.at);
    }
  }

  get status(): AssignmentStatus {
    return this.state.lifecycle.status;
  }

  get closed(): boolean {
    return isClosed(this.status);
  }

  get recurring(): boolean {
    return this.state.lifecycle.deadline.kind === 'recurring';
  }

  get replanning(): boolean {
    return this.replanNeeded;
  }

  /** Changes recorded but not yet written to the read model. */
  get unprojected(): boolean {
    return this.projectedVersion < this.state.version;
  }

  /** Every change written and no re-plan pending: nothing would be lost by continuing as new. */
  get settled(): boolean {
    return !this.unprojected && !this.replanNeeded;
  }

  /** Something for the main loop to do before the next timer. */
  get hasWork(): boolean {
    return this.unprojected || this.replanNeeded || this.closed;
  }

  /** Whether this run turns commands away while it drains before continuing as new (bounded runs). */
  get drains(): boolean {
    return this.patches.bounded;
  }

  /** Takes the plan's fired timers into the state; called before any change, so they meet the state they fell on. */
  takeInPlanTimers(): void {
    this.timers.takeInPlanTimers();
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
    return viewOf(this.state, this.patches, this.clock);
  }

  /** The name of the Update being handled, for its records: the same in every task that applies it, unique in the run. */
  private updateKey(): string | undefined {
    const update = this.patches.rowsKeyedByChange ? wf.currentUpdateInfo() : undefined;
    return update ? `u:${wf.workflowInfo().runId}:${update.id}` : undefined;
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
    if (this.draining) throw refused('busy', 'Nhiệm vụ đang được lưu gọn lại; vui lòng thử lại sau giây lát.');
  }

  /** The lifecycle's decision on a command in the current state; a refusal is thrown to the caller. */
  allowed(request: CommandRequest): Extract<Decision, { ok: true }> {
    const { state } = this;
    const decision = decide(state.lifecycle, request.command, {
      now: this.clock.planNow().toISOString(),
      actor: request.actor,
      latePeriods: latePeriodsWith(state, planTimersCome(state, this.patches, this.clock)),
      currentDue: state.schedule.cycle?.due ?? state.lifecycle.deadline.due,
      bounded: this.patches.bounded,
    });
    if (!decision.ok) throw refused(decision.code, decision.reason);
    return decision;
  }

  /** What an Update answers: small and of bounded size, however much the assignment holds. */
  private receipt(version: number): CommandReceipt {
    const projected = this.projectedVersion >= version;
    return { id: this.state.input.assignmentId, status: this.status, version, projected };
  }

  /** Whether one of the plan's instants has come and waits for the plan's mark before anything changes. */
  get waitsForPlan(): boolean {
    return planInstantsCome(this.state, this.patches, this.clock).length > 0;
  }

  /** The main loop's wait for the plan's marks: its own changes are written first, as the marks wait for them. */
  async awaitPlanMarks(): Promise<void> {
    await this.flush();
    await untilPlanMarked(this.state, this.patches, this.clock);
  }

  /** A command (the Update handler): applied, recorded, and answered once projected or after a short wait. */
  async applyCommand(request: CommandRequest): Promise<CommandReceipt> {
    const change = this.updateKey();
    if (this.waitsForPlan) await untilPlanMarked(this.state, this.patches, this.clock);
    this.takeInPlanTimers();
    const decision = this.allowed(request);
    const { state } = this;
    const before = state.lifecycle;
    state.lifecycle = decision.state;
    const { transition } = decision;
    if (transition.action === 'approveExtension' || transition.action === 'setDeadline') state.escalationLevel = 0;
    if (transition.action === 'reassign') state.leadSince = this.clock.planNow().toISOString();
    this.replanNeeded = true;
    const entry = { actor: actorName(request.actor), action: transition.action, details: transition.details };
    const mine = this.records.command(
      { ...entry, fromState: transition.from, toState: transition.to },
      transition,
      before,
      change,
    );
    await wf.condition(() => this.projectedVersion >= mine, READ_YOUR_WRITES_WAIT);
    return this.receipt(mine);
  }

  /**
   * A revised plan: later timers follow its policy and period, later notices its title. The clock
   * a run started on stays (a simulated one cannot jump mid-run).
   */
  async revisePlan({ actor, revision }: PlanRevisionRequest): Promise<CommandReceipt> {
    const change = this.updateKey();
    if (this.waitsForPlan) await untilPlanMarked(this.state, this.patches, this.clock);
    this.takeInPlanTimers();
    const { state } = this;
    state.input = {
      ...state.input,
      policy: keepingRunClock(revision.policy, state.input.policy),
      planPeriod: revision.planPeriod,
      taskTitle: revision.taskTitle,
      collaboratorCodes: revision.collaboratorCodes,
    };
    // A finished yearly cycle waiting for the next year: that cycle starts with the revision.
    if (this.closed) return this.receipt(state.version);
    this.replanNeeded = true;
    const mine = this.records.change({
      actor: actorName(actor),
      action: 'revisePlan',
      fromState: this.status,
      toState: this.status,
      details: { taskTitle: revision.taskTitle, planPeriod: revision.planPeriod },
      ...this.records.keyedBy(change),
    });
    await wf.condition(() => this.projectedVersion >= mine, READ_YOUR_WRITES_WAIT);
    return this.receipt(mine);
  }

  /** The calendar data changed: the timers are planned again on it, looking ahead only. */
  calendarChanged(): void {
    if (!this.closed) this.replanNeeded = true;
  }

  async replan(): Promise<void> {
    this.replanNeeded = false;
    if (this.closed) {
      this.state.schedule = { ...this.state.schedule, events: [] };
      return;
    }
    const from = this.planFrom ?? this.clock.planNow().toISOString();
    await planTimers(this.state, from);
    this.planFrom = null;
  }

  /**
   * Fires every timer whose instant has come, in order (several when the worker was away), before
   * a command's re-plan could drop them.
   */
  fireDueTimers(): void {
    this.timers.fireDue();
  }

  /** Records the start of a carried-in cycle, and the commands' notices, now that the timers are planned. */
  announce(): void {
    this.records.announce(this.cycleToAnnounce);
    this.cycleToAnnounce = null;
  }

  /** Writes every recorded change to the read model. */
  async flush(): Promise<void> {
    while (this.unprojected) {
      // Runs that wait for the plan's marks write only what they have taken in: an instant the plan
      // has yet to mark is the plan's to write (its level in the read model would turn the mark away).
      const snapshot = viewOf(this.state, this.patches, this.clock, !this.patches.planMarksFirst);
      await writeToReadModel(this.records.take(snapshot), this.patches, this.state.input.planId);
      this.projectedVersion = snapshot.version;
    }
  }

  /** The input of the next run when this one continues as new within the same cycle. */
  continuation(): AssignmentInput {
    return continuation(this.state, this.clock);
  }

  /** The next cycle of a recurring task, started when its year begins (or now, if that has passed). */
  nextCycle(): Promise<never | void> {
    return startNextCycle(this.state, this.clock);
  }

  /** When an unfinished yearly cycle gives way to the next (real milliseconds), or null (assignment-cycles.ts). */
  rolloverAt(): number | null {
    return rolloverAt(this.state, this.patches, this.clock);
  }

  /** The next instant (real milliseconds) the main loop must wake at, or Infinity: the plan fires its own timers. */
  wakeAt(rollover: number | null): number {
    const own = (e: ScheduleEvent) => !firedByPlan(this.patches, e) && !sharedByPlan(this.patches, this.state, e);
    const next = this.state.schedule.events.find(own);
    return Math.min(next ? this.clock.realMs(next.at) : Infinity, rollover ?? Infinity);
  }

  /** The history has grown enough to start afresh: by events or by bytes, whatever Temporal's own suggestion says. */
  tooLong(): boolean {
    const info = wf.workflowInfo();
    return (
      info.continueAsNewSuggested || info.historyLength > this.historyLimit || info.historySize > this.historyBytesLimit
    );
  }
}
