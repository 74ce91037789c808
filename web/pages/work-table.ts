import { h } from '../dom.ts';
import { day, statusNames } from '../format.ts';
import { agencyName } from '../names.ts';
import { dueWords } from './cards.ts';
import type { AssignmentSummary } from '../api-types.d.ts';

/**
 * Assignments as compact rows: a table on a desktop; on a phone each row becomes a dense card
 * (style.css `.work-table`), each cell labelled by its column. The task's title opens its page.
 */
export function workTable(
  caption: string,
  items: AssignmentSummary[],
  options: { note?: (a: AssignmentSummary) => string | undefined; agency?: boolean } = {},
) {
  const columns = [
    'Nhiệm vụ',
    'Hạn hoàn thành',
    'Tình trạng',
    ...(options.agency === false ? [] : ['Cơ quan chủ trì']),
  ];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'work-table' },
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          columns.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        null,
        items.map((a) => {
          const note = options.note?.(a);
          return h(
            'tr',
            { class: a.overdue ? 'overdue' : undefined },
            h(
              'td',
              { 'data-label': 'Nhiệm vụ', class: 'task' },
              h('a', { href: `#/nhiem-vu/${encodeURIComponent(a.id)}` }, `${a.task.number}. ${a.task.title}`),
              a.deadline?.raw
                ? h('small', { class: 'plan-deadline' }, ` Thời hạn theo kế hoạch: ${a.deadline.raw}`)
                : null,
              note ? h('small', { class: 'row-note' }, note) : null,
            ),
            h('td', { 'data-label': 'Hạn hoàn thành' }, `${day(a.effectiveDue)} (${dueWords(a)})`),
            h(
              'td',
              { 'data-label': 'Tình trạng' },
              h('span', { class: `badge ${a.status}` }, a.statusLabel ?? statusNames[a.status] ?? a.status),
            ),
            options.agency === false
              ? null
              : h('td', { 'data-label': 'Cơ quan chủ trì' }, agencyName(a.agency, a.agencyCode)),
          );
        }),
      ),
    ),
  );
}
