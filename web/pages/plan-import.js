// @ts-check
import { api, ApiError } from '../api.js';
import { field, h, say, show, statusArea } from '../dom.js';
import { day, number } from '../format.js';

/** @param {any[]} issues @param {string} title */
function issueTable(issues, title) {
  if (!issues.length) return '';
  return h(
    'section',
    null,
    h('h3', null, `${title} (${number(issues.length)})`),
    h(
      'table',
      null,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Dòng', 'Cột', 'Nội dung'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        null,
        issues.map((i) =>
          h(
            'tr',
            null,
            h('td', null, i.row ?? '—'),
            h('td', null, i.column ?? i.field ?? '—'),
            h('td', null, i.message),
          ),
        ),
      ),
    ),
  );
}

/** Import a plan: upload, preview (tasks, warnings and errors by row and column, proposed agencies), then confirm. */
export function renderImport() {
  const file = h('input', { type: 'file', required: true, accept: '.xlsx,.docx,.csv,.txt' });
  const code = h('input', { type: 'text', required: true, placeholder: '2866/QĐ-UBND' });
  const title = h('input', { type: 'text', required: true });
  const province = h('input', { type: 'text', required: true, placeholder: 'Vĩnh Phúc' });
  const start = h('input', { type: 'date', required: true });
  const end = h('input', { type: 'date', required: true });
  const status = statusArea();
  const preview = h('div', { id: 'xem-truoc' });
  const val = (/** @type {HTMLElement} */ e) => /** @type {HTMLInputElement} */ (e).value.trim();

  /** @param {Record<string, string>} extra */
  const formData = (extra = {}) => {
    const data = new FormData();
    for (const [key, input] of Object.entries({ code, title, province, periodStart: start, periodEnd: end }))
      data.append(key, val(input));
    for (const [key, value] of Object.entries(extra)) data.append(key, value);
    const chosen = /** @type {HTMLInputElement} */ (file).files?.[0];
    if (!chosen) throw new Error('Hãy chọn tệp phụ lục.');
    data.append('file', chosen, chosen.name);
    return data;
  };

  /** @param {any} p @param {boolean} blocked */
  const renderPreview = (p, blocked) => {
    const accept = h('input', { type: 'checkbox', id: 'chap-nhan-co-quan' });
    const confirmStatus = statusArea();
    const proposed = p.proposedAgencies ?? [];
    preview.replaceChildren();
    preview.append(
      h('h2', null, 'Xem trước'),
      h(
        'p',
        null,
        `${number(p.tasks.length)} nhiệm vụ, ${number(p.warnings.length)} cảnh báo, ${number(p.errors.length)} lỗi.`,
      ),
      issueTable(p.errors, 'Lỗi (phải sửa trước khi nhập)'),
      issueTable(p.warnings, 'Cảnh báo'),
      proposed.length
        ? h(
            'section',
            null,
            h('h3', null, `Cơ quan mới đề xuất thêm vào danh mục (${proposed.length})`),
            h(
              'ul',
              null,
              proposed.map((/** @type {any} */ a) =>
                h(
                  'li',
                  null,
                  `${a.name} (${a.code}) — dòng ${a.rows.join(', ')}${a.nearest.length ? `; gần giống: ${a.nearest.join(', ')}` : ''}`,
                ),
              ),
            ),
            h(
              'div',
              { class: 'check' },
              accept,
              h('label', { for: 'chap-nhan-co-quan' }, 'Chấp nhận thêm các cơ quan này'),
            ),
          )
        : '',
      h(
        'table',
        { class: 'tasks' },
        h('caption', null, 'Nhiệm vụ đọc được'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['Dòng', 'STT', 'Nhiệm vụ', 'Chủ trì', 'Thời hạn', 'Hạn tính được'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        h(
          'tbody',
          null,
          p.tasks.map((/** @type {any} */ t) =>
            h(
              'tr',
              null,
              h('td', null, t.row),
              h('td', null, t.number),
              h('td', null, t.title),
              h('td', null, t.leadsRaw),
              h('td', null, t.deadline.raw),
              h('td', null, day(t.deadline.due)),
            ),
          ),
        ),
      ),
      blocked
        ? h('p', { class: 'status error' }, 'Phụ lục còn lỗi; hãy sửa tệp rồi xem trước lại.')
        : h(
            'p',
            null,
            h(
              'button',
              {
                type: 'button',
                onclick: async () => {
                  say(confirmStatus, 'Đang nhập kế hoạch…');
                  try {
                    const acceptNew = /** @type {HTMLInputElement} */ (accept).checked;
                    const result = await api(
                      'POST',
                      '/v1/plans',
                      formData(acceptNew ? { acceptProposedAgencies: 'true' } : {}),
                    );
                    say(
                      confirmStatus,
                      `Đã nhập kế hoạch ${result.plan.code}: ${number(result.assignments.total)} nhiệm vụ được giao.`,
                    );
                  } catch (error) {
                    say(confirmStatus, /** @type {Error} */ (error).message, 'error');
                  }
                },
              },
              'Xác nhận nhập kế hoạch',
            ),
          ),
      confirmStatus,
    );
  };

  show(
    h('h1', null, 'Nhập kế hoạch'),
    h(
      'form',
      {
        class: 'card',
        onsubmit: async (/** @type {SubmitEvent} */ event) => {
          event.preventDefault();
          say(status, 'Đang đọc phụ lục…');
          preview.replaceChildren();
          try {
            renderPreview(await api('POST', '/v1/plans/preview', formData()), false);
            say(status, 'Đã đọc xong; hãy kiểm tra rồi xác nhận.');
          } catch (error) {
            if (error instanceof ApiError && error.problem?.preview) {
              renderPreview(error.problem.preview, true);
              say(status, error.message, 'error');
            } else say(status, /** @type {Error} */ (error).message, 'error');
          }
        },
      },
      field('Tệp phụ lục', file, 'XLSX, DOCX, CSV hoặc văn bản.'),
      field('Số hiệu kế hoạch', code),
      field('Tên kế hoạch', title),
      field('Tỉnh', province),
      field('Từ ngày', start),
      field('Đến ngày', end),
      h('button', { type: 'submit' }, 'Xem trước'),
      status,
    ),
    preview,
  );
}
