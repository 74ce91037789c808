import { cardForm } from '../components/form.ts';
import { api, currentUser } from '../api.ts';
import type { Token } from '../api-types.d.ts';
import { field, flashNext, h, say, show, shownOnce, statusArea, takeFlash, valueOf } from '../dom.ts';
import { dayOfInstant, roleNames } from '../format.ts';
import { agencyName } from '../names.ts';
import { dataTable, tableRow } from '../components/table.ts';
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
  const form = cardForm({
    title: 'Tạo mã truy cập',
    id: 'tao-ma',
    status,
    action: async (form) => {
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
      table.body.prepend(row(created));
      heading.textContent = `Mã đã cấp (${table.body.childElementCount})`;
      secret.replaceChildren(
        shownOnce(
          'Mã truy cập mới',
          created.token,
          'Chỉ hiện một lần: hãy sao chép vào hệ thống sẽ dùng nó (tiêu đề Authorization: Bearer …). Sau này không xem lại được.',
        ),
      );
      return `Đã tạo mã truy cập cho ${created.name}.`;
    },
    body: [
      field('Tên người hoặc hệ thống giữ mã', holder, 'Ví dụ: Sở Y tế — phần mềm quản lý văn bản.'),
      field('Vai trò', role),
      field('Danh mục (tỉnh)', registry, ownRegistry ? 'Mã truy cập thuộc danh mục của bạn.' : undefined),
      agencyField,
    ],
    submit: 'Tạo mã truy cập',
    after: [secret],
  });

  const list = tokens.items.slice().reverse();
  // The province by its name ("Vĩnh Phúc (trước 01/7/2025)"), not its key.
  const registryNames = new Map(registries.items.map((r) => [r.key, r.name]));
  const table = dataTable({ caption: 'Mã đã cấp', captionHidden: true, rows: list, ...tokenColumns(registryNames) });
  const row = (t: Token) => tableRow(tokenColumns(registryNames), t);
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
    h('section', { 'aria-labelledby': 'danh-sach-ma' }, heading, table),
  );
}

/** The revoke button of a token still in use, asked twice; what went wrong beside it. */
function revokeCell(t: Token) {
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
  return [revoke, status];
}

/** The tokens' columns; each row is a token, its holder naming the row. */
function tokenColumns(registryNames: Map<string, string>) {
  return {
    rowAttrs: (t: Token) => ({ 'data-token': t.id }),
    columns: [
      { header: 'Người giữ', rowHeader: true, cell: (t: Token) => t.name },
      { header: 'Vai trò', cell: (t: Token) => roleNames[t.role] ?? t.role },
      { header: 'Cơ quan', cell: (t: Token) => (t.agencyCode ? agencyName(t.agency, t.agencyCode) : '—') },
      {
        header: 'Danh mục',
        cell: (t: Token) => (t.registry ? (registryNames.get(t.registry) ?? t.registry) : 'Mọi danh mục'),
      },
      { header: 'Người cấp', cell: (t: Token) => t.createdBy },
      { header: 'Ngày cấp', cell: (t: Token) => dayOfInstant(t.createdAt) },
      {
        header: 'Tình trạng',
        cell: (t: Token) => (t.revokedAt ? `Đã thu hồi ngày ${dayOfInstant(t.revokedAt)}` : 'Đang dùng'),
      },
      { header: '', cell: revokeCell },
    ],
  };
}
