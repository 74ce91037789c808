import { all } from '../api.ts';
import { field, h, show } from '../dom.ts';
import { filterBar } from '../components/form.ts';
import { daysUntil } from '../format.ts';
import { watchAssignments } from '../live.ts';
import { workTable } from './work-table.ts';
import type { AssignmentSummary } from '../api-types.d.ts';

const SOON_DAYS = 30;

/**
 * 'Việc của tôi': the work the agency leads, apart from the work it only collaborates on. The
 * lead's open work is sorted by what to do first: overdue, the report owed this period (the
 * server's `reportOwed`, a year's report included), due soon; submitted work waits under
 * "Chờ duyệt". Search and the choice of lead/collaborate are the server's filters (q, role).
 */
export async function renderMine(_p: string[], query: URLSearchParams) {
  const filters = new URLSearchParams({ sort: 'due' });
  const q = query.get('q')?.trim() ?? '';
  const role = query.get('vai-tro') ?? '';
  if (q) filters.set('q', q);
  if (role === 'lead' || role === 'collaborator') filters.set('role', role);
  const items = await all('GET /v1/assignments', filters);

  const isOpen = (a: AssignmentSummary) => a.status !== 'completed' && a.status !== 'cancelled';
  const leads = items.filter((a) => a.role !== 'collaborator');
  const helps = items.filter((a) => a.role === 'collaborator');
  const open = leads.filter((a) => isOpen(a) && a.status !== 'submitted');
  const overdue = open.filter((a) => a.overdue);
  const owed = open.filter((a) => !a.overdue && a.reportOwed);
  const taken = new Set([...overdue, ...owed].map((a) => a.id));
  const soon = open.filter((a) => !taken.has(a.id) && a.effectiveDue && daysUntil(a.effectiveDue) <= SOON_DAYS);
  for (const a of soon) taken.add(a.id);
  const rest = open.filter((a) => !taken.has(a.id));
  const review = leads.filter((a) => a.status === 'submitted');
  const done = leads.filter((a) => !isOpen(a));
  const reportNote = (a: AssignmentSummary) =>
    a.reportOwed
      ? `Chưa gửi ${a.reportOwed.label.charAt(0).toLowerCase()}${a.reportOwed.label.slice(1)}${a.reportOwed.late ? ' (đã quá hạn gửi)' : ''}.`
      : undefined;

  const group = (
    id: string,
    title: string,
    list: AssignmentSummary[],
    empty: string,
    note: (a: AssignmentSummary) => string | undefined = reportNote,
  ) =>
    h(
      'section',
      { 'aria-labelledby': id, class: 'work-group' },
      h('h3', { id }, `${title} (${list.length})`),
      list.length ? workTable(title, list, { note, agency: false }) : h('p', { class: 'note' }, empty),
    );

  const roleSelect = h(
    'select',
    { name: 'vai-tro' },
    [
      ['', 'Tất cả'],
      ['lead', 'Cơ quan chủ trì'],
      ['collaborator', 'Cơ quan phối hợp'],
    ].map(([value, words]) => h('option', { value, selected: value === role }, words)),
  );
  show(
    h('h1', null, 'Việc của tôi'),
    filterBar({
      route: '#/viec-cua-toi',
      body: [
        field(
          'Tìm nhiệm vụ',
          h('input', { type: 'search', name: 'q', value: q, maxlength: 200 }),
          'Số thứ tự, tên nhiệm vụ, lĩnh vực; gõ có hoặc không dấu.',
        ),
        field('Vai trò của cơ quan', roleSelect),
      ],
      submit: 'Lọc',
    }),
    q || role ? h('p', { class: 'note' }, `Tìm thấy ${items.length} nhiệm vụ.`) : null,
    role === 'collaborator'
      ? null
      : h(
          'section',
          { 'aria-labelledby': 'chu-tri' },
          h('h2', { id: 'chu-tri' }, `Việc cơ quan chủ trì (${leads.length})`),
          group('nhom-qua-han', 'Quá hạn', overdue, 'Không có việc quá hạn.'),
          group('nhom-bao-cao', 'Cần báo cáo kỳ này', owed, 'Đã gửi đủ báo cáo đến kỳ này.'),
          group('nhom-sap-den-han', 'Sắp đến hạn', soon, `Không có việc đến hạn trong ${SOON_DAYS} ngày tới.`),
          group('nhom-cho-duyet', 'Chờ duyệt', review, 'Không có sản phẩm nào đang chờ duyệt.', () => undefined),
          group('nhom-khac', 'Việc khác đang thực hiện', rest, 'Không có.'),
          h(
            'details',
            null,
            h('summary', null, `Đã xong (${done.length})`),
            done.length ? workTable('Đã xong', done, { agency: false }) : h('p', { class: 'note' }, 'Chưa có.'),
          ),
        ),
    role === 'lead'
      ? null
      : h(
          'section',
          { 'aria-labelledby': 'phoi-hop-viec' },
          h('h2', { id: 'phoi-hop-viec' }, `Việc cơ quan phối hợp (${helps.length})`),
          helps.length
            ? workTable('Việc cơ quan phối hợp', helps, { note: () => 'Quý cơ quan phối hợp thực hiện.' })
            : h('p', { class: 'note' }, 'Không có việc phối hợp.'),
        ),
  );
  watchAssignments(() => void renderMine(_p, query));
}
