import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanPreview, PreviewTask } from '../../domain/appendix/types.ts';
import { appendixDocx } from '../support/docx.ts';
import { dondoc as runDondoc } from '../support/cli.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SEED = 'test/fixtures/vinh-phuc-cchc-plan-2021-2025.txt';
const scratch = mkdtempSync(join(tmpdir(), 'dondoc-plan-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const dondoc = (...args: string[]) => runDondoc(args);

function scratchFile(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

describe('dondoc plan preview on the Vĩnh Phúc seed', () => {
  let preview: PlanPreview;
  let task: (number: string) => PreviewTask;
  beforeAll(async () => {
    const run = await dondoc('plan', 'preview', SEED, '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    preview = JSON.parse(run.stdout) as PlanPreview;
    task = (number) => preview.tasks.find((t) => t.number === number)!;
  }, 60_000);

  it('prints 61 tasks, numbered 8 to 68 in order, and no errors', () => {
    expect(preview.tasks.map((t) => t.number)).toEqual(Array.from({ length: 61 }, (_, i) => String(i + 8)));
    // Numbered across the whole table: each key is the number, as before sections counted.
    expect(preview.tasks.every((t) => t.key === t.number)).toBe(true);
    expect(preview.errors).toEqual([]);
    expect(preview.warnings.map((w) => w.row)).toEqual([127, 298]);
  });

  it('row 13: a task with its own objective and a one-year deadline', () => {
    expect(task('13')).toEqual({
      row: 171,
      number: '13',
      section: null,
      key: '13',
      area: null,
      objective:
        'Xây dựng các chương trình, kế hoạch triển khai công tác cải cách hành chính nhà nước tỉnh Vĩnh Phúc giai đoạn 2021 - 2025.',
      title:
        'Trình ban Thường vụ Tỉnh ủy ban hành Chỉ thị về việc đẩy mạnh công tác cải cách hành chính nhà nước tỉnh Vĩnh Phúc giai đoạn 2021 - 2025.',
      deliverables: ['Chỉ thị BTV Tỉnh ủy'],
      leads: [{ code: 'SNV', name: 'Sở Nội vụ' }],
      leadsRaw: 'Sở Nội vụ',
      collaborators: [{ code: null, name: 'Các cơ quan, đơn vị liên quan', group: 'Các cơ quan, đơn vị liên quan' }],
      collaboratorsRaw: 'Các cơ quan, đơn vị liên quan',
      deadline: { kind: 'date', due: '2021-12-31', raw: '2021' },
      deadlineNote: 'cuối năm 2021 → 31/12/2021',
      status: { state: 'open' },
      excluded: false,
      questions: [],
      warnings: [],
      metadata: {},
    });
  });

  it('row 14: the objective continues row 13, the deadline recurs every year', () => {
    expect(task('14')).toMatchObject({
      objective: task('13').objective,
      title: 'Ban hành kế hoạch cải cách hành chính nhà nước tỉnh Vĩnh Phúc hàng năm.',
      deliverables: ['Kế hoạch'],
      leads: [{ code: 'SNV', name: 'Sở Nội vụ' }],
      deadline: { kind: 'recurring', raw: 'Hàng năm' },
    });
  });

  it('row 12: its objective, group leads and one collaborator', () => {
    const row = task('12');
    expect(row.objective).toBe(
      'Xây dựng cơ chế, chính sách thúc đẩy quá trình chuyển đổi số, phục vụ có hiệu quả việc xây dựng chính quyền điện tử, nền kinh tế số và xã hội số.',
    );
    expect(row.leadsRaw).toBe('Các sở, ban, ngành; UBND cấp huyện');
    expect(row.collaborators).toEqual([{ code: 'STP', name: 'Sở Tư pháp' }]);
    expect(row.deliverables).toEqual(['Kế hoạch', 'Báo cáo']);
  });

  it('row 9: the group lead fans out to every department and district; the objective continues row 8, which has none', () => {
    const row = task('9');
    expect(row.objective).toBeNull();
    expect(task('8').objective).toBeNull();
    const departments = row.leads.filter((l) => l.group === 'Các sở, ban, ngành');
    const districts = row.leads.filter((l) => l.group === 'UBND cấp huyện');
    expect(departments.map((l) => l.name)).toEqual(
      expect.arrayContaining([
        'Sở Nội vụ',
        'Sở Tư pháp',
        'Sở Tài chính',
        'Sở Kế hoạch và Đầu tư',
        'Sở Y tế',
        'Sở Giáo dục và Đào tạo',
        'Sở Thông tin và Truyền thông',
        'Sở Khoa học và Công nghệ',
        'Sở Văn hóa, Thể thao và Du lịch',
        'Văn phòng UBND tỉnh',
        'Thanh tra tỉnh',
      ]),
    );
    expect(districts.map((l) => l.name)).toEqual([
      'UBND thành phố Vĩnh Yên',
      'UBND thành phố Phúc Yên',
      'UBND huyện Bình Xuyên',
      'UBND huyện Lập Thạch',
      'UBND huyện Sông Lô',
      'UBND huyện Tam Dương',
      'UBND huyện Tam Đảo',
      'UBND huyện Vĩnh Tường',
      'UBND huyện Yên Lạc',
    ]);
    expect(row.leads).toHaveLength(departments.length + districts.length);
  });

  it('row 22: collaborators include the groups, fanned out, and the commune level as written', () => {
    const row = task('22');
    expect(row.collaborators.filter((c) => c.group === 'UBND cấp huyện')).toHaveLength(9);
    expect(row.collaborators.filter((c) => c.group === 'Các sở, ban, ngành').map((c) => c.code)).toEqual(
      expect.arrayContaining(['SNV', 'STP', 'VPUBND']),
    );
    expect(row.collaborators).toContainEqual({ code: null, name: 'UBND cấp xã', group: 'UBND cấp xã' });
    expect(row.area).toBe('CẢI CÁCH THỦ TỤC HÀNH CHÍNH');
  });

  it('row 28: after the page break, a 2021–2022 range and an unknown area', () => {
    expect(task('28')).toMatchObject({
      row: 298,
      area: null,
      deliverables: ['Văn bản hướng dẫn', 'Quyết định'],
      leads: [{ code: 'SNV', name: 'Sở Nội vụ' }],
      deadline: { kind: 'range', start: '2021-01-01', due: '2022-12-31', raw: '2021-2022' },
    });
    expect(task('28').objective).toMatch(/^Rà soát chức năng, nhiệm vụ, quyền hạn/);
  });

  it('row 35: two leads, one collaborator', () => {
    expect(task('35')).toMatchObject({
      leads: [
        { code: 'SYT', name: 'Sở Y tế' },
        { code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo' },
      ],
      leadsRaw: 'Sở Y tế, Sở Giáo dục và Đào tạo',
      collaborators: [{ code: 'SNV', name: 'Sở Nội vụ' }],
      deliverables: ['Báo cáo'],
      deadline: { kind: 'recurring', raw: 'Hàng năm' },
    });
  });

  it('row 55: the multi-paragraph objective, kept whole', () => {
    const objective = task('55').objective!;
    expect(objective.startsWith('Hoàn thiện môi trường pháp lý:\n- Xây dựng các văn bản tổ chức thực hiện')).toBe(true);
    expect(objective).toContain('\n- Xây dựng các chính sách ưu tiên, hỗ trợ');
    expect(objective.endsWith('cung cấp các dịch vụ số.')).toBe(true);
    expect(task('55').leads).toEqual([{ code: 'STTTT', name: 'Sở Thông tin và Truyền thông' }]);
  });

  it('areas: 19–27, 38–47, 48–54 and 55–68 named by the text; 8–18 and 28–37 unknown', () => {
    const areas = (from: number, to: number) => [...new Set(preview.tasks.slice(from - 8, to - 7).map((t) => t.area))];
    expect(areas(8, 18)).toEqual([null]);
    expect(areas(19, 27)).toEqual(['CẢI CÁCH THỦ TỤC HÀNH CHÍNH']);
    expect(areas(28, 37)).toEqual([null]);
    expect(areas(38, 47)).toEqual(['CẢI CÁCH CHẾ ĐỘ CÔNG VỤ']);
    expect(areas(48, 54)).toEqual(['CẢI CÁCH TÀI CHÍNH CÔNG']);
    expect(areas(55, 68)).toEqual(['XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH PHỦ ĐIỆN TỬ, CHÍNH PHỦ SỐ']);
  });

  it('rows 20, 21 and 51: each has its own objective; "Năm 2021" is a date', () => {
    expect(task('20').objective).toMatch(/^Đổi mới thực hiện cơ chế một cửa/);
    expect(task('21').objective).toMatch(/^Thực hiện luân chuyển TTHC/);
    expect(task('51').deadline).toEqual({ kind: 'date', due: '2021-12-31', raw: 'Năm 2021' });
    expect(task('51').leads).toEqual([{ code: 'STC', name: 'Sở Tài chính' }]);
  });

  it('rows 65 and 68: led by the provincial office', () => {
    expect(task('65').leads).toEqual([{ code: 'VPUBND', name: 'Văn phòng UBND tỉnh' }]);
    expect(task('68')).toMatchObject({
      row: 647,
      deliverables: ['Quyết định'],
      deadline: { kind: 'range', start: '2021-01-01', due: '2025-12-31' },
    });
  });
});

describe('dondoc plan preview, other cases', async () => {
  it('prints a readable summary without --json', async () => {
    const run = await dondoc('plan', 'preview', SEED);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('61 nhiệm vụ, 2 cảnh báo, 0 lỗi');
    expect(run.stdout).toContain('CẢI CÁCH CHẾ ĐỘ CÔNG VỤ');
    expect(run.stdout).toContain('Các sở, ban, ngành (20); UBND cấp huyện (9)');
  }, 60_000);

  it('reads a CSV with --format and warns about deadlines outside the period', async () => {
    const file = scratchFile('plan.csv', 'STT;Nội dung;Cơ quan chủ trì;Thời gian\n1;Việc A;Sở Y tế;2026\n');
    const run = await dondoc(
      'plan',
      'preview',
      file,
      '--format',
      'csv',
      '--period-start',
      '2021-01-01',
      '--period-end',
      '2025-12-31',
      '--json',
    );
    expect(run.status).toBe(0);
    const preview = JSON.parse(run.stdout) as PlanPreview;
    expect(preview.tasks[0]!.leads).toEqual([{ code: 'SYT', name: 'Sở Y tế' }]);
    expect(preview.warnings).toEqual([expect.objectContaining({ row: 2, column: 'Thời gian', field: 'deadline' })]);
  }, 60_000);

  it('reads a Word document with --format docx, showing each task by its key', async () => {
    const path = join(scratch, 'phu-luc.docx');
    writeFileSync(
      path,
      await appendixDocx([
        ['STT', 'Nội dung', 'Cơ quan chủ trì', 'Thời gian'],
        ['I', { text: 'CẢI CÁCH THỂ CHẾ', span: 3 }],
        ['1', 'Việc A', 'Sở Tư pháp', '2022'],
        ['II', { text: 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH', span: 3 }],
        ['1', 'Việc B', 'Sở Y tế và Sở Nội vụ', '2023'],
      ]),
    );
    const run = await dondoc('plan', 'preview', path, '--format', 'docx');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('2 nhiệm vụ, 0 cảnh báo, 0 lỗi');
    expect(run.stdout).toMatch(/ {2}II\.1 +dòng 5 +Việc B\n +chủ trì: Sở Y tế; Sở Nội vụ/);
  }, 60_000);

  it('exits 1 when the preview has errors', async () => {
    const file = scratchFile('no-lead.csv', 'STT,Nội dung,Cơ quan chủ trì,Thời gian\n1,Việc A,,2022\n');
    const run = await dondoc('plan', 'preview', file, '--json');
    expect(run.status).toBe(1);
    expect((JSON.parse(run.stdout) as PlanPreview).errors).toEqual([
      expect.objectContaining({ row: 2, column: 'Cơ quan chủ trì' }),
    ]);
  }, 60_000);

  it('uses --registry, and --strict turns unknown agencies into errors', async () => {
    const registry = JSON.parse(readFileSync(join(root, 'data/agencies/vinh-phuc.json'), 'utf8')) as {
      agencies: { code: string }[];
    };
    registry.agencies = registry.agencies.filter((a) => a.code !== 'SYT');
    const registryFile = scratchFile('registry.json', JSON.stringify(registry));
    const file = scratchFile('unknown.csv', 'STT,Nội dung,Cơ quan chủ trì,Thời gian\n1,Việc A,Sở Y tế,2022\n');

    const lenient = await dondoc('plan', 'preview', file, '--registry', registryFile, '--json');
    expect(lenient.status).toBe(0);
    const lenientPreview = JSON.parse(lenient.stdout) as PlanPreview;
    expect(lenientPreview.tasks[0]!.leads).toEqual([{ code: null, name: 'Sở Y tế' }]);
    expect(lenientPreview.warnings).toHaveLength(1);

    const strict = await dondoc('plan', 'preview', file, '--registry', registryFile, '--strict', '--json');
    expect(strict.status).toBe(1);
    expect((JSON.parse(strict.stdout) as PlanPreview).errors).toEqual([
      expect.objectContaining({ row: 2, column: 'Cơ quan chủ trì' }),
    ]);
  }, 60_000);

  it('exits 2 on bad arguments', async () => {
    for (const args of [
      ['plan'],
      ['plan', 'import', SEED],
      ['plan', 'export'],
      ['plan', 'preview'],
      ['plan', 'preview', SEED, '--format', 'pdf'],
      ['plan', 'preview', SEED, '--period-start', '2021-13-01'],
      ['plan', 'preview', SEED, '--bogus'],
      ['plan', 'preview', join(scratch, 'missing.csv')],
    ]) {
      const run = await dondoc(...args);
      expect(run.status, args.join(' ')).toBe(2);
      // `plan import` answers with its own usage (here: --province is missing).
      expect(run.stderr, args.join(' ')).toMatch(/cách dùng: dondoc plan (preview|import)/);
    }
  }, 120_000);
});

describe('dondoc plan preview --province', async () => {
  it('reads the seed against Phú Thọ as it is today, proposing the district committees it no longer has', async () => {
    const run = await dondoc('plan', 'preview', SEED, '--province', 'Phú Thọ', '--json');
    expect(run.status).toBe(0);
    const preview = JSON.parse(run.stdout) as {
      tasks: unknown[];
      errors: unknown[];
      proposedAgencies: { name: string; rows: number[] }[];
    };
    expect(Object.keys(preview)).toEqual(['tasks', 'warnings', 'errors', 'proposedAgencies', 'questions', 'issued']);
    expect(preview.tasks).toHaveLength(61);
    expect(preview.errors).toEqual([]);
    expect(preview.proposedAgencies).toEqual([
      expect.objectContaining({
        name: 'Ủy ban nhân dân cấp huyện',
        rows: expect.arrayContaining([expect.any(Number)]),
      }),
    ]);
  });

  it('takes the central registry as "Trung ương", and refuses a province it does not know with exit 2', async () => {
    expect((await dondoc('plan', 'preview', SEED, '--province', 'Trung ương', '--json')).status).toBe(0);
    const unknown = await dondoc('plan', 'preview', SEED, '--province', 'Atlantis');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--province');
  });
});
