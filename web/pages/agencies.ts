import { cardForm, filterBar } from '../components/form.ts';
import { api } from '../api.ts';
import { dataTable } from '../components/table.ts';
import type { Agency } from '../api-types.d.ts';
import { field, flashNext, h, show, statusArea, takeFlash, valueOf } from '../dom.ts';
import { day, number } from '../format.ts';
import { contactsSection } from './contacts.ts';
import { agencyPicker, pickerField } from '../components/picker.ts';
import { registryChoice } from './registry-choice.ts';

export const KIND_NAMES: Record<string, string> = {
  department: 'Sở, ngành',
  office: 'Văn phòng',
  inspectorate: 'Thanh tra',
  board: 'Ban',
  district: 'Cấp huyện',
  commune: 'Cấp xã',
  province: 'UBND tỉnh',
  central: 'Bộ, ngành trung ương',
  other: 'Khác',
};

const kindSelect = (selected: string = 'department') =>
  h(
    'select',
    { required: true },
    Object.entries(KIND_NAMES).map(([value, text]) => h('option', { value, selected: value === selected }, text)),
  );

/** "Tên khác" as typed: one per line or separated by ";". */
const aliasesOf = (text: string) =>
  text
    .split(/[;\n]/)
    .map((a) => a.trim())
    .filter(Boolean);

const agencyHref = (key: string, code: string) => `#/co-quan/${encodeURIComponent(key)}/${encodeURIComponent(code)}`;

/** The coordinator's registry of agencies: search, add, and a link to each agency's page. */
export async function renderAgencies(_p: string[], query: URLSearchParams) {
  const { key, name, picker } = await registryChoice(query, '#/co-quan');
  const q = query.get('q') ?? '';
  const showMerged = query.get('da-hop-nhat') === '1';
  const params = new URLSearchParams({
    limit: '500',
    ...(q ? { q } : {}),
    ...(showMerged ? { includeMerged: 'true' } : {}),
  });
  const page = await api('GET /v1/registries/{key}/agencies', { params: { key }, query: params });
  const agencies = page.items;

  const keep = new URLSearchParams(query);
  keep.delete('q');
  keep.delete('da-hop-nhat');
  const searchForm = filterBar({
    route: '#/co-quan',
    keep,
    className: 'filters no-print',
    body: [
      field(
        'Tìm cơ quan',
        h('input', { type: 'search', name: 'q', value: q, maxlength: 200, autocomplete: 'off' }),
        'Theo tên, mã hoặc tên khác; không cần gõ dấu.',
      ),
      h(
        'p',
        { class: 'check' },
        h('input', { type: 'checkbox', name: 'da-hop-nhat', value: '1', id: 'hien-da-hop-nhat', checked: showMerged }),
        h('label', { for: 'hien-da-hop-nhat' }, 'Hiện cả cơ quan đã hợp nhất'),
      ),
    ],
    submit: 'Tìm',
  });

  const code = h('input', {
    type: 'text',
    required: true,
    maxlength: 40,
    autocomplete: 'off',
    pattern: '[A-Za-z0-9_\\-]+',
  });
  const agencyName = h('input', { type: 'text', required: true, maxlength: 300, autocomplete: 'off' });
  const kind = kindSelect();
  const aliases = h('textarea', { rows: 2, maxlength: 4000 });
  const status = statusArea();
  const addForm = cardForm({
    title: 'Thêm cơ quan',
    id: 'them-co-quan',
    status,
    action: async () => {
      const agencyCode = valueOf(code).toUpperCase();
      const existing = await api('GET /v1/registries/{key}/agencies/{code}', {
        params: { key, code: agencyCode },
      }).catch(() => null);
      if (existing) throw new Error(`Mã ${agencyCode} đã dùng cho ${existing.name}; hãy chọn mã khác.`);
      const saved = await api('PUT /v1/registries/{key}/agencies/{code}', {
        params: { key, code: agencyCode },
        body: {
          name: valueOf(agencyName),
          kind: valueOf(kind) as Agency['kind'],
          aliases: aliasesOf(valueOf(aliases)),
        },
      });
      flashNext(`Đã thêm ${saved.name} (${saved.code}) vào danh mục.`);
      location.hash = agencyHref(key, saved.code);
    },
    body: [
      field('Mã cơ quan', code, 'Chữ in hoa không dấu, ngắn và không đổi, ví dụ TTCDS.'),
      field('Tên cơ quan', agencyName),
      field('Loại cơ quan', kind),
      field('Tên khác', aliases, 'Cách kế hoạch viết tên này: viết tắt, tên cũ; mỗi tên một dòng.'),
    ],
    submit: 'Thêm cơ quan',
  });

  show(
    h('h1', null, 'Danh mục cơ quan'),
    takeFlash(),
    picker,
    h(
      'p',
      { class: 'note' },
      `${name}: ${number(agencies.length)} cơ quan${page.nextCursor ? ' (500 đầu tiên)' : ''}.`,
    ),
    searchForm,
    agencies.length
      ? dataTable({
          caption: `Cơ quan trong danh mục ${name}`,
          rows: agencies,
          columns: [
            { header: 'Tên cơ quan', rowHeader: true, cell: (a) => h('a', { href: agencyHref(key, a.code) }, a.name) },
            { header: 'Mã', className: 'code', cell: (a) => a.code },
            { header: 'Loại', cell: (a) => KIND_NAMES[a.kind] ?? a.kind },
            // Other names (abbreviations and codes among them) are secondary to the name.
            { header: 'Tên khác', className: 'other-names', cell: (a) => (a.aliases ?? []).join('; ') || '—' },
            { header: 'Tình trạng', cell: (a) => stateWords(a) },
          ],
        })
      : h('p', { class: 'note' }, 'Không có cơ quan nào khớp.'),
    addForm,
  );
}

