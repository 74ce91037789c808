import { describe, expect, it } from 'vitest';
import { registryFromJson } from '../../domain/agencies/registry.ts';
import { splitAgencies } from '../../domain/agencies/split.ts';
import { previewPlan } from '../../domain/appendix/preview.ts';

// Leads and collaborators separated by commas, semicolons or "và", when agency names hold commas
// and "và" themselves; for a province after the 2025 merges and for a national programme.

const province = registryFromJson({
  registry: 'tinh-2025',
  qualifiers: ['tỉnh'],
  agencies: [
    { code: 'SNV', name: 'Sở Nội vụ', kind: 'department' },
    { code: 'STP', name: 'Sở Tư pháp', kind: 'department' },
    { code: 'STC', name: 'Sở Tài chính', kind: 'department' },
    { code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo', kind: 'department' },
    { code: 'SNNMT', name: 'Sở Nông nghiệp và Môi trường', kind: 'department' },
    { code: 'SKHCN', name: 'Sở Khoa học và Công nghệ', kind: 'department' },
    { code: 'SVHTTDL', name: 'Sở Văn hóa, Thể thao và Du lịch', kind: 'department' },
    { code: 'SYT', name: 'Sở Y tế', kind: 'department' },
    { code: 'CAT', name: 'Công an tỉnh', kind: 'other' },
  ],
  groups: [{ name: 'Các cơ quan, đơn vị liên quan', members: 'unspecified' }],
});

// A national programme's registry: ministries and ministry-level agencies, no province in sight.
const national = registryFromJson({
  registry: 'trung-uong-thu',
  agencies: [
    { code: 'BNV', name: 'Bộ Nội vụ', kind: 'other' },
    { code: 'BTP', name: 'Bộ Tư pháp', kind: 'other' },
    { code: 'BTC', name: 'Bộ Tài chính', kind: 'other' },
    { code: 'BGDDT', name: 'Bộ Giáo dục và Đào tạo', kind: 'other', aliases: ['Bộ GD&ĐT'] },
    { code: 'BVHTTDL', name: 'Bộ Văn hóa, Thể thao và Du lịch', kind: 'other' },
    { code: 'BKHCN', name: 'Bộ Khoa học và Công nghệ', kind: 'other' },
    { code: 'BNNMT', name: 'Bộ Nông nghiệp và Môi trường', kind: 'other' },
    { code: 'VPCP', name: 'Văn phòng Chính phủ', kind: 'other' },
    { code: 'NHNN', name: 'Ngân hàng Nhà nước Việt Nam', kind: 'other' },
  ],
  groups: [
    { name: 'Các bộ, cơ quan ngang bộ', members: { codes: ['BNV', 'BTP', 'BTC', 'BGDDT', 'BKHCN'] } },
    { name: 'Các bộ, ngành, địa phương', members: 'unspecified' },
  ],
});

const codes = (cell: string, registry = province) => splitAgencies(cell, registry).agencies.map((a) => a.code);
const unknown = (cell: string, registry = province) => splitAgencies(cell, registry).unknown.map((u) => u.text);

describe('separators between agencies', () => {
  it('"và" between two names separates them; "và" inside a name does not', () => {
    expect(codes('Sở Tư pháp và Sở Nội vụ')).toEqual(['STP', 'SNV']);
    expect(codes('Sở Giáo dục và Đào tạo')).toEqual(['SGDDT']);
    expect(codes('Sở Nông nghiệp và Môi trường và Sở Khoa học và Công nghệ')).toEqual(['SNNMT', 'SKHCN']);
    expect(codes('Sở Giáo dục và Đào tạo và Sở Y tế')).toEqual(['SGDDT', 'SYT']);
  });

  it('commas and semicolons separate, except the commas inside a name', () => {
    expect(codes('Sở Văn hóa, Thể thao và Du lịch')).toEqual(['SVHTTDL']);
    expect(codes('Sở Nội vụ, Sở Văn hóa, Thể thao và Du lịch, Sở Y tế')).toEqual(['SNV', 'SVHTTDL', 'SYT']);
    expect(codes('Sở Văn hóa, Thể thao và Du lịch; Sở Giáo dục và Đào tạo')).toEqual(['SVHTTDL', 'SGDDT']);
    expect(codes('Sở Tư pháp, và Sở Nội vụ.')).toEqual(['STP', 'SNV']);
    expect(codes('Sở Tư pháp;Sở Nội vụ;Sở Tài chính')).toEqual(['STP', 'SNV', 'STC']);
  });

  it('"và" after a trailing "tỉnh" still separates', () => {
    const split = splitAgencies('Sở Tư pháp tỉnh và Công an tỉnh', province);
    expect(split.agencies.map((a) => a.code)).toEqual(['STP', 'CAT']);
    expect(split.unknown).toEqual([]);
    expect(codes('Sở Nội vụ tỉnh và Sở Y tế tỉnh, Sở Tài chính tỉnh')).toEqual(['SNV', 'SYT', 'STC']);
  });

  it('names the registry does not know are cut where a new name begins, and kept whole otherwise', () => {
    expect(unknown('Sở Du lịch và Sở Ngoại vụ')).toEqual(['Sở Du lịch', 'Sở Ngoại vụ']);
    expect(unknown('Sở Dân tộc và Tôn giáo')).toEqual(['Sở Dân tộc và Tôn giáo']);
    expect(codes('Sở Dân tộc và Tôn giáo, Sở Nội vụ')).toEqual(['SNV']);
  });
});

describe('a national programme whose leads are ministries', () => {
  it('splits ministries on the same separators, their names holding commas and "và"', () => {
    expect(codes('Bộ Nội vụ và Bộ Tư pháp', national)).toEqual(['BNV', 'BTP']);
    expect(codes('Bộ Văn hóa, Thể thao và Du lịch; Bộ GD&ĐT', national)).toEqual(['BVHTTDL', 'BGDDT']);
    expect(codes('Văn phòng Chính phủ, Bộ Khoa học và Công nghệ và Ngân hàng Nhà nước Việt Nam', national)).toEqual([
      'VPCP',
      'BKHCN',
      'NHNN',
    ]);
  });

  it('reports unknown national bodies one by one', () => {
    expect(unknown('Thanh tra Chính phủ và Kiểm toán Nhà nước', national)).toEqual([
      'Thanh tra Chính phủ',
      'Kiểm toán Nhà nước',
    ]);
    expect(unknown('Bộ Công an, Ủy ban Dân tộc', national)).toEqual(['Bộ Công an', 'Ủy ban Dân tộc']);
    expect(unknown('Bộ Dân tộc và Tôn giáo', national)).toEqual(['Bộ Dân tộc và Tôn giáo']);
  });

  it('previews a programme appendix with the ministries registry, assuming nothing provincial', async () => {
    const text = [
      'TT;Nhiệm vụ, giải pháp;Cơ quan chủ trì;Cơ quan phối hợp;Thời gian thực hiện',
      'A;NHIỆM VỤ CHUNG;;;',
      '1;Hoàn thiện thể chế về chuyển đổi số;Bộ Tư pháp và Bộ Khoa học và Công nghệ;Các bộ, ngành, địa phương;2026',
      '2;Cắt giảm thủ tục hành chính;Văn phòng Chính phủ;Các bộ, cơ quan ngang bộ;Quý II/2026',
      'B;NHIỆM VỤ CỤ THỂ;;;',
      '1;Số hóa hồ sơ giáo dục;Bộ Giáo dục và Đào tạo, Bộ Nội vụ;Bộ Văn hóa, Thể thao và Du lịch;Hằng năm',
      '2;Đánh giá chỉ số cải cách hành chính;Bộ Nội vụ;Thanh tra Chính phủ;2026',
    ].join('\n');
    const result = await previewPlan(
      { bytes: new TextEncoder().encode(text) },
      { registry: national, periodStart: '2026-01-01', periodEnd: '2030-12-31' },
    );
    expect(result.errors).toEqual([]);
    expect(result.tasks.map((t) => [t.key, t.leads.map((l) => l.code), t.collaborators.map((c) => c.code)])).toEqual([
      ['A.1', ['BTP', 'BKHCN'], [null]],
      ['A.2', ['VPCP'], ['BNV', 'BTP', 'BTC', 'BGDDT', 'BKHCN']],
      ['B.1', ['BGDDT', 'BNV'], ['BVHTTDL']],
      ['B.2', ['BNV'], [null]],
    ]);
    // The only warning: a collaborator the registry does not know, named with the registry.
    expect(result.warnings).toEqual([
      {
        row: 7,
        column: 'Cơ quan phối hợp',
        field: 'collaborators',
        message: expect.stringMatching(/^Không có "Thanh tra Chính phủ" trong danh mục cơ quan trung-uong-thu\./),
      },
    ]);
  });
});
