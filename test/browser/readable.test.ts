import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildApp } from '../../api/app.ts';
import { createTestContext, eventually, quietLogger, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { launchBrowser, PHONE, stepRunner, watchConsole } from '../support/browser.ts';

/**
 * Issue 22 in a real browser whose own language is English (dates and numbers must still read as
 * Vietnamese): a clerk of Sở Nội vụ on a phone, the coordinator and a provincial leader on a
 * desktop, over a province's plan of 60 tasks led by 30 agencies. Names, not codes; the buttons the
 * server allows and no others; the decision asked again; the audit trail in sentences; the
 * leader's ranking and its print on two A4 pages; lists paged by the server; one's own e-mail
 * choices and calendar feed; and axe-core on every page finds nothing serious.
 */

const PLAN = '31/KH-UBND';
const PLAN_TITLE = 'Kế hoạch cải cách hành chính tỉnh Vĩnh Phúc năm 2027';
const TASK_LEAD = '1. Chuẩn hoá quy trình tiếp nhận hồ sơ trực tuyến';
const TASK_HELP = '2. Số hoá hồ sơ lưu trữ của tỉnh';
const TASK_SEARCHED = '3. Rà soát thủ tục hành chính nội bộ';
const DESKTOP = { width: 1366, height: 768 };

let ctx: TestContext;
let app: FastifyInstance;
let base: string;
let filesDir: string;
let browser: Browser;
let coordinator: Page;
let clerk: Page;
let leader: Page;
let agencyNames: { code: string; name: string }[] = [];

const step = stepRunner(() => ({ coordinator, clerk, leader }));
const consoleErrors: string[] = [];
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function account(person: { email: string; name: string; role: string; agency?: string }, password: string) {
  const token = await testTokens(ctx).coordinator();
  const invited = await app.inject({
    method: 'POST',
    url: '/v1/invitations',
    headers: bearer(token),
    payload: { ...person, registry: 'vinh-phuc' },
  });
  expect(invited.statusCode).toBe(201);
  const accepted = await app.inject({
    method: 'POST',
    url: `/v1/invitations/${invited.json().token}/accept`,
    payload: { password },
  });
  expect(accepted.statusCode).toBe(201);
}

/** A person's browser in English (the browser's language, not the page's), in Vietnam's time. */
async function englishContext(viewport: { width: number; height: number }): Promise<BrowserContext> {
  return browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Ho_Chi_Minh', viewport });
}

async function signIn(page: Page, email: string, password: string, landing: string) {
  await page.goto(`${base}/#/dang-nhap`);
  await page.getByLabel('Thư điện tử').fill(email);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { name: landing, level: 1 }).waitFor();
}

/** axe-core's serious and critical violations on the page as it is now, as "rule: target" lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the browser's debugging protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] = await page.evaluate(
    async () => {
      const axe = (globalThis as unknown as { axe: { run: (o: unknown) => Promise<{ violations: never[] }> } }).axe;
      return (await axe.run({ resultTypes: ['violations'] })).violations;
    },
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * What a person reads on the page as primary text (the header and the main part), each text node
 * on its own line; what the page marks as secondary (`.code`, the code after a name; `.other-names`,
 * an agency's other names in the registry) is left out, and so are form fields' values.
 */
async function primaryText(page: Page): Promise<string> {
  // A string: the test's own types know no DOM.
  return page.evaluate(`(() => {
    const lines = [];
    for (const root of document.querySelectorAll('header.top, main')) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode())
        if (!node.parentElement?.closest('.code, .other-names, script, style, textarea')) lines.push(node.textContent ?? '');
    }
    return lines.join('\\n');
  })()`);
}

/**
 * Codes shown where a person reads names: an agency's code standing on its own (not inside a
 * document number such as "12/QT-SNV"), the registry's key, or an assignment's raw status.
 */
