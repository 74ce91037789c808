import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildApp } from '../../api/app.ts';
import { createTestContext, quietLogger, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { launchBrowser, personContext, PHONE, stepRunner, watchConsole } from '../support/browser.ts';

/**
 * The whole journey in a real browser (Debian's headless Chromium): the coordinator invites an
 * agency user and imports a plan appendix; the agency user signs in, files a report and uploads a
 * PDF deliverable; the coordinator returns it with a reason, the agency resubmits, the coordinator
 * accepts; the dashboard, open all along, shows one more task done on time without a reload.
 * Each step checks what a person sees, in Vietnamese. A failing step leaves a screenshot in
 * $TMPDIR/dondoc-browser/.
 */

const PLAN_FILE = fileURLToPath(new URL('../fixtures/web-journey-plan.csv', import.meta.url));
const PDF = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());

let ctx: TestContext;
let app: FastifyInstance;
let base: string;
let filesDir: string;
let browser: Browser;
let coordinatorContext: BrowserContext;
let agencyContext: BrowserContext;
let coordinator: Page;
let dashboard: Page;
let agency: Page;
let agencyLink: string;
let assignmentUrl: string;

/** On a phone the header's links are behind the menu button. */
async function openMenu(page: Page) {
  await page.getByRole('button', { name: 'Trình đơn' }).click();
}

/** Runs one step; on failure saves a screenshot of every open page, then fails. */
const step = stepRunner(() => ({ coordinator, dashboard, agency }));

const consoleErrors: string[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  filesDir = await mkdtemp(join(tmpdir(), 'dondoc-browser-files-'));
  app = await buildApp(ctx.deps, { logger: quietLogger(), filesDir });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchBrowser();
  coordinatorContext = await personContext(browser);
  agencyContext = await personContext(browser, PHONE);
  coordinator = await coordinatorContext.newPage();
  agency = await agencyContext.newPage();
  watchConsole(coordinator, consoleErrors);
  watchConsole(agency, consoleErrors);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ctx?.close();
  if (filesDir) await rm(filesDir, { recursive: true, force: true });
});

