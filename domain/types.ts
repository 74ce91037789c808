/** A local calendar day in Asia/Ho_Chi_Minh, written YYYY-MM-DD. */
export type IsoDate = string;

/** How a task's deadline text was understood. */
export type DeadlineKind = 'date' | 'range' | 'recurring' | 'continuous' | 'unresolved';

export interface Recurrence {
  /** Only yearly cycles occur in the plans we have seen. */
  every: 'year';
  /** Month (1–12) whose last day is each cycle's due day; absent means the year's last day. */
  month?: number;
  /** Day of that month when the text names one; absent means the month's last day. */
  day?: number;
}

export interface Deadline {
  kind: DeadlineKind;
  /** First day of the work, when the text gives one (ranges). */
  start?: IsoDate;
  /** Last permissible day (before any working-day shift). */
  due?: IsoDate;
  recurrence?: Recurrence;
  /** Every last permissible day when the text lists several ("Quý 4/2023, Quý 4/2025"); `due` is the latest. */
  milestones?: IsoDate[];
  /** The text exactly as written in the plan. */
  raw: string;
}