function codesIn(text: string, agencyCodes: string[]): string[] {
  const codes = new RegExp(`(?<![\\w/-])(${agencyCodes.join('|')})(?![\\w/-])`, 'g');
  const statuses = /(?<![\w-])(assigned|acknowledged|in_progress|submitted|completed|cancelled)(?![\w-])/g;
  return [...text.matchAll(codes), ...text.matchAll(/vinh-phuc/g), ...text.matchAll(statuses)].map((m) => {
    const at = m.index ?? 0;
    return `"${m[0]}" in "${text.slice(Math.max(0, at - 30), at + 30).replace(/\n/g, ' ')}"`;
  });
}

async function fits(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollWidth <= window.innerWidth');
}

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  filesDir = await mkdtemp(join(tmpdir(), 'dondoc-browser-files-'));
  app = await buildApp(ctx.deps, { logger: quietLogger(), filesDir });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const token = await testTokens(ctx).coordinator();
  // Thirty of the province's departments (not Sở Nội vụ and Sở Tư pháp, named below).
  const registry = await app.inject({
    method: 'GET',
    url: '/v1/registries/vinh-phuc/agencies?limit=500',
    headers: bearer(token),
  });
  agencyNames = (registry.json().items as { code: string; name: string; mergedInto?: string | null }[])
    .filter((a) => /^Sở /.test(a.name) && !a.mergedInto && a.code !== 'SNV' && a.code !== 'STP')
    .slice(0, 28);
  const leads = ['Sở Nội vụ', 'Sở Tư pháp', ...agencyNames.map((a) => a.name)];
  const tasks = [
    {
      number: '1',
      title: 'Chuẩn hoá quy trình tiếp nhận hồ sơ trực tuyến',
      objective: 'Giảm thời gian giải quyết hồ sơ',
      deliverables: ['Quy trình'],
      leads: ['Sở Nội vụ'],
      collaborators: ['Sở Tư pháp'],
      dueDate: '2027-12-31',
    },
    {
      number: '2',
      title: 'Số hoá hồ sơ lưu trữ của tỉnh',
      deliverables: ['Báo cáo'],
      leads: ['Sở Tư pháp'],
      collaborators: ['Sở Nội vụ'],
      dueDate: '2027-06-30',
    },
    {
      number: '3',
      title: 'Rà soát thủ tục hành chính nội bộ',
      deliverables: ['Báo cáo'],
      leads: ['Sở Nội vụ'],
      dueDate: '2027-09-30',
    },
    // The rest: two tasks per agency, some past due, so that the ranking has something to rank.
    ...Array.from({ length: 57 }, (_, i) => ({
      number: String(i + 4),
      title: `Nhiệm vụ cải cách số ${i + 4}`,
      area: ['Cải cách thể chế', 'Cải cách thủ tục hành chính', 'Chính phủ số'][i % 3],
      deliverables: ['Báo cáo'],
      leads: [leads[i % leads.length]!],
      dueDate: i % 4 === 0 ? '2026-06-30' : '2027-12-31',
    })),
  ];
  const imported = await app.inject({
    method: 'POST',
    url: '/v1/plans',
    headers: bearer(token),
    payload: {
      code: PLAN,
      title: PLAN_TITLE,
      province: 'Vĩnh Phúc',
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      tasks,
    },
  });
  expect(imported.statusCode).toBe(201);
  await eventually(
    async () => {
      const list = await app.inject({ method: 'GET', url: '/v1/assignments?limit=500', headers: bearer(token) });
      return list.json().items.filter((a: { version: number }) => a.version >= 1).length === 60 ? true : undefined;
    },
    120_000,
    'sixty assignments running',
  );
  await account(
    { email: 'thuongtruc@snv.vinhphuc.gov.vn', name: 'Lê Thị Thường Trực', role: 'coordinator' },
    'mật khẩu thường trực 2026',
  );
  await account(
    { email: 'an.nguyen@snv.vinhphuc.gov.vn', name: 'Nguyễn Văn An', role: 'agency', agency: 'SNV' },
    'mật khẩu sở nội vụ',
  );
  await account(
    { email: 'chutich@vinhphuc.gov.vn', name: 'Trần Văn Chủ Tịch', role: 'leadership' },
    'mật khẩu lãnh đạo tỉnh',
  );

  browser = await launchBrowser();
  coordinator = await (await englishContext(DESKTOP)).newPage();
  clerk = await (await englishContext(PHONE)).newPage();
  leader = await (await englishContext(DESKTOP)).newPage();
  for (const page of [coordinator, clerk, leader]) watchConsole(page, consoleErrors);
  await signIn(coordinator, 'thuongtruc@snv.vinhphuc.gov.vn', 'mật khẩu thường trực 2026', 'Điều phối');
  await signIn(clerk, 'an.nguyen@snv.vinhphuc.gov.vn', 'mật khẩu sở nội vụ', 'Việc của tôi');
  await signIn(leader, 'chutich@vinhphuc.gov.vn', 'mật khẩu lãnh đạo tỉnh', 'Tổng quan');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ctx?.close();
  if (filesDir) await rm(filesDir, { recursive: true, force: true });
});

