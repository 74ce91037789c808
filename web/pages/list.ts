import { api, currentUser, withParams, type Answer } from '../api.ts';
import { field, h, show } from '../dom.ts';
import { filterBar } from '../components/form.ts';
import { dateField, dateInput } from '../components/date-input.ts';
import { day, number } from '../format.ts';
import { BUCKETS } from './buckets.ts';
import { activeAgencies } from './registry-choice.ts';
import { workTable } from './work-table.ts';
import type { Agency, AssignmentSummary } from '../api-types.d.ts';

/** The filters of GET /v1/assignments a list's address may carry. */
const FILTERS = [
  'plan',
  'agency',
  'area',
  'noArea',
  'status',
  'q',
  'bucket',
  'asOf',
  'escalationLevel',
  'dueAfter',
  'dueBefore',
  'sort',
];

const PAGE = 50;

const STATUSES: [string, string][] = [
  ['', 'Tất cả'],
  ['open', 'Chưa hoàn thành'],
  ['withLead', 'Đang thực hiện'],
  ['review', 'Chờ duyệt'],
  ['closed', 'Đã kết thúc'],
];

const SORTS: [string, string][] = [
  ['due', 'Hạn hoàn thành, gần nhất trước'],
  ['-due', 'Hạn hoàn thành, xa nhất trước'],
  ['agency', 'Cơ quan chủ trì (A–Z)'],
  ['status', 'Tình trạng'],
  ['-updated', 'Mới thay đổi trước'],
];

/**
 * Every assignment the person may see, or the ones behind a number of the dashboard (plan, agency,
 * area, bucket as of a day, escalation level): searched, filtered and sorted by the server, shown
 * a page of rows at a time with the server's total — a number of 10,000 opens 50 rows and a pager.
 */
export async function renderList(_p: string[], query: URLSearchParams) {
  const filters = new URLSearchParams();
  for (const key of FILTERS) {
    const value = query.get(key);
    if (value) filters.set(key, value);
  }
  const user = currentUser();
  const [first, agencies] = await Promise.all([
    api('GET /v1/assignments', { query: withParams(filters, { limit: String(PAGE) }) }),
    user.registry ? activeAgencies(user.registry).catch(() => []) : Promise.resolve([]),
  ]);
  const bucketName = BUCKETS.find(([key]) => key === query.get('bucket'))?.[1];
  const asOf = query.get('asOf');
  const level = query.get('escalationLevel');
  const agencyCode = query.get('agency');
  const agencyLabel =
    first.items.find((a) => a.agencyCode === agencyCode)?.agency?.shortName ??
    agencies.find((a) => a.code === agencyCode)?.name ??
    agencyCode;
  const described = [
    query.get('plan') && `kế hoạch ${query.get('plan')}`,
    agencyCode && `cơ quan ${agencyLabel}${agencyLabel !== agencyCode ? ` (${agencyCode})` : ''}`,
    query.get('area') && `lĩnh vực ${query.get('area')}`,
    query.get('noArea') === 'true' && 'không ghi lĩnh vực',
    level && `đang bị đôn đốc mức ${level}`,
    (bucketName || level) && asOf && `đến ngày ${day(asOf)}`,
    bucketName,
  ].filter(Boolean);

  const count = h('p', { id: 'so-nhiem-vu', role: 'status' });
  const rows = h('div');
  const more = h('p');
  const shown: AssignmentSummary[] = [];
  const add = (page: Answer<'GET /v1/assignments'>) => {
    shown.push(...page.items);
    rows.replaceChildren(workTable('Danh sách nhiệm vụ', shown));
    count.textContent = `${described.join(' · ') || 'Tất cả'}: ${number(page.total)} nhiệm vụ${
      page.total > shown.length ? ` (đang xem ${number(shown.length)})` : ''
    }.`;
    more.replaceChildren(
      ...(page.nextCursor
        ? [
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: async () => {
                  const next = await api('GET /v1/assignments', {
                    query: withParams(filters, { limit: String(PAGE), cursor: page.nextCursor ?? '' }),
                  });
                  const before = shown.length;
                  add(next);
                  // Focus moves to the first new row, so the keyboard carries on where the reading stopped.
                  rows.querySelectorAll<HTMLElement>('tbody tr a')[before]?.focus();
                },
              },
              `Xem thêm ${PAGE} nhiệm vụ`,
            ),
          ]
        : []),
    );
  };
  add(first);
  show(h('h1', null, 'Danh sách nhiệm vụ'), filterForm(query, agencies), count, rows, more);
}

/** The search, filters and sort, kept in the page's address. */
function filterForm(query: URLSearchParams, agencies: Agency[]) {
  const input = (name: string, attrs: Record<string, unknown> = {}) =>
    h('input', { name, value: query.get(name) ?? '', ...attrs });
  const select = (name: string, options: [string, string][]) =>
    h(
      'select',
      { name },
      options.map(([value, words]) => h('option', { value, selected: (query.get(name) ?? '') === value }, words)),
    );
  const agency = agencies.length
    ? select('agency', [['', 'Tất cả'], ...agencies.map((a) => [a.code, a.name] as [string, string])])
    : input('agency', { type: 'text', maxlength: 40 });
  // What the form does not show (the plan, a day of the dashboard, no area) is kept.
  const keep = new URLSearchParams();
  for (const key of ['plan', 'asOf', 'noArea']) {
    const value = query.get(key);
    if (value) keep.set(key, value);
  }
  return filterBar({
    route: '#/danh-sach',
    keep,
    submit: 'Lọc',
    body: [
      field('Tìm', input('q', { type: 'search', maxlength: 200 }), 'Số thứ tự, tên nhiệm vụ; có hoặc không dấu.'),
      field('Tình trạng', select('status', STATUSES)),
      field(
        'Nhóm',
        select('bucket', [['', 'Tất cả'], ...BUCKETS.map(([key, words]) => [key, words] as [string, string])]),
      ),
      field('Cơ quan chủ trì', agency),
      field('Lĩnh vực', input('area', { type: 'text', maxlength: 200 })),
      dateField('Hạn từ ngày', dateInput({ name: 'dueAfter', value: query.get('dueAfter') })),
      dateField('Hạn đến ngày', dateInput({ name: 'dueBefore', value: query.get('dueBefore') })),
      field(
        'Mức đôn đốc',
        select('escalationLevel', [
          ['', 'Tất cả'],
          ['1', 'Mức 1'],
          ['2', 'Mức 2'],
          ['3', 'Mức 3'],
        ]),
      ),
      field('Sắp xếp', select('sort', SORTS)),
    ],
  });
}
