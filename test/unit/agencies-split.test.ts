import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { editDistance, nearestNames } from '../../domain/agencies/nearest.ts';
import { registryFromJson } from '../../domain/agencies/registry.ts';
import { findAgency, splitAgencies } from '../../domain/agencies/split.ts';

const registry = registryFromJson(readFileSync(new URL('../../data/agencies/vinh-phuc.json', import.meta.url), 'utf8'));
const codes = (cell: string) => splitAgencies(cell, registry).agencies.map((a) => a.code);

describe('splitAgencies', () => {
  it('splits a list on commas without cutting names that contain commas', () => {
    expect(codes('Sở Y tế, Sở Giáo dục và Đào tạo')).toEqual(['SYT', 'SGDDT']);
    expect(codes('Sở Văn hóa, Thể thao và Du lịch, Sở Nội vụ')).toEqual(['SVHTTDL', 'SNV']);
    expect(codes('Sở Lao động - Thương binh và Xã hội; Sở Tài chính')).toEqual(['SLDTBXH', 'STC']);
  });

  it('separates on ; / "và", line breaks and dash bullets', () => {
    expect(codes('Sở Nội vụ; Sở Tư pháp / Sở Y tế và Thanh tra tỉnh')).toEqual(['SNV', 'STP', 'SYT', 'TTT']);
    expect(codes('- Sở Nội vụ\n- Sở Tài chính\n+ Văn phòng UBND tỉnh')).toEqual(['SNV', 'STC', 'VPUBND']);
  });

  it('matches regardless of case, accents, spacing and a trailing "tỉnh"', () => {
    expect(codes('SỞ TƯ PHÁP')).toEqual(['STP']);
    expect(codes('So Noi vu')).toEqual(['SNV']);
    expect(codes('sở  y   tế tỉnh')).toEqual(['SYT']);
    expect(codes('Sở Văn hoá Thể thao và Du lịch tỉnh Vĩnh Phúc')).toEqual(['SVHTTDL']);
    expect(codes('Văn phòng Ủy ban nhân dân tỉnh')).toEqual(['VPUBND']);
  });

  it('prefers the longest name: the provincial office is not the provincial committee', () => {
    expect(codes('Văn phòng UBND tỉnh, UBND tỉnh')).toEqual(['VPUBND', 'UBNDT']);
  });

  it('fans a group out to its active members, marking the group on each', () => {
    const split = splitAgencies('Các sở, ban, ngành; UBND cấp huyện', registry);
    const departments = split.agencies.filter((a) => a.group === 'Các sở, ban, ngành');
    const districts = split.agencies.filter((a) => a.group === 'UBND cấp huyện');
    expect(departments.map((a) => a.code)).toEqual(
      expect.arrayContaining(['SNV', 'STP', 'SYT', 'SGDDT', 'VPUBND', 'TTT']),
    );
    expect(departments.some((a) => a.code.startsWith('UBND'))).toBe(false);
    expect(districts).toHaveLength(9);
    expect(split.unknown).toEqual([]);
    expect(split.unspecified).toBe(false);
  });

  it('reads "UBND các huyện, thành phố" as the district group, not as an unknown "thành phố"', () => {
    const split = splitAgencies('UBND các huyện, thành phố', registry);
    expect(split.agencies).toHaveLength(9);
    expect(split.unknown).toEqual([]);
  });

  it('lists each agency once when a group and a name overlap', () => {
    expect(codes('Sở Nội vụ, Các sở, ban, ngành').filter((c) => c === 'SNV')).toHaveLength(1);
  });

  it('notes groups without listed members instead of inventing assignments', () => {
    const related = splitAgencies('Các cơ quan, đơn vị liên quan', registry);
    expect(related).toEqual({
      agencies: [],
      unknown: [],
      unspecified: true,
      unspecifiedGroups: [{ name: 'Các cơ quan, đơn vị liên quan' }],
      communeGroups: [],
      personal: false,
    });
    const communes = splitAgencies('Các sở, ban, ngành, UBND cấp huyện, UBND cấp xã', registry);
    expect(communes.agencies.length).toBeGreaterThan(20);
    expect(communes.unspecifiedGroups).toEqual([{ name: 'UBND cấp xã', note: expect.stringContaining('cấp xã') }]);
  });

  it('reports unknown names as written, with the nearest known names', () => {
    const split = splitAgencies('Sở Y tế, Sở Văn hoá Du lịch, Công ty ABC', registry);
    expect(split.agencies.map((a) => a.code)).toEqual(['SYT']);
    expect(split.unknown.map((u) => u.text)).toEqual(['Sở Văn hoá Du lịch', 'Công ty ABC']);
    expect(split.unknown[0]!.nearest[0]).toBe('Sở Văn hóa, Thể thao và Du lịch');
    expect(split.unknown[0]!.nearest.length).toBeLessThanOrEqual(3);
    expect(split.unknown[1]!.nearest).toEqual([]);
  });

  it('keeps an unknown name with commas in one piece unless a new name starts after the comma', () => {
    const split = splitAgencies('Sở Văn hóa, Thông tin, Thể thao; Sở Du lịch, Sở Nội vụ', registry);
    expect(split.unknown.map((u) => u.text)).toEqual(['Sở Văn hóa, Thông tin, Thể thao', 'Sở Du lịch']);
    expect(split.agencies.map((a) => a.code)).toEqual(['SNV']);
  });

  it('suggests the right agency for a misspelt name', () => {
    const split = splitAgencies('Sở Tài chánh; Sở Giáo dụck và Đào tạo', registry);
    expect(split.unknown.map((u) => [u.text, u.nearest[0]])).toEqual([
      ['Sở Tài chánh', 'Sở Tài chính'],
      ['Sở Giáo dụck và Đào tạo', 'Sở Giáo dục và Đào tạo'],
    ]);
  });

  it('reads a name with its "và" or comma left out', () => {
    expect(codes('Sở Giáo dục Đào tạo, Sở Kế hoạch - Đầu tư')).toEqual(['SGDDT', 'SKHDT']);
  });
});

