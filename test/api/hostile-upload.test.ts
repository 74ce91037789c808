import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testTokens } from '../support/auth.ts';
import { buildTestApp, createTestContext, type TestContext } from '../support/context.ts';

// While a hostile upload is being read, the API goes on answering: the reading runs in a thread of
// its own (services/isolated-preview.ts), so the process's event loop stays free for /healthz.

let ctx: TestContext;
let app: FastifyInstance;
let coordinator: Record<string, string>;

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildTestApp(ctx);
  coordinator = bearer(await testTokens(ctx).coordinator());
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

describe('a hostile upload being read', () => {
  it('leaves /healthz answering within half a second, and ends with the file’s problem named', async () => {
    // A few tasks, each led by dozens of agencies the registry does not know, as long as its own
    // names: a second of matching, all of it synchronous, had it run on the request's thread.
    const rows = ['STT;Nội dung;Cơ quan chủ trì;Thời gian hoàn thành'];
    for (let i = 1; i <= 40; i++) {
      const leads = Array.from({ length: 60 }, (_, k) => `Sở Khoa học Đào tạo số ${i * 100 + k}`).join(', ');
      rows.push(`${i};Việc ${i};"${leads}";Năm 2026`);
    }
    const upload = Buffer.from(rows.join('\n'));
    const url = '/v1/plans/preview?province=V%C4%A9nh%20Ph%C3%BAc&format=csv';
    const headers = { ...coordinator, 'content-type': 'text/csv' };
    // Once, so that what any first request costs (loading the registry, compiling code) is not counted.
    await app.inject({ method: 'POST', url, headers, payload: Buffer.from(rows.slice(0, 2).join('\n')) });
    let done = false;
    const preview = app
      .inject({
        method: 'POST',
        url,
        headers,
        payload: upload,
      })
      .finally(() => (done = true));
    const latencies: number[] = [];
    while (!done) {
      const started = performance.now();
      const health = await app.inject({ method: 'GET', url: '/healthz' });
      if (!done) latencies.push(performance.now() - started);
      expect(health.statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const answer = await preview;
    expect(answer.json().warnings[0].message).toMatch(/^Tệp có quá nhiều tên cơ quan chưa có trong danh mục/);
    // Read in the request's own thread, the file would have held every one of these back.
    expect(latencies.length).toBeGreaterThanOrEqual(5);
    console.log(
      `/healthz during the read: ${latencies.length} answers, slowest ${Math.max(...latencies).toFixed(0)} ms`,
    );
    // Half a second: well under the read's second of matching, and above what other test files
    // running beside this one can cost an answer on two cores (109 ms seen).
    expect(Math.max(...latencies)).toBeLessThan(500);
  });
});
