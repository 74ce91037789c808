import { h } from '../dom.ts';
import { day, daysUntil, statusNames } from '../format.ts';
import { agencyName } from '../names.ts';
import type { Assignment, AssignmentSummary } from '../api-types.d.ts';

/** How close the computed due day is, in words. */
export function dueWords(a: AssignmentSummary | Assignment) {
  if (!a.effectiveDue) return 'chưa xác định hạn';
  if (a.status === 'completed' && 'completion' in a && a.completion) return a.completion;
  if (a.status === 'completed' || a.status === 'cancelled') return `hạn ${day(a.effectiveDue)}`;
  const days = daysUntil(a.effectiveDue);
  if (days < 0) return `quá hạn ${-days} ngày`;
  if (days === 0) return 'đến hạn hôm nay';
  return `còn ${days} ngày`;
}

/** One assignment as a card: task, deadline as written and as computed, status. */
export function assignmentCard(a: AssignmentSummary, note?: string) {
  return h(
    'article',
    { class: `card assignment${a.overdue ? ' overdue' : ''}` },
    h('h3', null, h('a', { href: `#/nhiem-vu/${encodeURIComponent(a.id)}` }, `${a.task.number}. ${a.task.title}`)),
    h(
      'dl',
      { class: 'facts inline' },
      h('dt', null, 'Thời hạn theo kế hoạch'),
      h('dd', null, a.deadline.raw || '—'),
      h('dt', null, 'Hạn hoàn thành'),
      h('dd', null, `${day(a.effectiveDue)} (${dueWords(a)})`),
      h('dt', null, 'Tình trạng'),
      h('dd', null, h('span', { class: `badge ${a.status}` }, a.statusLabel ?? statusNames[a.status] ?? a.status)),
      h('dt', null, 'Cơ quan chủ trì'),
      h('dd', null, agencyName(a.agency, a.agencyCode)),
      a.task.area ? [h('dt', null, 'Lĩnh vực'), h('dd', null, a.task.area)] : null,
    ),
    note ? h('p', { class: 'note' }, note) : null,
  );
}
