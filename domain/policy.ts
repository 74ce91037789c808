import type { SimulatedClock } from './clock.ts';
import { reportKinds } from './report-periods.ts';
import type { ReportPolicy } from './report-periods.ts';

// A plan's policy: every offset and rule the timers use. A plan may override any
// field with a partial JSON object; the rest comes from the defaults below.

export interface EscalationStep {
  level: number;
  /** Fires at the policy's hour on this many working days after the (effective) due day; 1 is the first working day after it. */
  afterWorkingDays: number;
}

export interface PlanPolicy extends ReportPolicy {
  /** Due reminders, in working days before the due day. */
  dueReminderWorkingDays: number[];
  /** Report reminders, in working days before each report's last permissible day. */
  reportReminderWorkingDays: number[];
  escalation: EscalationStep[];
  /** An unacknowledged assignment is chased at the policy's hour on this working day after assignment. */
  ackChaseWorkingDays: number;
  /** Local hour (0–23) at which every timer fires. */
  fireHour: number;
  /** Run the plan on a simulated clock (tests, training); absent means real time. */
  clock?: SimulatedClock;
}

/** What a plan stores: the fields it sets differently from the defaults (resolvePolicy checks them). */
export type PolicyOverrides = Partial<PlanPolicy>;

export interface PolicyError {
  /** Path of the offending field, e.g. "escalation[1].afterWorkingDays"; empty for the whole object. */
  field: string;
  message: string;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

// Frozen because every plan without its own policy shares this one object.
export const defaultPolicy: PlanPolicy = deepFreeze({
  dueReminderWorkingDays: [30, 7, 1],
  reportReminderWorkingDays: [7, 1],
  reportDueRule: 'before-20th',
  reports: ['Q1', 'H1', 'Q3', 'Y'],
  escalation: [
    { level: 1, afterWorkingDays: 1 },
    { level: 2, afterWorkingDays: 5 },
    { level: 3, afterWorkingDays: 15 },
  ],
  ackChaseWorkingDays: 3,
  shiftDeadlineToWorkingDay: true,
  fireHour: 8,
});

/** Keeps loops over working days bounded: about four years of working days. */
export const maxWorkingDays = 1000;

type Check = (value: unknown, field: string) => PolicyError[];

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= maxWorkingDays;

const workingDayCount: Check = (value, field) =>
  isCount(value) ? [] : [{ field, message: `phải là số ngày làm việc nguyên, từ 1 đến ${maxWorkingDays}` }];

const workingDayList: Check = (value, field) => {
  if (!Array.isArray(value)) return [{ field, message: 'phải là một mảng các số ngày làm việc' }];
  const errors = value.flatMap((item: unknown, i) => workingDayCount(item, `${field}[${i}]`));
  value.forEach((item: unknown, i) => {
    if (isCount(item) && value.indexOf(item) < i)
      errors.push({ field: `${field}[${i}]`, message: `${item} bị lặp lại` });
  });
  return errors;
};

const oneOf =
  (allowed: readonly string[]): Check =>
  (value, field) =>
    typeof value === 'string' && allowed.includes(value)
      ? []
      : [{ field, message: `phải là một trong ${allowed.map((a) => `"${a}"`).join(', ')}` }];

const reportList: Check = (value, field) => {
  if (!Array.isArray(value))
    return [{ field, message: `phải là một mảng gồm ${reportKinds.map((k) => `"${k}"`).join(', ')}` }];
  const errors = value.flatMap((item: unknown, i) => oneOf(reportKinds)(item, `${field}[${i}]`));
  value.forEach((item: unknown, i) => {
    if (value.indexOf(item) < i)
      errors.push({ field: `${field}[${i}]`, message: `${JSON.stringify(item)} bị lặp lại` });
  });
  return errors;
};

const escalationLadder: Check = (value, field) => {
  if (!Array.isArray(value)) return [{ field, message: 'phải là một mảng các { level, afterWorkingDays }' }];
  const errors: PolicyError[] = [];
  value.forEach((step: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!isRecord(step)) {
      errors.push({ field: at, message: 'phải là một đối tượng { level, afterWorkingDays }' });
      return;
    }
    for (const key of Object.keys(step)) {
      if (key !== 'level' && key !== 'afterWorkingDays')
        errors.push({ field: `${at}.${key}`, message: 'trường không được hỗ trợ' });
    }
    if (typeof step.level !== 'number' || !Number.isInteger(step.level) || step.level < 1) {
      errors.push({ field: `${at}.level`, message: 'phải là số nguyên từ 1 trở lên' });
    }
    errors.push(...workingDayCount(step.afterWorkingDays, `${at}.afterWorkingDays`));
    // Steps must climb: a higher level later than the one before it.
    const previous: unknown = value[i - 1];
    if (i > 0 && isRecord(previous)) {
      if (typeof step.level === 'number' && typeof previous.level === 'number' && step.level <= previous.level) {
        errors.push({
          field: `${at}.level`,
          message: `phải lớn hơn ${field}[${i - 1}].level (${previous.level})`,
        });
      }
      if (
        isCount(step.afterWorkingDays) &&
        isCount(previous.afterWorkingDays) &&
        step.afterWorkingDays <= previous.afterWorkingDays
      ) {
        errors.push({
          field: `${at}.afterWorkingDays`,
          message: `phải lớn hơn ${field}[${i - 1}].afterWorkingDays (${previous.afterWorkingDays})`,
        });
      }
    }
  });
  return errors;
};

