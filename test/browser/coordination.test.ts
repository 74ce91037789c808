import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../api/app.ts';
import { createTestContext, eventually, quietLogger, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { launchBrowser, personContext, PHONE, stepRunner, watchConsole } from '../support/browser.ts';

/**
 * The coordinator's other desks, in a real browser: the agency registry and its contacts (with a
 * webhook's secret shown once and per-kind delivery choices), machine tokens made and revoked, an
 * extension asked for by the agency and approved, an assignment moved to another agency, a
 * collaborator's contribution the lead reads, the periodic report downloaded, and the dashboard
 * printed on A4. Each step checks what a person sees, in Vietnamese; the agencies use a phone.
 */

const PLAN = '27/KH-UBND';
const TASK_1 = '1. Chuẩn hoá quy trình tiếp nhận hồ sơ trực tuyến';
const TASK_2 = '2. Rà soát thủ tục hành chính nội bộ';
const TODAY_VN = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
}).format(new Date());

let ctx: TestContext;
let app: FastifyInstance;
let base: string;
let filesDir: string;
let browser: Browser;
let coordinator: Page;
let snv: Page;
let stp: Page;

const step = stepRunner(() => ({ coordinator, snv, stp }));
const consoleErrors: string[] = [];

/** An account made through an invitation (the bootstrap token invites; the person picks a password). */
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

async function signIn(page: Page, email: string, password: string, landing: string) {
  await page.goto(`${base}/#/dang-nhap`);
  await page.getByLabel('Thư điện tử').fill(email);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { name: landing, level: 1 }).waitFor();
}

/** A page as wide as the phone's screen: nothing to scroll sideways. */
async function fitsThePhone(page: Page): Promise<boolean> {
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

  // The plan is imported through the API: its import in the browser is journey.test.ts's subject.
  const token = await testTokens(ctx).coordinator();
  const imported = await app.inject({
    method: 'POST',
    url: '/v1/plans',
    headers: bearer(token),
    payload: {
      code: PLAN,
      title: 'Kế hoạch cải cách hành chính năm 2027',
      province: 'Vĩnh Phúc',
      periodStart: '2026-01-01',
      periodEnd: '2028-12-31',
      tasks: [
        {
          number: '1',
          title: 'Chuẩn hoá quy trình tiếp nhận hồ sơ trực tuyến',
          deliverables: ['Quy trình'],
          leads: ['Sở Nội vụ'],
          collaborators: ['Sở Tư pháp'],
          dueDate: '2027-12-31',
        },
        {
          number: '2',
          title: 'Rà soát thủ tục hành chính nội bộ',
          deliverables: ['Báo cáo'],
          leads: ['Sở Nội vụ'],
          dueDate: '2027-06-30',
        },
      ],
    },
  });
  expect(imported.statusCode).toBe(201);
  await eventually(
    async () => {
      const list = await app.inject({ method: 'GET', url: '/v1/assignments', headers: bearer(token) });
      return list.json().items.filter((a: { version: number }) => a.version >= 1).length === 2 ? true : undefined;
    },
    30_000,
    'both assignments running',
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
    { email: 'binh.tran@stp.vinhphuc.gov.vn', name: 'Trần Thị Bình', role: 'agency', agency: 'STP' },
    'mật khẩu sở tư pháp',
  );

  browser = await launchBrowser();
  coordinator = await (await personContext(browser)).newPage();
  snv = await (await personContext(browser, PHONE)).newPage();
  stp = await (await personContext(browser, PHONE)).newPage();
  for (const page of [coordinator, snv, stp]) watchConsole(page, consoleErrors);
  await signIn(coordinator, 'thuongtruc@snv.vinhphuc.gov.vn', 'mật khẩu thường trực 2026', 'Điều phối');
  await signIn(snv, 'an.nguyen@snv.vinhphuc.gov.vn', 'mật khẩu sở nội vụ', 'Việc của tôi');
  await signIn(stp, 'binh.tran@stp.vinhphuc.gov.vn', 'mật khẩu sở tư pháp', 'Việc của tôi');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ctx?.close();
  if (filesDir) await rm(filesDir, { recursive: true, force: true });
});

