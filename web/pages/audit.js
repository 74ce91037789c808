// @ts-check
import { api } from '../api.js';
import { field, h, show } from '../dom.js';
import { instant } from '../format.js';

/** The audit trail (coordinator): who did what, when; searchable by person, action and record. @param {string[]} _p @param {URLSearchParams} query */
export async function renderAudit(_p, query) {
  const filters = new URLSearchParams();
  for (const key of ['actor', 'action', 'entityId']) {
    const value = query.get(key);
    if (value) filters.set(key, value);
  }
  filters.set('limit', '200');
  const page = await api('GET', `/v1/audit?${filters}`);
  const actor = h('input', { type: 'text', name: 'actor', value: query.get('actor') ?? '' });
  const action = h('input', { type: 'text', name: 'action', value: query.get('action') ?? '' });
  const entityId = h('input', { type: 'text', name: 'entityId', value: query.get('entityId') ?? '' });
  show(
    h('h1', null, 'Nhật ký'),
    h(
      'form',
      {
        class: 'card filters',
        onsubmit: (/** @type {SubmitEvent} */ event) => {
          event.preventDefault();
          const next = new URLSearchParams();
          for (const [key, input] of Object.entries({ actor, action, entityId })) {
            const value = /** @type {HTMLInputElement} */ (input).value.trim();
            if (value) next.set(key, value);
          }
          location.hash = `#/nhat-ky?${next}`;
        },
      },
      field('Người thực hiện', actor, 'Một phần tên hoặc thư điện tử.'),
      field('Thao tác', action, 'Ví dụ: accept, return, file-upload, sign-in-hold-back.'),
      field('Đối tượng (mã)', entityId, 'Mã nhiệm vụ, tài khoản…'),
      h('button', { type: 'submit' }, 'Tìm'),
    ),
    h(
      'table',
      null,
      h('caption', null, `${page.items.length} mục gần nhất`),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Thời điểm', 'Người thực hiện', 'Thao tác', 'Đối tượng', 'Chi tiết'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        page.items.map((/** @type {any} */ e) =>
          h(
            'tr',
            null,
            h('td', null, instant(e.at)),
            h('td', null, e.actor),
            h('td', null, `${e.action}${e.to ? ` → ${e.to}` : ''}`),
            h('td', null, `${e.entityType} ${e.entityId}`),
            h('td', null, h('code', null, JSON.stringify(e.details))),
          ),
        ),
      ),
    ),
  );
}
