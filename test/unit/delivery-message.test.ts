import { describe, expect, it } from 'vitest';
import { assignmentUrl, notificationEmail } from '../../domain/delivery-message.ts';

describe('the e-mail of a notification', () => {
  const assignment = {
    id: 'KH-1:5:SYT',
    taskNumber: '5',
    taskTitle: 'Rà soát <thủ tục> "nội bộ" & số hóa',
    planCode: '2866/QĐ-UBND',
    agencyCode: 'SYT',
  };
  const email = notificationEmail(
    { kind: 'escalation', level: 2, text: 'Quá hạn, cảnh báo mức 2: <b>nhiệm vụ</b> số 5' },
    assignment,
    'https://dondoc.example.gov.vn/',
  );

  it('says what happened in Vietnamese, with the link to the assignment', () => {
    expect(email.subject).toContain('[Đôn đốc] Quá hạn mức 2: nhiệm vụ số 5 (SYT)');
    expect(email.text).toContain('Quá hạn, cảnh báo mức 2');
    expect(email.text).toContain('Xem và xử lý: https://dondoc.example.gov.vn/#/nhiem-vu/KH-1%3A5%3ASYT');
  });

  it('escapes every value in the HTML', () => {
    expect(email.html).toContain('&lt;b&gt;nhiệm vụ&lt;/b&gt;');
    expect(email.html).toContain('Rà soát &lt;thủ tục&gt; &quot;nội bộ&quot; &amp; số hóa');
    expect(email.html).not.toContain('<b>nhiệm vụ</b>');
    expect(email.html).toContain('href="https://dondoc.example.gov.vn/#/nhiem-vu/KH-1%3A5%3ASYT"');
  });

  it('builds the page address from PUBLIC_URL with or without a trailing slash', () => {
    expect(assignmentUrl('http://localhost:3000', 'a b')).toBe('http://localhost:3000/#/nhiem-vu/a%20b');
  });
});