describe("the coordinator's registry, contacts and tokens", () => {
  it('finds Sở Nội vụ in the registry of agencies, by a name typed without diacritics', async () => {
    await step('registry', async () => {
      await coordinator.getByRole('link', { name: 'Cơ quan', exact: true }).click();
      await coordinator.getByRole('heading', { name: 'Danh mục cơ quan', level: 1 }).waitFor();
      await coordinator.getByLabel('Tìm cơ quan').fill('so noi vu');
      await coordinator.getByRole('button', { name: 'Tìm' }).click();
      await coordinator.getByRole('link', { name: 'Sở Tư pháp', exact: true }).waitFor({ state: 'detached' });
      await coordinator.getByRole('link', { name: 'Sở Nội vụ', exact: true }).click();
      await coordinator.getByRole('heading', { name: 'Sở Nội vụ (SNV)', level: 1 }).waitFor();
      await coordinator.getByText('Chưa có địa chỉ nhận thông báo nào.').waitFor();
    });
  });

  it('adds an e-mail address with the keyboard, and a webhook whose secret is shown once', async () => {
    await step('agency-contacts', async () => {
      await coordinator.getByLabel('Kênh nhận').selectOption('email');
      await coordinator.getByLabel('Địa chỉ nhận', { exact: true }).focus();
      await coordinator.keyboard.type('VanThu@snv.vinhphuc.gov.vn');
      await coordinator.keyboard.press('Tab');
      expect(await coordinator.evaluate('document.activeElement?.id')).toBe(
        await coordinator.getByLabel('Tên người hoặc bộ phận nhận').getAttribute('id'),
      );
      await coordinator.keyboard.type('Văn thư Sở Nội vụ');
      await coordinator.keyboard.press('Enter');
      await coordinator.getByText('Đã thêm địa chỉ nhận thông báo vanthu@snv.vinhphuc.gov.vn.').waitFor();
      await coordinator.getByRole('article', { name: 'Thư điện tử: vanthu@snv.vinhphuc.gov.vn' }).waitFor();
      expect(await coordinator.getByLabel('Khoá bí mật webhook').count()).toBe(0);

      await coordinator.getByLabel('Kênh nhận').selectOption('webhook');
      await coordinator.getByLabel('Địa chỉ nhận', { exact: true }).fill('https://hethong.snv.vinhphuc.gov.vn/dondoc');
      await coordinator.getByRole('button', { name: 'Thêm địa chỉ nhận thông báo' }).click();
      await coordinator
        .getByText('Đã thêm địa chỉ nhận thông báo https://hethong.snv.vinhphuc.gov.vn/dondoc.')
        .waitFor();
      expect(await coordinator.getByLabel('Khoá bí mật webhook').inputValue()).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
      await coordinator.getByText('Chỉ hiện một lần', { exact: false }).waitFor();
    });
  });

  it('chooses immediate delivery of due reminders for the e-mail; after a reload the choice stays and the secret is gone', async () => {
    await step('preferences', async () => {
      const email = coordinator.getByRole('article', { name: 'Thư điện tử: vanthu@snv.vinhphuc.gov.vn' });
      await email.getByText('Cách nhận từng loại thông báo').click();
      expect(await email.getByLabel('Nhắc hạn hoàn thành').inputValue()).toBe('digest');
      expect(await email.getByLabel('Đôn đốc nhiệm vụ quá hạn').inputValue()).toBe('immediate');
      await email.getByLabel('Nhắc hạn hoàn thành').selectOption({ label: 'Gửi ngay' });
      await email.getByRole('button', { name: 'Lưu cách nhận' }).click();
      await email.getByText('Đã lưu cách nhận thông báo của vanthu@snv.vinhphuc.gov.vn.').waitFor();

      await coordinator.reload();
      await coordinator.getByRole('heading', { name: 'Sở Nội vụ (SNV)', level: 1 }).waitFor();
      expect(await coordinator.getByLabel('Khoá bí mật webhook').count()).toBe(0);
      const webhook = coordinator.getByRole('article', {
        name: 'Webhook: https://hethong.snv.vinhphuc.gov.vn/dondoc',
      });
      await webhook.getByText('có khoá bí mật để ký').waitFor();
      const again = coordinator.getByRole('article', { name: 'Thư điện tử: vanthu@snv.vinhphuc.gov.vn' });
      await again.getByText('Văn thư Sở Nội vụ').waitFor();
      await again.getByText('Cách nhận từng loại thông báo').click();
      expect(await again.getByLabel('Nhắc hạn hoàn thành').inputValue()).toBe('immediate');
      expect(await again.getByLabel('Nhắc gửi báo cáo định kỳ').inputValue()).toBe('digest');
    });
  });

  it('removes the webhook after confirming', async () => {
    await step('remove-contact', async () => {
      const webhook = coordinator.getByRole('article', {
        name: 'Webhook: https://hethong.snv.vinhphuc.gov.vn/dondoc',
      });
      await webhook.getByRole('button', { name: 'Xoá địa chỉ' }).click();
      await webhook.getByRole('button', { name: 'Xác nhận xoá https://hethong.snv.vinhphuc.gov.vn/dondoc' }).click();
      await coordinator
        .getByText('Đã xoá địa chỉ nhận thông báo https://hethong.snv.vinhphuc.gov.vn/dondoc.')
        .waitFor();
      expect(await webhook.count()).toBe(0);
      await coordinator.getByRole('article', { name: 'Thư điện tử: vanthu@snv.vinhphuc.gov.vn' }).waitFor();
    });
  });

  it("adds an e-mail address for the province's leadership", async () => {
    await step('role-contacts', async () => {
      await coordinator.getByRole('link', { name: 'Địa chỉ nhận thông báo', exact: true }).click();
      await coordinator.getByRole('heading', { name: 'Địa chỉ nhận thông báo', level: 1 }).waitFor();
      const leadership = coordinator.getByRole('region', { name: 'Lãnh đạo UBND tỉnh' });
      await leadership.getByLabel('Địa chỉ nhận', { exact: true }).fill('vanphong@vinhphuc.gov.vn');
      await leadership.getByRole('button', { name: 'Thêm địa chỉ nhận thông báo' }).click();
      await leadership.getByRole('article', { name: 'Thư điện tử: vanphong@vinhphuc.gov.vn' }).waitFor();
      // It is leadership's, not the coordinator's office's.
      await coordinator.reload();
      const office = coordinator.getByRole('region', { name: 'Văn phòng cơ quan thường trực' });
      await office.getByText('Chưa có địa chỉ nhận thông báo nào.').waitFor();
      await coordinator
        .getByRole('region', { name: 'Lãnh đạo UBND tỉnh' })
        .getByRole('article', { name: 'Thư điện tử: vanphong@vinhphuc.gov.vn' })
        .waitFor();
    });
  });

  it("the agency, on its phone, sees its own contacts and not leadership's", async () => {
    await step('agency-own-contacts', async () => {
      // On a phone the header's links are behind the menu button.
      await snv.getByRole('button', { name: 'Trình đơn' }).click();
      await snv.getByRole('link', { name: 'Địa chỉ nhận thông báo' }).click();
      // Its own agency by name, not by code.
      await snv.getByRole('heading', { name: 'Thư điện tử và webhook của Sở Nội vụ' }).waitFor();
      await snv.getByRole('article', { name: 'Thư điện tử: vanthu@snv.vinhphuc.gov.vn' }).waitFor();
      expect(await snv.getByText('vanphong@vinhphuc.gov.vn').count()).toBe(0);
      expect(await fitsThePhone(snv)).toBe(true);
      await snv.getByRole('button', { name: 'Trình đơn' }).click();
      await snv.getByRole('link', { name: 'Việc của tôi' }).click();
      await snv.getByRole('heading', { name: 'Việc của tôi', level: 1 }).waitFor();
    });
  });

  it('adds an agency, renames it keeping the old name as another name, and retires it into Sở Nội vụ', async () => {
    await step('agency-add-rename', async () => {
      await coordinator.getByRole('link', { name: 'Cơ quan', exact: true }).click();
      await coordinator.getByLabel('Mã cơ quan').fill('TTCDS');
      await coordinator.getByLabel('Tên cơ quan').fill('Trung tâm Chuyển đổi số');
      await coordinator.getByLabel('Loại cơ quan').selectOption({ label: 'Khác' });
      await coordinator.getByRole('button', { name: 'Thêm cơ quan' }).click();
      await coordinator.getByRole('heading', { name: 'Trung tâm Chuyển đổi số (TTCDS)', level: 1 }).waitFor();
      await coordinator.getByText('Đã thêm Trung tâm Chuyển đổi số (TTCDS) vào danh mục.').waitFor();
      await coordinator.getByLabel('Tên cơ quan').fill('Trung tâm Chuyển đổi số tỉnh');
      await coordinator.getByRole('button', { name: 'Lưu', exact: true }).click();
      await coordinator.getByRole('heading', { name: 'Trung tâm Chuyển đổi số tỉnh (TTCDS)', level: 1 }).waitFor();
      await coordinator
        .getByRole('definition')
        .filter({ hasText: /^Trung tâm Chuyển đổi số$/ })
        .waitFor();
      // Retired into Sở Nội vụ: new work naming it goes there.
      // The successor is picked by name, typed without diacritics; the agency itself is refused.
      await coordinator.getByRole('combobox', { name: 'Cơ quan tiếp nhận' }).pressSequentially('trung tam chuyen');
      const itself = coordinator.getByRole('option', { name: /^Trung tâm Chuyển đổi số tỉnh/ });
      expect(await itself.getAttribute('aria-disabled')).toBe('true');
      await coordinator.getByRole('combobox', { name: 'Cơ quan tiếp nhận' }).press('Enter');
      await coordinator.getByText('Không thể hợp nhất một cơ quan vào chính nó; hãy chọn cơ quan khác.').waitFor();
      await coordinator.getByRole('combobox', { name: 'Cơ quan tiếp nhận' }).fill('');
      await coordinator.getByRole('combobox', { name: 'Cơ quan tiếp nhận' }).pressSequentially('so noi vu');
      await coordinator.getByRole('option', { name: /^Sở Nội vụ/ }).click();
      await coordinator.getByRole('button', { name: 'Hợp nhất' }).click();
      await coordinator
        .getByText('Đã hợp nhất Trung tâm Chuyển đổi số tỉnh vào Sở Nội vụ; chuyển 0 nhiệm vụ.')
        .waitFor();
      await coordinator.getByRole('definition').filter({ hasText: 'Đã hợp nhất vào Sở Nội vụ (SNV)' }).waitFor();
      expect(await coordinator.getByRole('button', { name: 'Hợp nhất' }).count()).toBe(0);
    });
  });

  it('creates a token for a machine, shown once, that works until it is revoked', async () => {
    await step('tokens', async () => {
      await coordinator.getByRole('link', { name: 'Mã truy cập' }).click();
      await coordinator.getByRole('heading', { name: 'Mã truy cập', level: 1 }).waitFor();
      await coordinator.getByLabel('Tên người hoặc hệ thống giữ mã').fill('Phần mềm văn bản Sở Nội vụ');
      await coordinator.getByLabel('Vai trò').selectOption({ label: 'Cơ quan chủ trì / phối hợp' });
      await coordinator.getByLabel('Cơ quan', { exact: true }).pressSequentially('so noi vu');
      await coordinator.getByRole('option', { name: /^Sở Nội vụ/ }).click();
      await coordinator.getByRole('button', { name: 'Tạo mã truy cập' }).click();
      await coordinator.getByText('Đã tạo mã truy cập cho Phần mềm văn bản Sở Nội vụ.').waitFor();
      await coordinator.getByRole('heading', { name: 'Mã đã cấp (1)' }).waitFor();
      const token = await coordinator.getByLabel('Mã truy cập mới').inputValue();
      const asMachine = () => app.inject({ method: 'GET', url: '/v1/assignments', headers: bearer(token) });
      const before = await asMachine();
      expect(before.statusCode).toBe(200);
      expect(before.json().items.map((a: { agencyCode: string }) => a.agencyCode)).toEqual(['SNV', 'SNV']);

      const row = coordinator.getByRole('row', { name: /Phần mềm văn bản Sở Nội vụ/ });
      await row.getByRole('cell', { name: 'Đang dùng' }).waitFor();
      await row.getByRole('button', { name: 'Thu hồi' }).click();
      await row.getByRole('button', { name: 'Xác nhận thu hồi mã của Phần mềm văn bản Sở Nội vụ' }).click();
      await coordinator
        .getByText('Đã thu hồi mã truy cập của Phần mềm văn bản Sở Nội vụ; mã này không dùng được nữa.')
        .waitFor();
      await row.getByRole('cell', { name: `Đã thu hồi ngày ${TODAY_VN}` }).waitFor();
      expect(await coordinator.getByLabel('Mã truy cập mới').count()).toBe(0);
      expect((await asMachine()).statusCode).toBe(401);
    });
  });
});

