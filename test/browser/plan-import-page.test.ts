import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../api/app.ts';
import { createTestContext, eventually, quietLogger, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { CHROMIUM, PHONE, stepRunner, watchConsole } from '../support/browser.ts';

/**
 * The import page fixes a preview before anything is imported, in Chromium whose own language is
 * English (so a native date field would show mm/dd/yyyy): a table with a loose group as lead, a
 * proposed agency, a month-only deadline and a deadline nobody can read is fixed on the page (a
 * day typed as dd/mm/yyyy, a lead found by a name typed without diacritics, the proposal rejected,
 * a row left out), then imported; the plan's tasks, their deadlines and the audit trail are read
 * back through the API. Importing the same plan again is a revision, shown with its changes and
 * imported only with its own button. On a phone, the calendar picks a day.
 */

const CODE = '46/KH-UBND';
const HEADER = 'STT,Tên nhiệm vụ,Cơ quan chủ trì,Cơ quan phối hợp,Thời gian hoàn thành';
const csv = (lines: string[]) => Buffer.from(`\ufeff${[HEADER, ...lines].join('\r\n')}\r\n`, 'utf8');
const FIRST = csv([
  '1,Ban hành quy chế phối hợp một cửa,Sở Nội vụ,"Các sở, ban, ngành",Tháng 6/2026',
  '2,Cải cách thủ tục liên thông,"Sở, ngành liên quan",,Quý III/2026',
  '3,Số hóa hồ sơ một cửa,Trung tâm Dữ liệu số tỉnh,Sở Khoa học và Công nghệ,Quý IV/2026',
  '4,Tuyên truyền cải cách hành chính,Sở Nội vụ,,đầu năm sau',
  '5,Tập huấn cán bộ một cửa,Sở Tư pháp,,Quý IV/2026',
]);
// The same plan a month later: task 1 moves to July, a survey is added, task 5 is gone for good.
const SECOND = csv([
  '1,Ban hành quy chế phối hợp một cửa,Sở Nội vụ,"Các sở, ban, ngành",Tháng 7/2026',
  '2,Cải cách thủ tục liên thông,Sở Nội vụ,,Quý III/2026',
  '3,Số hóa hồ sơ một cửa,Sở Khoa học và Công nghệ,,Quý IV/2026',
  '4,Tuyên truyền cải cách hành chính,Sở Nội vụ,,15/01/2027',
  '5,Khảo sát mức độ hài lòng của người dân,Sở Nội vụ,,Quý IV/2026',
]);

// A 2021–2025 plan brought in at the end of 2026, part of its work long done.
const PAST = Buffer.from(
  `\ufeff${[
    'STT,Tên nhiệm vụ,Cơ quan chủ trì,Thời gian hoàn thành,Tình hình thực hiện',
    '1,Rà soát quy trình nội bộ,Sở Nội vụ,Quý II/2024,Hoàn thành ngày 15/3/2024',
    '2,Công bố thủ tục hành chính,Sở Tư pháp,Quý IV/2024,Đang thực hiện',
    '3,Đánh giá chỉ số cải cách hành chính,Sở Nội vụ,Quý IV/2024,',
    '4,Số hóa kết quả giải quyết thủ tục,Sở Tư pháp,Quý IV/2025,',
  ].join('\r\n')}\r\n`,
  'utf8',
);

let ctx: TestContext;
let app: FastifyInstance;
let base: string;
let filesDir: string;
let browser: Browser;
let desk: Page;
let phone: Page;
let api: Record<string, string>;
let planId = '';

const step = stepRunner(() => ({ desk, phone }));
const consoleErrors: string[] = [];

async function signIn(page: Page) {
  await page.goto(`${base}/#/dang-nhap`);
  await page.getByLabel('Thư điện tử').fill('dieuphoi@snv.phutho.gov.vn');
  await page.getByLabel('Mật khẩu').fill('mật khẩu điều phối 2026');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { name: 'Điều phối', level: 1 }).waitFor();
}

