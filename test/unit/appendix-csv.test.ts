import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registryFromJson, withMerge } from '../../domain/agencies/registry.ts';
import { previewPlan } from '../../domain/appendix/preview.ts';
import { parseCsv } from '../../domain/appendix/read-csv.ts';

const registry = registryFromJson(readFileSync(new URL('../../data/agencies/vinh-phuc.json', import.meta.url), 'utf8'));
const BOM = '\ufeff';
const utf8 = (text: string) => new TextEncoder().encode(text);
const preview = (text: string, strict = false) => previewPlan({ bytes: utf8(text) }, { registry, strict });

const commaPlan = [
  'STT,Mục tiêu,Nội dung/nhiệm vụ,Sản phẩm,Cơ quan chủ trì,Cơ quan phối hợp,Thời gian hoàn thành,Kinh phí',
  'A,NHIỆM VỤ CHUNG,,,,,,',
  'I,CẢI CÁCH THỂ CHẾ,,,,,,',
  '1,"Hoàn thiện thể chế, chính sách",Rà soát văn bản,"Kế hoạch; báo cáo",Sở Tư pháp,"Sở Văn hóa, Thể thao và Du lịch, Sở Nội vụ",2022,"100 triệu, ngân sách tỉnh"',
  '1.1,,"Nhiệm vụ có ""ngoặc kép""',
  'và xuống dòng",Báo cáo,Sở Y tế,,Quý 4/2023,',
  'II,CẢI CÁCH THỦ TỤC HÀNH CHÍNH,,,,,,',
  '5.1.5,Cắt giảm thời gian,Rà soát TTHC,Quyết định,VP UBND tỉnh,Các cơ quan liên quan,Hàng năm,',
  'B,NHIỆM VỤ RIÊNG,,,,,,',
  '6,,Nhiệm vụ riêng,Báo cáo,Thanh tra tỉnh,,2021-2025,',
].join('\r\n');