describe('extensions, reassignment and contributions between agencies', () => {
  it('the agency asks for more time on its phone', async () => {
    await step('ask-extension', async () => {
      await snv.getByRole('link', { name: TASK_1 }).click();
      await snv.getByRole('button', { name: 'Tiếp nhận' }).click();
      await snv.getByText('Đã tiếp nhận nhiệm vụ.').waitFor();
      await snv.getByText('31/12/2027 (còn', { exact: false }).waitFor();
      await snv.getByLabel('Gia hạn đến ngày').fill('2028-03-31');
      await snv.getByLabel('Lý do', { exact: true }).fill('Chờ Bộ Nội vụ ban hành hướng dẫn thống nhất.');
      await snv.getByRole('button', { name: 'Gửi đề nghị' }).click();
      await snv.getByText('Đã gửi đề nghị gia hạn.').waitFor();
      await snv.getByText('Chờ quyết định').waitFor();
      expect(await fitsThePhone(snv)).toBe(true);
    });
  });

  it('the coordinator finds the request on "Điều phối" and approves it', async () => {
    await step('approve-extension', async () => {
      await coordinator.getByRole('link', { name: 'Điều phối' }).click();
      const requests = coordinator.getByRole('region', { name: 'Đề nghị gia hạn chờ quyết định (1)' });
      await requests.getByRole('link', { name: TASK_1 }).click();
      await coordinator
        .getByText('Đề nghị gia hạn đến 31/03/2028: Chờ Bộ Nội vụ ban hành hướng dẫn thống nhất.')
        .waitFor();
      await coordinator.getByRole('button', { name: 'Đồng ý gia hạn' }).click();
      await coordinator
        .getByRole('dialog', { name: 'Đồng ý gia hạn?' })
        .getByRole('button', { name: 'Đồng ý gia hạn' })
        .click();
      await coordinator.getByText('Đã đồng ý gia hạn.').waitFor();
    });
  });

  it('the agency sees the new deadline', async () => {
    await step('sees-extension', async () => {
      await snv.reload();
      await snv.getByText('31/03/2028 (còn', { exact: false }).waitFor();
      await snv.getByText('Đã đồng ý').waitFor();
    });
  });

  it('the coordinator gives the second task to Sở Tư pháp; it leaves one list and joins the other', async () => {
    await step('reassign', async () => {
      await coordinator.goto(`${base}/#/danh-sach?agency=SNV`);
      await coordinator.getByRole('link', { name: TASK_1 }).waitFor();
      // The due range is typed day first, as people write it; the list's address carries the ISO day.
      await coordinator.getByLabel('Hạn đến ngày').fill('30/6/2027');
      await coordinator.getByRole('button', { name: 'Lọc' }).click();
      await coordinator.waitForFunction("location.hash.includes('dueBefore=2027-06-30')");
      await coordinator.getByRole('link', { name: TASK_1 }).waitFor({ state: 'detached' });
      expect(await coordinator.getByLabel('Hạn đến ngày').inputValue()).toBe('30/06/2027');
      await coordinator.getByRole('link', { name: TASK_2 }).click();
      // Agencies are found by their names typed without diacritics.
      const receiver = coordinator.getByLabel('Cơ quan nhận');
      await receiver.pressSequentially('so tai chinh');
      await coordinator.getByRole('option', { name: /^Sở Tài chính/ }).waitFor();
      // The agency leading the task now is offered, marked, and refused with the reason.
      await receiver.fill('');
      await receiver.pressSequentially('so noi vu');
      const lead = coordinator.getByRole('option', { name: /^Sở Nội vụ/ });
      await lead.getByText('không chọn được').waitFor();
      expect(await lead.getAttribute('aria-disabled')).toBe('true');
      expect(await lead.getAttribute('aria-selected')).toBe('true');
      await receiver.press('Enter');
      await coordinator.getByText('Sở Nội vụ đang chủ trì nhiệm vụ này; hãy chọn cơ quan khác.').waitFor();
      expect(await coordinator.getByRole('option').count()).toBe(0);
      expect(await coordinator.getByText('Đã chọn Sở Nội vụ.').count()).toBe(0);
      await receiver.fill('');
      await receiver.pressSequentially('tu phap');
      await coordinator.getByRole('option', { name: /^Sở Tư pháp/ }).click();
      await coordinator.getByLabel('Lý do giao lại').fill('Thủ tục nội bộ thuộc lĩnh vực của Sở Tư pháp.');
      await coordinator.getByRole('button', { name: 'Giao lại' }).click();
      await coordinator
        .getByRole('dialog', { name: 'Giao nhiệm vụ cho cơ quan khác?' })
        .getByRole('button', { name: 'Giao lại' })
        .click();
      await coordinator.getByText('Đã giao nhiệm vụ cho Sở Tư pháp.').waitFor();
      await coordinator
        .getByRole('definition')
        .filter({ hasText: /^Sở Tư pháp \(STP\)$/ })
        .waitFor();
    });
    await step('reassign-seen', async () => {
      await snv.goto(`${base}/#/viec-cua-toi`);
      await snv.getByRole('link', { name: TASK_1 }).waitFor();
      expect(await snv.getByRole('link', { name: TASK_2 }).count()).toBe(0);
      await stp.goto(`${base}/#/viec-cua-toi`);
      await stp.reload();
      await stp.getByRole('link', { name: TASK_2 }).waitFor();
      // The first task is there too, as work it helps with.
      await stp.getByRole('link', { name: TASK_1 }).waitFor();
      await stp.getByText('Quý cơ quan phối hợp thực hiện.').waitFor();
    });
  });

  it('the collaborator adds a contribution, and the lead reads it', async () => {
    await step('contribution', async () => {
      await stp.getByRole('link', { name: TASK_1 }).click();
      await stp.getByText('Chưa có nội dung phối hợp.').waitFor();
      await stp
        .getByLabel('Nội dung phối hợp', { exact: true })
        .fill('Sở Tư pháp đã rà soát 12 thủ tục, đề nghị bỏ 3 bước trùng lặp.');
      await stp.getByRole('button', { name: 'Gửi nội dung phối hợp' }).click();
      await stp.getByText('Đã gửi nội dung phối hợp; cơ quan chủ trì sẽ thấy trên trang nhiệm vụ.').waitFor();
      await stp.getByRole('heading', { name: 'Nội dung phối hợp (1)' }).waitFor();
      expect(await fitsThePhone(stp)).toBe(true);

      await snv.getByRole('link', { name: TASK_1 }).click();
      await snv.getByRole('heading', { name: 'Nội dung phối hợp (1)' }).waitFor();
      await snv.getByText('Sở Tư pháp đã rà soát 12 thủ tục, đề nghị bỏ 3 bước trùng lặp.').waitFor();
      await snv.locator('.contributions').getByText('Sở Tư pháp (STP)').waitFor();
      // The lead reads it; only collaborators write it.
      expect(await snv.getByLabel('Nội dung phối hợp', { exact: true }).count()).toBe(0);
    });
  });
});