/** Fills the upload form and waits for the preview. */
async function upload(
  page: Page,
  file: Buffer,
  code: string,
  issued?: string,
  period: [string, string] = ['1/1/2026', '31-12-2026'],
) {
  await page.getByRole('link', { name: 'Nhập kế hoạch', exact: true }).click();
  await page.getByRole('heading', { name: 'Nhập kế hoạch', level: 1 }).waitFor();
  await page.getByLabel('Tệp phụ lục').setInputFiles({ name: 'phu-luc-46.csv', mimeType: 'text/csv', buffer: file });
  await page.getByLabel('Số hiệu kế hoạch').fill(code);
  await page.getByLabel('Tên kế hoạch').fill('Kế hoạch cải cách hành chính tỉnh Phú Thọ năm 2026');
  await page.getByLabel('Tỉnh', { exact: true }).fill('Phú Thọ');
  await page.getByLabel('Từ ngày', { exact: true }).fill(period[0]);
  await page.getByLabel('Đến ngày', { exact: true }).fill(period[1]);
  if (issued) await page.getByLabel('Ngày ban hành', { exact: true }).fill(issued);
  await page.getByRole('button', { name: 'Xem trước' }).click();
  await page.getByText('Đã đọc xong', { exact: false }).waitFor();
}

const row = (page: Page, n: number) => page.locator(`#dong-${n}`);

/** Waits until the table has been drawn again after the draft's `count`th change. */
const saved = (page: Page, count: number) =>
  page.getByText(`Đã lưu. Bảng có ${count} thay đổi so với tệp.`, { exact: true }).waitFor();

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  filesDir = await mkdtemp(join(tmpdir(), 'dondoc-browser-files-'));
  app = await buildApp(ctx.deps, { logger: quietLogger(), filesDir });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const admin = bearer(await testTokens(ctx).coordinator());
  const made = await app.inject({
    method: 'POST',
    url: '/v1/tokens',
    headers: admin,
    payload: { role: 'coordinator', registry: 'phu-tho', name: 'Kiểm tra nhập kế hoạch' },
  });
  expect(made.statusCode).toBe(201);
  api = bearer(made.json().token);
  const invited = await app.inject({
    method: 'POST',
    url: '/v1/invitations',
    headers: admin,
    payload: {
      email: 'dieuphoi@snv.phutho.gov.vn',
      name: 'Phạm Thu Điều Phối',
      role: 'coordinator',
      registry: 'phu-tho',
    },
  });
  expect(invited.statusCode).toBe(201);
  const accepted = await app.inject({
    method: 'POST',
    url: `/v1/invitations/${invited.json().token}/accept`,
    payload: { password: 'mật khẩu điều phối 2026' },
  });
  expect(accepted.statusCode).toBe(201);

  // Chromium's own language is English: the app must still show and read days as dd/mm/yyyy.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--lang=en-US',
    ],
  });
  desk = await (
    await browser.newContext({
      locale: 'en-US',
      timezoneId: 'Asia/Ho_Chi_Minh',
      viewport: { width: 1366, height: 768 },
    })
  ).newPage();
  phone = await (
    await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Ho_Chi_Minh', viewport: PHONE })
  ).newPage();
  for (const page of [desk, phone]) watchConsole(page, consoleErrors);
  await signIn(desk);
  await signIn(phone);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ctx?.close();
  if (filesDir) await rm(filesDir, { recursive: true, force: true });
});

