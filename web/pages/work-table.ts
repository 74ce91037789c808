import { h } from '../dom.ts';
import { day, statusNames } from '../format.ts';
import { agencyName } from '../names.ts';
import { dueWords } from './cards.ts';
import { dataTable, type Column } from '../components/table.ts';
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
  const columns: Column<AssignmentSummary>[] = [
    {
      header: 'Nhiệm vụ',
      className: 'task',
      cell: (a) => {
        const note = options.note?.(a);
        return [
          h('a', { href: `#/nhiem-vu/${encodeURIComponent(a.id)}` }, `${a.task.number}. ${a.task.title}`),
          a.deadline?.raw ? h('small', { class: 'plan-deadline' }, ` Thời hạn theo kế hoạch: ${a.deadline.raw}`) : null,
          note ? h('small', { class: 'row-note' }, note) : null,
        ];
      },
    },
    { header: 'Hạn hoàn thành', cell: (a) => `${day(a.effectiveDue)} (${dueWords(a)})` },
    {
      header: 'Tình trạng',
      cell: (a) => h('span', { class: `badge ${a.status}` }, a.statusLabel ?? statusNames[a.status] ?? a.status),
    },
    ...(options.agency === false
      ? []
      : [{ header: 'Cơ quan chủ trì', cell: (a: AssignmentSummary) => agencyName(a.agency, a.agencyCode) }]),
  ];
  return dataTable({
    caption,
    captionHidden: true,
    className: 'work-table',
    labelled: true,
    columns,
    rows: items,
    rowAttrs: (a) => ({ class: a.overdue ? 'overdue' : undefined }),
  });
}
