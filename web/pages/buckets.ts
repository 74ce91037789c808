/**
 * The Government Office's four buckets, as the pages name and colour them. What puts an
 * assignment in a bucket is decided by the server (domain/task-buckets.ts), never here: a page
 * shows the server's counts and lists the server's rows (GET /v1/assignments?bucket=…&asOf=…).
 */

export type Bucket = 'onTime' | 'late' | 'within' | 'overdue';

/** key, name, colour */
export const BUCKETS: [Bucket, string, string][] = [
  ['onTime', 'Hoàn thành đúng hạn', '#2e7d32'],
  ['late', 'Hoàn thành quá hạn', '#f9a825'],
  ['within', 'Chưa hoàn thành – trong hạn', '#1565c0'],
  ['overdue', 'Chưa hoàn thành – quá hạn', '#c62828'],
];
