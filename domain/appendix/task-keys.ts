// A task's key is its identity in its plan: revisions match tasks by it and assignment ids carry
// it. When the plan's numbers are unique across the whole table (global or hierarchical
// numbering: 8, 9 … or 1.1, 5.1.5) the key is the number, so plans imported before sections
// counted keep their ids. When numbering restarts in each section (I: 1, 2; II: 1, 2) every key
// is "<section>.<number>" (II.1), and a number is a duplicate only within its section.

export interface NumberedTask {
  /** The number as written. */
  number: string;
  /** The section the task sits in ("II", "A", "A.II" when sections nest), or null before any. */
  section: string | null;
}

export interface TaskKeys {
  keys: string[];
  /** Tasks whose key an earlier task already has: its index, and the earlier one's. */
  duplicates: { index: number; previous: number }[];
}

/** The key of a task in a plan whose numbering restarts in each section: "II.1". */
export function sectionKey(task: NumberedTask): string {
  return task.section ? `${task.section}.${task.number}` : task.number;
}

export function taskKeys(tasks: readonly NumberedTask[]): TaskKeys {
  const numbers = new Set(tasks.map((t) => t.number));
  const restarts = numbers.size < tasks.length;
  const keys = tasks.map((t) => (restarts ? sectionKey(t) : t.number));
  const first = new Map<string, number>();
  const duplicates: TaskKeys['duplicates'] = [];
  keys.forEach((key, index) => {
    const previous = first.get(key);
    if (previous === undefined) first.set(key, index);
    else duplicates.push({ index, previous });
  });
  return { keys, duplicates };
}
