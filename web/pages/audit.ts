import { api } from '../api.ts';
import { field, h, show } from '../dom.ts';
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
  const actor = h('input', { type: 'text', name: 'actor', value: query.get('actor') ?? '' });
  const action = h('input', { type: 'text', name: 'action', value: query.get('action') ?? '' });
  const entityId = h('input', { type: 'text', name: 'entityId', value: query.get('entityId') ?? '' });
  show(
    h('h1', null, 'Nhật ký'),
    h(
      'form',
      {
        class: 'card filters',
        onsubmit: (event: SubmitEvent) => {
          event.preventDefault();
          const next = new URLSearchParams();
          for (const [key, input] of Object.entries({ actor, action, entityId })) {
            const value = (input as HTMLInputElement).value.trim();
            if (value) next.set(key, value);
          }
          location.hash = `#/nhat-ky?${next}`;
        },
      },
      field('Người thực hiện', actor, 'Một phần tên hoặc thư điện tử.'),
      field('Thao tác', action, 'Mã thao tác, ví dụ accept, return, file-upload.'),
      field('Đối tượng (mã)', entityId, 'Mã nhiệm vụ, tài khoản…'),
      h('button', { type: 'submit' }, 'Tìm'),
    ),
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