describe('findAgency', () => {
  it('finds exactly one agency, or nothing for a group, a list or an unknown name', () => {
    expect(findAgency('Sở KH&CN', registry)).toEqual({ code: 'SKHCN', name: 'Sở Khoa học và Công nghệ' });
    expect(findAgency('Các sở, ban, ngành', registry)).toBeUndefined();
    expect(findAgency('Sở Y tế, Sở Nội vụ', registry)).toBeUndefined();
    expect(findAgency('Sở Du lịch', registry)).toBeUndefined();
  });
});

describe('nearest names', () => {
  it('measures edit distance', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('so y te', 'so y te')).toBe(0);
  });

  it('gives, within a bound, the same distance as the whole table, and Infinity past it', () => {
    // The whole table, written plainly: what the banded comparison must agree with.
    const plain = (a: string, b: string) => {
      let row = Array.from({ length: b.length + 1 }, (_, j) => j);
      for (let i = 1; i <= a.length; i++) {
        const next = [i];
        for (let j = 1; j <= b.length; j++)
          next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
        row = next;
      }
      return row[b.length]!;
    };
    let seed = 7;
    const random = (n: number) => (seed = (seed * 48_271) % 2_147_483_647) % n;
    const word = () => Array.from({ length: random(14) }, () => 'abcd '[random(5)]).join('');
    for (let k = 0; k < 3_000; k++) {
      const [a, b, bound] = [word(), word(), random(8)];
      const exact = plain(a, b);
      expect(editDistance(a, b)).toBe(exact);
      expect(editDistance(a, b, bound)).toBe(exact <= bound ? exact : Infinity);
    }
  });

  it('gives at most three suggestions, closest first, on folded text', () => {
    const candidates = ['Sở Nội vụ', 'Sở Y tế', 'Sở Tư pháp', 'Sở Tài chính'].map((name) => ({
      written: name,
      shown: name,
    }));
    expect(nearestNames('SO NOI VU', candidates)).toEqual(['Sở Nội vụ']);
    expect(nearestNames('Sở Tư phá', candidates)[0]).toBe('Sở Tư pháp');
    expect(nearestNames('Sở', candidates).length).toBeLessThanOrEqual(3);
    expect(nearestNames('Ngân hàng Nhà nước', candidates)).toEqual([]);
  });
});
