import type { DigestAssignment, DigestContent, DigestLateReport, DigestSection } from './digest.ts';
import { notificationKindLabels, periodName, vnDate } from './labels.ts';
import { reportWindowsBetween } from './report-periods.ts';
import { addDays } from './calendar.ts';

/**
 * The e-mails Đôn đốc sends, in Vietnamese: subject, plain text and HTML (every value escaped),
 * each with a link to the page where the recipient acts.
 */

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

/** What a notification's e-mail shows of its assignment. */
export interface MessageAssignment {
  id: string;
  taskNumber: string;
  taskTitle: string;
  planCode: string;
  /** The plan's title, shown beside its number. */
  planTitle?: string;
  agencyCode: string;
  /** The lead agency's name and short form; the code stands in when the registry has none. */
  agencyName?: string;
  agencyShortName?: string;
}

export interface MessageNotification {
  kind: string;
  text: string;
  level: number | null;
}

const kindTitles: Record<string, string> = notificationKindLabels;

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The web app's page of an assignment, the one a person acts on: the app routes on the hash
 * (web/main.ts). Links sent before this form, `/assignments/<id>`, are redirected to it by the
 * server (api/plugins/web.ts).
 */
export function assignmentUrl(publicUrl: string, assignmentId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${assignmentPagePath(assignmentId)}`;
}

/** The path and hash of an assignment's page, from the web app's root. */
export function assignmentPagePath(assignmentId: string): string {
  return `/#/nhiem-vu/${encodeURIComponent(assignmentId)}`;
}

/** A subject line stays one short line whatever the task's title. */
function short(value: string, max: number): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

const FOOTER_TEXT = 'Thư này do hệ thống Đôn đốc gửi tự động; vui lòng không trả lời thư.';

function page(title: string, body: string): string {
  return (
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>' +
    escapeHtml(title) +
    '</title></head><body style="font-family:Arial,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a">' +
    body +
    `<p style="color:#666;font-size:13px">${escapeHtml(FOOTER_TEXT)}</p></body></html>`
  );
}

export function notificationEmail(
  notification: MessageNotification,
  assignment: MessageAssignment,
  publicUrl: string,
): EmailMessage {
  const title = kindTitles[notification.kind] ?? 'Thông báo';
  const level = notification.kind === 'escalation' && notification.level ? ` mức ${notification.level}` : '';
  const lead = assignment.agencyName ?? assignment.agencyCode;
  const subject = short(
    `[Đôn đốc] ${title}${level}: nhiệm vụ số ${assignment.taskNumber} (${assignment.agencyShortName ?? lead}) — ${assignment.taskTitle}`,
    160,
  );
  const url = assignmentUrl(publicUrl, assignment.id);
  const plan = assignment.planTitle ? `${assignment.planCode} — ${assignment.planTitle}` : assignment.planCode;
  const text = [
    notification.text,
    '',
    `Kế hoạch: ${plan}`,
    `Nhiệm vụ số ${assignment.taskNumber}: ${assignment.taskTitle}`,
    `Cơ quan chủ trì: ${lead}`,
    '',
    `Xem và xử lý: ${url}`,
    '',
    FOOTER_TEXT,
  ].join('\n');
  const html = page(
    subject,
    `<p>${escapeHtml(notification.text)}</p>` +
      '<table style="border-collapse:collapse">' +
      row('Kế hoạch', plan) +
      row('Nhiệm vụ', `số ${assignment.taskNumber}: ${assignment.taskTitle}`) +
      row('Cơ quan chủ trì', lead) +
      '</table>' +
      `<p><a href="${escapeHtml(url)}">Xem và xử lý nhiệm vụ</a></p>`,
  );
  return { subject, text, html };
}

function row(label: string, value: string): string {
  return `<tr><td style="padding:2px 12px 2px 0;color:#555">${escapeHtml(label)}</td><td>${escapeHtml(value)}</td></tr>`;
}

function countOf(content: DigestContent): number {
  const sections = [content.dueSoon, content.overdue, content.escalations, content.lateReports, content.notices];
  return sections.reduce((n, s) => n + s.items.length + s.more, 0);
}

interface Line {
  text: string;
  url?: string;
}

function assignmentLine(a: DigestAssignment, what: string, publicUrl: string): Line {
  return {
    text: `Nhiệm vụ số ${a.taskNumber} (${a.agencyShortName ?? a.agencyCode}, Kế hoạch ${a.planCode}): ${short(a.taskTitle, 140)} — ${what}`,
    url: assignmentUrl(publicUrl, a.id),
  };
}

function reportLine(r: DigestLateReport, publicUrl: string): Line {
  return {
    text: `Báo cáo ${periodName(r.period)} về nhiệm vụ số ${r.taskNumber} (${r.agencyShortName ?? r.agencyCode}, Kế hoạch ${r.planCode}) chưa được gửi`,
    url: assignmentUrl(publicUrl, r.assignmentId),
  };
}

/**
 * The period whose data cut-off (the 14th) has passed and whose report is being written, on `day`:
 * from the 15th to the 20th of the period's last month, when the narrative report's draft is worth
 * pointing to; otherwise null.
 */
export function draftedReport(day: string): string | null {
  const recent = reportWindowsBetween(addDays(day, -6), addDays(day, -1));
  return recent[recent.length - 1]?.id ?? null;
}