describe('the journey of a quarterly deliverable, in a browser', () => {
  it('the first coordinator accepts an invitation made with the bootstrap token and lands on "Điều phối"', async () => {
    await step('coordinator-invitation', async () => {
      // A machine (the bootstrap token) invites the first person; from then on people invite people.
      const token = await testTokens(ctx).coordinator();
      const response = await app.inject({
        method: 'POST',
        url: '/v1/invitations',
        headers: bearer(token),
        payload: { email: 'thuongtruc@snv.vinhphuc.gov.vn', name: 'Lê Thị Thường Trực', role: 'coordinator' },
      });
      expect(response.statusCode).toBe(201);
      await coordinator.goto(`${base}${response.json().link}`);
      await coordinator.getByRole('heading', { name: 'Nhận lời mời' }).waitFor();
      await coordinator.getByText('Lê Thị Thường Trực').waitFor();
      await coordinator.getByLabel('Mật khẩu mới').fill('mật khẩu thường trực 2026');
      await coordinator.getByLabel('Nhập lại mật khẩu').fill('mật khẩu thường trực 2026');
      await coordinator.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await coordinator.getByRole('heading', { name: 'Điều phối', level: 1 }).waitFor();
      await coordinator.getByText('Lê Thị Thường Trực · Cơ quan thường trực').waitFor();
    });
  });

  it('the coordinator invites an agency user and is shown the link once', async () => {
    await step('invite-agency', async () => {
      await coordinator.getByRole('link', { name: 'Người dùng' }).click();
      await coordinator.getByRole('heading', { name: 'Mời người dùng' }).waitFor();
      await coordinator.getByLabel('Họ tên').fill('Nguyễn Văn An');
      await coordinator.getByLabel('Thư điện tử').fill('an.nguyen@snv.vinhphuc.gov.vn');
      await coordinator.getByLabel('Vai trò').selectOption('agency');
      // The province, then the agency: both found by name, typed without diacritics.
      await coordinator.getByLabel('Danh mục (tỉnh)').pressSequentially('vinh phuc');
      await coordinator.getByRole('option', { name: /^Vĩnh Phúc/ }).click();
      await coordinator.getByLabel('Cơ quan', { exact: true }).pressSequentially('so noi vu');
      await coordinator.getByRole('option', { name: /^Sở Nội vụ/ }).click();
      await coordinator.getByRole('button', { name: 'Tạo lời mời' }).click();
      await coordinator.getByText('Đã tạo lời mời cho Nguyễn Văn An.').waitFor();
      agencyLink = await coordinator.getByLabel('Liên kết mời').inputValue();
      expect(agencyLink).toMatch(new RegExp(`^${base}/#/loi-moi/inv_[\\w-]+$`));
      // Shown once: the list of accounts does not carry it, and reading the page again does not show it.
      await coordinator.reload();
      await coordinator.getByRole('heading', { name: 'Mời người dùng' }).waitFor();
      expect(await coordinator.getByLabel('Liên kết mời').count()).toBe(0);
    });
  });

  it('the coordinator imports the plan appendix: preview first, then confirm', async () => {
    await step('import-plan', async () => {
      await coordinator.getByRole('link', { name: 'Nhập kế hoạch' }).click();
      await coordinator.getByLabel('Tệp phụ lục').setInputFiles(PLAN_FILE);
      await coordinator.getByLabel('Số hiệu kế hoạch').fill('15/KH-UBND');
      await coordinator.getByLabel('Tên kế hoạch').fill('Kế hoạch cải cách hành chính năm 2027');
      await coordinator.getByLabel('Tỉnh').fill('Vĩnh Phúc');
      await coordinator.getByLabel('Từ ngày').fill('2026-01-01');
      await coordinator.getByLabel('Đến ngày').fill('2027-12-31');
      await coordinator.getByRole('button', { name: 'Xem trước' }).click();
      await coordinator.getByText('2 nhiệm vụ, ').waitFor();
      await coordinator.getByRole('cell', { name: 'Xây dựng kế hoạch cải cách hành chính năm 2027' }).waitFor();
      await coordinator.getByRole('cell', { name: '31/12/2027' }).waitFor();
      await coordinator.getByRole('button', { name: 'Xác nhận nhập kế hoạch' }).click();
      await coordinator.getByText('Đã nhập kế hoạch 15/KH-UBND: 2 nhiệm vụ được giao.').waitFor({ timeout: 30_000 });
    });
  });

  it('the dashboard opens with nothing done yet', async () => {
    await step('dashboard-before', async () => {
      dashboard = await coordinatorContext.newPage();
      watchConsole(dashboard, consoleErrors);
      await dashboard.goto(`${base}/#/tong-quan`);
      await dashboard.getByRole('heading', { name: 'Tổng quan' }).waitFor();
      await dashboard.getByRole('heading', { name: 'Theo cơ quan' }).waitFor();
      expect(await dashboard.locator('#tong-onTime').textContent()).toBe('0');
      expect(await dashboard.locator('#tong-within').textContent()).toBe('2');
      expect(await dashboard.locator('svg.chart').count()).toBeGreaterThanOrEqual(3);
    });
  });

  it('the agency user accepts the invitation on a phone and sees "Việc của tôi"', async () => {
    await step('agency-invitation', async () => {
      await agency.goto(agencyLink);
      await agency.getByText('Nguyễn Văn An').waitFor();
      await agency.getByLabel('Mật khẩu mới').fill('mật khẩu sở nội vụ');
      await agency.getByLabel('Nhập lại mật khẩu').fill('mật khẩu sở nội vụ');
      await agency.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await agency.getByRole('heading', { name: 'Việc của tôi' }).waitFor();
      await agency.getByRole('link', { name: '1. Xây dựng kế hoạch cải cách hành chính năm 2027' }).waitFor();
      await agency.getByText('Quý 4/2027').waitFor();
      await agency.getByText('31/12/2027 (còn').waitFor();
    });
  });

  it("follows an e-mail's link while signed out: signing in opens the assignment", async () => {
    await step('mail-link', async () => {
      const mine = await agency.request.get(`${base}/v1/assignments`);
      const id: string = (await mine.json()).items[0].id;
      await openMenu(agency);
      await agency.getByRole('button', { name: 'Đăng xuất' }).click();
      await agency.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
      // The link of an e-mail sent before links pointed at the page itself: the server sends it on.
      await agency.goto(`${base}/assignments/${encodeURIComponent(id)}`);
      await agency.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
      expect(new URL(agency.url()).hash).toBe(
        `#/dang-nhap?tiep=${encodeURIComponent(`/nhiem-vu/${encodeURIComponent(id)}`)}`,
      );
      await agency.getByLabel('Thư điện tử').fill('an.nguyen@snv.vinhphuc.gov.vn');
      await agency.getByLabel('Mật khẩu').fill('mật khẩu sở nội vụ');
      await agency.getByRole('button', { name: 'Đăng nhập' }).click();
      await agency.getByRole('heading', { name: 'Gửi báo cáo định kỳ' }).waitFor();
      expect(new URL(agency.url()).hash).toBe(`#/nhiem-vu/${encodeURIComponent(id)}`);
    });
  });

  it('signs out, and signs in again with the keyboard alone', async () => {
    await step('keyboard-sign-in', async () => {
      await openMenu(agency);
      await agency.getByRole('button', { name: 'Đăng xuất' }).click();
      await agency.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
      // The page puts the cursor in the first field; Tab moves to the next, Enter submits.
      expect(await agency.evaluate("document.activeElement?.getAttribute('type')")).toBe('email');
      await agency.keyboard.type('an.nguyen@snv.vinhphuc.gov.vn');
      await agency.keyboard.press('Tab');
      expect(await agency.evaluate("document.activeElement?.getAttribute('type')")).toBe('password');
      await agency.keyboard.type('mật khẩu sở nội vụ');
      await agency.keyboard.press('Enter');
      await agency.getByRole('heading', { name: 'Việc của tôi' }).waitFor();
    });
  });

  it('the agency user files the period report and submits the deliverable with its PDF', async () => {
    await step('report-and-deliverable', async () => {
      await agency.getByRole('link', { name: '1. Xây dựng kế hoạch cải cách hành chính năm 2027' }).click();
      assignmentUrl = agency.url();
      await agency.getByRole('heading', { name: 'Gửi báo cáo định kỳ' }).waitFor();
      await agency.getByLabel('Nội dung báo cáo').fill('Đã hoàn thành dự thảo kế hoạch, đang lấy ý kiến các sở.');
      await agency.getByRole('button', { name: 'Gửi báo cáo' }).click();
      await agency.getByText(/^Đã gửi báo cáo/).waitFor();

      await agency.getByLabel('Loại sản phẩm').fill('Kế hoạch');
      await agency.getByLabel('Số hiệu văn bản').fill('101/KH-SNV');
      await agency.getByLabel('Ngày văn bản').fill(TODAY);
      await agency
        .getByLabel('Tệp văn bản')
        .setInputFiles({ name: 'Kế hoạch 101.pdf', mimeType: 'application/pdf', buffer: PDF('first') });
      await agency.getByRole('button', { name: 'Nộp sản phẩm' }).click();
      await agency.getByText('Đã nộp sản phẩm; đang chờ cơ quan thường trực xem xét.').waitFor();
      await agency.getByText('Chờ duyệt', { exact: true }).first().waitFor();
      await agency.getByRole('link', { name: 'Tải tệp Kế hoạch 101.pdf' }).waitFor();
    });
  });

  it('the coordinator finds it in the review queue, opens the file and returns it with a reason', async () => {
    await step('return', async () => {
      await coordinator.getByRole('link', { name: 'Điều phối' }).click();
      await coordinator.getByRole('heading', { name: 'Sản phẩm chờ xem xét (1)' }).waitFor();
      await coordinator.getByRole('link', { name: '1. Xây dựng kế hoạch cải cách hành chính năm 2027' }).click();
      const link = coordinator.getByRole('link', { name: 'Tải tệp Kế hoạch 101.pdf' });
      const href = await link.getAttribute('href');
      const file = await coordinator.request.get(`${base}${href}`);
      expect(file.status()).toBe(200);
      expect(file.headers()['content-type']).toBe('application/pdf');
      expect((await file.body()).toString()).toContain('% first');
      await coordinator.getByLabel('Lý do trả lại').fill('Thiếu chữ ký và đóng dấu; đề nghị bổ sung.');
      await coordinator.getByRole('button', { name: 'Trả lại' }).click();
      // A decision is asked again before it is sent.
      await coordinator
        .getByRole('dialog', { name: 'Trả lại sản phẩm?' })
        .getByRole('button', { name: 'Trả lại' })
        .click();
      await coordinator.getByText('Đã trả lại sản phẩm cho cơ quan chủ trì.').waitFor();
    });
  });

  it('the agency user sees the reason and submits again', async () => {
    await step('resubmit', async () => {
      await agency.goto(assignmentUrl);
      await agency.reload();
      await agency.getByText('Bị trả lại').waitFor();
      await agency.getByText('Lý do: Thiếu chữ ký và đóng dấu; đề nghị bổ sung.', { exact: true }).waitFor();
      await agency.getByLabel('Loại sản phẩm').fill('Kế hoạch');
      await agency.getByLabel('Số hiệu văn bản').fill('101/KH-SNV');
      await agency.getByLabel('Ngày văn bản').fill(TODAY);
      await agency
        .getByLabel('Tệp văn bản')
        .setInputFiles({ name: 'Kế hoạch 101 (đã ký).pdf', mimeType: 'application/pdf', buffer: PDF('signed') });
      await agency.getByRole('button', { name: 'Nộp sản phẩm' }).click();
      await agency.getByText('Đã nộp sản phẩm; đang chờ cơ quan thường trực xem xét.').waitFor();
    });
  });

  it('the coordinator accepts, and the open dashboard counts one more on time without a reload', async () => {
    await step('accept', async () => {
      await coordinator.getByRole('link', { name: 'Điều phối' }).click();
      await coordinator.getByRole('heading', { name: 'Sản phẩm chờ xem xét (1)' }).waitFor();
      await coordinator.getByRole('link', { name: '1. Xây dựng kế hoạch cải cách hành chính năm 2027' }).click();
      await coordinator.getByRole('link', { name: 'Tải tệp Kế hoạch 101 (đã ký).pdf' }).waitFor();
      await coordinator.getByRole('button', { name: 'Chấp nhận' }).click();
      await coordinator
        .getByRole('dialog', { name: 'Chấp nhận sản phẩm?' })
        .getByRole('button', { name: 'Chấp nhận' })
        .click();
      await coordinator.getByText('Đã chấp nhận sản phẩm; nhiệm vụ hoàn thành.').waitFor();
      await coordinator.locator('#tinh-trang').getByText('Hoàn thành', { exact: true }).waitFor();
    });
    await step('dashboard-after', async () => {
      const navigations: string[] = [];
      dashboard.on('framenavigated', (frame) => navigations.push(frame.url()));
      await dashboard.locator('#tong-onTime').filter({ hasText: /^1$/ }).waitFor({ timeout: 20_000 });
      expect(await dashboard.locator('#tong-within').textContent()).toBe('1');
      expect(await dashboard.locator('#ty-le-dung-han').textContent()).toBe('100%');
      expect(navigations).toEqual([]);
      // A click on the number leads to the assignment behind it.
      await dashboard.locator('#tong-onTime').click();
      await dashboard.getByText('Hoàn thành đúng hạn: 1 nhiệm vụ.', { exact: false }).waitFor();
      await dashboard.getByRole('link', { name: '1. Xây dựng kế hoạch cải cách hành chính năm 2027' }).waitFor();
    });
  });

  it("the audit trail, searched by the agency user's name, shows what they did and the file's SHA-256", async () => {
    await step('audit', async () => {
      await coordinator.getByRole('link', { name: 'Nhật ký' }).click();
      await coordinator.getByLabel('Người thực hiện').fill('Nguyễn Văn An');
      await coordinator.getByLabel('Thao tác').fill('file-upload');
      await coordinator.getByRole('button', { name: 'Tìm' }).click();
      await coordinator.getByText('2 mục gần nhất').waitFor();
      const sha = createHash('sha256').update(PDF('signed')).digest('hex');
      await coordinator.getByText(sha, { exact: false }).waitFor();
      // Who, as people read it: the person's name and their agency's, not the recorded actor.
      await coordinator.getByRole('cell', { name: 'Nguyễn Văn An (Sở Nội vụ)' }).first().waitFor();
      await coordinator.getByRole('cell', { name: 'Tải lên tệp "Kế hoạch 101 (đã ký).pdf"', exact: false }).waitFor();
    });
  });

  it('the agency user changes their password, and is told to wait after wrong ones', async () => {
    await step('change-password', async () => {
      await openMenu(agency);
      await agency.getByRole('link', { name: 'Đổi mật khẩu' }).click();
      await agency.getByRole('heading', { name: 'Đổi mật khẩu' }).waitFor();
      await agency.getByLabel('Mật khẩu hiện tại').fill('mật khẩu sở nội vụ');
      await agency.getByLabel('Mật khẩu mới', { exact: true }).fill('mật khẩu mới của sở');
      await agency.getByLabel('Nhập lại mật khẩu mới').fill('mật khẩu mới của sở');
      await agency.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      await agency.getByText('Đã đổi mật khẩu.', { exact: false }).waitFor();
    });
    await step('held-back', async () => {
      await openMenu(agency);
      await agency.getByRole('button', { name: 'Đăng xuất' }).click();
      await agency.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
      await agency.getByLabel('Thư điện tử').fill('an.nguyen@snv.vinhphuc.gov.vn');
      // Wrong passwords until the wait is long enough to outlast a slow machine's next click: it
      // doubles from 1 s after the third, with each wrong password tried once a wait is over, so a
      // "wait" answer is waited out before the next try. The answers say "wrong", then "wait".
      const answers: number[] = [];
      for (let i = 0; i < 16; i += 1) {
        await agency.getByLabel('Mật khẩu').fill(`mật khẩu sai ${i}`);
        const answer = agency.waitForResponse(
          (r) => new URL(r.url()).pathname === '/v1/session' && r.request().method() === 'POST',
        );
        await agency.getByRole('button', { name: 'Đăng nhập' }).click();
        const response = await answer;
        answers.push(response.status());
        if (response.status() !== 429) continue;
        const wait = Number(response.headers()['retry-after']);
        if (wait >= 8) break;
        await agency.waitForTimeout(wait * 1000);
      }
      expect(answers.at(-1)).toBe(429);
      expect(answers.slice(0, 4)).toEqual([401, 401, 401, 401]);
      await agency.getByText(/^Đăng nhập sai nhiều lần từ máy này; hãy chờ \d+ giây rồi thử lại\.$/).waitFor();
      await agency.getByLabel('Mật khẩu').fill('mật khẩu mới của sở');
      await agency.getByRole('button', { name: 'Đăng nhập' }).click();
      await agency.getByText(/^Đăng nhập sai nhiều lần từ máy này; hãy chờ \d+ giây rồi thử lại\.$/).waitFor();
    });
  });

  it('no page reported a script or policy error along the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
