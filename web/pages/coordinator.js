// @ts-check
import { all } from '../api.js';
import { h, show } from '../dom.js';
import { watchAssignments } from '../live.js';
import { assignmentCard } from './cards.js';

/** The coordinator's desk: deliverables waiting for review, then overdue work. */
export async function renderCoordinator() {
  const [submitted, overdue] = await Promise.all([
    all('/v1/assignments?status=submitted'),
    all('/v1/assignments?overdue=true', 200),
  ]);
  show(
    h('h1', null, 'Điều phối'),
    h(
      'section',
      { 'aria-labelledby': 'cho-duyet' },
      h('h2', { id: 'cho-duyet' }, `Sản phẩm chờ xem xét (${submitted.length})`),
      submitted.length
        ? submitted.map((/** @type {any} */ a) => assignmentCard(a, 'Mở để xem tệp, chấp nhận hoặc trả lại.'))
        : h('p', { class: 'note' }, 'Không có sản phẩm nào đang chờ.'),
    ),
    h(
      'section',
      { 'aria-labelledby': 'qua-han' },
      h('h2', { id: 'qua-han' }, `Nhiệm vụ quá hạn (${overdue.length})`),
      overdue.length
        ? overdue.slice(0, 50).map((/** @type {any} */ a) => assignmentCard(a))
        : h('p', { class: 'note' }, 'Không có nhiệm vụ quá hạn.'),
    ),
    h(
      'p',
      null,
      h(
        'a',
        { href: '/v1/reports/periodic?format=xlsx&period=' + new Date().getFullYear() + '-Y' },
        'Tải báo cáo định kỳ năm (XLSX)',
      ),
      ' · ',
      h('a', { href: '/v1/reports/periodic?format=csv&period=' + new Date().getFullYear() + '-Y' }, 'CSV'),
    ),
  );
  watchAssignments(() => void renderCoordinator());
}