/** The digest's e-mail: one message for all of a recipient's plans. */
export function digestEmail(content: DigestContent, publicUrl: string): EmailMessage {
  const parts: { heading: string; lines: Line[]; more: number }[] = [];
  const add = <T>(heading: string, s: DigestSection<T>, line: (item: T) => Line) => {
    if (s.items.length > 0) parts.push({ heading, lines: s.items.map(line), more: s.more });
  };
  add('Quá hạn', content.overdue, (a) => assignmentLine(a, `hạn ${vnDate(a.effectiveDue!)}`, publicUrl));
  add('Cảnh báo quá hạn', content.escalations, (a) => assignmentLine(a, `mức ${a.escalationLevel}`, publicUrl));
  add(`Đến hạn đến ngày ${vnDate(content.horizon)}`, content.dueSoon, (a) =>
    assignmentLine(a, `hạn ${vnDate(a.effectiveDue!)}`, publicUrl),
  );
  add('Báo cáo chậm', content.lateReports, (r) => reportLine(r, publicUrl));
  add('Thông báo', content.notices, (n) => ({ text: n.text, url: assignmentUrl(publicUrl, n.assignmentId) }));

  const draft = draftedReport(content.day);
  if (draft)
    parts.push({
      heading: 'Báo cáo định kỳ',
      lines: [
        {
          text: `Số liệu ${periodName(draft)} đã chốt; dự thảo báo cáo công tác CCHC (.docx) đã sẵn sàng để tải`,
          url: `${publicUrl.replace(/\/+$/, '')}/#/bao-cao?${new URLSearchParams({ ky: draft })}`,
        },
      ],
      more: 0,
    });
  const subject = `[Đôn đốc] Tổng hợp ngày ${vnDate(content.day)}: ${countOf(content)} mục cần theo dõi`;
  const moreText = (n: number) => `… và ${n} mục khác`;
  const text = [
    `Tổng hợp công việc ngày ${vnDate(content.day)}.`,
    ...parts.flatMap((p) => [
      '',
      `${p.heading}:`,
      ...p.lines.map((l) => `- ${l.text}${l.url ? `\n  ${l.url}` : ''}`),
      ...(p.more > 0 ? [moreText(p.more)] : []),
    ]),
    '',
    FOOTER_TEXT,
  ].join('\n');
  const html = page(
    subject,
    `<p>Tổng hợp công việc ngày ${escapeHtml(vnDate(content.day))}.</p>` +
      parts
        .map(
          (p) =>
            `<h3 style="margin:16px 0 4px">${escapeHtml(p.heading)}</h3><ul>` +
            p.lines
              .map(
                (l) =>
                  `<li>${l.url ? `<a href="${escapeHtml(l.url)}">${escapeHtml(l.text)}</a>` : escapeHtml(l.text)}</li>`,
              )
              .join('') +
            (p.more > 0 ? `<li>${escapeHtml(moreText(p.more))}</li>` : '') +
            '</ul>',
        )
        .join(''),
  );
  return { subject, text, html };
}

const roleTitles: Record<string, string> = {
  coordinator: 'cơ quan thường trực',
  agency: 'cơ quan chủ trì',
  leadership: 'lãnh đạo',
};

/** The invitation to an account: the link is the only way in, so the message says how long it lasts. */
export function invitationEmail(input: {
  name: string;
  role: string;
  agencyCode: string | null;
  /** The agency's name, shown instead of its code. */
  agencyName?: string | null;
  link: string;
  /** dd/mm/yyyy */
  expiresOn: string;
}): EmailMessage {
  const agency = input.agencyName ?? input.agencyCode;
  const as = `${roleTitles[input.role] ?? input.role}${agency ? ` (${agency})` : ''}`;
  const subject = `[Đôn đốc] Lời mời sử dụng hệ thống với vai trò ${as}`;
  const lines = [
    `Kính gửi ${input.name},`,
    `Anh/chị được mời sử dụng hệ thống Đôn đốc với vai trò ${as}.`,
    `Mở đường liên kết sau để đặt mật khẩu và vào hệ thống (dùng được một lần, đến hết ngày ${input.expiresOn}):`,
  ];
  return {
    subject,
    text: [...lines, input.link, '', FOOTER_TEXT].join('\n'),
    html: page(
      subject,
      lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('') +
        `<p><a href="${escapeHtml(input.link)}">Nhận lời mời</a></p>`,
    ),
  };
}

/** A new password for an existing account: the old one no longer works, the link says where to choose one. */
export function passwordResetEmail(input: {
  name: string;
  link: string;
  /** dd/mm/yyyy */
  expiresOn: string;
}): EmailMessage {
  const subject = '[Đôn đốc] Đặt lại mật khẩu';
  const lines = [
    `Kính gửi ${input.name},`,
    'Cơ quan thường trực đã đặt lại mật khẩu tài khoản Đôn đốc của anh/chị; mật khẩu cũ không còn dùng được.',
    `Mở đường liên kết sau để chọn mật khẩu mới (dùng được một lần, đến hết ngày ${input.expiresOn}):`,
  ];
  return {
    subject,
    text: [...lines, input.link, '', FOOTER_TEXT].join('\n'),
    html: page(
      subject,
      lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('') +
        `<p><a href="${escapeHtml(input.link)}">Chọn mật khẩu mới</a></p>`,
    ),
  };
}
