// @ts-check
import { api, currentUser, loadSession, setSession, toSignIn } from './api.js';
import { h, show } from './dom.js';
import { roleNames } from './format.js';
import { stopWatching } from './live.js';
import { renderChangePassword, renderLogin, renderInvitation } from './pages/sign-in.js';
import { renderMine } from './pages/mine.js';
import { renderAssignment } from './pages/assignment.js';
import { renderCoordinator } from './pages/coordinator.js';
import { renderPeople } from './pages/people.js';
import { renderImport } from './pages/plan-import.js';
import { renderDashboard } from './pages/dashboard.js';
import { renderList } from './pages/list.js';
import { renderNotifications } from './pages/notifications.js';
import { renderAudit } from './pages/audit.js';
import { renderAgencies, renderAgency } from './pages/agencies.js';
import { renderRoleContacts } from './pages/role-contacts.js';
import { renderTokens } from './pages/tokens.js';
import { renderPeriodicReport } from './pages/periodic-report.js';

/** @typedef {(params: string[], query: URLSearchParams) => Promise<void> | void} Page */

/** @type {[RegExp, Page, boolean][]} pattern, page, needs a signed-in person */
const routes = [
  [/^\/dang-nhap$/, renderLogin, false],
  [/^\/loi-moi\/([\w-]+)$/, renderInvitation, false],
  [/^\/doi-mat-khau$/, renderChangePassword, true],
  [/^\/viec-cua-toi$/, renderMine, true],
  [/^\/nhiem-vu\/(.+)$/, renderAssignment, true],
  [/^\/dieu-phoi$/, renderCoordinator, true],
  [/^\/nguoi-dung$/, renderPeople, true],
  [/^\/nhap-ke-hoach$/, renderImport, true],
  [/^\/tong-quan$/, renderDashboard, true],
  [/^\/danh-sach$/, renderList, true],
  [/^\/thong-bao$/, renderNotifications, true],
  [/^\/nhat-ky$/, renderAudit, true],
  [/^\/co-quan$/, renderAgencies, true],
  [/^\/co-quan\/([^/]+)\/([^/]+)$/, renderAgency, true],
  [/^\/nguoi-nhan$/, renderRoleContacts, true],
  [/^\/ma-truy-cap$/, renderTokens, true],
  [/^\/bao-cao$/, renderPeriodicReport, true],
];

/** Where each role starts. @param {any} user */
function home(user) {
  if (!user) return '#/dang-nhap';
  return user.role === 'coordinator' ? '#/dieu-phoi' : user.role === 'leadership' ? '#/tong-quan' : '#/viec-cua-toi';
}

function renderNav() {
  const user = currentUser();
  const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
  if (!user) return nav.replaceChildren();
  /** @type {[string, string][]} */
  const links =
    user.role === 'coordinator'
      ? [
          ['#/dieu-phoi', 'Điều phối'],
          ['#/nhap-ke-hoach', 'Nhập kế hoạch'],
          ['#/co-quan', 'Cơ quan'],
          ['#/nguoi-nhan', 'Người nhận'],
          ['#/nguoi-dung', 'Người dùng'],
          ['#/ma-truy-cap', 'Mã truy cập'],
          ['#/bao-cao', 'Báo cáo'],
          ['#/tong-quan', 'Tổng quan'],
          ['#/nhat-ky', 'Nhật ký'],
        ]
      : user.role === 'leadership'
        ? [
            ['#/tong-quan', 'Tổng quan'],
            ['#/danh-sach', 'Nhiệm vụ'],
            ['#/bao-cao', 'Báo cáo'],
          ]
        : [
            ['#/viec-cua-toi', 'Việc của tôi'],
            ['#/thong-bao', 'Thông báo'],
            ['#/nguoi-nhan', 'Người nhận'],
            ['#/tong-quan', 'Tổng quan'],
          ];
  const current = location.hash.split('?')[0];
  nav.replaceChildren(
    h(
      'ul',
      null,
      links.map(([href, text]) =>
        h('li', null, h('a', { href, 'aria-current': current === href ? 'page' : undefined }, text)),
      ),
    ),
    h(
      'p',
      { class: 'who' },
      h('span', null, `${user.name} · ${roleNames[user.role]}${user.agencyCode ? ` (${user.agencyCode})` : ''}`),
      h('a', { href: '#/doi-mat-khau' }, 'Đổi mật khẩu'),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: async () => {
            await api('DELETE', '/v1/session').catch(() => undefined);
            setSession(null);
            location.hash = '#/dang-nhap';
          },
        },
        'Đăng xuất',
      ),
    ),
  );
}

let first = true;

async function route() {
  stopWatching();
  if (first) {
    first = false;
    await loadSession();
  }
  const [path = '/', search = ''] = location.hash.replace(/^#/, '').split('?');
  const user = currentUser();
  renderNav();
  for (const [pattern, page, needsUser] of routes) {
    const match = path.match(pattern);
    if (!match) continue;
    if (needsUser && !user) {
      toSignIn();
      return;
    }
    try {
      await page(match.slice(1).map(decodeURIComponent), new URLSearchParams(search));
    } catch (error) {
      show(
        h('h1', null, 'Có lỗi'),
        h('p', { class: 'status error' }, error instanceof Error ? error.message : String(error)),
      );
    }
    renderNav();
    return;
  }
  location.hash = home(user);
}

window.addEventListener('hashchange', () => void route());
void route();