describe('the import page fixes a preview before importing it', () => {
  it('an empty coordinator page points to the import', async () => {
    await step('first-steps', async () => {
      await desk.getByRole('heading', { name: 'Bắt đầu' }).waitFor();
      expect(await desk.getByRole('link', { name: 'Nhập phụ lục kế hoạch đầu tiên' }).getAttribute('href')).toBe(
        '#/nhap-ke-hoach',
      );
    });
  });

  it('shows what it read: the month as its last day with the reading beside it, the questions, the fan-out', async () => {
    await step('preview', async () => {
      await upload(desk, FIRST, CODE);
      await desk.getByText('5 nhiệm vụ, ', { exact: false }).waitFor();
      // "Tháng 6/2026" is the month's last day, and the page says so.
      await row(desk, 2).getByText('30/06/2026', { exact: false }).first().waitFor();
      expect(await row(desk, 5).getByText('Chưa đọc được').count()).toBe(1);
      // The loose group is a question with the plan's defaults offered, not 16 silent co-leads.
      await row(desk, 3).locator('.question').first().waitFor();
      await desk.getByRole('heading', { name: 'Cơ quan mới đề xuất thêm vào danh mục (1)' }).waitFor();
      await desk.getByText(/“Các sở, ban, ngành” → \d+ cơ quan/).waitFor();
      expect(await desk.getByRole('button', { name: 'Xác nhận nhập kế hoạch' }).count()).toBe(1);
    });
  });

  it('refuses a day that is not one, beside the cell, in Vietnamese', async () => {
    await step('bad-day', async () => {
      await row(desk, 5).getByLabel('Hạn mới, dòng 5').fill('31/02/2027');
      await row(desk, 5).getByRole('button', { name: 'Lưu hạn dòng 5' }).click();
      await row(desk, 5).getByText('Hãy gõ hoặc chọn một ngày (ngày/tháng/năm).').waitFor();
    });
  });

  it('is fixed on the page: a typed day, a lead picked by a name without diacritics, a proposal rejected, a row left out', async () => {
    await step('fix', async () => {
      await desk.getByLabel('Ngày ban hành kế hoạch').fill('2/3/2026');
      await desk.getByRole('button', { name: 'Lưu ngày ban hành' }).click();
      await saved(desk, 1);
      expect(await desk.getByLabel('Ngày ban hành kế hoạch').inputValue()).toBe('02/03/2026');

      await row(desk, 5).getByLabel('Hạn mới, dòng 5').fill('15/01/2027');
      await row(desk, 5).getByRole('button', { name: 'Lưu hạn dòng 5' }).click();
      await saved(desk, 2);
      await row(desk, 5).locator('.due').getByText('15/01/2027', { exact: true }).waitFor();

      const lead = row(desk, 3).getByLabel('Cơ quan chủ trì, dòng 3');
      await lead.pressSequentially('so noi vu');
      await desk.getByRole('option', { name: /^Sở Nội vụ/ }).click();
      await row(desk, 3).getByRole('button', { name: 'Lưu chủ trì dòng 3' }).click();
      await saved(desk, 3);
      await row(desk, 3).getByRole('listitem').filter({ hasText: 'Sở Nội vụ' }).waitFor();
      expect(await row(desk, 3).locator('.question').count()).toBe(0);

      await desk.getByRole('button', { name: 'Không thêm Trung tâm Dữ liệu số tỉnh' }).click();
      await saved(desk, 4);
      await desk.getByText('Không thêm', { exact: true }).first().waitFor();
      // Its row now needs a lead the registry knows: typed with the keyboard, picked with Enter.
      const other = row(desk, 4).getByLabel('Cơ quan chủ trì, dòng 4');
      await other.pressSequentially('khoa hoc va cong nghe');
      await desk.getByRole('option', { name: /^Sở Khoa học và Công nghệ/ }).waitFor();
      await other.press('Enter');
      await row(desk, 4).getByRole('button', { name: 'Lưu chủ trì dòng 4' }).click();
      await saved(desk, 5);

      await row(desk, 6).getByRole('button', { name: 'Bỏ dòng 6' }).click();
      await saved(desk, 6);
      await row(desk, 6).getByRole('button', { name: 'Khôi phục dòng 6' }).waitFor();
      await desk.getByText('4 nhiệm vụ, ', { exact: false }).waitFor();
    });
  });

  it('imports what the page shows, with progress and a link to the plan; the tasks keep the preview’s deadlines', async () => {
    await step('import', async () => {
      const previewDue = await row(desk, 2).locator('.due').textContent();
      // While it runs, the button is disabled and a progress line says what is happening.
      await desk.evaluate(`(() => {
        const seen = (window.importSeen = { disabled: false, progress: '' });
        new MutationObserver(() => {
          const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Xác nhận nhập kế hoạch');
          if (button?.disabled) seen.disabled = true;
          const bar = document.querySelector('.import-actions progress');
          if (bar) seen.progress = bar.parentElement.textContent;
        }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      })()`);
      const button = desk.getByRole('button', { name: 'Xác nhận nhập kế hoạch' });
      await button.click();
      await desk.getByText(`Đã nhập kế hoạch ${CODE}: 4 nhiệm vụ được giao.`).waitFor({ timeout: 30_000 });
      const link = desk.getByRole('link', { name: `Xem các nhiệm vụ của kế hoạch ${CODE}` });
      expect(await desk.evaluate('window.importSeen')).toEqual({
        disabled: true,
        progress: expect.stringMatching(
          /^ Đang nhập kế hoạch: tạo 4 nhiệm vụ và bắt đầu theo dõi 4 lượt giao… \(\d+ giây\)$/,
        ),
      });
      planId = new URLSearchParams((await link.getAttribute('href'))!.split('?')[1]).get('plan')!;
      expect(planId).not.toBe('');

      const items = await eventually(async () => {
        const list = await app.inject({ method: 'GET', url: `/v1/assignments?plan=${planId}`, headers: api });
        const found = list.json().items as { task: { key: string }; agencyCode: string; deadline: { due: string } }[];
        return found.length === 4 ? found : undefined;
      });
      const byKey = Object.fromEntries(items.map((a) => [a.task.key, `${a.agencyCode} ${a.deadline.due}`]));
      expect(byKey).toEqual({
        '1': 'SNV 2026-06-30',
        '2': 'SNV 2026-09-30',
        '3': 'SKHCN 2026-12-31',
        '4': 'SNV 2027-01-15',
      });
      // The day the preview showed is the task's day.
      expect(previewDue).toBe('30/06/2026');

      const trail = (
        await app.inject({
          method: 'GET',
          url: `/v1/audit?entityType=plan&entityId=${encodeURIComponent(planId)}&limit=100`,
          headers: api,
        })
      ).json().items as { action: string; details: { field: string; row: number | null } }[];
      const edits = trail
        .filter((e) => e.action === 'plan-draft-edit')
        .map((e) => `${e.details.field}@${e.details.row}`);
      expect(edits).toEqual(
        expect.arrayContaining(['issuedOn@null', 'deadline@5', 'leads@3', 'proposal@null', 'leads@4', 'excluded@6']),
      );
    });
  });

  it('shows importing the same plan again as a revision, with what changes, behind its own button', async () => {
    await step('revision', async () => {
      await upload(desk, SECOND, CODE, '02/03/2026');
      await desk.getByRole('heading', { name: `Đây là điều chỉnh kế hoạch ${CODE} đã có (lần 2)` }).waitFor();
      await desk.getByText('Đổi thời hạn: 1').waitFor();
      await desk.getByText('Thêm: 1').waitFor();
      await desk.getByRole('cell', { name: 'Tháng 6/2026 → Tháng 7/2026' }).waitFor();
      await desk.getByRole('cell', { name: 'Khảo sát mức độ hài lòng của người dân' }).first().waitFor();
      expect(await desk.getByRole('button', { name: 'Xác nhận nhập kế hoạch' }).count()).toBe(0);
      await desk.getByRole('button', { name: 'Xác nhận điều chỉnh kế hoạch' }).click();
      await desk.getByText(`Đã điều chỉnh kế hoạch ${CODE} (lần 2)`, { exact: false }).waitFor({ timeout: 30_000 });
      const plans = (await app.inject({ method: 'GET', url: '/v1/plans', headers: api })).json().items;
      expect(plans.find((p: { id: string }) => p.id === planId)).toMatchObject({ revision: 2 });
      const first = await eventually(async () => {
        const list = await app.inject({ method: 'GET', url: `/v1/assignments?plan=${planId}`, headers: api });
        const task = list.json().items.find((a: { task: { key: string } }) => a.task.key === '1');
        return task?.deadline.due === '2026-07-31' ? task : undefined;
      });
      expect(first.agencyCode).toBe('SNV');
    });
  });

  it('takes up a plan in the middle of its life: the status column read, past work marked done in bulk', async () => {
    await step('past', async () => {
      await upload(desk, PAST, '48/KH-UBND', '10/01/2021', ['1/1/2021', '31/12/2025']);
      await row(desk, 2).getByText('Đã hoàn thành ngày 15/03/2024').waitFor();
      await row(desk, 2).getByText('Bảng ghi: “Hoàn thành ngày 15/3/2024”').waitFor();
      await row(desk, 3).getByText('Chưa hoàn thành').waitFor();
      await row(desk, 3).getByRole('checkbox', { name: 'Chọn dòng 3' }).check();
      await row(desk, 4).getByRole('checkbox', { name: 'Chọn dòng 4' }).check();
      await desk.getByText('Đánh dấu các dòng đã chọn là đã hoàn thành').click();
      await desk.getByLabel('Ngày hoàn thành', { exact: true }).fill('20/12/2024');
      await desk.getByLabel('Loại văn bản (không bắt buộc)').fill('Báo cáo');
      await desk.getByLabel('Số văn bản (không bắt buộc)').fill('98/BC-SNV');
      await desk.getByRole('button', { name: 'Đánh dấu đã hoàn thành' }).click();
      await saved(desk, 2);
      await row(desk, 3).getByText('Đã hoàn thành ngày 20/12/2024').waitFor();
      await row(desk, 4).getByText('Báo cáo 98/BC-SNV').waitFor();
      await row(desk, 5).getByText('Chưa hoàn thành').waitFor();

      await desk.getByRole('button', { name: 'Xác nhận nhập kế hoạch' }).click();
      const link = desk.getByRole('link', { name: 'Xem các nhiệm vụ của kế hoạch 48/KH-UBND' });
      await link.waitFor({ timeout: 30_000 });
      const plan = new URLSearchParams((await link.getAttribute('href'))!.split('?')[1]).get('plan')!;
      // Done work starts completed on its day, on time by its deadline; the rest is open.
      const read = async () => {
        const list = await app.inject({ method: 'GET', url: `/v1/assignments?plan=${plan}`, headers: api });
        const byKey: Record<string, string> = {};
        for (const a of list.json().items as { id: string; task: { key: string } }[]) {
          const one = (
            await app.inject({ method: 'GET', url: `/v1/assignments/${encodeURIComponent(a.id)}`, headers: api })
          ).json();
          byKey[a.task.key] = `${one.status}: ${one.completion ?? '-'}`;
        }
        return byKey;
      };
      let seen: Record<string, string> = {};
      const states = await eventually(async () => {
        seen = await read();
        // The row is completed at import; its day is the workflow's, written when it has started.
        const settled = ['1', '2', '3'].every((k) => seen[k]?.startsWith('completed: Hoàn thành'));
        return Object.keys(seen).length === 4 && settled ? seen : undefined;
      }).catch(() => seen);
      expect(states).toEqual({
        '1': 'completed: Hoàn thành ngày 15/03/2024 (đúng hạn)',
        '2': 'completed: Hoàn thành ngày 20/12/2024 (đúng hạn)',
        '3': 'completed: Hoàn thành ngày 20/12/2024 (đúng hạn)',
        '4': 'assigned: -',
      });
    });
  });

  it('on a phone, a day is picked on the calendar and the page does not scroll sideways', async () => {
    await step('phone', async () => {
      await phone
        .getByRole('button', { name: /menu|Menu/ })
        .click({ timeout: 1000 })
        .catch(() => undefined);
      await upload(phone, FIRST, '47/KH-UBND', '02/03/2026');
      const cell = row(phone, 5);
      await cell.getByRole('button', { name: 'Chọn ngày trên lịch' }).click();
      const calendar = phone.getByRole('dialog', { name: 'Lịch chọn ngày' });
      await calendar.waitFor();
      await calendar.getByRole('button', { name: 'Tháng sau' }).click();
      const heading = await calendar.locator('strong').textContent();
      const [month, year] = heading!.replace('Tháng ', '').split('/').map(Number);
      await calendar.getByRole('button', { name: `20/${String(month).padStart(2, '0')}/${year}` }).click();
      const typed = await cell.getByLabel('Hạn mới, dòng 5').inputValue();
      expect(typed).toBe(`20/${String(month).padStart(2, '0')}/${year}`);
      await cell.getByRole('button', { name: 'Lưu hạn dòng 5' }).click();
      await saved(phone, 1);
      await row(phone, 5).locator('.due').getByText(typed, { exact: true }).waitFor();
      expect(await phone.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      expect(consoleErrors).toEqual([]);
    });
  });
});
