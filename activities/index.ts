import { Context } from '@temporalio/activity';
import type { WorkingCalendar } from '../domain/calendar.ts';
import type { Database } from '../db/client.ts';
import { markDeadlines, type MarkDeadlinesInput } from './mark-deadlines.ts';
import { markReports, type MarkReportsInput } from './mark-reports.ts';
import { planMarkedThrough } from './plan-marks.ts';
import {
  planDeadlineTimersOf,
  planReportTimersOf,
  planSchedule,
  type PlanDeadlineTimersInput,
  type PlanReportTimersInput,
  type PlanScheduleInput,
} from './plan-schedule.ts';
import { PROJECTION_WAIT_MS, refuseWhileUnprojected, retriedSoonWhileUnprojected } from './unprojected.ts';
import { recordAssignment, type RecordAssignmentInput } from './record-assignment.ts';
import { findStoppedAssignments, type StoppedAssignmentsInput } from './stopped-assignments.ts';
import { removeOrphanFiles, type OrphanFilesInput } from './orphan-files.ts';
import type { FileStore } from '../services/file-store.ts';
import { sendDelivery, sendDeliveries, type DeliveryDeps } from './delivery.ts';
import { markDeliveryFailed, markDispatched, undispatchedDeliveries } from './delivery-bookkeeping.ts';
import { composeDigests, nextDigest } from './delivery-digests.ts';
import { planDeliveries } from './delivery-planning.ts';

/** How often the housekeeping workflow looks around, and what it removes. */
export interface HousekeepingSettings {
  /** Between two looks for stopped assignments. */
  roundMs: number;
  /** Between two sweeps of files never attached; null: this worker has no file store and sweeps none. */
  filesSweepMs: number | null;
  /** A file this old and never attached is removed. */
  orphanFileAgeMs: number;
}

export const defaultHousekeeping: HousekeepingSettings = {
  roundMs: 60_000,
  filesSweepMs: 60 * 60_000,
  orphanFileAgeMs: 24 * 3_600_000,
};

export interface ActivityDeps {
  db: Database;
  calendar: WorkingCalendar;
  /** The deliverable files' store, for removing files never attached; absent, none are removed. */
  files?: FileStore;
  housekeeping?: Partial<HousekeepingSettings>;
  /** E-mail and webhook delivery; absent, the delivery activities refuse (a worker that delivers nothing). */
  delivery?: Omit<DeliveryDeps, 'db' | 'calendar'>;
}

/**
 * Runs a long activity with a heartbeat every 2 s until it settles, so that Temporal notices a worker
 * that died in the middle (the activity's heartbeat timeout) long before its start-to-close timeout.
 */
async function beating<T>(run: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(), 2_000);
  try {
    return await run();
  } finally {
    clearInterval(timer);
  }
}

/** A warning in the worker's log, through the activity's logger (which names the activity and its workflow). */
function activityWarning(message: string, fields: Record<string, unknown>): void {
  try {
    Context.current().log.warn(message, fields);
  } catch {
    // Called outside an activity (a test calling the function itself): nowhere to log.
  }
}

/**
 * Whether a plan's mark still waits for assignments not yet written to the read model (retried by
 * Temporal meanwhile): for ten minutes after it was first scheduled at most.
 */
function waitsForWrites(): boolean {
  return Date.now() - Context.current().info.scheduledTimestampMs < PROJECTION_WAIT_MS;
}

/** Activities close over their dependencies; the worker builds them once. */
export function createActivities(deps: ActivityDeps) {
  const delivery = (): DeliveryDeps => {
    if (!deps.delivery) throw new Error('this worker was built without delivery (no mailer)');
    return { warn: activityWarning, ...deps.delivery, db: deps.db, calendar: deps.calendar };
  };
  return {
    deliverySettings: async () => delivery().settings,
    planDeliveries: (input: { limit: number }) => planDeliveries(deps.db, input),
    undispatchedDeliveries: (input: { limit: number; afterId?: number }) => undispatchedDeliveries(deps.db, input),
    markDispatched: (input: { ids: number[] }) => markDispatched(deps.db, input),
    sendDelivery: (input: { deliveryId: number }) => sendDelivery(delivery(), input),
    sendDeliveries: (input: { ids: number[] }) =>
      beating(() => sendDeliveries(delivery(), input, Context.current().cancellationSignal)),
    markDeliveryFailed: (input: { deliveryId: number; error: string }) => markDeliveryFailed(deps.db, input),
    composeDigests: (input: { day: string }) => composeDigests(deps, input),
    nextDigest: async (input: { afterMs: number }) => nextDigest(deps.calendar, input, deps.delivery?.settings.clock),
    recordAssignment: (input: RecordAssignmentInput) => recordAssignment(deps.db, input),
    housekeepingSettings: async (): Promise<HousekeepingSettings> => {
      const settings = { ...defaultHousekeeping, ...deps.housekeeping };
      return deps.files ? settings : { ...settings, filesSweepMs: null };
    },
    findStoppedAssignments: (input: StoppedAssignmentsInput) =>
      findStoppedAssignments(deps.db, Context.current().client, input),
    removeOrphanFiles: async (input: OrphanFilesInput) => {
      if (!deps.files) throw new Error('this worker was built without a file store');
      return removeOrphanFiles(deps.db, deps.files, input);
    },
    planSchedule: async (input: PlanScheduleInput) => planSchedule(deps.calendar, input),
    planReportTimers: async (input: PlanReportTimersInput) => planReportTimersOf(deps.calendar, input),
    planDeadlineTimers: async (input: PlanDeadlineTimersInput) => planDeadlineTimersOf(deps.calendar, input),
    markDeadlines: (input: MarkDeadlinesInput) =>
      beating(() =>
        retriedSoonWhileUnprojected(async () => {
          if (waitsForWrites()) await refuseWhileUnprojected(Context.current().client, input.planId, activityWarning);
          return markDeadlines(deps.db, input);
        }),
      ),
    planMarkedThrough: (input: { planId: string }) => planMarkedThrough(deps.db, input),
    markReports: (input: MarkReportsInput) =>
      beating(() =>
        retriedSoonWhileUnprojected(async () => {
          const wait = waitsForWrites();
          if (wait) await refuseWhileUnprojected(Context.current().client, input.planId, activityWarning);
          return markReports(deps.db, input, { waitForProjections: wait });
        }),
      ),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { AuditEntry, EscalationRecord, NotificationRecord, RecordAssignmentInput } from './record-assignment.ts';
export type {
  PlanDeadlineTimersInput,
  PlannedSchedule,
  PlanReportTimersInput,
  PlanScheduleInput,
} from './plan-schedule.ts';
export type { MarkDeadlinesInput } from './mark-deadlines.ts';
export type { MarkReportsInput } from './mark-reports.ts';
export type { DeliverySettings, DeliveryDeps } from './delivery.ts';
