/**
 * The search attribute (a Keyword) an assignment workflow sets to its plan's id while a change of
 * it waits to reach the read model — its write inside the workflow task failed, the database being
 * away — and clears once written. The plan's marks (late reports, due reminders, escalations) read
 * the read model, so they wait while any assignment of the plan is in that state: a report the
 * workflow accepted in time but not yet written is not told late (RELIABILITY.md, finding 7).
 */
export const UNPROJECTED_PLAN_ATTRIBUTE = 'DondocUnprojectedPlan';

/** Every search attribute a namespace serving Đôn đốc must define, with its type. */
export const SEARCH_ATTRIBUTES = { [UNPROJECTED_PLAN_ATTRIBUTE]: 'Keyword' } as const;
