import { all, api, currentUser } from '../api.ts';
import { field, h, show, valueOf } from '../dom.ts';
import { cardForm } from '../components/form.ts';
import { agencyPicker, pickerField, registryPicker } from '../components/picker.ts';
import { watchAssignments } from '../live.ts';
import { assignmentCard } from './cards.ts';

/** The coordinator's desk: deliverables waiting for review, then overdue work. */
export async function renderCoordinator() {
  const [submitted, extensions, overdue, plans] = await Promise.all([
    all('GET /v1/assignments', new URLSearchParams({ status: 'submitted' })),
    all('GET /v1/assignments', new URLSearchParams({ extensionPending: 'true' })),
    all('GET /v1/assignments', new URLSearchParams({ overdue: 'true' }), 200),
    api('GET /v1/plans').then((page) => page.total),
  ]);
  show(
    h('h1', null, 'Điều phối'),
    plans === 0 ? firstSteps() : '',
    h(
      'section',
      { 'aria-labelledby': 'cho-duyet' },
      h('h2', { id: 'cho-duyet' }, `Sản phẩm chờ xem xét (${submitted.length})`),
      submitted.length
        ? submitted.map((a) => assignmentCard(a, 'Mở để xem tệp, chấp nhận hoặc trả lại.'))
        : h('p', { class: 'note' }, 'Không có sản phẩm nào đang chờ.'),
    ),
    h(
      'section',
      { 'aria-labelledby': 'gia-han' },
      h('h2', { id: 'gia-han' }, `Đề nghị gia hạn chờ quyết định (${extensions.length})`),
      extensions.length
        ? extensions.map((a) => assignmentCard(a, 'Mở để đồng ý hoặc từ chối gia hạn.'))
        : h('p', { class: 'note' }, 'Không có đề nghị gia hạn nào đang chờ.'),
    ),
    reassignAllForm(),
    h(
      'section',
      { 'aria-labelledby': 'qua-han' },
      h('h2', { id: 'qua-han' }, `Nhiệm vụ quá hạn (${overdue.length})`),
      overdue.length
        ? overdue.slice(0, 50).map((a) => assignmentCard(a))
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
function reassignAllForm() {
  // Both agencies found by name in the coordinator's province (a deployment-wide coordinator
  // chooses the province first).
  const own = currentUser().registry ?? null;
  const registry = own ? null : registryPicker();
  const inRegistry = () => own ?? registry?.value() ?? null;
  const from = agencyPicker(inRegistry, { required: true });
  const to = agencyPicker(inRegistry, { required: true });
  const reason = h('textarea', { rows: 2, required: true, maxlength: 2000 });
  return h(
    'details',
    { class: 'card' },
    h('summary', null, 'Chuyển toàn bộ việc của một cơ quan sang cơ quan khác'),
    cardForm({
      className: '',
      body: [
        registry ? pickerField('Danh mục (tỉnh)', registry) : '',
        pickerField('Từ cơ quan', from, 'Gõ vài chữ của tên, có dấu hoặc không, rồi chọn.'),
        pickerField('Sang cơ quan', to),
        field('Lý do', reason),
      ],
      submit: 'Chuyển',
      pending: 'Đang chuyển…',
      action: async () => {
        if (!from.value() || !to.value()) throw new Error('Hãy chọn cả hai cơ quan trong danh sách gợi ý.');
        if (from.value() === to.value()) throw new Error('Hãy chọn hai cơ quan khác nhau.');
        const result = await api('POST /v1/assignments/reassign-agency', {
          body: {
            from: from.value() ?? '',
            to: to.value() ?? '',
            reason: valueOf(reason),
            registry: registry?.value() ?? undefined,
          },
        });
        return `Đã chuyển ${result.reassigned.length} nhiệm vụ từ ${from.chosen()[0]?.label} sang ${to.chosen()[0]?.label}${result.refused.length ? `; ${result.refused.length} nhiệm vụ không chuyển được` : ''}.`;
      },
    }),
  );
}
