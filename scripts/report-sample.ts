// npm run report:sample — drafts the narrative CCHC report (issue 23) of the seed plan, Vĩnh Phúc's
// Kế hoạch 2866/QĐ-UBND 2021–2025 (test/fixtures), for the year 2023: the report of the Văn phòng
// UBND tỉnh (whose real report of that year, an office's yearly CCHC report, is the model) and the province's.
// The plan is read from its appendix as an import reads it; the work done on it is a made-up but
// plausible read model (deliverables accepted on time or late, work overdue, filed reports listing
// the documents the real report lists). The database is an embedded PGlite in a temporary
// directory: nothing else is needed. With LibreOffice (`soffice`), the reports are also rendered
// to PDF, and the first page of the agency's report and a page of the province's to PNG.
//
// Usage: npm run report:sample [-- <output directory, default out/report-sample>]

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connectDatabase } from '../db/client.ts';
import { startEmbeddedDatabase } from '../db/embedded.ts';
import { runMigrations } from '../db/migrate.ts';
import { seedAgencyRegistries } from '../db/seed.ts';
import { assignments, plans, reportFilings, tasks } from '../db/schema.ts';
import { addDays } from '../domain/calendar.ts';
import type { ProgressReport, Submission } from '../domain/lifecycle.ts';
import type { Deadline, IsoDate } from '../domain/types.ts';
import { previewPlanFile } from '../services/plan-intake.ts';
import { narrativeReport } from '../services/narrative-report.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(process.argv[2] ?? join(root, 'out', 'report-sample'));
const PERIOD = '2023-Y';
const CUT_OFF: IsoDate = '2023-12-14';
/** The report is drafted on Monday 18 December 2023, 09:00 in Vietnam. */
const NOW = new Date('2023-12-18T02:00:00Z');
const AGENCY = 'VPUBND';
const at = (day: IsoDate) => `${day}T02:00:00.000Z`;

/** The documents the Văn phòng's real report of 2023 lists (seed), as its clerk would file them. */
const officeDocuments = [
  ['Kế hoạch', '32/KH-VP', '2023-01-17', 'Thông tin, tuyên truyền CCHC năm 2023'],
  ['Kế hoạch', '33/KH-VP', '2023-01-17', 'CCHC Văn phòng UBND tỉnh năm 2023'],
  [
    'Kế hoạch',
    '44/KH-VP',
    '2023-01-27',
    'Kiểm tra việc thực hiện nhiệm vụ CCHC và tổ chức hoạt động của các phòng, ban, đơn vị thuộc Văn phòng UBND tỉnh năm 2023',
  ],
  [
    'Kế hoạch',
    '45/KH-VP',
    '2023-01-27',
    'Kiểm tra, rà soát và hệ thống hóa văn bản quy phạm pháp luật của Văn phòng UBND tỉnh năm 2023',
  ],
  ['Kế hoạch', '46/KH-VP', '2023-01-27', 'Rà soát, đánh giá thủ tục hành chính của Văn phòng UBND tỉnh năm 2023'],
  ['Kế hoạch', '149/KH-VP', '2023-03-27', 'Kiểm tra trách nhiệm thực thi công vụ năm 2023'],
  ['Kế hoạch', '253/KH-VP', '2023-05-19', 'Kế hoạch Chuyển đổi số của Văn phòng UBND tỉnh năm 2023'],
].map(([kind, number, date, title]) => ({ kind: kind!, number: number!, date: date!, title: title! }));

/** The last permissible day of the 2023 cycle (or the plan's deadline), as the read model holds it. */
function dueOf(deadline: Deadline): IsoDate | null {
  if (deadline.kind === 'recurring') {
    const month = deadline.recurrence?.month ?? 12;
    const last = new Date(Date.UTC(2023, month, 0)).getUTCDate();
    return `2023-${String(month).padStart(2, '0')}-${String(deadline.recurrence?.day ?? last).padStart(2, '0')}`;
  }
  return deadline.due ?? null;
}

