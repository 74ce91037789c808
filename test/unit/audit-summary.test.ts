import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditSummary, auditWho, describeAudit, type AuditFacts } from '../../domain/audit-summary.ts';

const names: Record<string, string> = { SYT: 'Sở Y tế', SNV: 'Sở Nội vụ', 'UBND-TDG': 'UBND huyện Tam Dương' };
const nameOf = (code: string) => names[code] ?? code;
const entry = (action: string, details: Record<string, unknown> = {}, actor = 'system:timer'): AuditFacts => ({
  action,
  entityType: 'assignment',
  actor,
  from: null,
  to: null,
  details,
});

describe('the audit trail in Vietnamese', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['fileReport', { period: '2026-Q1', late: false }, 'Gửi báo cáo quý I/2026'],
    ['fileReport', { period: '2026-Y', late: true }, 'Gửi báo cáo năm 2026 (muộn)'],
    ['acknowledge', {}, 'Tiếp nhận nhiệm vụ'],
    ['accept', {}, 'Chấp nhận sản phẩm'],
    ['return', { reason: 'Thiếu phụ lục' }, 'Trả lại sản phẩm. Lý do: Thiếu phụ lục'],
    [
      'submitDeliverable',
      { type: 'Kế hoạch', documentNumber: '12/KH-SYT', documentDate: '2026-02-01' },
      'Nộp sản phẩm: Kế hoạch số 12/KH-SYT ngày 01/02/2026',
    ],
    ['requestExtension', { until: '2026-09-30', reason: 'Chờ Bộ' }, 'Xin gia hạn đến ngày 30/09/2026. Lý do: Chờ Bộ'],
    [
      'approveExtension',
      { from: '2026-06-30', until: '2026-09-30' },
      'Đồng ý gia hạn đến ngày 30/09/2026 (hạn cũ 30/06/2026)',
    ],
    [
      'reassign',
      { fromAgency: 'SNV', toAgency: 'UBND-TDG', reason: 'Đúng chức năng' },
      'Giao cho UBND huyện Tam Dương chủ trì thay Sở Nội vụ. Lý do: Đúng chức năng',
    ],
    [
      'assign',
      { agencyCode: 'SYT', deadline: { kind: 'date', due: '2026-12-31', raw: 'Năm 2026' } },
      'Giao nhiệm vụ cho Sở Y tế chủ trì (hạn ngày 31/12/2026)',
    ],
    ['escalation', { kind: 'escalation', level: 2 }, 'Cảnh báo quá hạn mức 2'],
    ['report-late', { kind: 'report-due', period: '2026-H1' }, 'Chậm gửi báo cáo 6 tháng đầu năm 2026'],
    [
      'reminder',
      { kind: 'reminder', dueDate: '2026-06-30', workingDaysBefore: 5 },
      'Nhắc hạn: còn 5 ngày làm việc đến hạn ngày 30/06/2026',
    ],
    ['addContribution', { agencyCode: 'SNV' }, 'Sở Nội vụ gửi ý kiến phối hợp'],
    ['session-open', { from: '203.0.113.9' }, 'Đăng nhập'],
    [
      'plan-import',
      { code: '2866/QĐ-UBND', assignmentsCreated: 120 },
      'Nhập kế hoạch 2866/QĐ-UBND: 120 nhiệm vụ được giao',
    ],
  ])('%s → %s', (action, details, summary) => {
    expect(auditSummary(entry(action, details), nameOf)).toBe(summary);
  });

  it('says who in words: a person by name, a token and whose it is, the system', () => {
    expect(auditWho('agency:SYT:Nguyễn Văn An <an@syt.gov.vn>', nameOf)).toBe('Nguyễn Văn An (Sở Y tế)');
    expect(auditWho('coordinator:Trần Thị Bình <binh@snv.gov.vn>', nameOf)).toBe('Trần Thị Bình');
    expect(auditWho('agency:SYT:Văn thư Sở Y tế', nameOf)).toBe('Văn thư Sở Y tế');
    expect(auditWho('agency:UBND-TDG:văn thư', nameOf)).toBe('văn thư (UBND huyện Tam Dương)');
    expect(auditWho('coordinator:bootstrap', nameOf)).toBe('bootstrap (cơ quan thường trực)');
    expect(auditWho('system:timer', nameOf)).toBe('Hệ thống (hẹn giờ)');
    expect(auditWho('system:import', nameOf)).toBe('Hệ thống (nhập kế hoạch)');
    expect(auditWho('system:đăng nhập', nameOf)).toBe('Hệ thống');
  });

  it('has a sentence, never a bare code, for every action the code records', () => {
    // Every action recorded anywhere: `action: '…'` in the sources, and the commands and timers the workflow records.
    const roots = ['services', 'activities', 'workflows'];
    const recorded = new Set<string>();
    for (const root of roots)
      for (const file of readdirSync(root).filter((f) => f.endsWith('.ts'))) {
        for (const m of readFileSync(join(root, file), 'utf8').matchAll(/action: '([a-z-]+)'/gi)) recorded.add(m[1]!);
      }
    const commands = ['acknowledge', 'fileReport', 'submitDeliverable', 'requestExtension', 'addContribution'];
    const decisions = ['accept', 'return', 'approveExtension', 'denyExtension', 'reassign', 'cancel', 'setDeadline'];
    const timers = ['reminder', 'report-reminder', 'report-late', 'escalation', 'ack-chase'];
    for (const action of [...recorded, ...commands, ...decisions, ...timers]) {
      const { summary } = describeAudit(entry(action), nameOf);
      expect([action, summary]).not.toEqual([action, action]);
      expect(summary).toMatch(/[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i);
    }
    expect(recorded.size).toBeGreaterThan(20);
  });
});
