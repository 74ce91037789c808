import { api } from '../api.ts';
import { field, h, show } from '../dom.ts';
import { filterBar } from '../components/form.ts';
import { instant } from '../format.ts';
import { dataTable } from '../components/table.ts';
import type { AuditEntry } from '../api-types.d.ts';

/**
 * The audit trail (coordinator): what was done, in Vietnamese, by whom and when — the server's
 * `summary` and `who`; the recorded codes stay searchable but are not what people read.
 */
export async function renderAudit(_p: string[], query: URLSearchParams) {
  const filters = new URLSearchParams();
  for (const key of ['actor', 'action', 'entityId']) {
    const value = query.get(key);
    if (value) filters.set(key, value);
  }
  filters.set('limit', '200');
  const page = await api('GET /v1/audit', { query: filters });
  const input = (name: string) => h('input', { type: 'text', name, value: query.get(name) ?? '' });
  show(
    h('h1', null, 'Nhật ký'),
    filterBar({
      route: '#/nhat-ky',
      body: [
        field('Người thực hiện', input('actor'), 'Một phần tên hoặc thư điện tử.'),
        field('Thao tác', input('action'), 'Mã thao tác, ví dụ accept, return, file-upload.'),
        field('Đối tượng (mã)', input('entityId'), 'Mã nhiệm vụ, tài khoản…'),
      ],
      submit: 'Tìm',
    }),
    dataTable({
      caption: `${page.items.length} mục gần nhất`,
      className: 'audit',
      rows: page.items,
      columns: [
        {
          header: 'Thời điểm',
          className: 'when',
          cell: (e) => h('time', { datetime: e.at }, instant(e.at)),
        },
        { header: 'Người thực hiện', cell: (e) => e.who },
        {
          header: 'Việc đã làm',
          cell: (e) => [
            e.summary,
            // A file's fingerprint is evidence people compare with their copy: kept, small.
            typeof e.details?.sha256 === 'string'
              ? h('small', { class: 'fingerprint' }, ` SHA-256 ${e.details.sha256}`)
              : null,
          ],
        },
        { header: 'Đối tượng', className: 'entity', cell: (e) => entityLink(e) },
      ],
    }),
  );
}

/**
 * The record an entry is about, by the name the server gives it (the task and its lead, the plan's
 * number, the agency); an assignment opens its page. The recorded id, for the search above, is on hover.
 */
function entityLink(e: AuditEntry) {
  const name = e.entity ?? e.entityId;
  if (e.entityType === 'assignment')
    return h('a', { href: `#/nhiem-vu/${encodeURIComponent(e.entityId)}`, title: e.entityId }, h('small', null, name));
  return h('small', { title: e.entityId }, name);
}
