import { cardForm } from '../components/form.ts';
import { api } from '../api.ts';
import type { Contact } from '../api-types.d.ts';
import { field, flashNext, h, say, shownOnce, statusArea, submitting, valueOf } from '../dom.ts';

/** Every kind of notification, in the order a person thinks of them. */
export const KIND_NAMES: [string, string][] = [
  ['reminder', 'Nhắc hạn hoàn thành'],
  ['ack-chase', 'Nhắc tiếp nhận nhiệm vụ'],
  ['report-reminder', 'Nhắc gửi báo cáo định kỳ'],
  ['report-late', 'Báo cáo định kỳ trễ hạn'],
  ['escalation', 'Đôn đốc nhiệm vụ quá hạn'],
  ['submitted', 'Sản phẩm được nộp'],
  ['accepted', 'Sản phẩm được chấp nhận'],
  ['returned', 'Sản phẩm bị trả lại'],
  ['extension-requested', 'Đề nghị gia hạn'],
  ['extension-decided', 'Quyết định về gia hạn'],
  ['reassigned', 'Giao cho cơ quan khác'],
  ['cancelled', 'Nhiệm vụ bị huỷ'],
  ['deadline-changed', 'Thời hạn thay đổi'],
  ['contribution', 'Nội dung phối hợp'],
  ['cycle-started', 'Bắt đầu chu kỳ mới'],
  ['workflow-stopped', 'Nhiệm vụ ngừng theo dõi (cần khởi động lại)'],
];

const MODE_NAMES = {
  immediate: 'Gửi ngay',
  digest: 'Gộp vào bản tin 8 giờ sáng',
} as Record<string, string>;

const CHANNEL_NAMES = { email: 'Thư điện tử', webhook: 'Webhook' } as Record<string, string>;

/** One contact: where it receives, how it receives each kind (a form to change that), and removal. */
function contactCard(c: Contact, reload: () => void) {
  const headingId = `nguoi-nhan-${c.id}`;
  const status = statusArea();
  const selects = KIND_NAMES.map(([kind, name]) => {
    const select = h(
      'select',
      { name: kind },
      Object.entries(MODE_NAMES).map(([mode, text]) =>
        h('option', { value: mode, selected: c.modes[kind as keyof Contact['modes']] === mode }, text),
      ),
    );
    return [kind, select, field(name, select)] as [string, HTMLElement, HTMLElement];
  });
  let confirming = false;
  const remove = h('button', { type: 'button', class: 'secondary' }, 'Xoá địa chỉ');
  remove.addEventListener('click', async () => {
    if (!confirming) {
      confirming = true;
      remove.textContent = `Xác nhận xoá ${c.address}`;
      say(status, 'Bấm lần nữa để xoá; địa chỉ này sẽ không nhận thông báo nào nữa.');
      return;
    }
    try {
      await api('DELETE /v1/contacts/{id}', { params: { id: c.id } });
      flashNext(`Đã xoá địa chỉ nhận thông báo ${c.address}.`);
      reload();
    } catch (error) {
      say(status, (error as Error).message, 'error');
    }
  });
  return h(
    'article',
    { class: 'card contact', 'aria-labelledby': headingId },
    h('h3', { id: headingId }, `${CHANNEL_NAMES[c.channel] ?? c.channel}: ${c.address}`),
    h(
      'p',
      { class: 'note' },
      [c.name, c.channel === 'webhook' ? (c.hasSecret ? 'có khoá bí mật để ký' : 'chưa có khoá bí mật') : null]
        .filter(Boolean)
        .join(' · ') || null,
    ),
    h(
      'details',
      null,
      h('summary', null, 'Cách nhận từng loại thông báo'),
      h(
        'form',
        {
          class: 'modes',
          onsubmit: submitting(status, async () => {
            const preferences: Record<string, string> = {};
            for (const [kind, select] of selects) preferences[kind] = valueOf(select);
            await api('PATCH /v1/contacts/{id}', { params: { id: c.id }, body: { preferences } });
            return `Đã lưu cách nhận thông báo của ${c.address}.`;
          }),
        },
        h(
          'div',
          { class: 'mode-grid' },
          selects.map(([, , f]) => f),
        ),
        h('button', { type: 'submit' }, 'Lưu cách nhận'),
      ),
    ),
    remove,
    status,
  );
}

/**
 * The contacts of one agency or one role of a registry, and a form to add one. A webhook's signing
 * secret is shown once, right after it is made; the list only says that it has one.
 */
export function contactsSection({
  registry,
  agency,
  role,
  title,
  note,
  contacts,
  reload,
}: {
  registry: string;
  agency?: string;
  role?: 'coordinator' | 'leadership' | 'coordinator-director';
  title: string;
  note?: string;
  contacts: Contact[];
  reload: () => void;
}) {
  const slug = `nhan-${agency ?? role}`;
  const channel = h(
    'select',
    { required: true },
    Object.entries(CHANNEL_NAMES).map(([value, text]) => h('option', { value }, text)),
  );
  const address = h('input', { type: 'text', required: true, maxlength: 2000, autocomplete: 'off' });
  const name = h('input', { type: 'text', maxlength: 200, autocomplete: 'off' });
  const status = statusArea();
  const secret = h('div', { 'aria-live': 'polite' });
  const form = cardForm({
    title: 'Thêm địa chỉ nhận thông báo',
    id: `${slug}-them`,
    level: 'h3',
    status,
    action: async (form) => {
      secret.replaceChildren();
      const created = await api('POST /v1/contacts', {
        body: {
          registry,
          ...(agency ? { agency } : { role }),
          channel: valueOf(channel) as Contact['channel'],
          address: valueOf(address),
          ...(valueOf(name) ? { name: valueOf(name) } : {}),
        },
      });
      list.append(contactCard(created.contact, reload));
      empty.remove();
      form.reset();
      if (created.secret)
        secret.replaceChildren(
          shownOnce(
            'Khoá bí mật webhook',
            created.secret,
            'Chỉ hiện một lần: hãy lưu vào hệ thống nhận để kiểm tra chữ ký; sau này không xem lại được.',
          ),
        );
      return `Đã thêm địa chỉ nhận thông báo ${created.contact.address}.`;
    },
    body: [
      field('Kênh nhận', channel),
      field('Địa chỉ nhận', address, 'Địa chỉ thư điện tử, hoặc URL https:// của webhook.'),
      field('Tên người hoặc bộ phận nhận', name, 'Không bắt buộc, ví dụ: Văn thư, Phó Giám đốc phụ trách.'),
    ],
    submit: 'Thêm địa chỉ nhận thông báo',
    after: [secret],
  });
  const empty = h('p', { class: 'note' }, 'Chưa có địa chỉ nhận thông báo nào.');
  const list = h('div', { class: 'contacts' }, contacts.length ? null : empty);
  for (const c of contacts) list.append(contactCard(c, reload));
  return h(
    'section',
    { 'aria-labelledby': slug, class: 'contacts-of' },
    h('h2', { id: slug }, title),
    note ? h('p', { class: 'note' }, note) : null,
    list,
    form,
  );
}