describe("the clerk's phone", () => {
  it('loads the app as one script, and shows a one-line header whose menu opens the links', async () => {
    await step('one-line-header', async () => {
      const scripts: string[] = [];
      clerk.on('request', (r) => {
        if (r.resourceType() === 'script') scripts.push(r.url());
      });
      await clerk.reload();
      await clerk.getByRole('heading', { name: 'Việc của tôi', level: 1 }).waitFor();
      expect(scripts).toEqual([`${base}/app/app.js`]);
      const header = await clerk.locator('header.top').boundingBox();
      expect(header!.height).toBeLessThan(64);
      expect(await clerk.getByRole('link', { name: 'Thông báo', exact: true }).isVisible()).toBe(false);
      await clerk.getByRole('button', { name: 'Trình đơn' }).click();
      await clerk.getByRole('link', { name: 'Thông báo', exact: true }).waitFor();
      expect(await clerk.getByRole('button', { name: 'Trình đơn' }).getAttribute('aria-expanded')).toBe('true');
      // A clerk is offered no coordinator page.
      for (const name of ['Điều phối', 'Nhập kế hoạch', 'Nhật ký', 'Người dùng', 'Mã truy cập'])
        expect(await clerk.getByRole('link', { name, exact: true }).count()).toBe(0);
      await clerk.getByRole('link', { name: 'Trang cá nhân' }).click();
      await clerk.getByRole('heading', { name: 'Trang cá nhân', level: 1 }).waitFor();
      expect(await clerk.getByRole('link', { name: 'Thông báo', exact: true }).isVisible()).toBe(false);
    });
  });

  it("answers a coordinator's page with 'Không có quyền'", async () => {
    await step('forbidden-route', async () => {
      await clerk.goto(`${base}/#/dieu-phoi`);
      await clerk.getByRole('heading', { name: 'Không có quyền', level: 1 }).waitFor();
      await clerk.goto(`${base}/#/nhat-ky`);
      await clerk.getByText('Không có quyền: trang này dành cho cơ quan thường trực.').waitFor();
    });
  });

  it('keeps the work it leads apart from the work it helps with, with the report owed from the server', async () => {
    await step('mine-by-role', async () => {
      await clerk.goto(`${base}/#/viec-cua-toi`);
      const leads = clerk.getByRole('region', { name: /^Việc cơ quan chủ trì \(\d+\)$/ });
      const helps = clerk.getByRole('region', { name: /^Việc cơ quan phối hợp \(1\)$/ });
      await leads.getByRole('link', { name: TASK_LEAD }).waitFor();
      await leads.getByRole('link', { name: TASK_SEARCHED }).waitFor();
      await helps.getByRole('link', { name: TASK_HELP }).waitFor();
      expect(await leads.getByRole('link', { name: TASK_HELP }).count()).toBe(0);
      // Names, not codes: the lead of the work it helps with is Sở Tư pháp.
      await helps.getByText('Sở Tư pháp').waitFor();
      // "Cần báo cáo kỳ này" holds exactly the work the server says owes a report.
      const mine = (await (await clerk.request.get(`${base}/v1/assignments?role=lead`)).json()) as {
        items: { reportOwed: unknown; overdue: boolean }[];
      };
      const owing = mine.items.filter((a) => a.reportOwed && !a.overdue).length;
      await clerk.getByRole('heading', { name: `Cần báo cáo kỳ này (${owing})` }).waitFor();
      // Dense cards on a phone: nothing to scroll sideways.
      expect(await fits(clerk)).toBe(true);
    });
  });

  it('finds a task by words typed without diacritics', async () => {
    await step('mine-search', async () => {
      await clerk.getByLabel('Tìm nhiệm vụ').fill('ra soat thu tuc');
      await clerk.getByRole('button', { name: 'Lọc' }).click();
      await clerk.getByText('Tìm thấy 1 nhiệm vụ.').waitFor();
      await clerk.getByRole('link', { name: TASK_SEARCHED }).waitFor();
      expect(await clerk.getByRole('link', { name: TASK_LEAD }).count()).toBe(0);
    });
  });

  it('shows the forms the server allows, names not codes, and the words of the issue', async () => {
    await step('assignment-allowed', async () => {
      await clerk.goto(`${base}/#/viec-cua-toi`);
      await clerk.getByRole('link', { name: TASK_LEAD }).click();
      await clerk.getByRole('heading', { name: 'Tiếp nhận nhiệm vụ' }).waitFor();
      const facts = clerk.locator('dl.facts');
      await facts.getByText(`${PLAN} — ${PLAN_TITLE}`).waitFor();
      await facts.getByText('Sở Nội vụ (SNV)', { exact: true }).waitFor();
      await facts.getByText('Hạn hoàn thành').waitFor();
      await facts.getByText('Mục tiêu').waitFor();
      await facts.getByText('Giảm thời gian giải quyết hồ sơ').waitFor();
      await facts.getByText('Quy trình', { exact: true }).waitFor();
      expect(await clerk.getByText('Hạn tính được').count()).toBe(0);
      expect(await clerk.getByText('Sản phẩm cần đạt').count()).toBe(0);
      // The lead's forms; never the coordinator's.
      for (const gone of ['Chấp nhận sản phẩm', 'Trả lại sản phẩm', 'Giao cho cơ quan khác', 'Góp ý, phối hợp'])
        expect(await clerk.getByRole('heading', { name: gone }).count()).toBe(0);
      await clerk.getByRole('button', { name: 'Tiếp nhận' }).click();
      await clerk.getByText('Đã tiếp nhận nhiệm vụ.').waitFor();
      // Focus and view move to the result.
      expect(await clerk.evaluate('document.activeElement?.id')).toBe('ket-qua');
      expect(await clerk.getByRole('heading', { name: 'Tiếp nhận nhiệm vụ' }).count()).toBe(0);
      const period = clerk.getByLabel('Kỳ báo cáo');
      expect(await period.locator('option').allTextContents()).toContain('Báo cáo quý I/2026');
      expect(await period.locator('option').allTextContents()).toContain('Báo cáo 6 tháng đầu năm 2026');
    });
  });

  it('submits a deliverable, which then waits under "Chờ duyệt", not "Sắp đến hạn"', async () => {
    await step('submitted-waits', async () => {
      await clerk.getByLabel('Loại sản phẩm').fill('Quy trình');
      await clerk.getByLabel('Số hiệu văn bản').fill('12/QT-SNV');
      await clerk.getByLabel('Ngày văn bản').fill('2026-12-01');
      await clerk.getByLabel('Tệp văn bản').setInputFiles({
        name: 'Quy trình 12.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n% quy trinh\n%%EOF\n'),
      });
      await clerk.getByRole('button', { name: 'Nộp sản phẩm' }).click();
      await clerk.getByText('Đã nộp sản phẩm; đang chờ cơ quan thường trực xem xét.').waitFor();
      await clerk.getByText(/^Nộp lúc \d\d:\d\d ngày \d\d\/\d\d\/\d{4} — Chờ xem xét$/).waitFor();
      await clerk.goto(`${base}/#/viec-cua-toi`);
      const review = clerk.getByRole('region', { name: 'Chờ duyệt (1)' });
      await review.getByRole('link', { name: TASK_LEAD }).waitFor();
      expect(await review.locator('.badge').allTextContents()).toEqual(['Chờ duyệt']);
    });
  });
});

