import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import type { Deadline } from '../../domain/types.ts';
import type { ProgressReport, Submission } from '../../domain/lifecycle.ts';
import { assignments, plans, reportFilings, tasks } from '../../db/schema.ts';
import { dashboard } from '../../services/dashboard.ts';
import { headingDate } from '../../domain/narrative-report.ts';
import { localDay } from '../../domain/instant.ts';
import { buildTestApp, createTestContext, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';

// The periodic CCHC report drafted as a .docx (issue 23), opened as Word stores it (word/document.xml,
// word/styles.xml) and read for the layout of Decree 30/2020/NĐ-CP, its sections, and figures that
// must be the dashboard's for the same plan and period. The read model is written by hand, as in
// dashboard.test.ts: each assignment's life in local days, every expected figure counted from it.

const PLAN = 'NARR-1/KH';
const SLUG = 'narr-1-kh';
/** The report is drafted now: Q1 2026's cut-off (14/3/2026) and its reports are past. */
const NOW = new Date();
const at = (day: string) => (day.includes('T') ? new Date(day).toISOString() : `${day}T01:00:00.000Z`);

interface Life {
  id: string;
  agency: string;
  area: string | null;
  title: string;
  due: string | null;
  submissions?: { at: string; decided?: string; outcome?: 'accepted' | 'returned' }[];
  report?: Pick<ProgressReport, 'summary'> & Partial<ProgressReport>;
  extension?: { until: string; reason: string; at: string };
}

const lives: Life[] = [
  // Submitted 20/02, accepted 01/03, due 28/02: on time at Q1.
  {
    id: '1',
    agency: 'SNV',
    area: 'CẢI CÁCH THỂ CHẾ',
    title: 'Ban hành Kế hoạch CCHC năm 2026',
    due: '2026-02-28',
    submissions: [{ at: '2026-02-20', decided: '2026-03-01', outcome: 'accepted' }],
    report: {
      summary: 'Đã ban hành và triển khai Kế hoạch CCHC năm 2026 đến các phòng, đơn vị',
      documents: [
        {
          kind: 'Kế hoạch',
          number: '32/KH-SNV',
          date: '2026-01-17',
          title: 'Thông tin, tuyên truyền CCHC năm 2026',
        },
      ],
      proposals: 'Đề nghị UBND tỉnh bố trí kinh phí tuyên truyền CCHC',
    },
  },
  // Due 10/03, nothing delivered: overdue at Q1, with the agency's reasons.
  {
    id: '2',
    agency: 'SNV',
    area: 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH',
    title: 'Rà soát, đơn giản hóa thủ tục hành chính nội bộ',
    due: '2026-03-10',
    report: {
      summary: 'Đang tổng hợp kết quả rà soát',
      difficulties: 'Số lượng thủ tục cần rà soát lớn',
      causes: 'Thiếu công chức có chuyên môn pháp chế',
    },
    extension: { until: '2026-04-30', reason: 'Chờ ý kiến thẩm định của Sở Tư pháp', at: '2026-03-05' },
  },
  // Submitted 10/03, accepted on 15/03 (after the cut-off): still within at Q1, not completed.
  {
    id: '3',
    agency: 'SNV',
    area: 'CẢI CÁCH THỂ CHẾ',
    title: 'Kiểm tra công tác CCHC tại các phòng',
    due: '2026-03-31',
    submissions: [{ at: '2026-03-10', decided: '2026-03-15T02:00:00Z', outcome: 'accepted' }],
    report: { summary: 'Đã kiểm tra 4/11 phòng' },
  },
  // Submitted late 10/02, accepted 12/02: completed late.
  {
    id: '4',
    agency: 'SYT',
    area: 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH',
    title: 'Công khai thủ tục hành chính lĩnh vực y tế',
    due: '2026-01-31',
    submissions: [{ at: '2026-02-10', decided: '2026-02-12', outcome: 'accepted' }],
  },
  // Due 31/05: within, and among the next period's tasks.
  {
    id: '5',
    agency: 'SYT',
    area: null,
    title: 'Khảo sát mức độ hài lòng về dịch vụ y tế',
    due: '2026-05-31',
  },
];

function stateOf(life: Life) {
  const submissions: Submission[] = (life.submissions ?? []).map((s, i) => ({
    type: 'Kế hoạch',
    documentNumber: `${10 + i}/KH-${life.agency}`,
    documentDate: s.at,
    submittedAt: at(s.at),
    submittedBy: life.agency,
    outcome: s.outcome ?? 'pending',
    ...(s.decided ? { decidedAt: at(s.decided) } : {}),
  }));
  const accepted = submissions.find((s) => s.outcome === 'accepted');
  const reports = life.report
    ? [{ period: '2026-Q1', filedAt: at('2026-03-16'), filedBy: life.agency, late: false, ...life.report }]
    : [];
  return {
    status: accepted ? 'completed' : submissions.length > 0 ? 'submitted' : 'in_progress',
    completedAt: accepted ? new Date(accepted.decidedAt!) : null,
    onTime: accepted ? life.due === null || accepted.submittedAt.slice(0, 10) <= life.due : null,
    state: {
      assignedAt: at('2026-01-04'),
      submissions,
      reports,
      extensions: life.extension
        ? [
            {
              until: life.extension.until,
              reason: life.extension.reason,
              requestedAt: at(life.extension.at),
              requestedBy: life.agency,
              outcome: 'pending' as const,
            },
          ]
        : [],
      ...(accepted ? { completedAt: accepted.decidedAt } : {}),
    },
  };
}

let ctx: TestContext;
let app: FastifyInstance;
let tokens: ReturnType<typeof testTokens>;

async function seed() {
  const db = ctx.database.db;
  const [plan] = await db
    .insert(plans)
    .values({
      code: PLAN,
      slug: SLUG,
      title: 'Kế hoạch cải cách hành chính nhà nước năm 2026',
      province: 'Vĩnh Phúc',
      registry: 'vinh-phuc',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      createdAt: new Date('2026-01-02T01:00:00Z'),
    })
    .returning();
  const deadline = (due: string | null): Deadline =>
    due ? { kind: 'date', due, raw: due } : { kind: 'continuous', raw: 'Thường xuyên' };
  for (const [i, life] of lives.entries()) {
    const [task] = await db
      .insert(tasks)
      .values({
        planId: plan!.id,
        key: life.id,
        number: life.id,
        sourceRow: i + 1,
        title: life.title,
        area: life.area,
        deliverables: ['Kế hoạch'],
        deadline: deadline(life.due),
      })
      .returning();
    const id = `${SLUG}:${life.id}:${life.agency}`;
    await db.insert(assignments).values({
      id,
      planId: plan!.id,
      taskId: task!.id,
      agencyCode: life.agency,
      deadline: deadline(life.due),
      effectiveDue: life.due,
      version: 1,
      createdAt: new Date('2026-01-02T01:00:00Z'),
      ...stateOf(life),
    });
    await db.insert(reportFilings).values({
      assignmentId: id,
      period: '2026-Q1',
      agencyCode: life.agency,
      filedAt: life.report ? new Date(at('2026-03-16')) : null,
      // Sở Y tế's reports did not come by the 19th.
      late: !life.report,
    });
  }
}

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildTestApp(ctx);
  tokens = testTokens(ctx);
  await seed();
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

interface Opened {
  document: string;
  styles: string;
  headers: Record<string, string>;
  /** Each paragraph's text, in order (table cells included). */
  paragraphs: string[];
}

async function open(body: Buffer): Promise<Opened> {
  const zip = await JSZip.loadAsync(body);
  const document = await zip.file('word/document.xml')!.async('string');
  const styles = await zip.file('word/styles.xml')!.async('string');
  const headers: Record<string, string> = {};
  for (const name of Object.keys(zip.files).filter((f) => /^word\/header\d+\.xml$/.test(f)))
    headers[name.slice(5)] = await zip.file(name)!.async('string');
  const paragraphs = [...document.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) =>
    [...m[0].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => unescape(t[1]!)).join(''),
  );
  return { document, styles, headers, paragraphs };
}
const unescape = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The XML of the paragraph whose text is exactly (or starts with) `text`. */
function paragraphXml(o: Opened, text: string | RegExp): string {
  const found = [...o.document.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map((m) => m[0])
    .find((xml) => {
      const t = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((x) => unescape(x[1]!)).join('');
      return typeof text === 'string' ? t.startsWith(text) : text.test(t);
    });
  if (!found) throw new Error(`no paragraph ${String(text)}`);
  return found;
}

async function get(url: string, token: string) {
  return app.inject({ method: 'GET', url, headers: bearer(token) });
}

describe('the narrative report’s official layout (Decree 30/2020/NĐ-CP)', () => {
  let o: Opened;
  beforeAll(async () => {
    const response = await get(
      `/v1/plans/${SLUG}/reports/narrative?period=2026-Q1&agency=SNV`,
      await tokens.coordinator(),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('wordprocessingml.document');
    expect(response.headers['content-disposition']).toContain('bao-cao-cchc-2026-Q1-SNV.docx');
    o = await open(response.rawPayload);
  });

  it('is A4 with margins of 20 mm top and bottom, 30 mm left, 15 mm right', () => {
    const sectPr = /<w:sectPr[\s\S]*?<\/w:sectPr>/.exec(o.document)![0];
    expect(sectPr).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const margin = (side: string) =>
      Number(new RegExp(`w:${side}="(\\d+)"`).exec(/<w:pgMar[^>]*>/.exec(sectPr)![0])![1]);
    const mm = (twips: number) => twips / 56.7;
    expect(mm(margin('top'))).toBeGreaterThanOrEqual(20);
    expect(mm(margin('top'))).toBeLessThanOrEqual(25);
    expect(mm(margin('bottom'))).toBeGreaterThanOrEqual(20);
    expect(mm(margin('bottom'))).toBeLessThanOrEqual(25);
    expect(mm(margin('left'))).toBeGreaterThanOrEqual(30);
    expect(mm(margin('left'))).toBeLessThanOrEqual(35);
    expect(mm(margin('right'))).toBeGreaterThanOrEqual(15);
    expect(mm(margin('right'))).toBeLessThanOrEqual(20);
  });

  it('writes Times New Roman 14 pt in black, justified, first line indented 1 cm, 6 pt after, single to 1.5 lines', () => {
    const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(o.styles)![0];
    expect(defaults).toMatch(/<w:rFonts w:ascii="Times New Roman"[^>]*w:hAnsi="Times New Roman"/);
    expect(defaults).toMatch(/<w:sz w:val="28"\/>/);
    expect(defaults).toMatch(/<w:color w:val="000000"\/>/);
    expect(defaults).toMatch(/<w:jc w:val="both"\/>/);
    const firstLine = Number(/w:firstLine="(\d+)"/.exec(defaults)![1]) / 567;
    expect(firstLine).toBeGreaterThanOrEqual(1);
    expect(firstLine).toBeLessThanOrEqual(1.27);
    const spacing = /<w:spacing [^>]*>/.exec(defaults)![0];
    expect(Number(/w:after="(\d+)"/.exec(spacing)![1])).toBeGreaterThanOrEqual(120);
    const line = Number(/w:line="(\d+)"/.exec(spacing)![1]);
    expect(line).toBeGreaterThanOrEqual(240);
    expect(line).toBeLessThanOrEqual(360);
    // No other font anywhere in the body.
    expect([...o.document.matchAll(/w:ascii="([^"]+)"/g)].every((m) => m[1] === 'Times New Roman')).toBe(true);
  });

  it('numbers pages in the top margin, centred, 13 pt, and not on the first page', () => {
    const sectPr = /<w:sectPr[\s\S]*?<\/w:sectPr>/.exec(o.document)![0];
    expect(sectPr).toContain('<w:titlePg/>');
    const ref = (type: string) => new RegExp(`<w:headerReference w:type="${type}" r:id="(\\w+)"`).exec(sectPr)![1];
    const rels = Object.values(o.headers);
    expect(ref('default')).toBeTruthy();
    expect(ref('first')).toBeTruthy();
    const numbered = rels.filter((xml) => xml.includes('PAGE'));
    expect(numbered).toHaveLength(1);
    expect(numbered[0]).toMatch(/<w:jc w:val="center"\/>/);
    expect(numbered[0]).toMatch(/<w:sz w:val="26"\/>/);
    // The first page's header is there and empty.
    expect(rels.filter((xml) => !xml.includes('PAGE')).every((xml) => !/<w:t[ >]/.test(xml))).toBe(true);
  });

  it('heads the document with the issuing body, its number left blank, the motto underlined, place and date in italics', () => {
    expect(paragraphXml(o, 'UBND TỈNH VĨNH PHÚC')).toMatch(/<w:sz w:val="26"\/>/);
    const issuer = paragraphXml(o, 'SỞ NỘI VỤ');
    expect(issuer).toContain('<w:b/>');
    // A short rule under it: the next paragraph, empty, with a bottom border.
    const after = o.document.slice(o.document.indexOf(issuer) + issuer.length);
    expect(/^<w:p>[\s\S]*?<\/w:p>/.exec(after)![0]).toMatch(/<w:pBdr><w:bottom w:val="single"/);
    expect(paragraphXml(o, /^Số:\s+\/BC-SNV$/)).toMatch(/<w:sz w:val="26"\/>/);
    const nation = paragraphXml(o, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(nation).toContain('<w:b/>');
    expect(nation).toMatch(/<w:sz w:val="2[46]"\/>/);
    const motto = paragraphXml(o, 'Độc lập - Tự do - Hạnh phúc');
    expect(motto).toContain('<w:b/>');
    expect(motto).toMatch(/<w:u w:val="single"\/>/);
    expect(motto).toMatch(/<w:sz w:val="2[68]"\/>/);
    const placeDate = paragraphXml(o, 'Vĩnh Phúc, ngày');
    // Today, as the heading writes a date: a day below 10 and January and February with a leading zero.
    expect(o.paragraphs).toContain(`Vĩnh Phúc, ${headingDate(localDay(NOW))}`);
    expect(headingDate('2027-01-17')).toBe('ngày 17 tháng 01 năm 2027');
    expect(headingDate('2026-12-07')).toBe('ngày 07 tháng 12 năm 2026');
    expect(placeDate).toContain('<w:i/>');
    expect(o.paragraphs).toContain('BÁO CÁO');
    expect(o.paragraphs).toContain('Kết quả thực hiện công tác cải cách hành chính quý I năm 2026');
  });

  it('ends with "Nơi nhận:" in 12 pt bold italics, its list in 11 pt ending with "Lưu: VT"', () => {
    const heading = paragraphXml(o, 'Nơi nhận:');
    expect(heading).toContain('<w:b/>');
    expect(heading).toContain('<w:i/>');
    expect(heading).toMatch(/<w:sz w:val="24"\/>/);
    const index = o.paragraphs.indexOf('Nơi nhận:');
    const list = o.paragraphs.slice(index + 1, index + 4);
    expect(list[list.length - 1]).toMatch(/^- Lưu: VT, /);
    for (const line of list) expect(paragraphXml(o, line)).toMatch(/<w:sz w:val="22"\/>/);
  });

  it('heads its appendix "Phụ lục I" in bold on a page of its own', () => {
    const appendix = paragraphXml(o, 'Phụ lục I');
    expect(appendix).toContain('<w:b/>');
    expect(appendix).toContain('<w:pageBreakBefore/>');
  });
});

describe('what the agency’s report says', () => {
  let o: Opened;
  beforeAll(async () => {
    const response = await get(
      `/v1/plans/${SLUG}/reports/narrative?period=2026-Q1&agency=SNV`,
      await tokens.agency('SNV'),
    );
    expect(response.statusCode).toBe(200);
    o = await open(response.rawPayload);
  });

  it('has the three sections, results by reform area, and the documents in the seed’s style', () => {
    const text = o.paragraphs;
    expect(text).toContain('I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CCHC QUÝ I NĂM 2026');
    expect(text).toContain('II. ĐÁNH GIÁ CHUNG');
    expect(text).toContain('III. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG ĐẦU NĂM 2026');
    expect(text).toContain('1. Cải cách thể chế');
    expect(text).toContain('2. Cải cách thủ tục hành chính');
    expect(text).toContain('- Kế hoạch số 32/KH-SNV ngày 17/01/2026 về việc Thông tin, tuyên truyền CCHC năm 2026.');
    expect(text).toContain(
      'Kết quả thực hiện: Đã ban hành và triển khai Kế hoạch CCHC năm 2026 đến các phòng, đơn vị.',
    );
    // Names, not codes; no other agency's work.
    expect(text.some((t) => t.includes('Sở Nội vụ báo cáo kết quả'))).toBe(true);
    expect(text.join('\n')).not.toContain('Sở Y tế');
  });

  it('counts as the dashboard does for the same plan, agency and period; the task accepted on 15/3 is not completed', async () => {
    const d = await dashboard(ctx.database.db, { plan: SLUG, agency: 'SNV' }, '2026-Q1', NOW);
    // 1 on time; 3 submitted 10/3 and accepted 15/3: within at 14/3; 2 overdue.
    expect([d.total.onTime, d.total.late, d.total.within, d.total.overdue]).toEqual([1, 0, 1, 1]);
    expect(o.paragraphs).toContain(
      `Tính đến ngày 14/03/2026, Sở Nội vụ được giao chủ trì ${d.total.total} nhiệm vụ, trong đó: hoàn thành đúng hạn ${d.total.onTime} nhiệm vụ; ` +
        `hoàn thành quá hạn ${d.total.late} nhiệm vụ; chưa hoàn thành – trong hạn ${d.total.within} nhiệm vụ; chưa hoàn thành – quá hạn ${d.total.overdue} nhiệm vụ. ` +
        'Tỷ lệ hoàn thành đạt 33,3 %; tỷ lệ hoàn thành đúng hạn trên số nhiệm vụ đã đến hạn đạt 50,0 %.',
    );
    const row = (n: string) => {
      const i = o.paragraphs.findIndex(
        (t) => t.startsWith(`${n}. `) && o.paragraphs[o.paragraphs.indexOf(t) - 1] === n,
      );
      return o.paragraphs.slice(i - 1, i + 5);
    };
    expect(row('3')).toEqual([
      '3',
      '3. Kiểm tra công tác CCHC tại các phòng',
      'Kế hoạch',
      '31/03/2026',
      'Chưa hoàn thành – trong hạn',
      '',
    ]);
    expect(row('1')[4]).toBe('Hoàn thành đúng hạn');
    expect(row('1')[5]).toBe('Kế hoạch số 10/KH-SNV ngày 20/02/2026; Kế hoạch số 32/KH-SNV ngày 17/01/2026');
  });

  it('gives the overdue task with the agency’s reasons, the difficulties and proposals as reported', () => {
    const all = o.paragraphs.join('\n');
    expect(all).toContain(
      '- Nhiệm vụ 2: Rà soát, đơn giản hóa thủ tục hành chính nội bộ, thời hạn 10/03/2026; khó khăn: Số lượng thủ tục cần rà soát lớn; nguyên nhân: Thiếu công chức có chuyên môn pháp chế; đề nghị gia hạn đến 30/04/2026 (đang chờ xem xét) vì: Chờ ý kiến thẩm định của Sở Tư pháp.',
    );
    expect(all).toContain('- Nhiệm vụ 1: Đề nghị UBND tỉnh bố trí kinh phí tuyên truyền CCHC.');
    // The next period runs to 14/06: the task due 31/03 is its work.
    expect(all).toContain('1. Kiểm tra công tác CCHC tại các phòng (thời hạn 31/03/2026).');
  });
});

describe('the province’s report', () => {
  let o: Opened;
  beforeAll(async () => {
    const response = await get(`/v1/reports/narrative?period=2026-Q1`, await tokens.leadership());
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain('bao-cao-cchc-2026-Q1-tinh.docx');
    o = await open(response.rawPayload);
  });

  it('ranks every agency with the dashboard’s figures and rates, in Vietnamese numbers', async () => {
    const d = await dashboard(ctx.database.db, { registry: 'vinh-phuc' }, '2026-Q1', NOW);
    expect(o.paragraphs).toContain('ỦY BAN NHÂN DÂN TỈNH VĨNH PHÚC');
    const text = o.paragraphs.join('\n');
    expect(text).toContain(`các cơ quan, đơn vị được giao chủ trì ${d.total.total} nhiệm vụ`);
    // Ranked worst first as the dashboard ranks them: Sở Nội vụ (one overdue) before Sở Y tế.
    expect(d.byAgency.map((a) => a.agency.name)).toEqual(['Sở Nội vụ', 'Sở Y tế']);
    const first = o.paragraphs.indexOf('Sở Nội vụ');
    expect(o.paragraphs.slice(first - 1, first + 8)).toEqual([
      '1',
      'Sở Nội vụ',
      '3',
      '1',
      '0',
      '1',
      '1',
      '33,3 %',
      '50,0 %',
    ]);
    expect(o.paragraphs.slice(first + 8, first + 17)).toEqual([
      '2',
      'Sở Y tế',
      '2',
      '0',
      '1',
      '1',
      '0',
      '50,0 %',
      '0,0 %',
    ]);
  });

  it('names the agencies that have not filed, the overdue work, and the next period’s tasks with deadlines', () => {
    const text = o.paragraphs.join('\n');
    expect(text).toContain('- Sở Y tế: 2 báo cáo chưa gửi.');
    expect(text).toContain('- Nhiệm vụ 2 (Sở Nội vụ): Rà soát');
    expect(text).toContain('2. Khảo sát mức độ hài lòng về dịch vụ y tế (Sở Y tế; thời hạn 31/05/2026).');
    expect(o.paragraphs).toContain('Phụ lục I');
    expect(o.paragraphs).toContain('Phụ lục II');
    expect(text).toContain('3. Các nhiệm vụ khác');
  });
});

describe('who may draft which report', () => {
  it('gives an agency its own report only, and the province’s to the coordinator and leadership alone', async () => {
    const url = `/v1/plans/${SLUG}/reports/narrative?period=2026-Q1`;
    const other = await get(`${url}&agency=SNV`, await tokens.agency('SYT'));
    expect(other.statusCode).toBe(403);
    expect(other.json().detail).toBe('Quý cơ quan chỉ tải được báo cáo của cơ quan mình.');
    const province = await get(url, await tokens.agency('SYT'));
    expect(province.statusCode).toBe(403);
    expect((await get(url, await tokens.coordinator())).statusCode).toBe(200);
    const own = await get(`${url}&agency=SYT`, await tokens.agency('SYT'));
    expect(own.statusCode).toBe(200);
    // Sở Y tế filed nothing and has nothing overdue: each empty part says so in a sentence.
    const text = (await open(own.rawPayload)).paragraphs;
    expect(text).toContain('Trong kỳ, chưa có văn bản nào được báo cáo là đã ban hành để thực hiện nhiệm vụ CCHC.');
    expect(text).toContain('Cơ quan chưa gửi báo cáo kỳ này về nhiệm vụ.');
    expect(text).toContain('Tại ngày 14/03/2026, không có nhiệm vụ nào quá hạn.');
    expect(text).toContain('Trong kỳ, các báo cáo không nêu khó khăn, vướng mắc nào.');
    // The plan by its number, as a link from the dashboard writes it.
    const byNumber = `/v1/plans/${encodeURIComponent(PLAN)}/reports/narrative?period=2026-Q1`;
    expect((await get(byNumber, await tokens.coordinator())).statusCode).toBe(200);
    const unknown = await get(`${url}&agency=KHONGCO`, await tokens.coordinator());
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toContain('Không có cơ quan mã "KHONGCO"');
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });
});
