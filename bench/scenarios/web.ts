import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../../runtime/free-port.ts';
import { startApi, postJson, type RunningApi } from '../support/api.ts';
import { withEnvironment } from '../support/environment.ts';
import { markdownTable } from '../support/table.ts';
import type { Scenario, ScenarioResult } from './types.ts';

const LOADS = Number(process.env.BENCH_WEB_LOADS ?? 7);
const TARGET_MS = 1_000;
const CHROMIUM = '/usr/bin/chromium';

/** A province's plan of 60 tasks, each led by one of the first departments of Vĩnh Phúc. */
async function importPlan(api: RunningApi): Promise<void> {
  const leads = ['Sở Nội vụ', 'Sở Tư pháp', 'Sở Y tế', 'Sở Tài chính'];
  const tasks = Array.from({ length: 60 }, (_, i) => ({
    number: String(i + 1),
    title: `Nhiệm vụ cải cách hành chính số ${i + 1}`,
    deliverables: ['Báo cáo'],
    leads: [leads[i % leads.length]!],
    dueDate: i % 3 === 0 ? '2026-06-30' : '2027-12-31',
  }));
  const imported = await postJson(api, '/v1/plans', {
    code: 'BENCH/KH-WEB',
    title: 'Kế hoạch đo thời gian mở trang',
    province: 'Vĩnh Phúc',
    periodStart: '2026-01-01',
    periodEnd: '2027-12-31',
    tasks,
  });
  if (imported.status !== 201) throw new Error(`import answered ${imported.status}: ${JSON.stringify(imported.body)}`);
}

/** An account made through an invitation; answers its e-mail and password. */
async function person(api: RunningApi, role: string, agency?: string): Promise<{ email: string; password: string }> {
  const email = `${role}${agency ? `.${agency.toLowerCase()}` : ''}@bench.vinhphuc.gov.vn`;
  const password = 'mật khẩu đo hiệu năng';
  const invited = await postJson(api, '/v1/invitations', {
    email,
    name: `Người đo ${role}`,
    role,
    registry: 'vinh-phuc',
    ...(agency ? { agency } : {}),
  });
  if (invited.status !== 201) throw new Error(`invitation answered ${invited.status}`);
  const token = (invited.body as { token: string }).token;
  const accepted = await postJson({ ...api, headers: {} }, `/v1/invitations/${token}/accept`, { password });
  if (accepted.status !== 201) throw new Error(`acceptance answered ${accepted.status}`);
  return { email, password };
}

/**
 * Milliseconds from navigation to a usable page: its heading drawn and "Đang tải…" gone, in a
 * browser whose cache is empty (a new context per load); and how many requests that load made.
 */
async function coldLoads(
  browser: Browser,
  url: string,
  signIn: ((page: Page) => Promise<void>) | null,
): Promise<{ p50: number; p90: number; requests: number }> {
  const times: number[] = [];
  let requests = 0;
  for (let i = 0; i < LOADS; i += 1) {
    const context = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    const page = await context.newPage();
    if (signIn) await signIn(page);
    let made = 0;
    page.on('request', () => {
      made += 1;
    });
    const start = performance.now();
    await page.goto(url);
    await page.locator('main h1').first().waitFor();
    await page.getByText('Đang tải…').waitFor({ state: 'detached' });
    times.push(performance.now() - start);
    requests = made;
    await context.close();
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p90: at(0.9), requests };
}

/** The ceiling: a static page with the same stylesheet and a heading, from a plain HTTP server. */
async function staticServer(): Promise<{ url: string; server: Server }> {
  const css = await readFile(new URL('../../web/style.css', import.meta.url));
  const html = Buffer.from(
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Đôn đốc</title>' +
      '<link rel="stylesheet" href="/style.css"></head><body><main id="noi-dung"><h1>Trang tĩnh</h1></main></body></html>',
  );
  const server = createServer((request, response) => {
    const css_ = request.url === '/style.css';
    response.writeHead(200, { 'content-type': css_ ? 'text/css' : 'text/html; charset=utf-8' });
    response.end(css_ ? css : html);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/`, server };
}

export const webScenario: Scenario = {
  name: 'web',
  description:
    'Time to a usable page (heading drawn, data shown) on a cold load in headless Chromium, for each role on localhost, ' +
    'beside a static page with the same stylesheet as the ceiling; and the requests a load makes.',
  async run({ log }): Promise<ScenarioResult> {
    return withEnvironment('web', async (env) => {
      const api = await startApi(env, `bench-web-${Date.now()}`);
      await importPlan(api);
      const people = {
        coordinator: { ...(await person(api, 'coordinator')), page: '#/dieu-phoi' },
        agency: { ...(await person(api, 'agency', 'SNV')), page: '#/viec-cua-toi' },
        leadership: { ...(await person(api, 'leadership')), page: '#/tong-quan' },
      };
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      });
      const ceiling = await staticServer();
      try {
        const rows: (string | number)[][] = [['page', 'p50 (ms)', 'p90 (ms)', 'requests', `≤ ${TARGET_MS} ms`]];
        let met = true;
        const staticLoad = await coldLoads(browser, ceiling.url, null);
        rows.push([
          'static page (ceiling)',
          Math.round(staticLoad.p50),
          Math.round(staticLoad.p90),
          staticLoad.requests,
          '—',
        ]);
        for (const [role, who] of Object.entries(people)) {
          log(`web: ${role}, ${LOADS} cold loads of ${who.page}`);
          const load = await coldLoads(browser, `${api.url}/${who.page}`, async (page) => {
            const answer = await page.request.post(`${api.url}/v1/session`, {
              data: { email: who.email, password: who.password },
            });
            if (answer.status() !== 200) throw new Error(`sign-in answered ${answer.status()}`);
          });
          const ok = load.p50 <= TARGET_MS;
          met &&= ok;
          rows.push([
            `${role} ${who.page}`,
            Math.round(load.p50),
            Math.round(load.p90),
            load.requests,
            ok ? 'yes' : 'no',
          ]);
        }
        return {
          sections: [
            markdownTable(rows),
            `Each figure is over ${LOADS} loads, each in a fresh browser context (empty cache, signed in by the API). ` +
              'Requests count everything a load asks for: the page, the stylesheet, the one script, the icon and the API reads.',
          ],
          targetMet: met,
        };
      } finally {
        await browser.close();
        await new Promise((resolve) => ceiling.server.close(resolve));
      }
    });
  },
};
