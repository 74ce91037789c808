// @ts-check
/** The Government Office's four buckets, as a page sorts assignments into them. */

/** @typedef {'onTime' | 'late' | 'within' | 'overdue'} Bucket */

/** @type {[Bucket, string, string][]} key, name, colour */
export const BUCKETS = [
  ['onTime', 'Hoàn thành đúng hạn', '#2e7d32'],
  ['late', 'Hoàn thành quá hạn', '#f9a825'],
  ['within', 'Đang thực hiện trong hạn', '#1565c0'],
  ['overdue', 'Quá hạn chưa hoàn thành', '#c62828'],
];

/** @param {any} a @returns {Bucket | null} null for cancelled work, which counts nowhere */
export function bucketOf(a) {
  if (a.status === 'cancelled') return null;
  if (a.status === 'completed') return a.onTime === false ? 'late' : 'onTime';
  return a.overdue ? 'overdue' : 'within';
}

/** @param {any[]} list */
export function count(list) {
  const counts = { onTime: 0, late: 0, within: 0, overdue: 0, total: 0 };
  for (const a of list) {
    const b = bucketOf(a);
    if (!b) continue;
    counts[b] += 1;
    counts.total += 1;
  }
  const completed = counts.onTime + counts.late;
  const due = completed + counts.overdue;
  return {
    ...counts,
    completionRate: counts.total ? completed / counts.total : null,
    onTimeRate: due ? counts.onTime / due : null,
  };
}

/** The quarter an assignment falls due in: "2026-Q4". @param {any} a */
export function quarterOf(a) {
  if (!a.effectiveDue) return null;
  const [y, m] = a.effectiveDue.split('-').map(Number);
  return `${y}-Q${Math.ceil(m / 3)}`;
}
