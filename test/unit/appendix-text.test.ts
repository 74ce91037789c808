import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registryFromJson } from '../../domain/agencies/registry.ts';
import { previewPlan } from '../../domain/appendix/preview.ts';
import { readTextTable } from '../../domain/appendix/read-text.ts';
import type { PlanPreview, PreviewTask } from '../../domain/appendix/types.ts';

const registry = registryFromJson(readFileSync(new URL('../../data/agencies/vinh-phuc.json', import.meta.url), 'utf8'));
const seed = readFileSync(new URL('../fixtures/vinh-phuc-cchc-plan-2021-2025.txt', import.meta.url));
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('the Vĩnh Phúc appendix (text extraction)', () => {
  let preview: PlanPreview;
  let task: (number: string) => PreviewTask;
  beforeAll(async () => {
    preview = await previewPlan({ bytes: seed }, { registry, periodStart: '2021-01-01', periodEnd: '2025-12-31' });
    task = (number) => {
      const found = preview.tasks.find((t) => t.number === number);
      if (!found) throw new Error(`no task ${number}`);
      return found;
    };
  });

  it('gives the 61 surviving tasks, 8 to 68 in order, without errors', () => {
    expect(preview.errors).toEqual([]);
    expect(preview.tasks.map((t) => t.number)).toEqual(Array.from({ length: 61 }, (_, i) => String(i + 8)));
  });

  it('reports the fragment of lost row 7 as a warning on its line and does not import it', () => {
    const fragment = preview.warnings.find((w) => w.row === 127);
    expect(fragment?.column).toBe('STT');
    expect(fragment?.message).toContain('không được nhập');
    expect(preview.tasks.some((t) => t.row === 127)).toBe(false);
  });

  it('numbers each task by the line its record starts on', () => {
    expect(task('8').row).toBe(131);
    expect(task('28').row).toBe(298);
    expect(task('68').row).toBe(647);
  });

  it('names the areas the text names, and leaves the lost sections I and III empty', () => {
    const areaOf = (from: number, to: number) => [
      ...new Set(preview.tasks.filter((t) => +t.number >= from && +t.number <= to).map((t) => t.area)),
    ];
    expect(areaOf(8, 18)).toEqual([null]);
    expect(areaOf(19, 27)).toEqual(['CẢI CÁCH THỦ TỤC HÀNH CHÍNH']);
    expect(areaOf(28, 37)).toEqual([null]);
    expect(areaOf(38, 47)).toEqual(['CẢI CÁCH CHẾ ĐỘ CÔNG VỤ']);
    expect(areaOf(48, 54)).toEqual(['CẢI CÁCH TÀI CHÍNH CÔNG']);
    expect(areaOf(55, 68)).toEqual(['XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH PHỦ ĐIỆN TỬ, CHÍNH PHỦ SỐ']);
    expect(preview.warnings.find((w) => w.row === 298)?.message).toContain('ngắt trang');
  });

  it('carries an empty objective down from the row above (merged cells)', () => {
    expect(task('8').objective).toBeNull();
    expect(task('9').objective).toBeNull();
    expect(task('12').objective).toBe(
      'Xây dựng cơ chế, chính sách thúc đẩy quá trình chuyển đổi số, phục vụ có hiệu quả việc xây dựng chính quyền điện tử, nền kinh tế số và xã hội số.',
    );
    expect(task('14').objective).toBe(task('13').objective);
    expect(task('18').objective).toBe(task('13').objective);
    expect(task('21').objective).not.toBe(task('20').objective);
    expect(task('21').objective).toMatch(/^Thực hiện luân chuyển TTHC/);
    expect(task('29').objective).toBe(task('28').objective);
  });

  it('keeps a multi-paragraph objective whole (row 55)', () => {
    const objective = task('55').objective!;
    expect(objective.split('\n')).toHaveLength(4);
    expect(objective).toMatch(/^Hoàn thiện môi trường pháp lý:\n- Xây dựng các văn bản tổ chức thực hiện/);
    expect(objective).toMatch(/cung cấp các dịch vụ số\.$/);
    expect(task('55').title).toBe(
      'Ban hành Kế hoạch tuyên truyền nâng cao nhận thức về cuộc Cách mạng công nghiệp lần thứ tư, giai đoạn 2021- 2025 trên địa bàn tỉnh.',
    );
    expect(task('56').objective).toBe(objective);
  });

  it('reads row 12 fully', () => {
    const row = task('12');
    expect(row.title).toMatch(/^Tuyên truyền trên Cổng thông tin giao tiếp điện tử/);
    expect(row.deliverables).toEqual(['Kế hoạch', 'Báo cáo']);
    expect(row.leadsRaw).toBe('Các sở, ban, ngành; UBND cấp huyện');
    expect(row.collaborators).toEqual([{ code: 'STP', name: 'Sở Tư pháp' }]);
    expect(row.deadline).toEqual({ kind: 'range', start: '2021-01-01', due: '2025-12-31', raw: '2021-2025' });
    expect(row.warnings).toEqual([]);
  });

  it('reads deadlines of each kind (rows 13, 14, 28, 51)', () => {
    expect(task('13').deadline).toEqual({ kind: 'date', due: '2021-12-31', raw: '2021' });
    expect(task('14').deadline).toMatchObject({ kind: 'recurring', raw: 'Hàng năm' });
    expect(task('28').deadline).toEqual({ kind: 'range', start: '2021-01-01', due: '2022-12-31', raw: '2021-2022' });
    expect(task('51').deadline).toEqual({ kind: 'date', due: '2021-12-31', raw: 'Năm 2021' });
  });

  it('fans the group lead of row 9 out to every department and district', () => {
    const row = task('9');
    expect(row.leadsRaw).toBe('Các sở, ban, ngành; UBND cấp huyện');
    const byGroup = (group: string) => row.leads.filter((l) => l.group === group).map((l) => l.code);
    expect(byGroup('Các sở, ban, ngành')).toEqual(
      expect.arrayContaining(['SNV', 'STP', 'STC', 'SKHDT', 'SKHCN', 'STTTT', 'SYT', 'SGDDT', 'VPUBND', 'TTT']),
    );
    expect(byGroup('UBND cấp huyện')).toEqual([
      'UBND-VY',
      'UBND-PY',
      'UBND-BX',
      'UBND-LT',
      'UBND-SL',
      'UBND-TDG',
      'UBND-TDA',
      'UBND-VT',
      'UBND-YL',
    ]);
    expect(row.leads.every((l) => l.code !== null)).toBe(true);
    expect(row.collaborators).toEqual([{ code: 'STP', name: 'Sở Tư pháp' }]);
    expect(row.objective).toBeNull();
  });

  it('lists the collaborators of row 22, groups fanned out and the commune level kept as named', () => {
    const row = task('22');
    expect(row.collaboratorsRaw).toBe('Các sở, ban, ngành, UBND cấp huyện, UBND cấp xã');
    expect(row.collaborators.filter((c) => c.group === 'UBND cấp huyện')).toHaveLength(9);
    expect(row.collaborators.filter((c) => c.group === 'Các sở, ban, ngành').length).toBeGreaterThanOrEqual(16);
    expect(row.collaborators.at(-1)).toEqual({ code: null, name: 'UBND cấp xã', group: 'UBND cấp xã' });
    expect(row.leads).toEqual([{ code: 'VPUBND', name: 'Văn phòng UBND tỉnh' }]);
    expect(row.deadline.kind).toBe('recurring');
  });

  it('splits the two leads of row 35', () => {
    const row = task('35');
    expect(row.leads).toEqual([
      { code: 'SYT', name: 'Sở Y tế' },
      { code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo' },
    ]);
    expect(row.collaborators).toEqual([{ code: 'SNV', name: 'Sở Nội vụ' }]);
    expect(row.deliverables).toEqual(['Báo cáo']);
    expect(row.title).toBe(
      'Tổ chức điều tra xã hội học lấy ý kiến đánh giá mức độ hài lòng của người dân về cung cấp dịch vụ y tế, giáo dục',
    );
  });

  it('reads deliverables with several types (rows 8, 11, 17)', () => {
    expect(task('8').deliverables).toEqual(['Kế hoạch', 'Báo cáo']);
    expect(task('11').deliverables).toEqual(['Kế hoạch', 'Báo cáo', 'QĐ xử lý']);
    expect(task('17').deliverables).toEqual(['Quyết định', 'Quy chế']);
  });

  it('keeps unspecified collaborators as named, without a code', () => {
    expect(task('8').collaborators).toEqual([
      { code: null, name: 'Các cơ quan, đơn vị liên quan', group: 'Các cơ quan, đơn vị liên quan' },
    ]);
    expect(task('65').leads).toEqual([{ code: 'VPUBND', name: 'Văn phòng UBND tỉnh' }]);
  });

  it('has no warnings on the tasks themselves', () => {
    expect(preview.tasks.flatMap((t) => t.warnings)).toEqual([]);
    expect(preview.warnings).toHaveLength(2);
  });
});

describe('the text reader', () => {
  it('skips the prose before "PHỤ LỤC" and joins continuation lines to their field', () => {
    const text = [
      'Điều 1. Ban hành kèm theo\tQuyết định này.',
      'PHỤ LỤC',
      'KẾ HOẠCH …',
      '\t1',
      '\tMục tiêu một:',
      '- ý thứ nhất',
      '',
      '- ý thứ hai',
      '\tNhiệm vụ một',
      '\tBáo cáo',
      '\tSở Nội vụ',
      '\tSở Tư pháp',
      '\t2022',
      '',
    ].join('\n');
    const table = readTextTable(utf8(text));
    expect(table.rows).toEqual([
      {
        row: 4,
        cells: [
          '1',
          'Mục tiêu một:\n- ý thứ nhất\n\n- ý thứ hai',
          'Nhiệm vụ một',
          'Báo cáo',
          'Sở Nội vụ',
          'Sở Tư pháp',
          '2022',
        ],
      },
    ]);
  });

  it('cuts records glued together at a page break, marking the second as following a gap', () => {
    const record = (n: number) => [`\t${n}`, '\t', `\tNhiệm vụ ${n}`, '\tKế hoạch', '\tSở Nội vụ', '\t', '\t2021'];
    const text = ['PHỤ LỤC', ...record(1), ...record(2).map((l, i) => (i === 0 ? ` ${l}` : l)), '', ...record(3)].join(
      '\n',
    );
    const rows = readTextTable(utf8(text)).rows;
    expect(rows.map((r) => [r.row, r.cells[0], r.afterGap ?? false])).toEqual([
      [2, '1', false],
      [9, '2', true],
      [17, '3', false],
    ]);
  });

  it('uses a header record when the extraction has one', async () => {
    const text = [
      '\tTT',
      '\tNội dung',
      '\tĐơn vị chủ trì',
      '\tThời gian',
      '',
      '\t1',
      '\tLàm việc A',
      '\tSở Y tế',
      '\t2022',
      '',
    ].join('\n');
    const preview = await previewPlan({ bytes: utf8(text) }, { registry });
    expect(preview.errors).toEqual([]);
    expect(preview.tasks).toHaveLength(1);
    expect(preview.tasks[0]).toMatchObject({
      row: 6,
      number: '1',
      title: 'Làm việc A',
      leads: [{ code: 'SYT' }],
      deadline: { kind: 'date', due: '2022-12-31' },
    });
  });
});
