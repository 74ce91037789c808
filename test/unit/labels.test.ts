import { describe, expect, it } from 'vitest';
import {
  bucketLabels,
  completionText,
  deliverablesText,
  periodCutOffLabel,
  periodHeading,
  periodLabel,
  submittedText,
  vnDateTime,
} from '../../domain/labels.ts';
import { agencyShortName, registryDisplayName } from '../../domain/agencies/names.ts';

describe('the words of periods', () => {
  it.each([
    ['2025-Q1', 'Báo cáo quý I/2025'],
    ['2026-H1', 'Báo cáo 6 tháng đầu năm 2026'],
    ['2026-Q3', 'Báo cáo quý III/2026'],
    ['2026-Y', 'Báo cáo năm 2026'],
  ])('titles the report of %s "%s"', (period, label) => {
    expect(periodLabel(period)).toBe(label);
  });

  it('never says "năm năm"', () => {
    expect(periodLabel('2026-Y')).not.toMatch(/năm năm/);
  });

  it('writes a period with its cut-off as one', () => {
    expect(periodCutOffLabel('2025-Y')).toBe('Năm 2025 (số liệu đến 14/12/2025)');
    expect(periodCutOffLabel('2026-Q1')).toBe('Quý I/2026 (số liệu đến 14/03/2026)');
    // A period whose cut-off has not come is taken today.
    expect(periodCutOffLabel('2026-H1', '2026-05-02')).toBe('6 tháng đầu năm 2026 (số liệu đến 02/05/2026)');
    expect(periodHeading('2026-Q3')).toBe('Quý III/2026');
  });
});

describe('the words of tasks', () => {
  it('names the four buckets as one parallel set', () => {
    expect(Object.values(bucketLabels)).toEqual([
      'Hoàn thành đúng hạn',
      'Hoàn thành quá hạn',
      'Chưa hoàn thành – trong hạn',
      'Chưa hoàn thành – quá hạn',
    ]);
  });

  it('writes when a deliverable went in, in Vietnam’s time', () => {
    expect(vnDateTime('2026-12-06T21:20:00Z')).toBe('04:20 ngày 07/12/2026');
    expect(submittedText('2026-12-06T21:20:00Z')).toBe('Nộp lúc 04:20 ngày 07/12/2026');
  });

  it('says how late completed work was, by the day its deliverable went in', () => {
    expect(completionText('2026-12-07', '2026-12-04', '2026-12-01')).toBe(
      'Hoàn thành ngày 07/12/2026 (quá hạn 3 ngày)',
    );
    expect(completionText('2026-12-07', '2026-11-30', '2026-12-01')).toBe('Hoàn thành ngày 07/12/2026 (đúng hạn)');
    expect(completionText('2026-12-07', '2026-12-04', null)).toBe('Hoàn thành ngày 07/12/2026 (đúng hạn)');
  });

  it('names the product apart from the objective', () => {
    expect(deliverablesText(['Đề án', ' Báo cáo '])).toBe('Sản phẩm: Đề án, Báo cáo');
    expect(deliverablesText([])).toBeNull();
  });
});

describe('the names of agencies and registries', () => {
  it.each([
    ['Sở Y tế', 'Sở Y tế'],
    ['Ủy ban nhân dân xã Tân Dương', 'UBND xã Tân Dương'],
    ['Uỷ ban nhân dân phường Hà Đông', 'UBND phường Hà Đông'],
    ['Văn phòng Ủy ban nhân dân tỉnh', 'VP UBND tỉnh'],
    ['Văn phòng UBND tỉnh', 'VP UBND tỉnh'],
    ['UBND thành phố Vĩnh Yên', 'UBND TP Vĩnh Yên'],
    ['Ban Quản lý các khu công nghiệp', 'BQL các khu công nghiệp'],
    ['Trung tâm Phục vụ hành chính công tỉnh', 'Trung tâm PVHCC tỉnh'],
    ['Sở Văn hóa, Thể thao và Du lịch', 'Sở Văn hóa, Thể thao và Du lịch'],
  ])('shortens "%s" to "%s"', (name, short) => {
    expect(agencyShortName(name)).toBe(short);
  });

  it('names a registry after its province, and a province before 1 July 2025 as such', () => {
    expect(registryDisplayName({ registry: 'phu-tho', name: 'Phú Thọ' })).toBe('Phú Thọ');
    expect(registryDisplayName({ registry: 'trung-uong', name: 'Trung ương' })).toBe('Trung ương');
    expect(registryDisplayName({ registry: 'vinh-phuc', qualifiers: ['tỉnh Vĩnh Phúc', 'tỉnh'] })).toBe(
      'Vĩnh Phúc (trước 01/7/2025)',
    );
    expect(registryDisplayName({ registry: 'ha-tay' })).toBe('Ha Tay (trước 01/7/2025)');
  });
});
