import { api, currentUser, type Answer } from '../api.ts';
import type { Account } from '../api-types.d.ts';
import { agencyPicker, pickerField, registryPicker } from '../components/picker.ts';
import { field, h, say, show, statusArea } from '../dom.ts';
import { day, roleNames } from '../format.ts';
import { agencyName } from '../names.ts';
import { dataTable } from '../components/table.ts';
import { cardForm } from '../components/form.ts';

/** A link just made (an invitation or a password reset), shown this once. */
function showLink(where: HTMLElement, created: Answer<'POST /v1/invitations'>) {
  const link = new URL(created.link, location.origin).href;
  const what = created.kind === 'reset' ? 'Liên kết đặt mật khẩu mới' : 'Liên kết mời';
  where.replaceChildren(
    h(
      'p',
      null,
      created.emailed
        ? `${what} (đã gửi qua thư điện tử; chỉ hiện một lần tại đây):`
        : `${what} (chỉ hiện một lần; hãy gửi cho ${created.name}):`,
    ),
    h('input', { type: 'text', readonly: true, value: link, id: 'lien-ket-moi', 'aria-label': what }),
    h('p', { class: 'note' }, `Hết hạn ngày ${day(created.expiresAt)}.`),
  );
}

/** Resets a person's password, on a second click (the first says what it does). */
function resetButton(u: Account, status: HTMLElement, result: HTMLElement) {
  let confirming = false;
  const button = h('button', { type: 'button', class: 'link' }, 'Đặt lại mật khẩu');
  button.addEventListener('click', async () => {
    if (!confirming) {
      confirming = true;
      button.textContent = `Xác nhận đặt lại mật khẩu của ${u.name}`;
      say(status, 'Bấm lần nữa: mật khẩu cũ sẽ không còn dùng được và mọi phiên đăng nhập của người này kết thúc.');
      return;
    }
    try {
      showLink(result, await api('POST /v1/users/{id}/reset', { params: { id: u.id } }));
      say(status, `Đã đặt lại mật khẩu của ${u.name}.`);
      result.scrollIntoView();
    } catch (error) {
      say(status, (error as Error).message, 'error');
    }
  });
  return button;
}

/** Invitations and accounts (coordinator). */
export async function renderPeople() {
  const [accounts, links] = await Promise.all([api('GET /v1/users'), api('GET /v1/invitations')]);
  const name = h('input', { type: 'text', required: true, maxlength: 200, autocomplete: 'off' });
  const email = h('input', { type: 'email', required: true, autocomplete: 'off' });
  const role = h(
    'select',
    { required: true },
    Object.entries(roleNames).map(([value, text]) => h('option', { value, selected: value === 'agency' }, text)),
  );
  // The province, then the agency, both found by name; a province's coordinator has its own.
  const own = currentUser().registry ?? null;
  const registry = own ? null : registryPicker();
  const agency = agencyPicker(() => own ?? registry?.value() ?? null);
  const status = statusArea();
  const result = h('div', { class: 'invitation-result', 'aria-live': 'polite' });
  const val = (e: HTMLElement) => (e as HTMLInputElement).value.trim();
  const form = cardForm({
    title: 'Mời người dùng',
    id: 'moi-nguoi-dung',
    status,
    action: async (form) => {
      result.replaceChildren();
      const created = await api('POST /v1/invitations', {
        body: {
          name: val(name),
          email: val(email),
          role: val(role) as Account['role'],
          // Nothing chosen (null) sends no field.
          agency: agency.value() ?? undefined,
          registry: registry?.value() ?? undefined,
        },
      });
      showLink(result, created);
      form.reset();
      agency.set([]);
      registry?.set([]);
      return created.emailed
        ? `Đã tạo lời mời cho ${created.name} và gửi liên kết tới ${created.email}.`
        : `Đã tạo lời mời cho ${created.name}.`;
    },
    body: [
      field('Họ tên', name),
      field('Thư điện tử', email),
      field('Vai trò', role),
      registry ? pickerField('Danh mục (tỉnh)', registry, 'Tỉnh của cơ quan: gõ vài chữ của tên, rồi chọn.') : '',
      pickerField('Cơ quan', agency, 'Với tài khoản của cơ quan: gõ vài chữ của tên, có dấu hoặc không, rồi chọn.'),
    ],
    submit: 'Tạo lời mời',
    after: [result],
  });
  show(
    h('h1', null, 'Người dùng'),
    form,
    h(
      'section',
      null,
      h('h2', null, `Tài khoản (${accounts.items.length})`),
      dataTable({
        caption: 'Tài khoản',
        captionHidden: true,
        rows: accounts.items,
        columns: [
          { header: 'Họ tên', rowHeader: true, cell: (u) => u.name },
          { header: 'Thư điện tử', cell: (u) => u.email },
          { header: 'Vai trò', cell: (u) => roleNames[u.role] },
          { header: 'Cơ quan', cell: (u) => (u.agencyCode ? agencyName(u.agency, u.agencyCode) : '—') },
          {
            header: 'Trạng thái',
            cell: (u) =>
              u.disabled ? 'Đã khoá' : u.locked ? 'Đăng nhập đang phải chờ (sai mật khẩu nhiều lần)' : 'Hoạt động',
          },
          {
            header: '',
            cell: (u) => [
              h(
                'button',
                {
                  type: 'button',
                  class: 'link',
                  onclick: async () => {
                    await api(u.disabled || u.locked ? 'POST /v1/users/{id}/enable' : 'POST /v1/users/{id}/disable', {
                      params: { id: u.id },
                    });
                    await renderPeople();
                  },
                },
                u.disabled ? 'Mở khoá' : u.locked ? 'Cho đăng nhập lại ngay' : 'Khoá',
              ),
              u.disabled ? null : resetButton(u, status, result),
            ],
          },
        ],
      }),
    ),
    h(
      'section',
      null,
      h('h2', null, `Liên kết chưa dùng (${links.items.length})`),
      links.items.length === 0
        ? h('p', { class: 'note' }, 'Không có lời mời hay liên kết đặt lại mật khẩu nào đang chờ.')
        : dataTable({
            caption: 'Liên kết chưa dùng',
            captionHidden: true,
            rows: links.items,
            columns: [
              { header: 'Họ tên', rowHeader: true, cell: (i) => i.name },
              { header: 'Thư điện tử', cell: (i) => i.email },
              { header: 'Loại', cell: (i) => (i.kind === 'reset' ? 'Đặt lại mật khẩu' : 'Lời mời') },
              { header: 'Hết hạn', cell: (i) => day(i.expiresAt) },
              {
                header: '',
                cell: (i) =>
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'link',
                      onclick: async () => {
                        await api('DELETE /v1/invitations/{invitation}', { params: { invitation: i.id } });
                        await renderPeople();
                      },
                    },
                    'Thu hồi',
                  ),
              },
            ],
          }),
    ),
  );
}
