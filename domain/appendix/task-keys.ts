// A task's key is its identity in its plan: revisions match tasks by it and assignment ids carry
// it. When the plan's numbers are unique across its sections (global or hierarchical numbering:
// 8, 9 … or 1.1, 5.1.5) the key is the number, so plans imported before sections counted keep
// their ids. When numbering restarts in each section (I: 1, 2; II: 1, 2) every key is
// "<section>.<number>" (II.1). A task without a number is keyed by its place: after the numbered
// task before it in its section ("II.3+1", the first unnumbered row after 3). A key repeated within
// a section (a number written twice) is told apart by its order: "II.2~2".

export interface NumberedTask {
  /** The number as written; empty for an unnumbered task. */
  number: string;
  /** The section the task sits in ("II", "A", "A.II" when sections nest), or null before any. */
  section: string | null;
  /** An unnumbered task's place: the number before it and its count since ("3+1"). */
  position?: string;
}

export interface TaskKeys {
  keys: string[];
  /** Tasks whose key an earlier task already has: its index, and the earlier one's. */
  duplicates: { index: number; previous: number }[];
}

/** The key of a task in a plan whose numbering restarts in each section: "II.1". */
export function sectionKey(task: NumberedTask): string {
  const base = task.position ?? task.number;
  return task.section ? `${task.section}.${base}` : base;
}

export function taskKeys(tasks: readonly NumberedTask[]): TaskKeys {
  // Numbering restarts when a number appears in two sections; a number twice in one section is a slip.
  const sectionsOf = new Map<string, Set<string | null>>();
  for (const task of tasks) {
    if (task.position !== undefined) continue;
    const sections = sectionsOf.get(task.number) ?? new Set<string | null>();
    sections.add(task.section);
    sectionsOf.set(task.number, sections);
  }
  const restarts = [...sectionsOf.values()].some((sections) => sections.size > 1);
  const keys: string[] = [];
  const first = new Map<string, number>();
  const seen = new Map<string, number>();
  const duplicates: TaskKeys['duplicates'] = [];
  tasks.forEach((task, index) => {
    const base = restarts || task.position !== undefined ? sectionKey(task) : task.number;
    const previous = first.get(base);
    if (previous === undefined) {
      first.set(base, index);
      seen.set(base, 1);
      keys.push(base);
      return;
    }
    let n = (seen.get(base) ?? 1) + 1;
    while (first.has(`${base}~${n}`)) n++;
    seen.set(base, n);
    const key = `${base}~${n}`;
    first.set(key, index);
    keys.push(key);
    duplicates.push({ index, previous });
  });
  return { keys, duplicates };
}