function stateWords(a: Agency) {
  if (a.mergedInto)
    return `Đã hợp nhất vào ${a.successor ? `${a.successor.name} (${a.successor.code})` : a.mergedInto}${a.existsUntil ? ` từ ${day(a.existsUntil)}` : ''}`;
  return 'Đang hoạt động';
}

/** One agency: rename it, retire it into a successor, and who receives its notifications. */
export async function renderAgency([key = '', code = '']: string[]) {
  const params = { key, code };
  const [agency, contacts, registries] = await Promise.all([
    api('GET /v1/registries/{key}/agencies/{code}', { params }),
    api('GET /v1/contacts', { query: new URLSearchParams({ registry: key, agency: code }) }),
    api('GET /v1/registries'),
  ]);
  const registryName = registries.items.find((r) => r.key === key)?.name ?? key;
  const reload = () => void renderAgency([key, code]);

  const agencyName = h('input', {
    type: 'text',
    required: true,
    maxlength: 300,
    value: agency.name,
    autocomplete: 'off',
  });
  const kind = kindSelect(agency.kind);
  const aliases = h('textarea', { rows: 3, maxlength: 4000 });
  (aliases as HTMLTextAreaElement).value = (agency.aliases ?? []).join('\n');
  const keepOld = h('input', { type: 'checkbox', id: 'giu-ten-cu', checked: true });
  const renameStatus = statusArea();
  const renameForm = cardForm({
    title: 'Đổi tên, loại hoặc tên khác',
    id: 'doi-ten',
    status: renameStatus,
    action: async () => {
      const newName = valueOf(agencyName);
      const names = aliasesOf(valueOf(aliases));
      // Plans written before the rename still say the old name: keep it as another name.
      if ((keepOld as HTMLInputElement).checked && newName !== agency.name && !names.includes(agency.name))
        names.push(agency.name);
      const saved = await api('PUT /v1/registries/{key}/agencies/{code}', {
        params,
        body: { name: newName, kind: valueOf(kind) as Agency['kind'], aliases: names },
      });
      flashNext(`Đã lưu ${saved.name} (${saved.code}).`);
      reload();
    },
    body: [
      field('Tên cơ quan', agencyName),
      field('Loại cơ quan', kind),
      field('Tên khác', aliases, 'Mỗi tên một dòng.'),
      h('p', { class: 'check' }, keepOld, h('label', { for: 'giu-ten-cu' }, 'Giữ tên cũ làm tên khác khi đổi tên')),
    ],
    submit: 'Lưu',
  });

  // The successor is found by name, never typed as a code; this agency is refused with the reason.
  const into = agencyPicker(key, {
    required: true,
    refuse: (other) => (other === code ? 'Không thể hợp nhất một cơ quan vào chính nó; hãy chọn cơ quan khác.' : null),
  });
  const reason = h('textarea', { rows: 2, maxlength: 2000 });
  const moveWork = h('input', { type: 'checkbox', id: 'chuyen-viec', checked: true });
  const mergeStatus = statusArea();
  const mergeForm = agency.mergedInto
    ? null
    : cardForm({
        title: 'Thôi hoạt động (hợp nhất vào cơ quan khác)',
        id: 'thoi-hoat-dong',
        status: mergeStatus,
        action: async () => {
          const result = await api('POST /v1/registries/{key}/agencies/{code}/merge', {
            params,
            body: {
              into: into.value() ?? '',
              ...(valueOf(reason) ? { reason: valueOf(reason) } : {}),
              reassignOpenWork: (moveWork as HTMLInputElement).checked,
            },
          });
          flashNext(
            `Đã hợp nhất ${result.agency.name} vào ${result.successor.name}; chuyển ${number(result.reassigned.length)} nhiệm vụ` +
              (result.refused.length ? `, ${number(result.refused.length)} nhiệm vụ chưa chuyển được.` : '.'),
          );
          reload();
        },
        body: [
          h('p', { class: 'note' }, 'Việc mới ghi tên cơ quan này sẽ giao cho cơ quan tiếp nhận.'),
          pickerField('Cơ quan tiếp nhận', into, 'Gõ vài chữ của tên, có dấu hoặc không, rồi chọn.'),
          field('Lý do', reason, 'Ghi vào lịch sử từng nhiệm vụ được chuyển.'),
          h(
            'p',
            { class: 'check' },
            moveWork,
            h('label', { for: 'chuyen-viec' }, 'Chuyển việc đang làm sang cơ quan tiếp nhận'),
          ),
        ],
        submit: 'Hợp nhất',
      });

  show(
    h(
      'p',
      { class: 'crumbs' },
      h('a', { href: `#/co-quan?${new URLSearchParams({ 'danh-muc': key })}` }, '← Danh mục cơ quan'),
    ),
    h('h1', null, agency.name, h('small', { class: 'code' }, ` (${agency.code})`)),
    takeFlash(),
    h(
      'dl',
      { class: 'card facts' },
      h('dt', null, 'Danh mục'),
      h('dd', null, registryName),
      h('dt', null, 'Loại'),
      h('dd', null, KIND_NAMES[agency.kind] ?? agency.kind),
      h('dt', null, 'Tên khác'),
      h('dd', { class: 'other-names' }, (agency.aliases ?? []).join('; ') || '—'),
      h('dt', null, 'Tình trạng'),
      h('dd', null, stateWords(agency)),
    ),
    contactsSection({
      registry: key,
      agency: code,
      title: 'Địa chỉ nhận thông báo của cơ quan',
      contacts: contacts.items,
      reload,
    }),
    h('div', { class: 'actions' }, renameForm, mergeForm),
  );
}