describe('reports and printing', () => {
  it('the coordinator picks "Quý I/2027" and downloads the periodic report as XLSX and CSV', async () => {
    await step('periodic-report', async () => {
      await coordinator.getByRole('link', { name: 'Báo cáo', exact: true }).click();
      await coordinator.getByRole('heading', { name: 'Báo cáo định kỳ', level: 1 }).waitFor();
      await coordinator.getByLabel('Kỳ báo cáo').selectOption({ label: 'Quý I/2027' });
      await coordinator.getByRole('heading', { name: 'Báo cáo quý I/2027' }).waitFor();
      const xlsx = coordinator.getByRole('link', { name: 'Tải báo cáo quý I/2027 (XLSX)' });
      const file = await coordinator.request.get(`${base}${await xlsx.getAttribute('href')}`);
      expect(file.status()).toBe(200);
      expect(file.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(file.headers()['content-disposition']).toContain('bao-cao-2027-Q1.xlsx');
      expect((await file.body()).subarray(0, 2).toString()).toBe('PK');
      // Each lead agency owes its first-quarter report, not yet due.
      const byAgency = coordinator.getByRole('table', { name: 'Theo cơ quan chủ trì' });
      for (const [name, code] of [
        ['Sở Nội vụ', 'SNV'],
        ['Sở Tư pháp', 'STP'],
      ])
        expect(await byAgency.getByRole('row', { name: new RegExp(`^${name} `) }).textContent()).toBe(
          `${name} (${code})0001`,
        );
      // The tasks at the period's cut-off (still to come: today), in the dashboard's four buckets.
      const tasks = coordinator.getByRole('table', { name: 'Số nhiệm vụ của từng cơ quan chủ trì' });
      expect(
        await tasks
          .getByRole('row', { name: /^Tổng cộng/ })
          .getByRole('cell')
          .allTextContents(),
      ).toEqual(['0', '0', '2', '0', '2', '0%', '—']);
      const csv = await coordinator.request.get(
        `${base}${await coordinator.getByRole('link', { name: 'Tải CSV' }).getAttribute('href')}`,
      );
      expect(csv.status()).toBe(200);
      expect(await csv.text()).toContain('Cơ quan,Mã cơ quan,Kế hoạch,STT nhiệm vụ,Nhiệm vụ,Tình trạng,Ngày gửi');
      // The totals in the words of the XLSX: one parallel set.
      expect(await coordinator.locator('.totals .label').allTextContents()).toEqual([
        'Đã gửi – đúng hạn',
        'Đã gửi – muộn',
        'Chưa gửi – quá hạn',
        'Chưa gửi – chưa đến hạn',
      ]);
      // The narrative report (.docx): the province's, and the one of the agency chosen by name.
      await coordinator.getByLabel('Cơ quan của báo cáo .docx').selectOption({ label: 'Sở Tư pháp' });
      const docxLinks = [
        coordinator.getByRole('link', { name: 'Tải báo cáo (.docx)', exact: true }),
        coordinator.getByRole('link', { name: 'Tải báo cáo của cơ quan (.docx)' }),
      ];
      const hrefs = await Promise.all(docxLinks.map(async (link) => (await link.getAttribute('href'))!));
      expect(hrefs[0]).toContain('period=2027-Q1');
      expect(new URL(hrefs[1]!, base).searchParams.get('agency')).toBe('STP');
      for (const href of hrefs) {
        const docx = await coordinator.request.get(`${base}${href}`);
        expect(docx.status()).toBe(200);
        expect(docx.headers()['content-type']).toBe(
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        );
        const body = await docx.body();
        expect(body.length).toBeGreaterThan(1000);
        expect(body.subarray(0, 2).toString()).toBe('PK');
      }
      // The period is kept in the address: a reload shows the same report.
      await coordinator.reload();
      await coordinator.getByRole('heading', { name: 'Báo cáo quý I/2027' }).waitFor();
      await coordinator.getByLabel('Kỳ báo cáo').selectOption({ label: 'Năm 2027' });
      await coordinator.getByRole('heading', { name: 'Báo cáo năm 2027' }).waitFor();
    });
  });

  it('the dashboard counts as of a chosen period, and a number opens exactly the work behind it', async () => {
    await step('dashboard-period', async () => {
      await coordinator.getByRole('link', { name: 'Tổng quan' }).click();
      await coordinator.getByRole('heading', { name: 'Theo cơ quan' }).waitFor();
      const asOf = coordinator.locator('#so-lieu-den-ngay');
      // The plan began on 1 January 2026 and was imported later: at the third quarter's cut-off its
      // tasks are reckoned from their deadlines (both due in 2027: within).
      await coordinator.getByLabel('Kỳ', { exact: true }).selectOption({ label: 'Quý III/2026' });
      await asOf.filter({ hasText: 'Quý III/2026 (số liệu đến 14/09/2026).' }).waitFor();
      await coordinator.locator('#tong-within').filter({ hasText: '2' }).waitFor();
      // A period still to come counts up to today.
      const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
      await coordinator.getByLabel('Kỳ', { exact: true }).selectOption({ label: 'Năm 2027' });
      await asOf.filter({ hasText: `Năm 2027 (số liệu đến ${today}).` }).waitFor();
      expect(await coordinator.locator('#tong-within').textContent()).toBe('2');
      const stp = coordinator
        .getByRole('table', { name: 'Số nhiệm vụ theo cơ quan' })
        .getByRole('row', { name: /^Sở Tư pháp/ });
      await stp.getByRole('link', { name: '1' }).click();
      await coordinator.getByText('cơ quan Sở Tư pháp (STP)', { exact: false }).waitFor();
      await coordinator.getByText('Chưa hoàn thành – trong hạn: 1 nhiệm vụ.', { exact: false }).waitFor();
    });
  });

  it('the dashboard prints on A4: no navigation or buttons, charts and tables kept', async () => {
    await step('print', async () => {
      await coordinator.getByRole('link', { name: 'Tổng quan' }).click();
      await coordinator.getByRole('heading', { name: 'Theo cơ quan' }).waitFor();
      await coordinator.emulateMedia({ media: 'print' });
      try {
        expect(await coordinator.locator('header.top').isVisible()).toBe(false);
        expect(await coordinator.getByRole('navigation').isVisible()).toBe(false);
        expect(await coordinator.getByLabel('Kế hoạch').isVisible()).toBe(false);
        for (const button of await coordinator.locator('button').all()) expect(await button.isVisible()).toBe(false);
        // The trend's chart is kept; the per-agency and per-area bars give way to their tables.
        expect(await coordinator.locator('svg.chart').last().isVisible()).toBe(true);
        expect(await coordinator.getByRole('table', { name: 'Số nhiệm vụ theo cơ quan' }).isVisible()).toBe(true);
        expect(
          await coordinator
            .getByText(`Kế hoạch ${PLAN}: Kế hoạch cải cách hành chính năm 2027`, { exact: true })
            .isVisible(),
        ).toBe(true);
        const pdf = Buffer.from(await coordinator.pdf({ format: 'A4' })).toString('latin1');
        expect(pdf.startsWith('%PDF-')).toBe(true);
        const pages = pdf.match(/\/Type\s*\/Page\b(?!s)/g) ?? [];
        expect(pages.length).toBeGreaterThanOrEqual(1);
        // A4 is 595 × 842 points.
        expect(pdf).toMatch(/\/MediaBox\s*\[\s*0\s+0\s+59[45](\.\d+)?\s+84[12](\.\d+)?\s*\]/);
      } finally {
        await coordinator.emulateMedia({ media: 'screen' });
      }
      expect(await coordinator.getByRole('navigation').isVisible()).toBe(true);
    });
  });

  it('no page reported a script or policy error along the way', () => {
    expect(consoleErrors).toEqual([]);
  });
});
