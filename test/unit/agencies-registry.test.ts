import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildRegistry,
  RegistryError,
  registryFromJson,
  resolveSuccessor,
  withAgency,
  withGroup,
  withMerge,
} from '../../domain/agencies/registry.ts';
import { splitAgencies } from '../../domain/agencies/split.ts';
import type { RegistryData } from '../../domain/agencies/types.ts';

const seedJson = JSON.parse(
  readFileSync(new URL('../../data/agencies/vinh-phuc.json', import.meta.url), 'utf8'),
) as RegistryData;

function small(): RegistryData {
  return {
    registry: 'test',
    agencies: [
      { code: 'SNV', name: 'Sở Nội vụ', kind: 'department', aliases: ['SNV'] },
      { code: 'STTTT', name: 'Sở Thông tin và Truyền thông', kind: 'department', aliases: ['Sở TT&TT'] },
      { code: 'SKHCN', name: 'Sở Khoa học và Công nghệ', kind: 'department', aliases: ['Sở KH&CN'] },
      { code: 'UBND-VY', name: 'UBND thành phố Vĩnh Yên', kind: 'district' },
    ],
    groups: [{ name: 'Các sở, ban, ngành', members: { kinds: ['department'] } }],
  };
}

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof RegistryError) return error.problems;
    throw error;
  }
  return [];
}

describe('the seeded Vĩnh Phúc registry', () => {
  const registry = registryFromJson(seedJson);

  it('knows every agency the plan and its appendix name', () => {
    for (const name of [
      'Sở Nội vụ',
      'Sở Tư pháp',
      'Sở Tài chính',
      'Sở Kế hoạch và Đầu tư',
      'Sở Khoa học và Công nghệ',
      'Sở Thông tin và Truyền thông',
      'Sở Y tế',
      'Sở Giáo dục và Đào tạo',
      'Văn phòng UBND tỉnh',
      'Thanh tra tỉnh',
      'Sở Văn hóa, Thể thao và Du lịch',
      'Sở Lao động - Thương binh và Xã hội',
      'Sở Tài nguyên và Môi trường',
      'Sở Xây dựng',
      'Sở Giao thông vận tải',
      'Sở Công Thương',
      'Sở Nông nghiệp và Phát triển nông thôn',
      'Sở Ngoại vụ',
      'Ban Dân tộc',
      'Ban Quản lý các khu công nghiệp',
    ]) {
      const split = splitAgencies(name, registry);
      expect(split.unknown, name).toEqual([]);
      expect(
        split.agencies.map((a) => a.name),
        name,
      ).toEqual([name]);
    }
  });

  it("has the nine district-level units, each under its People's Committee name", () => {
    const districts = seedJson.agencies.filter((a) => a.kind === 'district');
    expect(districts.map((a) => a.name).sort()).toEqual(
      [
        'UBND huyện Bình Xuyên',
        'UBND huyện Lập Thạch',
        'UBND huyện Sông Lô',
        'UBND huyện Tam Dương',
        'UBND huyện Tam Đảo',
        'UBND huyện Vĩnh Tường',
        'UBND huyện Yên Lạc',
        'UBND thành phố Phúc Yên',
        'UBND thành phố Vĩnh Yên',
      ].sort(),
    );
    expect(splitAgencies('UBND TP Vĩnh Yên', registry).agencies.map((a) => a.code)).toEqual(['UBND-VY']);
    expect(splitAgencies('Ủy ban nhân dân huyện Tam Đảo', registry).agencies.map((a) => a.code)).toEqual(['UBND-TDA']);
  });

  it('resolves the usual abbreviations', () => {
    const code = (text: string) => splitAgencies(text, registry).agencies.map((a) => a.code);
    expect(code('Sở KH&CN')).toEqual(['SKHCN']);
    expect(code('VP UBND tỉnh')).toEqual(['VPUBND']);
    expect(code('Sở TT&TT')).toEqual(['STTTT']);
    expect(code('Sở GD&ĐT')).toEqual(['SGDDT']);
    expect(code('Sở LĐ-TB&XH')).toEqual(['SLDTBXH']);
  });

  it('uses short upper-case ASCII codes and records no merger (the plan predates 2025)', () => {
    for (const agency of seedJson.agencies) {
      expect(agency.code).toMatch(/^[A-Z0-9-]{2,12}$/);
      expect(agency.mergedInto).toBeUndefined();
    }
  });

  it('declares the groups a plan uses', () => {
    const groups = Object.fromEntries(seedJson.groups.map((g) => [g.name, g.members]));
    expect(groups['Các sở, ban, ngành']).toEqual({
      kinds: expect.arrayContaining(['department', 'office', 'inspectorate']),
    });
    expect(groups['UBND cấp huyện']).toEqual({ kinds: ['district'] });
    expect(groups['Các cơ quan, đơn vị liên quan']).toBe('unspecified');
    expect(groups['UBND cấp xã']).toBe('unspecified');
    expect(seedJson.groups.find((g) => g.name === 'UBND cấp xã')?.note).toBeTruthy();
  });
});

