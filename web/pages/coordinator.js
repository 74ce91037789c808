// @ts-check
import { all, api, currentUser } from '../api.js';
import { field, h, say, show, statusArea } from '../dom.js';
import { activeAgencies, agencyDatalist } from './registry-choice.js';
import { watchAssignments } from '../live.js';
import { assignmentCard } from './cards.js';

/** The coordinator's desk: deliverables waiting for review, then overdue work. */
export async function renderCoordinator() {
  const registry = currentUser().registry;
  const [submitted, extensions, overdue, agencies, plans] = await Promise.all([
    all('/v1/assignments?status=submitted'),
    all('/v1/assignments?extensionPending=true'),
    all('/v1/assignments?overdue=true', 200),
    // A province's coordinator is offered its agencies' codes; a deployment-wide one types them.
    registry ? activeAgencies(registry).catch(() => []) : [],
    api('GET', '/v1/plans').then((/** @type {any} */ page) => page.total),
  ]);
  show(
    h('h1', null, 'Điều phối'),
    plans === 0 ? firstSteps() : '',
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
      { 'aria-labelledby': 'gia-han' },
      h('h2', { id: 'gia-han' }, `Đề nghị gia hạn chờ quyết định (${extensions.length})`),
      extensions.length
        ? extensions.map((/** @type {any} */ a) => assignmentCard(a, 'Mở để đồng ý hoặc từ chối gia hạn.'))
        : h('p', { class: 'note' }, 'Không có đề nghị gia hạn nào đang chờ.'),
    ),
    reassignAllForm(agencies),
    h(
      'section',
      { 'aria-labelledby': 'qua-han' },
      h('h2', { id: 'qua-han' }, `Nhiệm vụ quá hạn (${overdue.length})`),
      overdue.length
        ? overdue.slice(0, 50).map((/** @type {any} */ a) => assignmentCard(a))
        : h('p', { class: 'note' }, 'Không có nhiệm vụ quá hạn.'),
    ),
    h('p', null, h('a', { href: '#/bao-cao' }, 'Báo cáo định kỳ: xem và tải về (XLSX, CSV)')),
  );
  watchAssignments(() => void renderCoordinator());
}

/** A coordinator with no plan yet starts by importing one. */
function firstSteps() {
  return h(
    'section',
    { class: 'card first-steps', 'aria-labelledby': 'bat-dau' },
    h('h2', { id: 'bat-dau' }, 'Bắt đầu'),
    h(
      'p',
      null,
      'Chưa có kế hoạch nào. Mọi việc bắt đầu từ trang “Nhập kế hoạch”: tải lên phụ lục (XLSX, DOCX hoặc CSV), sửa trên bảng xem trước, rồi xác nhận để giao nhiệm vụ cho các cơ quan.',
    ),
    h('p', null, h('a', { href: '#/nhap-ke-hoach', class: 'button' }, 'Nhập phụ lục kế hoạch đầu tiên')),
  );
}

/** Moves all of an agency's open work to another agency (after a merger, a change of duties). */
function reassignAllForm(/** @type {any[]} */ agencies) {
  const from = h('input', { type: 'text', required: true, maxlength: 40, list: 'co-quan-chuyen', autocomplete: 'off' });
  const to = h('input', { type: 'text', required: true, maxlength: 40, list: 'co-quan-chuyen', autocomplete: 'off' });
  const registry = h('input', { type: 'text', maxlength: 60 });
  const reason = h('textarea', { rows: 2, required: true, maxlength: 2000 });
  const status = statusArea();
  const val = (/** @type {HTMLElement} */ e) => /** @type {HTMLInputElement} */ (e).value.trim();
  return h(
    'details',
    { class: 'card' },
    h('summary', null, 'Chuyển toàn bộ việc của một cơ quan sang cơ quan khác'),
    h(
      'form',
      {
        onsubmit: async (/** @type {SubmitEvent} */ event) => {
          event.preventDefault();
          say(status, 'Đang chuyển…');
          try {
            const result = await api('POST', '/v1/assignments/reassign-agency', {
              from: val(from),
              to: val(to),
              reason: val(reason),
              ...(val(registry) ? { registry: val(registry) } : {}),
            });
            say(
              status,
              `Đã chuyển ${result.reassigned.length} nhiệm vụ${result.refused.length ? `; ${result.refused.length} nhiệm vụ không chuyển được` : ''}.`,
            );
          } catch (error) {
            say(status, /** @type {Error} */ (error).message, 'error');
          }
        },
      },
      field('Từ cơ quan (mã)', from),
      field('Sang cơ quan (mã)', to),
      agencyDatalist('co-quan-chuyen', agencies),
      field('Danh mục (tỉnh)', registry, 'Khi mã cơ quan có trong nhiều danh mục.'),
      field('Lý do', reason),
      h('button', { type: 'submit' }, 'Chuyển'),
      status,
    ),
  );
}
