import { notificationsForEvent } from '../domain/notifications.ts';
import type { ScheduleEvent } from '../domain/schedule.ts';
import { timerEffect, timerKey, type TimerEffect } from '../domain/timer-effects.ts';
import type { Patches } from './assignment-patches.ts';
import { latePeriodsWith, sharedByPlan } from './assignment-plan-timers.ts';
import type { AssignmentRecords } from './assignment-records.ts';
import { effectiveDueOf, factsOf, planTimersCome, type AssignmentState, type RunClock } from './assignment-state.ts';

/**
 * An assignment's timers as they come: its own, fired (their effect on the state and their
 * records), and its plan's, taken in (their effect only: the plan writes their records; runs from
 * before 'plan-marks-before-change' write the due day's records too, keyed as the plan keys them).
 */
export class AssignmentTimers {
  constructor(
    private readonly state: AssignmentState,
    private readonly patches: Patches,
    private readonly clock: RunClock,
    private readonly records: AssignmentRecords,
  ) {}

  /** Takes the plan's fired timers into the state; called before any change, so they meet the state they fell on. */
  takeInPlanTimers(): void {
    const { state } = this;
    const come = planTimersCome(state, this.patches, this.clock);
    if (come.length > 0) {
      state.latePeriods = latePeriodsWith(state, come);
      state.schedule = { ...state.schedule, events: state.schedule.events.filter((e) => !come.includes(e)) };
    }
    // The plan's shared deadline timers that have come since this workflow last ran, in order with
    // any timer of its own due before them: the state meets them as it was at their instant (every
    // change takes them in first).
    const { events } = state.schedule;
    const last = events.findLastIndex(
      (e) => sharedByPlan(this.patches, state, e) && this.clock.realMs(e.at) <= Date.now(),
    );
    if (last < 0) return;
    for (const event of events.slice(0, last + 1))
      if (this.patches.planMarksFirst && sharedByPlan(this.patches, state, event)) this.takeEffect(event);
      else this.fire(event);
    state.schedule = { ...state.schedule, events: events.slice(last + 1) };
  }

  /** Fires every timer whose instant has come, in order (several when the worker was away). */
  fireDue(): void {
    const { events } = this.state.schedule;
    while (events[0] && this.clock.realMs(events[0].at) <= Date.now()) this.fire(events.shift()!);
  }

  /** What a timer does to the state: a late period, an escalation level. */
  private takeEffect(event: ScheduleEvent): TimerEffect {
    const { state } = this;
    const { status, reports } = state.lifecycle;
    const effect = timerEffect(event, { status, reports, escalationLevel: state.escalationLevel });
    if (effect.fires && effect.markLate && !state.latePeriods.includes(effect.markLate))
      state.latePeriods = [...state.latePeriods, effect.markLate];
    if (effect.fires && effect.escalationLevel) state.escalationLevel = effect.escalationLevel;
    return effect;
  }

  /** A timer's effect and its records. */
  private fire(event: ScheduleEvent): void {
    const { state } = this;
    // A due reminder or escalation is keyed as the plan keys it, and dated at its instant: whichever
    // of the plan and the assignment writes it first, it is written once, the same.
    const shared = this.patches.deadlineTimersByPlan && (event.kind === 'reminder' || event.kind === 'escalation');
    const at = shared ? new Date(event.at).toISOString() : this.clock.planNow().toISOString();
    const { status } = state.lifecycle;
    const effect = this.takeEffect(event);
    if (!effect.fires) return;
    if (effect.escalationLevel) {
      const { agencyCode } = state.lifecycle;
      const raised = { level: effect.escalationLevel, agencyCode, effectiveDue: effectiveDueOf(state), at };
      this.records.escalated({ cycle: state.cycleYear ?? 0, ...raised });
    }
    const key = timerKey(event);
    const action = event.kind === 'report-due' ? 'report-late' : event.kind;
    const keyed = shared || this.patches.rowsKeyedByChange ? this.records.keyedBy(key) : {};
    const entry = { actor: 'system:timer', action, fromState: status, toState: status, details: { ...event } };
    this.records.change({ ...entry, ...keyed }, at);
    this.records.notify(notificationsForEvent(event, factsOf(state)), key, at);
  }
}
