import { api, currentUser } from '../api.ts';
import type { Contact } from '../api-types.d.ts';
import { h, show, takeFlash } from '../dom.ts';
import { agencyText } from '../names.ts';
import { contactsSection } from './contacts.ts';
import { registryChoice } from './registry-choice.ts';

/** The roles of a province that receive notifications besides the agencies. */
const ROLES: [NonNullable<Contact['role']>, string, string][] = [
  ['coordinator', 'Văn phòng cơ quan thường trực', 'Nhận đề nghị gia hạn, sản phẩm được nộp và đôn đốc mức 1.'],
  ['coordinator-director', 'Lãnh đạo cơ quan thường trực', 'Nhận đôn đốc mức 2 (5 ngày làm việc sau hạn).'],
  ['leadership', 'Lãnh đạo UBND tỉnh', 'Nhận đôn đốc mức 3 (15 ngày làm việc sau hạn).'],
];

/**
 * Who receives notifications for the coordinator's office, its director and the province's
 * leadership (agencies' own contacts are on each agency's page).
 */
export async function renderRoleContacts(_p: string[], query: URLSearchParams) {
  const user = currentUser();
  const reload = () => void renderRoleContacts(_p, query);
  if (user.role === 'agency') {
    // An agency manages its own contacts only.
    const own = (await api('GET /v1/contacts')).items;
    show(
      h('h1', null, 'Địa chỉ nhận thông báo'),
      takeFlash(),
      contactsSection({
        registry: user.registry ?? '',
        agency: user.agencyCode ?? undefined,
        title: `Thư điện tử và webhook của ${agencyText(user.agency, user.agencyCode)}`,
        note: 'Thông báo của cơ quan được gửi đến các địa chỉ này, ngay hoặc trong bản tin 8 giờ sáng.',
        contacts: own,
        reload,
      }),
    );
    return;
  }
  const { key, name, picker } = await registryChoice(query, '#/nguoi-nhan');
  const contacts = (await api('GET /v1/contacts', { query: new URLSearchParams({ registry: key }) })).items;
  show(
    h('h1', null, 'Địa chỉ nhận thông báo'),
    takeFlash(),
    picker,
    h(
      'p',
      { class: 'note' },
      `${name}: thư điện tử và webhook của cơ quan thường trực và lãnh đạo. Địa chỉ nhận thông báo của từng cơ quan ở trang `,
      h('a', { href: `#/co-quan?${new URLSearchParams({ 'danh-muc': key })}` }, 'Danh mục cơ quan'),
      '.',
    ),
    ROLES.map(([role, title, note]) =>
      contactsSection({
        registry: key,
        role,
        title,
        note,
        contacts: contacts.filter((c) => c.role === role),
        reload,
      }),
    ),
  );
}