describe('buildRegistry validation', () => {
  it('accepts a consistent registry', () => {
    expect(buildRegistry(small()).byCode.size).toBe(4);
  });

  it('refuses duplicate codes', () => {
    const data = small();
    data.agencies.push({ code: 'SNV', name: 'Sở Nội vụ (bản sao)', kind: 'department' });
    expect(problemsOf(() => buildRegistry(data))).toEqual(
      expect.arrayContaining([expect.stringContaining('"SNV" bị trùng')]),
    );
  });

  it('refuses an alias that would stand for two agencies, whatever its case or accents', () => {
    const data = small();
    data.agencies[2]!.aliases = ['Sở KH&CN', 'SO NOI VU'];
    const problems = problemsOf(() => buildRegistry(data));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('SO NOI VU');
    expect(problems[0]).toContain('SNV');
    expect(problems[0]).toContain('SKHCN');
  });

  it('refuses a group named like an agency', () => {
    const data = small();
    data.groups.push({ name: 'Nhóm', aliases: ['Sở Nội vụ'], members: 'unspecified' });
    expect(problemsOf(() => buildRegistry(data))[0]).toContain('nhóm "Nhóm"');
  });

  it('refuses a merger into an unknown agency and merger cycles', () => {
    const unknown = small();
    unknown.agencies[1]!.mergedInto = 'SKHCN-MOI';
    expect(problemsOf(() => buildRegistry(unknown))[0]).toContain('SKHCN-MOI');

    const cycle = small();
    cycle.agencies[1]!.mergedInto = 'SKHCN';
    cycle.agencies[2]!.mergedInto = 'STTTT';
    expect(problemsOf(() => buildRegistry(cycle)).join(' ')).toContain('vòng lặp');
  });

  it('refuses lower-case or accented codes', () => {
    const data = small();
    data.agencies[0]!.code = 'snv';
    expect(problemsOf(() => buildRegistry(data))[0]).toContain('viết hoa');
  });

  it('reports a malformed JSON registry in Vietnamese, with every problem', () => {
    expect(problemsOf(() => registryFromJson('{'))[0]).toContain('không phải JSON');
    const problems = problemsOf(() =>
      registryFromJson({ registry: 'x', agencies: [{ code: 'A' }, 'b'], groups: [{ name: 'G', members: 3 }] }),
    );
    expect(problems).toHaveLength(3);
  });
});

describe('editing a registry', () => {
  it('adds or replaces an agency without touching the original', () => {
    const before = buildRegistry(small());
    const after = withAgency(before, { code: 'SYT', name: 'Sở Y tế', kind: 'department', aliases: ['SYT'] });
    expect(before.byCode.has('SYT')).toBe(false);
    expect(splitAgencies('Sở Y tế', after).agencies.map((a) => a.code)).toEqual(['SYT']);
    const renamed = withAgency(after, { code: 'SYT', name: 'Sở Y tế tỉnh', kind: 'department' });
    expect(renamed.byCode.get('SYT')?.name).toBe('Sở Y tế tỉnh');
    expect(renamed.data.agencies).toHaveLength(5);
  });

  it('marks a merger: new work goes to the successor, and fan-out skips the merged agency', () => {
    const before = buildRegistry(small());
    const after = withMerge(before, 'STTTT', 'SKHCN');
    expect(before.byCode.get('STTTT')?.mergedInto).toBeUndefined();
    expect(resolveSuccessor(after, 'STTTT')?.code).toBe('SKHCN');
    expect(resolveSuccessor(after, 'SNV')?.code).toBe('SNV');
    expect(resolveSuccessor(after, 'NOPE')).toBeUndefined();
    expect(splitAgencies('Các sở, ban, ngành', after).agencies.map((a) => a.code)).toEqual(['SNV', 'SKHCN']);
  });

  it('follows chains of mergers', () => {
    const data = small();
    data.agencies.push({ code: 'SKHCN-2025', name: 'Sở Khoa học và Công nghệ (mới)', kind: 'department' });
    const registry = withMerge(withMerge(buildRegistry(data), 'STTTT', 'SKHCN'), 'SKHCN', 'SKHCN-2025');
    expect(resolveSuccessor(registry, 'STTTT')?.code).toBe('SKHCN-2025');
  });

  it('refuses a merger into an unknown successor or one that closes a cycle', () => {
    const registry = withMerge(buildRegistry(small()), 'STTTT', 'SKHCN');
    expect(problemsOf(() => withMerge(registry, 'STTTT', 'NOPE'))[0]).toContain('NOPE');
    expect(problemsOf(() => withMerge(registry, 'SKHCN', 'STTTT')).join(' ')).toContain('vòng lặp');
  });

  it('adds a group', () => {
    const registry = withGroup(buildRegistry(small()), {
      name: 'Các sở chuyển đổi số',
      members: { codes: ['STTTT', 'SKHCN'] },
    });
    expect(splitAgencies('Các sở chuyển đổi số', registry).agencies).toEqual([
      { code: 'STTTT', name: 'Sở Thông tin và Truyền thông', group: 'Các sở chuyển đổi số' },
      { code: 'SKHCN', name: 'Sở Khoa học và Công nghệ', group: 'Các sở chuyển đổi số' },
    ]);
  });
});

describe('agencies with the dates they existed', () => {
  const base = { registry: 'thu', agencies: [] as unknown[], groups: [] };
  it('keeps the last day of a department merged in 2025, beside its successor', () => {
    const registry = registryFromJson({
      ...base,
      agencies: [
        { code: 'STC', name: 'Sở Tài chính', kind: 'department' },
        {
          code: 'SKHDT',
          name: 'Sở Kế hoạch và Đầu tư',
          kind: 'department',
          mergedInto: 'STC',
          existsUntil: '2025-06-30',
        },
      ],
    });
    expect(registry.byCode.get('SKHDT')).toMatchObject({ mergedInto: 'STC', existsUntil: '2025-06-30' });
  });

  it('refuses a date that is not one, or an end before the start', () => {
    expect(() =>
      registryFromJson({ ...base, agencies: [{ code: 'A', name: 'A', kind: 'other', existsUntil: '30/06/2025' }] }),
    ).toThrow(/existsUntil/);
    expect(() =>
      registryFromJson({
        ...base,
        agencies: [{ code: 'A', name: 'A', kind: 'other', existsFrom: '2025-07-01', existsUntil: '2025-06-30' }],
      }),
    ).toThrow(/existsFrom/);
  });
});
