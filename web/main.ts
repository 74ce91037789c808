import { abilities, api, loadSession, setSession, signedIn, toSignIn } from './api.ts';
import type { Account, SessionInfo } from './api-types.d.ts';

/** What a page may need of the session beyond signing in. */
type Ability = keyof SessionInfo['abilities'];
import { h, show } from './dom.ts';
import { roleNames } from './format.ts';
import { agencyText } from './names.ts';
import { stopWatching } from './live.ts';
import { renderChangePassword, renderLogin, renderInvitation } from './pages/sign-in.ts';
import { renderMine } from './pages/mine.ts';
import { renderAssignment } from './pages/assignment.ts';
import { renderCoordinator } from './pages/coordinator.ts';
import { renderPeople } from './pages/people.ts';
import { renderImport } from './pages/plan-import.ts';
import { renderDashboard } from './pages/dashboard.ts';
import { renderList } from './pages/list.ts';
import { renderNotifications } from './pages/notifications.ts';
import { renderAudit } from './pages/audit.ts';
import { renderAgencies, renderAgency } from './pages/agencies.ts';
import { renderRoleContacts } from './pages/role-contacts.ts';
import { renderTokens } from './pages/tokens.ts';
import { renderPeriodicReport } from './pages/periodic-report.ts';
import { renderPersonal } from './pages/personal.ts';

type Page = (params: string[], query: URLSearchParams) => Promise<void> | void;

/**
 * pattern, page, who may open it: false (anyone), true (anyone signed in), or the ability of the
 * session (`abilities`) the page needs — a clerk opening a coordinator's page is told so.
 */
const routes: [RegExp, Page, boolean | Ability][] = [
  [/^\/dang-nhap$/, renderLogin, false],
  [/^\/loi-moi\/([\w-]+)$/, renderInvitation, false],
  [/^\/doi-mat-khau$/, renderChangePassword, true],
  [/^\/ca-nhan$/, renderPersonal, true],
  [/^\/viec-cua-toi$/, renderMine, true],
  [/^\/nhiem-vu\/(.+)$/, renderAssignment, true],
  [/^\/dieu-phoi$/, renderCoordinator, 'reviewWork'],
  [/^\/nguoi-dung$/, renderPeople, 'managePeople'],
  [/^\/nhap-ke-hoach$/, renderImport, 'importPlans'],
  [/^\/tong-quan$/, renderDashboard, true],
  [/^\/danh-sach$/, renderList, true],
  [/^\/thong-bao$/, renderNotifications, true],
  [/^\/nhat-ky$/, renderAudit, 'readAudit'],
  [/^\/co-quan$/, renderAgencies, 'editRegistries'],
  [/^\/co-quan\/([^/]+)\/([^/]+)$/, renderAgency, 'editRegistries'],
  [/^\/nguoi-nhan$/, renderRoleContacts, 'manageContacts'],
  [/^\/ma-truy-cap$/, renderTokens, 'manageTokens'],
  [/^\/bao-cao$/, renderPeriodicReport, true],
];

/** What each page the navigation may show needs, by its address. */
const needs: Record<string, Ability> = Object.fromEntries(
  routes
    .filter(([, , need]) => typeof need === 'string')
    .map(([pattern, , need]) => [`#${pattern.source.replace(/^\^|\$$/g, '').replaceAll('\\/', '/')}`, need as Ability]),
);

/** Where each role starts. */
function home(user: Account | null) {
  if (!user) return '#/dang-nhap';
  return user.role === 'coordinator' ? '#/dieu-phoi' : user.role === 'leadership' ? '#/tong-quan' : '#/viec-cua-toi';
}

function renderNav() {
  const user = signedIn();
  const nav = document.getElementById('nav') as HTMLElement;
  if (!user) return nav.replaceChildren();
  const wanted: [string, string][] =
    user.role === 'coordinator'
      ? [
          ['#/dieu-phoi', 'Điều phối'],
          ['#/nhap-ke-hoach', 'Nhập kế hoạch'],
          ['#/co-quan', 'Cơ quan'],
          ['#/nguoi-nhan', 'Địa chỉ nhận thông báo'],
          ['#/nguoi-dung', 'Người dùng'],
          ['#/ma-truy-cap', 'Mã truy cập'],
          ['#/bao-cao', 'Báo cáo'],
          ['#/tong-quan', 'Tổng quan'],
          ['#/thong-bao', 'Thông báo'],
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
            ['#/nguoi-nhan', 'Địa chỉ nhận thông báo'],
            ['#/tong-quan', 'Tổng quan'],
          ];
  // A page the session may not open is not offered, whatever the role's list says.
  const can = abilities();
  const links = wanted.filter(([href]) => {
    const need = needs[href];
    return !need || can[need];
  });
  const current = location.hash.split('?')[0];
  const open = nav.getAttribute('data-open') === 'true';
  const items = h(
    'div',
    { class: 'menu-items', id: 'trinh-don' },
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
      h(
        'span',
        null,
        `${user.name} · ${roleNames[user.role]}${user.agencyCode ? ` (${agencyText(user.agency, user.agencyCode)})` : ''}`,
      ),
      h('a', { href: '#/ca-nhan' }, 'Trang cá nhân'),
      h('a', { href: '#/doi-mat-khau' }, 'Đổi mật khẩu'),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: async () => {
            await api('DELETE /v1/session').catch(() => undefined);
            setSession(null);
            location.hash = '#/dang-nhap';
          },
        },
        'Đăng xuất',
      ),
    ),
  );
  // On a phone the header is one line: the brand and this button, which opens the menu.
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'menu-toggle',
      'aria-expanded': open ? 'true' : 'false',
      'aria-controls': 'trinh-don',
      onclick: () => {
        const now = nav.getAttribute('data-open') !== 'true';
        nav.setAttribute('data-open', String(now));
        toggle.setAttribute('aria-expanded', String(now));
      },
    },
    'Trình đơn',
  );
  nav.replaceChildren(toggle, items);
}

let first = true;

async function route() {
  stopWatching();
  if (first) {
    first = false;
    await loadSession();
  }
  const [path = '/', search = ''] = location.hash.replace(/^#/, '').split('?');
  const user = signedIn();
  // A new page closes the phone's menu.
  document.getElementById('nav')?.setAttribute('data-open', 'false');
  renderNav();
  for (const [pattern, page, need] of routes) {
    const match = path.match(pattern);
    if (!match) continue;
    if (need && !user) {
      toSignIn();
      return;
    }
    if (typeof need === 'string' && !abilities()[need]) {
      show(
        h('h1', null, 'Không có quyền'),
        h('p', { class: 'status error' }, 'Không có quyền: trang này dành cho cơ quan thường trực.'),
        h('p', null, h('a', { href: home(user) }, 'Về trang của tôi')),
      );
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