async function main() {
  const work = await mkdtemp(join(tmpdir(), 'dondoc-report-sample-'));
  const embedded = await startEmbeddedDatabase({ dataDir: work });
  const database = connectDatabase(embedded.url, { max: 4 });
  try {
    const db = database.db;
    await runMigrations(db);
    await seedAgencyRegistries(db);
    const seed = await readFile(join(root, 'test/fixtures/vinh-phuc-cchc-plan-2021-2025.txt'));
    const { preview } = await previewPlanFile(
      db,
      { fileName: 'vinh-phuc-cchc-plan-2021-2025.txt', bytes: new Uint8Array(seed) },
      { province: 'Vĩnh Phúc', periodStart: '2021-01-01', periodEnd: '2025-12-31', maxBytes: 10 * 1024 * 1024 },
    );
    const imported = new Date('2021-10-15T02:00:00Z');
    const [plan] = await db
      .insert(plans)
      .values({
        code: '2866/QĐ-UBND',
        slug: '2866-qd-ubnd',
        title: 'Kế hoạch cải cách hành chính nhà nước tỉnh Vĩnh Phúc giai đoạn 2021-2025',
        province: 'Vĩnh Phúc',
        registry: 'vinh-phuc',
        periodStart: '2021-01-01',
        periodEnd: '2025-12-31',
        createdAt: imported,
      })
      .returning();
    let i = 0;
    let documentsLeft = [...officeDocuments];
    for (const [row, t] of preview.tasks.filter((x) => !x.excluded).entries()) {
      const [task] = await db
        .insert(tasks)
        .values({
          planId: plan!.id,
          key: t.key,
          number: t.number,
          section: t.section,
          sourceRow: row + 1,
          area: t.area,
          objective: t.objective,
          title: t.title,
          deliverables: t.deliverables,
          leadsRaw: t.leadsRaw,
          collaboratorsRaw: t.collaboratorsRaw,
          deadline: t.deadline,
        })
        .returning();
      for (const lead of t.leads.filter((l) => l.code)) {
        i += 1;
        const due = dueOf(t.deadline);
        const id = `2866-qd-ubnd:${t.key}:${lead.code}`;
        // A plausible life, the same on every run: most work done on time, some late, some overdue.
        const fate =
          due === null || due >= CUT_OFF ? 'open' : ['onTime', 'late', 'overdue', 'onTime', 'onTime'][i % 5]!;
        const submissions: Submission[] =
          fate === 'onTime' || fate === 'late'
            ? [
                {
                  type: t.deliverables[0] ?? 'Báo cáo',
                  documentNumber: `${100 + i}/${t.deliverables[0]?.startsWith('Quyết định') ? 'QĐ' : 'KH'}-${lead.code}`,
                  documentDate: addDays(due!, fate === 'late' ? 12 : -6),
                  submittedAt: at(addDays(due!, fate === 'late' ? 14 : -4)),
                  submittedBy: lead.code!,
                  outcome: 'accepted',
                  decidedAt: at(addDays(due!, fate === 'late' ? 18 : -1)),
                },
              ]
            : [];
        const ours = lead.code === AGENCY;
        const documents = ours ? documentsLeft.splice(0, 2) : [];
        const filed = ours || i % 4 !== 0;
        const report: ProgressReport | null = filed
          ? {
              period: PERIOD,
              summary: ours
                ? `Đã triển khai thực hiện nhiệm vụ theo kế hoạch năm 2023; ${fate === 'overdue' ? 'đang hoàn thiện dự thảo để trình lãnh đạo' : 'kết quả được tổng hợp trong báo cáo của cơ quan'}`
                : 'Đã triển khai các nội dung của nhiệm vụ theo kế hoạch năm 2023',
              ...(documents.length > 0 ? { documents } : {}),
              ...(fate === 'overdue'
                ? {
                    difficulties: 'Nội dung liên quan đến nhiều cơ quan, việc lấy ý kiến kéo dài',
                    causes: 'Chưa có văn bản hướng dẫn của bộ, ngành trung ương',
                  }
                : {}),
              ...(ours && i % 3 === 0
                ? { proposals: 'Đề nghị Sở Nội vụ tổ chức tập huấn nghiệp vụ CCHC cho công chức' }
                : {}),
              filedAt: at('2023-12-15'),
              filedBy: lead.code!,
              late: false,
            }
          : null;
        const accepted = submissions[0];
        await db.insert(assignments).values({
          id,
          planId: plan!.id,
          taskId: task!.id,
          agencyCode: lead.code!,
          status: accepted ? 'completed' : 'in_progress',
          deadline: t.deadline,
          effectiveDue: due,
          completedAt: accepted ? new Date(accepted.decidedAt!) : null,
          onTime: accepted ? fate === 'onTime' : null,
          version: 1,
          createdAt: imported,
          state: {
            assignedAt: imported.toISOString(),
            submissions,
            reports: report ? [report] : [],
            extensions:
              fate === 'overdue' && i % 2 === 0
                ? [
                    {
                      until: '2024-03-31',
                      reason: 'Chờ hướng dẫn của Bộ Nội vụ',
                      requestedAt: at(addDays(due!, -3)),
                      requestedBy: lead.code!,
                      outcome: 'pending',
                    },
                  ]
                : [],
            ...(accepted ? { completedAt: accepted.decidedAt } : {}),
          },
        });
        await db.insert(reportFilings).values({
          assignmentId: id,
          period: PERIOD,
          agencyCode: lead.code!,
          filedAt: report ? new Date(report.filedAt) : null,
          late: !report,
        });
      }
      if (documentsLeft.length === 0) documentsLeft = [];
    }

    await mkdir(out, { recursive: true });
    const files: string[] = [];
    for (const reportAgency of [AGENCY, undefined]) {
      const { body, fileName } = await narrativeReport(
        db,
        { plan: '2866-qd-ubnd', period: PERIOD, registry: 'vinh-phuc', ...(reportAgency ? { reportAgency } : {}) },
        NOW,
      );
      const path = join(out, fileName);
      await writeFile(path, body);
      files.push(path);
      console.log(`wrote ${path}`);
    }
    await render(files);
  } finally {
    await database.close();
    await embedded.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** PDF of each report, and two of their pages as PNG, when LibreOffice is installed. */
async function render(files: string[]) {
  const soffice = await run('soffice', ['--version']).then(
    () => 'soffice',
    () => null,
  );
  if (!soffice) {
    console.log('soffice not found: install LibreOffice (Debian: libreoffice-writer-nogui) to render PDFs');
    return;
  }
  const scratch = await mkdtemp(join(tmpdir(), 'dondoc-lo-'));
  const profile = `-env:UserInstallation=file://${scratch}/profile`;
  const convert = (args: string[], outdir = out) =>
    run(soffice, [profile, '--headless', ...args, '--outdir', outdir], { timeout: 180_000 });
  try {
    await convert(['--convert-to', 'pdf', ...files]);
    for (const f of files) console.log(`wrote ${f.replace(/\.docx$/, '.pdf')}`);
    // The first page of the agency's report; the province's page with its ranking of agencies.
    const pages: [string, number, string][] = [
      [files[0]!, 1, 'narrative-report-agency-page1.png'],
      [files[1]!, 3, 'narrative-report-province-page3.png'],
    ];
    for (const [file, page, fileName] of pages) {
      const png = join(out, fileName);
      // LibreOffice writes a PNG of the first page only; a PDF of one page, drawn by Chromium, gives any page.
      const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
      const single = join(scratch, `page-${page}`);
      await convert(
        ['--convert-to', `pdf:writer_pdf_Export:{"PageRange":{"type":"string","value":"${page}"}}`, file],
        await mkdir(single, { recursive: true }).then(() => single),
      );
      const pdf = join(single, basename(file).replace(/\.docx$/, '.pdf'));
      if (await drawWithChromium(chromium, pdf, png)) {
        console.log(`wrote ${png} (page ${page})`);
        continue;
      }
      await convert(['--convert-to', 'png', file], scratch);
      await rename(join(scratch, basename(file).replace(/\.docx$/, '.png')), png);
      console.log(`wrote ${png} (page 1: Chromium not found for page ${page})`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A one-page PDF as a PNG about 150 dpi wide, through Chromium's PDF viewer (no toolbar); false without Chromium. */
async function drawWithChromium(executablePath: string, pdf: string, png: string): Promise<boolean> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--headless=new'] }).catch(() => null);
  if (!browser) return false;
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 1273 } });
    await page.goto(`${pathToFileURL(pdf).href}#toolbar=0&view=Fit`);
    // The viewer draws and fits the page asynchronously: the shot is taken once two in a row agree
    // and show more than one flat colour (a PNG of a few KB).
    let previous: Buffer | null = null;
    for (let tries = 0; tries < 30; tries++) {
      await page.waitForTimeout(1000);
      const shot = await page.screenshot();
      if (shot.length > 40_000 && previous?.equals(shot)) {
        await writeFile(png, shot);
        return true;
      }
      previous = shot;
    }
    throw new Error(`Chromium did not draw ${pdf}`);
  } finally {
    await browser.close();
  }
}

await main();
