import autocannon from 'autocannon';
import type { Principal } from '../../domain/permissions.ts';
import { listQuery } from '../../services/assignment-reads.ts';
import { periodicReportQuery } from '../../services/periodic-report.ts';
import { createToken } from '../../services/tokens.ts';
import { spread } from '../support/histories.ts';
import { ProcessMeter, type PartUsage } from '../support/process-meter.ts';
import { CONNECTIONS, rawQuery, type Figures } from './api-reads.ts';
import type { NationalTarget } from './national-target.ts';

// Reads at the country's scale: the overdue list of one province's agency, the same list for 50
// agencies of many provinces in turn, and one agency's periodic report, through both APIs at once
// (half the connections each), beside the same SQL through pg alone.

const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 15);
const DRAIN_MS = 5_000;
/** Pool sizes of the raw query: up to twice one API's, what both APIs hold together. */
const RAW_POOLS = [5, 10];

interface Route {
  name: string;
  /** Each request with the token of the province it reads. */
  requests: { path: string; token: string }[];
  sql: { sql: string; params: unknown[] }[];
}

export interface ReadRow {
  name: string;
  api: Figures;
  raw: Figures;
  rawPool: number;
  cpu: PartUsage;
}

const coordinator = (registry: string): Principal => ({
  role: 'coordinator',
  name: 'bench',
  tokenId: 'bench',
  registry,
});

async function routes(c: NationalTarget): Promise<Route[]> {
  const { rows: pairs } = await c.database.pool.query<{ registry: string; agency_code: string }>(
    `select distinct p.registry, a.agency_code from assignments a join plans p on p.id = a.plan_id order by 1, 2`,
  );
  const tokens = new Map<string, string>();
  const tokenOf = async (registry: string) => {
    if (!tokens.has(registry))
      tokens.set(
        registry,
        (
          await createToken(c.database.db, {
            name: `bench ${registry}`,
            role: 'coordinator',
            registry,
            createdBy: 'bench',
          })
        ).token,
      );
    return tokens.get(registry)!;
  };
  const first = pairs.find((p) => p.agency_code === 'SNV') ?? pairs[0]!;
  const fifty = spread(pairs, 50);
  const now = new Date();
  const list = (p: { registry: string; agency_code: string }) =>
    listQuery(
      c.database.db,
      coordinator(p.registry),
      { agency: p.agency_code, overdue: true },
      { limit: 50 },
      now,
    ).toSQL();
  const agencyToken = (
    await createToken(c.database.db, {
      name: 'bench agency',
      role: 'agency',
      agencyCode: first.agency_code,
      registry: first.registry,
      createdBy: 'bench',
    })
  ).token;
  const listPath = (agency: string) => `/v1/assignments?agency=${agency}&overdue=true`;
  return [
    {
      name: `GET ${listPath(first.agency_code)} (${first.registry})`,
      requests: [{ path: listPath(first.agency_code), token: await tokenOf(first.registry) }],
      sql: [list(first)],
    },
    {
      name: `GET /v1/assignments?agency=…&overdue=true (${fifty.length} agencies of ${new Set(fifty.map((p) => p.registry)).size} provinces in turn)`,
      requests: await Promise.all(
        fifty.map(async (p) => ({ path: listPath(p.agency_code), token: await tokenOf(p.registry) })),
      ),
      sql: fifty.map(list),
    },
    {
      name: `GET /v1/reports/periodic?period=2026-Q1 (agency ${first.agency_code}, ${first.registry})`,
      requests: [{ path: '/v1/reports/periodic?period=2026-Q1', token: agencyToken }],
      sql: [
        periodicReportQuery(c.database.db, '2026-Q1', { registry: first.registry, agency: first.agency_code }).toSQL(),
      ],
    },
  ];
}

/** autocannon against every API at once, `CONNECTIONS` split between them; the figures of all together. */
async function hammerAll(urls: string[], route: Route, seconds: number): Promise<Figures> {
  const results = await Promise.all(
    urls.map((url) =>
      autocannon({
        url,
        connections: Math.round(CONNECTIONS / urls.length),
        duration: seconds,
        requests: route.requests.map((r) => ({
          method: 'GET' as const,
          path: r.path,
          headers: { authorization: `Bearer ${r.token}` },
        })),
      }),
    ),
  );
  const total = results.reduce((sum, r) => sum + r.requests.total, 0);
  return {
    // The median of the busier half is near enough; the p99 is the worse of the two APIs'.
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    rate: total / seconds,
    errors: results.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
  };
}

export async function measureReads(c: NationalTarget, log: (m: string) => void): Promise<ReadRow[]> {
  const rows: ReadRow[] = [];
  for (const route of await routes(c)) {
    const probe = await fetch(`${c.apis[0]!.url}${route.requests[0]!.path}`, {
      headers: { authorization: `Bearer ${route.requests[0]!.token}` },
    });
    const body = await probe.text();
    if (!probe.ok) throw new Error(`${route.requests[0]!.path} answered ${probe.status}: ${body.slice(0, 300)}`);
    log(`reads: ${route.name}: ${body.length} bytes a response; warming up, then measuring`);
    const urls = c.apis.map((a) => a.url);
    await hammerAll(urls, route, 3);
    await new Promise((r) => setTimeout(r, DRAIN_MS));
    const before = c.meter.snapshot();
    const api = await hammerAll(urls, route, SECONDS);
    const cpu = ProcessMeter.between(before, c.meter.snapshot());
    let best: { pool: number; figures: Figures } | undefined;
    for (const pool of RAW_POOLS) {
      await rawQuery(c.readModelUrl, route.sql, 3, pool);
      const figures = await rawQuery(c.readModelUrl, route.sql, SECONDS, pool);
      if (!best || figures.rate > best.figures.rate) best = { pool, figures };
    }
    rows.push({ name: route.name, api, raw: best!.figures, rawPool: best!.pool, cpu });
  }
  return rows;
}