describe("the coordinator's desk", () => {
  it('asks before accepting; Esc cancels; then accepts, and the timeline says who did what in words', async () => {
    await step('confirm-accept', async () => {
      await coordinator.goto(`${base}/#/dieu-phoi`);
      await coordinator.reload();
      await coordinator
        .getByRole('region', { name: /^Sản phẩm chờ xem xét/ })
        .getByRole('link', { name: TASK_LEAD })
        .click();
      await coordinator.getByRole('heading', { name: 'Chấp nhận sản phẩm' }).waitFor();
      // The decision sits below the evidence it judges.
      const heads = await coordinator.locator('main h2').allTextContents();
      const order = [heads.findIndex((t) => t.startsWith('Sản phẩm đã nộp')), heads.indexOf('Thao tác')];
      expect(order[0]).toBeGreaterThanOrEqual(0);
      expect(order[1]).toBeGreaterThan(order[0]!);
      await coordinator.getByRole('button', { name: 'Chấp nhận', exact: true }).click();
      const dialog = coordinator.getByRole('dialog', { name: 'Chấp nhận sản phẩm?' });
      await dialog.waitFor();
      // The safe answer has the focus; Tab stays inside the dialog.
      expect(await coordinator.evaluate('document.activeElement?.textContent')).toBe('Quay lại');
      await coordinator.keyboard.press('Tab');
      expect(await coordinator.evaluate("document.activeElement?.closest('dialog') !== null")).toBe(true);
      await coordinator.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await coordinator.locator('#tinh-trang').textContent()).toContain('Chờ duyệt');
      await coordinator.getByRole('button', { name: 'Chấp nhận', exact: true }).click();
      await dialog.getByRole('button', { name: 'Chấp nhận' }).click();
      await coordinator.getByText('Đã chấp nhận sản phẩm; nhiệm vụ hoàn thành.').waitFor();
      expect(await coordinator.evaluate('document.activeElement?.id')).toBe('ket-qua');
      await coordinator
        .locator('#tinh-trang')
        .getByText(/^Hoàn thành$/)
        .waitFor();
      await coordinator
        .locator('#tinh-trang')
        .getByText(/Hoàn thành ngày \d\d\/\d\d\/\d{4}/)
        .waitFor();
      await coordinator.locator('summary', { hasText: 'Nhật ký' }).click();
      await coordinator.locator('.timeline').getByText('Chấp nhận sản phẩm').waitFor();
      await coordinator.locator('.timeline').getByText('(Lê Thị Thường Trực)').first().waitFor();
      expect(await coordinator.locator('.timeline').textContent()).not.toContain('submitted →');
    });
  });

  it('reads the audit trail as sentences with who and when, with no raw JSON, within the screen', async () => {
    await step('audit-words', async () => {
      await coordinator.getByRole('link', { name: 'Nhật ký' }).click();
      const table = coordinator.getByRole('table', { name: /mục gần nhất/ });
      await table.getByRole('cell', { name: /^Nộp sản phẩm: Quy trình số 12\/QT-SNV ngày 01\/12\/2026/ }).waitFor();
      await table.getByRole('cell', { name: 'Nguyễn Văn An', exact: false }).first().waitFor();
      // The record by its task and lead, not by its id ("31-kh-ubnd:1:SNV").
      await table
        .getByRole('link', { name: `${TASK_LEAD} — Sở Nội vụ`, exact: true })
        .first()
        .waitFor();
      const text = (await table.textContent()) ?? '';
      expect(text).not.toMatch(/[{}]/);
      expect(text).not.toContain('session-open');
      expect(await fits(coordinator)).toBe(true);
      const font: string[] = await coordinator.evaluate(
        "[getComputedStyle(document.querySelector('table.audit td')).fontFamily, getComputedStyle(document.body).fontFamily]",
      );
      expect(font[0]).toBe(font[1]);
    });
  });

  it('chooses how each kind of notice reaches the inbox, and makes and revokes a calendar feed', async () => {
    await step('personal-page', async () => {
      await coordinator.getByRole('link', { name: 'Trang cá nhân' }).click();
      await coordinator.getByRole('heading', { name: 'Nhận thông báo qua thư điện tử' }).waitFor();
      await coordinator.getByText('Thư được gửi đến thuongtruc@snv.vinhphuc.gov.vn').waitFor();
      await coordinator.getByLabel('Nhắc hạn', { exact: true }).selectOption('digest');
      await coordinator.getByRole('button', { name: 'Lưu cách nhận thông báo' }).click();
      await coordinator.getByText('Đã lưu cách nhận thông báo.').waitFor();
      await coordinator.reload();
      await coordinator.getByRole('heading', { name: 'Nhận thông báo qua thư điện tử' }).waitFor();
      expect(await coordinator.getByLabel('Nhắc hạn', { exact: true }).inputValue()).toBe('digest');

      await coordinator.getByRole('button', { name: 'Tạo đường dẫn lịch' }).click();
      const url = await coordinator.getByLabel('Đường dẫn lịch công việc').inputValue();
      expect(url).toMatch(/\/calendar\/cal_[\w-]+\.ics$/);
      const feed = await coordinator.request.get(url);
      expect(feed.status()).toBe(200);
      expect(feed.headers()['content-type']).toContain('text/calendar');
      expect(await feed.text()).toContain('BEGIN:VCALENDAR');
      await coordinator.getByRole('button', { name: 'Thu hồi đường dẫn lịch' }).click();
      await coordinator.getByText('Đã thu hồi đường dẫn lịch', { exact: false }).waitFor();
      expect((await coordinator.request.get(url)).status()).toBe(404);
      // Shown once: a reload does not show it again.
      await coordinator.reload();
      await coordinator.getByRole('heading', { name: 'Lịch công việc' }).waitFor();
      expect(await coordinator.getByLabel('Đường dẫn lịch công việc').count()).toBe(0);
    });
  });

  it('has a Thông báo page', async () => {
    await step('coordinator-notifications', async () => {
      await coordinator.getByRole('link', { name: 'Thông báo', exact: true }).click();
      await coordinator.getByRole('heading', { name: 'Thông báo', level: 1 }).waitFor();
    });
  });
});

