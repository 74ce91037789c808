import { api, currentUser } from '../api.ts';
import { dataTable } from '../components/table.ts';
import type { MyPreferences } from '../api-types.d.ts';

type PersonalMode = MyPreferences['preferences'][string];
import { h, say, show, shownOnce, statusArea } from '../dom.ts';
import { cardForm } from '../components/form.ts';

/** How a kind of notice reaches the person, in the words of GET /v1/labels `personalModes`. */
const MODES = [
  ['immediate', 'Gửi thư ngay'],
  ['digest', 'Gộp vào thư tổng hợp buổi sáng'],
  ['off', 'Không nhận'],
] as [string, string][];

/**
 * One's own page: how each kind of notice reaches one's e-mail (at once, in the morning digest,
 * not at all), and a private calendar feed of the deadlines one's agency or role must meet.
 */
export async function renderPersonal() {
  const user = currentUser();
  const mine = await api('GET /v1/me/preferences');
  show(
    h('h1', null, 'Trang cá nhân'),
    h('p', null, `${user.name} · ${mine.email}`),
    preferencesForm(mine),
    calendarSection(),
  );
}

/** @param mine the answer of GET /v1/me/preferences */
function preferencesForm(mine: MyPreferences) {
  const status = statusArea();
  const selects: Record<string, HTMLSelectElement> = {};
  const selectOf = (k: MyPreferences['kinds'][number]) => {
    const select = h(
      'select',
      { name: k.kind, id: `che-do-${k.kind}` },
      MODES.map(([mode, words]) =>
        h('option', { value: mode, selected: mode === k.mode }, mode === k.defaultMode ? `${words} (mặc định)` : words),
      ),
    ) as HTMLSelectElement;
    selects[k.kind] = select;
    return select;
  };
  const table = dataTable({
    caption: 'Cách nhận từng loại thông báo',
    className: 'preferences',
    rows: mine.kinds.map((k) => [k, selectOf(k)] as const),
    columns: [
      { header: 'Loại thông báo', rowHeader: true, cell: ([k, select]) => h('label', { for: select.id }, k.label) },
      { header: 'Cách nhận', cell: ([, select]) => select },
    ],
  });
  return h(
    'section',
    { 'aria-labelledby': 'nhan-thu' },
    h('h2', { id: 'nhan-thu' }, 'Nhận thông báo qua thư điện tử'),
    h('p', { class: 'note' }, `Thư được gửi đến ${mine.email}, địa chỉ dùng để đăng nhập.`),
    cardForm({
      status,
      pending: 'Đang lưu…',
      body: [table],
      submit: 'Lưu cách nhận thông báo',
      action: async () => {
        const preferences = Object.fromEntries(
          Object.entries(selects).map(([kind, s]) => [kind, s.value as PersonalMode]),
        );
        await api('PUT /v1/me/preferences', { body: { preferences } });
        return 'Đã lưu cách nhận thông báo.';
      },
    }),
  );
}

/** Make (once shown) or revoke the private iCalendar address of one's deadlines. */
function calendarSection() {
  const status = statusArea();
  status.setAttribute('tabindex', '-1');
  const shown = h('div');
  const make = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        try {
          const feed = await api('POST /v1/me/calendar');
          const copy = h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: async () => {
                await window.navigator.clipboard.writeText(feed.url).then(
                  () => say(status, 'Đã chép đường dẫn.'),
                  () => say(status, 'Không chép được; hãy chọn đường dẫn và chép bằng tay.', 'error'),
                );
              },
            },
            'Chép đường dẫn',
          );
          shown.replaceChildren(
            shownOnce(
              'Đường dẫn lịch công việc',
              feed.url,
              'Đường dẫn này chỉ hiện một lần và là chìa khóa riêng: ai có nó đều xem được lịch. Tạo đường dẫn mới thì đường dẫn cũ hết hiệu lực.',
            ),
            copy,
          );
          say(status, 'Đã tạo đường dẫn lịch công việc.');
          (shown.querySelector('input') as HTMLInputElement | null)?.focus();
        } catch (error) {
          say(status, (error as Error).message, 'error');
          status.focus();
        }
      },
    },
    'Tạo đường dẫn lịch',
  );
  const revoke = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      onclick: async () => {
        try {
          await api('DELETE /v1/me/calendar');
          shown.replaceChildren();
          say(status, 'Đã thu hồi đường dẫn lịch; lịch đã đăng ký sẽ không cập nhật nữa.');
        } catch (error) {
          say(status, (error as Error).message, 'error');
        }
        status.focus();
      },
    },
    'Thu hồi đường dẫn lịch',
  );
  return h(
    'section',
    { 'aria-labelledby': 'lich' },
    h('h2', { id: 'lich' }, 'Lịch công việc'),
    h(
      'p',
      { class: 'note' },
      'Thêm hạn hoàn thành và ngày phải gửi báo cáo vào Outlook, Google Calendar hoặc điện thoại: tạo đường dẫn riêng rồi đăng ký lịch theo đường dẫn đó.',
    ),
    h('div', { class: 'card' }, h('p', { class: 'downloads' }, make, revoke), shown, status),
  );
}
