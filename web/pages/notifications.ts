import { api } from '../api.ts';
import { h, show } from '../dom.ts';
import { instant } from '../format.ts';

/** What Đôn đốc told this agency: reminders, escalations, decisions on its deliverables. */
export async function renderNotifications() {
  const page = await api('GET /v1/notifications', { query: 'limit=100' });
  show(
    h('h1', null, 'Thông báo'),
    page.items.length
      ? h(
          'ul',
          { class: 'notifications' },
          page.items.map((n) =>
            h(
              'li',
              { class: `card${n.readAt ? '' : ' unread'}` },
              h('p', null, n.text),
              h(
                'p',
                { class: 'note' },
                instant(n.createdAt),
                ' · ',
                h('a', { href: `#/nhiem-vu/${encodeURIComponent(n.assignmentId)}` }, 'Mở nhiệm vụ'),
              ),
            ),
          ),
        )
      : h('p', { class: 'note' }, 'Chưa có thông báo.'),
  );
  if (page.items.some((n) => !n.readAt)) await api('POST /v1/notifications/read', { body: {} }).catch(() => undefined);
}