describe('names, not codes', () => {
  it("names the clerk's agency on the people page, in the clerk's header and on its contacts page", async () => {
    await step('people-names', async () => {
      await coordinator.goto(`${base}/#/nguoi-dung`);
      const row = coordinator.getByRole('row', { name: /Nguyễn Văn An/ });
      const agency = row.locator('.agency');
      await agency.waitFor();
      expect(await agency.textContent()).toBe('Sở Nội vụ (SNV)');
      expect(await agency.locator('.code').textContent()).toBe(' (SNV)');
      await clerk.goto(`${base}/#/viec-cua-toi`);
      const who = (await clerk.locator('header.top .who span').first().textContent()) ?? '';
      expect(who).toContain('(Sở Nội vụ)');
      expect(who).not.toContain('SNV');
      await clerk.goto(`${base}/#/nguoi-nhan`);
      await clerk.getByRole('heading', { name: 'Thư điện tử và webhook của Sở Nội vụ' }).waitFor();
    });
  });
});

describe("the leader's page", () => {
  it('leads with the four buckets, then agencies ranked worst first by name; a row opens its work', async () => {
    await step('ranking', async () => {
      await leader.goto(`${base}/#/tong-quan`);
      await leader.getByRole('heading', { name: 'Theo cơ quan' }).waitFor();
      const labels = await leader.locator('.totals .label').allTextContents();
      expect(labels.slice(0, 4)).toEqual([
        'Hoàn thành đúng hạn',
        'Hoàn thành quá hạn',
        'Chưa hoàn thành – trong hạn',
        'Chưa hoàn thành – quá hạn',
      ]);
      const order = await leader.locator('main h2').allTextContents();
      expect(order.slice(0, 4)).toEqual([
        'Theo cơ quan',
        'Đôn đốc đang mở theo mức',
        'Theo lĩnh vực cải cách',
        'Xu hướng theo kỳ báo cáo',
      ]);
      const dashboard = await leader.request.get(`${base}/v1/dashboard?plan=${encodeURIComponent(PLAN)}`);
      const ranked = ((await dashboard.json()) as { byAgency: { agency: { shortName: string } }[] }).byAgency.map(
        (a) => a.agency.shortName,
      );
      const table = leader.getByRole('table', { name: 'Số nhiệm vụ theo cơ quan' });
      const rows = await table.locator('tbody th').allInnerTexts();
      expect(rows.map((r) => r.replace(/ \(.*\)$/, ''))).toEqual(ranked);
      // The worst agency has overdue work; codes are secondary text, never the name shown.
      expect(rows[0]).not.toMatch(/^[A-Z-]+$/);
      await table.locator('tbody tr').first().locator('th a').click();
      await leader.getByRole('heading', { name: 'Danh sách nhiệm vụ' }).waitFor();
      await leader.getByText(`cơ quan ${ranked[0]}`, { exact: false }).waitFor();
    });
  });

  it('marks a period before the import as reconstructed, its cut-off written as one', async () => {
    await step('reconstructed', async () => {
      await leader.goto(`${base}/#/tong-quan`);
      await leader.getByLabel('Kỳ', { exact: true }).selectOption({ label: 'Quý III/2026' });
      await leader.locator('#so-lieu-den-ngay').filter({ hasText: 'Quý III/2026 (số liệu đến 14/09/2026).' }).waitFor();
      await leader.locator('#dung-lai').waitFor();
      // Tasks due on 30/06/2026 were overdue at that cut-off, not zero.
      expect(Number(await leader.locator('#tong-overdue').textContent())).toBeGreaterThan(0);
    });
  });

  it('prints with the official header on at most two A4 pages', async () => {
    await step('print-two-pages', async () => {
      await leader.goto(`${base}/#/tong-quan`);
      await leader.getByRole('heading', { name: 'Theo cơ quan' }).waitFor();
      await leader.emulateMedia({ media: 'print' });
      try {
        await leader.getByText('ỦY BAN NHÂN DÂN TỈNH VĨNH PHÚC').waitFor();
        expect(await leader.getByText(`Kế hoạch ${PLAN}: ${PLAN_TITLE}`).isVisible()).toBe(true);
        expect(await leader.getByText(/^Số liệu đến ngày \d\d\/\d\d\/\d{4}/).isVisible()).toBe(true);
        // The header opens the first page: nothing pushes it down. (Read once the page has settled:
        // going from the previous test's period back to today draws the page again.)
        await leader.getByText('Đang tải…').waitFor({ state: 'detached' });
        // Asked until answered: a redraw between finding the header and measuring it leaves no box.
        await expect
          .poll(async () => (await leader.locator('header.print-header').boundingBox())?.y ?? Infinity)
          .toBeLessThan(50);
        const pdf = Buffer.from(await leader.pdf({ format: 'A4' })).toString('latin1');
        const pages = pdf.match(/\/Type\s*\/Page\b(?!s)/g) ?? [];
        expect(pages.length).toBeGreaterThanOrEqual(1);
        expect(pages.length).toBeLessThanOrEqual(2);
      } finally {
        await leader.emulateMedia({ media: 'screen' });
      }
    });
  });

  it('"Nhiệm vụ" shows one page of rows and the total, and more on request', async () => {
    await step('list-pages', async () => {
      await leader.getByRole('link', { name: 'Nhiệm vụ', exact: true }).click();
      await leader.getByText('Tất cả: 60 nhiệm vụ (đang xem 50).').waitFor();
      expect(await leader.locator('table.work-table tbody tr').count()).toBe(50);
      await leader.getByRole('button', { name: 'Xem thêm 50 nhiệm vụ' }).click();
      await leader.getByText('Tất cả: 60 nhiệm vụ.').waitFor();
      expect(await leader.locator('table.work-table tbody tr').count()).toBe(60);
      // Filters and sort are the server's: overdue work, latest deadline first.
      await leader.getByLabel('Nhóm').selectOption({ label: 'Chưa hoàn thành – quá hạn' });
      await leader.getByLabel('Sắp xếp').selectOption('-due');
      await leader.getByRole('button', { name: 'Lọc' }).click();
      await leader.getByText(/^Chưa hoàn thành – quá hạn: 15 nhiệm vụ\.$/).waitFor();
      expect(await leader.locator('table.work-table tbody tr').count()).toBe(15);
    });
  });
});