describe('CSV appendix', () => {
  it('reads a comma CSV with a BOM: sections, quoted commas and line breaks, hierarchical numbers', async () => {
    const result = await preview(BOM + commaPlan);
    expect(result.errors).toEqual([]);
    expect(result.tasks.map((t) => [t.number, t.row, t.area])).toEqual([
      ['1', 4, 'CẢI CÁCH THỂ CHẾ'],
      ['1.1', 5, 'CẢI CÁCH THỂ CHẾ'],
      ['5.1.5', 8, 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH'],
      ['6', 10, 'NHIỆM VỤ RIÊNG'],
    ]);
    const [first, second, third, fourth] = result.tasks;
    expect(first!.collaborators.map((c) => c.code)).toEqual(['SVHTTDL', 'SNV']);
    expect(first!.deliverables).toEqual(['Kế hoạch', 'Báo cáo']);
    expect(first!.metadata).toEqual({ 'Kinh phí': '100 triệu, ngân sách tỉnh' });
    expect(second!.title).toBe('Nhiệm vụ có "ngoặc kép"\nvà xuống dòng');
    expect(second!.objective).toBe('Hoàn thiện thể chế, chính sách');
    expect(second!.deadline).toMatchObject({ kind: 'date', due: '2023-12-31' });
    expect(second!.metadata).toEqual({});
    expect(third!.leads).toEqual([{ code: 'VPUBND', name: 'Văn phòng UBND tỉnh' }]);
    expect(third!.deadline.kind).toBe('recurring');
    // A section row ends the objective carried down from above.
    expect(fourth!.objective).toBeNull();
  });

  it('reads a semicolon CSV without a BOM and headers written without accents', async () => {
    const text = [
      'STT;MUC TIEU;Noi dung;SAN PHAM;CO QUAN CHU TRI;Co quan phoi hop;THOI GIAN HOAN THANH',
      '1;;Xây dựng kế hoạch, triển khai;Kế hoạch;Sở KH&CN;Sở Nội vụ;2021',
      '2;;Tổng kết;Báo cáo;Sở Nội vụ;;2025',
    ].join('\n');
    const result = await preview(text);
    expect(result.errors).toEqual([]);
    expect(result.tasks.map((t) => [t.title, t.leads[0]?.code, t.deadline.due])).toEqual([
      ['Xây dựng kế hoạch, triển khai', 'SKHCN', '2021-12-31'],
      ['Tổng kết', 'SNV', '2025-12-31'],
    ]);
  });

  it('finds a header below title lines, with another header wording, and skips a column-numbering row', async () => {
    const text = [
      'PHỤ LỤC,,,,',
      'KẾ HOẠCH CCHC NĂM 2022,,,,',
      'TT,Nhiệm vụ giải pháp,Kết quả dự kiến,Đơn vị thực hiện,Thời gian thực hiện,Ghi chú',
      '(1),(2),(3),(4),(5),(6)',
      '1,Tập huấn,Báo cáo,Sở Nội vụ,Quý II/2022,Ưu tiên',
    ].join('\n');
    const result = await preview(text);
    expect(result.errors).toEqual([]);
    expect(result.tasks).toHaveLength(1);
    expect(result.tasks[0]).toMatchObject({
      row: 5,
      number: '1',
      title: 'Tập huấn',
      deliverables: ['Báo cáo'],
      leads: [{ code: 'SNV' }],
      metadata: { 'Ghi chú': 'Ưu tiên' },
    });
    expect(result.warnings).toEqual([]);
  });

  it('reads a two-row header ("Cơ quan thực hiện" over "Chủ trì" and "Phối hợp")', async () => {
    const text = [
      'STT,Nội dung,Cơ quan thực hiện,,Thời gian',
      ',,Chủ trì,Phối hợp,',
      '1,Việc A,Sở Tài chính,Sở Nội vụ,2022',
    ].join('\n');
    const result = await preview(text);
    expect(result.errors).toEqual([]);
    expect(result.tasks[0]).toMatchObject({ row: 3, leads: [{ code: 'STC' }], collaborators: [{ code: 'SNV' }] });
  });

  it('treats a numbered row without lead that has sub-rows as a heading, not a task', async () => {
    const text = [
      'STT,Nội dung,Cơ quan chủ trì,Thời gian',
      '5,Nhóm nhiệm vụ về chuyển đổi số,,',
      '5.1,Việc một,Sở Thông tin và Truyền thông,2022',
      '5.2,Việc hai,Sở TT&TT,2023',
    ].join('\n');
    const result = await preview(text);
    expect(result.errors).toEqual([]);
    expect(result.tasks.map((t) => t.number)).toEqual(['5.1', '5.2']);
  });

  it('numbers rows by the line each record starts on', () => {
    const rows = parseCsv('a,b\n"x\ny",z\n\n1,2\r\n', ',');
    expect(rows).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['x\ny', 'z'] },
      { row: 5, cells: ['1', '2'] },
    ]);
  });

  it('warns about unknown agencies with suggestions, and stops on them in strict mode', async () => {
    const text = [
      'STT,Nội dung,Cơ quan chủ trì,Cơ quan phối hợp,Thời gian',
      '1,Việc A,Sở Văn hoá Du lịch,Sở Nội vụ,2022',
    ].join('\n');
    const lenient = await preview(text);
    expect(lenient.errors).toEqual([]);
    expect(lenient.tasks[0]!.leads).toEqual([{ code: null, name: 'Sở Văn hoá Du lịch' }]);
    expect(lenient.tasks[0]!.warnings).toEqual([
      expect.objectContaining({ row: 2, column: 'Cơ quan chủ trì', field: 'lead' }),
    ]);
    expect(lenient.tasks[0]!.warnings[0]!.message).toContain('Sở Văn hóa, Thể thao và Du lịch');
    expect(lenient.warnings).toEqual(lenient.tasks[0]!.warnings);

    const strict = await preview(text, true);
    expect(strict.errors).toEqual([expect.objectContaining({ row: 2, column: 'Cơ quan chủ trì' })]);
    expect(strict.tasks[0]!.warnings).toEqual([]);
  });

  it('warns when a lead is only an unspecified group', async () => {
    const text = ['STT,Nội dung,Cơ quan chủ trì,Thời gian', '1,Việc A,UBND cấp xã,2022'].join('\n');
    const result = await preview(text);
    expect(result.errors).toEqual([]);
    expect(result.tasks[0]!.leads).toEqual([{ code: null, name: 'UBND cấp xã', group: 'UBND cấp xã' }]);
    expect(result.tasks[0]!.warnings[0]).toMatchObject({ row: 2, column: 'Cơ quan chủ trì' });
  });

  it('gives new work to the successor of a merged agency, and says so', async () => {
    const merged = withMerge(registry, 'STTTT', 'SKHCN');
    const text = ['STT,Nội dung,Cơ quan chủ trì,Thời gian', '1,Việc A,Sở Thông tin và Truyền thông,2026'].join('\n');
    const result = await previewPlan({ bytes: utf8(text) }, { registry: merged });
    expect(result.tasks[0]!.leads).toEqual([{ code: 'SKHCN', name: 'Sở Khoa học và Công nghệ' }]);
    expect(result.tasks[0]!.warnings).toEqual([
      expect.objectContaining({ row: 2, field: 'lead', message: expect.stringContaining('hợp nhất') }),
    ]);
  });
});