function simulatedClock(value: unknown, field: string): PolicyError[] {
  if (!isRecord(value)) return [{ field, message: 'phải là một đối tượng { secondsPerDay, virtualStart, realStart }' }];
  const errors: PolicyError[] = [];
  for (const key of Object.keys(value)) {
    if (!['secondsPerDay', 'virtualStart', 'realStart'].includes(key))
      errors.push({ field: `${field}.${key}`, message: 'trường không được hỗ trợ' });
  }
  if (typeof value.secondsPerDay !== 'number' || !(value.secondsPerDay > 0)) {
    errors.push({ field: `${field}.secondsPerDay`, message: 'phải là số giây dương' });
  }
  for (const key of ['virtualStart', 'realStart'] as const) {
    if (typeof value[key] !== 'string' || Number.isNaN(Date.parse(value[key])))
      errors.push({ field: `${field}.${key}`, message: 'phải là một thời điểm theo ISO 8601' });
  }
  return errors;
}

// One check per field: the mapped type makes a new PlanPolicy field fail to compile until it has one.
const checks: { [K in keyof PlanPolicy]-?: Check } = {
  dueReminderWorkingDays: workingDayList,
  reportReminderWorkingDays: workingDayList,
  reportDueRule: oneOf(['before-20th', 'no-later-than-20th']),
  reports: reportList,
  escalation: escalationLadder,
  ackChaseWorkingDays: workingDayCount,
  shiftDeadlineToWorkingDay: (value, field) =>
    typeof value === 'boolean' ? [] : [{ field, message: 'phải là true hoặc false' }],
  fireHour: (value, field) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 23
      ? []
      : [{ field, message: 'phải là giờ nguyên, từ 0 đến 23' }],
  clock: simulatedClock,
};

/**
 * Merges a partial policy (parsed JSON) over the defaults. A field given replaces the default
 * whole (arrays are not merged item by item). Unknown fields are refused, since a misspelt field
 * would otherwise be silently ignored. undefined or null means "all defaults".
 */
export function resolvePolicy(partial: unknown): { policy: PlanPolicy } | { errors: PolicyError[] } {
  if (partial === undefined || partial === null) return { policy: copy(defaultPolicy) };
  if (!isRecord(partial)) return { errors: [{ field: '', message: 'chính sách phải là một đối tượng JSON' }] };
  const errors: PolicyError[] = [];
  for (const [field, value] of Object.entries(partial)) {
    const check = Object.hasOwn(checks, field) ? checks[field as keyof PlanPolicy] : undefined;
    if (!check) errors.push({ field, message: 'trường không được hỗ trợ' });
    else errors.push(...check(value, field));
  }
  if (errors.length > 0) return { errors };
  return { policy: copy({ ...defaultPolicy, ...partial } as PlanPolicy) };
}

// A policy is plain JSON data; copying through JSON also works inside Temporal's workflow sandbox.
function copy(policy: PlanPolicy): PlanPolicy {
  return JSON.parse(JSON.stringify(policy)) as PlanPolicy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