describe('accessibility', () => {
  const pages: Record<string, string[]> = {
    coordinator: [
      '#/dieu-phoi',
      '#/nhap-ke-hoach',
      '#/co-quan',
      '#/nguoi-nhan',
      '#/nguoi-dung',
      '#/ma-truy-cap',
      '#/bao-cao',
      '#/tong-quan',
      '#/thong-bao',
      '#/nhat-ky',
      '#/ca-nhan',
      '#/danh-sach',
      '#/doi-mat-khau',
    ],
    clerk: ['#/viec-cua-toi', '#/thong-bao', '#/nguoi-nhan', '#/tong-quan', '#/ca-nhan', '#/danh-sach'],
    leader: ['#/tong-quan', '#/danh-sach', '#/bao-cao', '#/ca-nhan'],
  };

  it('axe-core finds no serious or critical violation, and no page shows a code where a name belongs, for each role', async () => {
    await step('axe', async () => {
      const found: string[] = [];
      const codesShown: string[] = [];
      const agencyCodes = ['SNV', 'STP', ...agencyNames.map((a) => a.code)];
      const people: Record<string, Page> = { coordinator, clerk, leader };
      const found1 = (await (await coordinator.request.get(`${base}/v1/assignments?q=chuan%20hoa`)).json()) as {
        items: { id: string }[];
      };
      const task = `#/nhiem-vu/${encodeURIComponent(found1.items[0]!.id)}`;
      for (const [who, hashes] of Object.entries(pages)) {
        const page = people[who]!;
        for (const hash of [...hashes, task]) {
          await page.goto(`${base}/${hash}`);
          await page.locator('main h1').first().waitFor();
          await page.getByText('Đang tải…').waitFor({ state: 'detached' });
          for (const line of await seriousViolations(page)) found.push(`${who} ${hash} ${line}`);
          for (const code of codesIn(await primaryText(page), agencyCodes)) codesShown.push(`${who} ${hash} ${code}`);
        }
      }
      // And the sign-in page.
      const stranger = await (await englishContext(PHONE)).newPage();
      await stranger.goto(`${base}/#/dang-nhap`);
      await stranger.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
      for (const line of await seriousViolations(stranger)) found.push(`sign-in ${line}`);
      expect(found).toEqual([]);
      expect(codesShown).toEqual([]);
    });
  });

  it('no page reported a script or policy error along the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
