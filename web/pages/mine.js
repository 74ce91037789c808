// @ts-check
import { all, currentUser } from '../api.js';
import { h, show } from '../dom.js';
import { currentPeriod, daysUntil, periodName } from '../format.js';
import { watchAssignments } from '../live.js';
import { assignmentCard } from './cards.js';

const SOON_DAYS = 30;

/** 'Việc của tôi': open work ordered by urgency — overdue, due soon, report due this period, the rest. */
export async function renderMine() {
  const user = currentUser();
  const period = currentPeriod();
  const [items, owing] = await Promise.all([
    all('/v1/assignments'),
    all(`/v1/assignments?missingReport=${period}`).catch(() => []),
  ]);
  // Only the lead files reports: work the agency helps with never owes one.
  const owesReport = new Set(
    owing.filter((/** @type {any} */ a) => a.agencyCode === user.agencyCode).map((/** @type {any} */ a) => a.id),
  );
  const open = items.filter((/** @type {any} */ a) => a.status !== 'completed' && a.status !== 'cancelled');
  const byDue = (/** @type {any} */ x, /** @type {any} */ y) =>
    (x.effectiveDue ?? '9999').localeCompare(y.effectiveDue ?? '9999');
  const overdue = open.filter((/** @type {any} */ a) => a.overdue).sort(byDue);
  const soon = open
    .filter((/** @type {any} */ a) => !a.overdue && a.effectiveDue && daysUntil(a.effectiveDue) <= SOON_DAYS)
    .sort(byDue);
  const taken = new Set([...overdue, ...soon].map((a) => a.id));
  const report = open.filter((/** @type {any} */ a) => !taken.has(a.id) && owesReport.has(a.id)).sort(byDue);
  for (const a of report) taken.add(a.id);
  const rest = open.filter((/** @type {any} */ a) => !taken.has(a.id)).sort(byDue);
  const done = items.filter((/** @type {any} */ a) => a.status === 'completed' || a.status === 'cancelled');
  const role = (/** @type {any} */ a) =>
    a.agencyCode === user.agencyCode ? undefined : 'Quý cơ quan phối hợp thực hiện.';
  const reportNote = (/** @type {any} */ a) =>
    owesReport.has(a.id) ? `Chưa gửi ${periodName(period).toLowerCase()}.` : role(a);
  /** @param {string} title @param {any[]} list @param {string} empty */
  const group = (title, list, empty) =>
    h(
      'section',
      { 'aria-labelledby': `nhom-${title}` },
      h('h2', { id: `nhom-${title}` }, `${title} (${list.length})`),
      list.length ? list.map((a) => assignmentCard(a, reportNote(a))) : h('p', { class: 'note' }, empty),
    );
  show(
    h('h1', null, 'Việc của tôi'),
    h('p', { class: 'note' }, `Kỳ báo cáo hiện tại: ${periodName(period)}.`),
    group('Quá hạn', overdue, 'Không có việc quá hạn.'),
    group('Sắp đến hạn', soon, `Không có việc đến hạn trong ${SOON_DAYS} ngày tới.`),
    group('Cần báo cáo kỳ này', report, 'Đã gửi đủ báo cáo kỳ này.'),
    group('Việc khác đang thực hiện', rest, 'Không có.'),
    h(
      'details',
      null,
      h('summary', null, `Đã xong (${done.length})`),
      done.map((a) => assignmentCard(a)),
    ),
  );
  watchAssignments(() => void renderMine());
}
