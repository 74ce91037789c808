import { api, currentUser } from '../api.ts';
import type { Token } from '../api-types.d.ts';
import { field, flashNext, h, say, show, shownOnce, statusArea, submitting, takeFlash, valueOf } from '../dom.ts';
import { dayOfInstant, roleNames } from '../format.ts';
import { agencyName } from '../names.ts';
import { agencyPicker, pickerField } from '../components/picker.ts';

/**
 * Machine tokens: for the province's own systems (a document-management system, a chat bot) that
 * call the API. A new token is shown once; the list never shows a secret. A revoked token stops
 * working at once.
 */
export async function renderTokens() {
  const user = currentUser();
  const [tokens, registries] = await Promise.all([api('GET /v1/tokens'), api('GET /v1/registries')]);
  const ownRegistry = user.registry ?? null;
  const defaultRegistry = ownRegistry ?? (await api('GET /v1/plans')).items[0]?.registry ?? '';

  const holder = h('input', { type: 'text', required: true, maxlength: 200, autocomplete: 'off' });
  const role = h(
    'select',
    { required: true },
    Object.entries(roleNames).map(([value, text]) => h('option', { value, selected: value === 'agency' }, text)),
  );
  // The agency is found by name in the chosen province's registry, never typed as a code.
  const agency = agencyPicker(() => ownRegistry ?? (valueOf(registry) || defaultRegistry || null));
  const registry = h(
    'select',
    { disabled: ownRegistry !== null },
    ownRegistry ? null : h('option', { value: '' }, 'Mọi danh mục'),
    registries.items.map((r) => h('option', { value: r.key, selected: r.key === defaultRegistry }, r.name)),
  );
  const agencyField = pickerField(
    'Cơ quan',
    agency,
    'Bắt buộc với mã truy cập của cơ quan: gõ vài chữ của tên, có dấu hoặc không, rồi chọn.',
  );
  role.addEventListener('change', () => {
    agencyField.hidden = valueOf(role) !== 'agency';
  });
  const status = statusArea();
  const secret = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'tao-ma',
      onsubmit: submitting(status, async (form) => {
        secret.replaceChildren();
        const chosenRole = valueOf(role);
        const created = await api('POST /v1/tokens', {
          body: {
            name: valueOf(holder),
            role: chosenRole as Token['role'],
            agency: chosenRole === 'agency' ? (agency.value() ?? undefined) : undefined,
            ...(!ownRegistry && valueOf(registry) ? { registry: valueOf(registry) } : {}),
          },
        });
        form.reset();
        agency.set([]);
        agencyField.hidden = false;
        rows.prepend(row(created));
        heading.textContent = `Mã đã cấp (${rows.childElementCount})`;
        secret.replaceChildren(
          shownOnce(
            'Mã truy cập mới',
            created.token,
            'Chỉ hiện một lần: hãy sao chép vào hệ thống sẽ dùng nó (tiêu đề Authorization: Bearer …). Sau này không xem lại được.',
          ),
        );
        return `Đã tạo mã truy cập cho ${created.name}.`;
      }),
    },
    h('h2', { id: 'tao-ma' }, 'Tạo mã truy cập'),
    field('Tên người hoặc hệ thống giữ mã', holder, 'Ví dụ: Sở Y tế — phần mềm quản lý văn bản.'),
    field('Vai trò', role),
    field('Danh mục (tỉnh)', registry, ownRegistry ? 'Mã truy cập thuộc danh mục của bạn.' : undefined),
    agencyField,
    h('button', { type: 'submit' }, 'Tạo mã truy cập'),
    status,
    secret,
  );

  const list = tokens.items.slice().reverse();
  // The province by its name ("Vĩnh Phúc (trước 01/7/2025)"), not its key.
  const registryNames = new Map(registries.items.map((r) => [r.key, r.name]));
  const row = (t: Token) => tokenRow(t, registryNames);
  const rows = h('tbody', null, list.map(row));
  const heading = h('h2', { id: 'danh-sach-ma' }, `Mã đã cấp (${list.length})`);
  show(
    h('h1', null, 'Mã truy cập'),
    takeFlash(),
    h(
      'p',
      { class: 'note' },
      'Mã truy cập cho các hệ thống gọi API (phần mềm văn bản, chatbot). Người dùng đăng nhập bằng tài khoản, không cần mã.',
    ),
    form,
    h(
      'section',
      { 'aria-labelledby': 'danh-sach-ma' },
      heading,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          null,
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['Người giữ', 'Vai trò', 'Cơ quan', 'Danh mục', 'Người cấp', 'Ngày cấp', 'Tình trạng', ''].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          rows,
        ),
      ),
    ),
  );
}

function tokenRow(t: Token, registryNames: Map<string, string>) {
  const status = statusArea();
  let confirming = false;
  const revoke = t.revokedAt
    ? null
    : h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: async (event: MouseEvent) => {
            const button = event.currentTarget as HTMLButtonElement;
            if (!confirming) {
              confirming = true;
              button.textContent = `Xác nhận thu hồi mã của ${t.name}`;
              return;
            }
            try {
              await api('DELETE /v1/tokens/{id}', { params: { id: t.id } });
              flashNext(`Đã thu hồi mã truy cập của ${t.name}; mã này không dùng được nữa.`);
              await renderTokens();
            } catch (error) {
              say(status, (error as Error).message, 'error');
            }
          },
        },
        'Thu hồi',
      );
  return h(
    'tr',
    { 'data-token': t.id },
    h('th', { scope: 'row' }, t.name),
    h('td', null, roleNames[t.role] ?? t.role),
    h('td', null, t.agencyCode ? agencyName(t.agency, t.agencyCode) : '—'),
    h('td', null, t.registry ? (registryNames.get(t.registry) ?? t.registry) : 'Mọi danh mục'),
    h('td', null, t.createdBy),
    h('td', null, dayOfInstant(t.createdAt)),
    h('td', null, t.revokedAt ? `Đã thu hồi ngày ${dayOfInstant(t.revokedAt)}` : 'Đang dùng'),
    h('td', null, revoke, status),
  );
}
