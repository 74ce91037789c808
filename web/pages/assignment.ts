import { api } from '../api.ts';
import { field, h, show, valueOf } from '../dom.ts';
import { cardForm } from '../components/form.ts';
import type { ConfirmOptions } from '../components/confirm.ts';
import { dateField, dateInput } from '../components/date-input.ts';
import { currentPeriod, day, instant, periodName, statusNames, when } from '../format.ts';
import { agencyName, planText, registryName } from '../names.ts';
import { dueWords } from './cards.ts';
import { agencyPicker, pickerField } from '../components/picker.ts';
import { reportParts, reportPartsView } from './report-parts.ts';

/**
 * The decisions asked again before they are sent, by the form's title: once sent, the other side
 * is told and only the coordinator can undo them.
 */
const CONFIRMATIONS: Record<string, ConfirmOptions> = {
  'Chấp nhận sản phẩm': {
    title: 'Chấp nhận sản phẩm?',
    message: 'Nhiệm vụ sẽ được ghi là hoàn thành và cơ quan chủ trì được thông báo.',
    confirm: 'Chấp nhận',
  },
  'Trả lại sản phẩm': {
    title: 'Trả lại sản phẩm?',
    message: 'Cơ quan chủ trì sẽ nhận lý do và phải nộp lại.',
    confirm: 'Trả lại',
  },
  'Xét đề nghị gia hạn': {
    title: 'Đồng ý gia hạn?',
    message: 'Hạn hoàn thành sẽ được dời đến ngày cơ quan đề nghị.',
    confirm: 'Đồng ý gia hạn',
  },
  'Từ chối gia hạn': {
    title: 'Từ chối gia hạn?',
    message: 'Hạn hoàn thành giữ nguyên; cơ quan chủ trì nhận lý do.',
    confirm: 'Từ chối',
  },
  'Giao cho cơ quan khác': {
    title: 'Giao nhiệm vụ cho cơ quan khác?',
    message: 'Cơ quan đang chủ trì sẽ thôi nhận nhiệm vụ này; cơ quan mới được thông báo.',
    confirm: 'Giao lại',
  },
};

/**
 * A decision's form (h3 under "Thao tác"): asked again where `CONFIRMATIONS` says so; after success
 * the page is read again and shows the message; a refusal takes the focus.
 * @param action returns the message to show
 */
function actionForm(
  title: string,
  fields: HTMLElement[],
  button: string,
  action: () => Promise<string>,
  reload: () => Promise<void>,
) {
  return cardForm({
    title,
    id: `form-${title.toLowerCase().replace(/\s+/g, '-')}`,
    level: 'h3',
    body: fields,
    submit: button,
    confirm: CONFIRMATIONS[title],
    focusError: true,
    action: async () => {
      sessionStorage.setItem('dondoc:flash', await action());
      await reload();
    },
  });
}

export async function renderAssignment([id]: string[]) {
  const params = { id: id ?? '' };
  const [a, files] = await Promise.all([
    api('GET /v1/assignments/{id}', { params }),
    api('GET /v1/assignments/{id}/files', { params }),
  ]);
  // What this person may do is the server's answer (allowedCommands), decided by the same rules
  // the workflow applies: the page shows those forms and no others.
  const allowed = new Set<string>(a.allowedCommands ?? []);
  const may = (command: string) => allowed.has(command);
  const reload = () => renderAssignment([id ?? '']);
  const flash = sessionStorage.getItem('dondoc:flash');
  sessionStorage.removeItem('dondoc:flash');

  const actions: HTMLElement[] = [];
  if (may('acknowledge'))
    actions.push(
      actionForm(
        'Tiếp nhận nhiệm vụ',
        [h('p', null, 'Xác nhận cơ quan đã nhận nhiệm vụ và bắt đầu thực hiện.')],
        'Tiếp nhận',
        async () => {
          await api('POST /v1/assignments/{id}/acknowledge', { params, body: {} });
          return 'Đã tiếp nhận nhiệm vụ.';
        },
        reload,
      ),
    );
  if (may('fileReport')) {
    const period = h('select', { required: true });
    const now = currentPeriod();
    const year = Number(now.slice(0, 4));
    for (const y of [year - 1, year])
      for (const kind of ['Q1', 'H1', 'Q3', 'Y']) {
        const pid = `${y}-${kind}`;
        period.append(h('option', { value: pid, selected: pid === now }, periodName(pid)));
      }
    const summary = h('textarea', { rows: 4, required: true, maxlength: 10000 });
    const parts = reportParts();
    actions.push(
      actionForm(
        'Gửi báo cáo định kỳ',
        [
          field('Kỳ báo cáo', period),
          field('Nội dung báo cáo', summary, 'Những việc đã làm trong kỳ, kết quả đạt được.'),
          ...parts.fields,
        ],
        'Gửi báo cáo',
        async () => {
          await api('POST /v1/assignments/{id}/reports', {
            params,
            body: { period: valueOf(period), summary: valueOf(summary), ...parts.value() },
          });
          return `Đã gửi ${periodName(valueOf(period)).toLowerCase()}.`;
        },
        reload,
      ),
    );
  }
  if (may('submitDeliverable')) {
    const type = h('input', {
      type: 'text',
      required: true,
      maxlength: 500,
      placeholder: 'Kế hoạch, Báo cáo, Quyết định…',
    });
    const number = h('input', { type: 'text', required: true, maxlength: 200, placeholder: '319/KH-UBND' });
    const date = dateInput({ required: true });
    const file = h('input', {
      type: 'file',
      required: true,
      accept: '.pdf,.docx,.xlsx,.png,.jpg,.jpeg,.webp,application/pdf,image/*',
    });
    actions.push(
      actionForm(
        'Nộp sản phẩm',
        [
          field('Loại sản phẩm', type),
          field('Số hiệu văn bản', number),
          dateField('Ngày văn bản', date),
          field('Tệp văn bản', file, 'PDF, DOCX, XLSX hoặc ảnh; tối đa 20 MB.'),
        ],
        'Nộp sản phẩm',
        async () => {
          const chosen = (file as HTMLInputElement).files?.[0];
          if (!chosen) throw new Error('Hãy chọn tệp văn bản.');
          const form = new FormData();
          form.append('file', chosen, chosen.name);
          const stored = await api('POST /v1/assignments/{id}/files', { params, body: form });
          await api('POST /v1/assignments/{id}/deliverables', {
            params,
            body: {
              type: valueOf(type),
              documentNumber: valueOf(number),
              date: date.value() ?? '',
              file: stored.id,
            },
          });
          return 'Đã nộp sản phẩm; đang chờ cơ quan thường trực xem xét.';
        },
        reload,
      ),
    );
  }
  if (may('requestExtension')) {
    const until = dateInput({ required: true });
    const reason = h('textarea', { rows: 2, required: true, maxlength: 2000 });
    actions.push(
      actionForm(
        'Đề nghị gia hạn',
        [dateField('Gia hạn đến ngày', until), field('Lý do', reason)],
        'Gửi đề nghị',
        async () => {
          await api('POST /v1/assignments/{id}/extension-requests', {
            params,
            body: { until: until.value() ?? '', reason: valueOf(reason) },
          });
          return 'Đã gửi đề nghị gia hạn.';
        },
        reload,
      ),
    );
  }
  if (may('addContribution')) {
    const text = h('textarea', { rows: 3, required: true, maxlength: 10000 });
    const link = h('input', { type: 'url', maxlength: 2000, placeholder: 'https://' });
    actions.push(
      actionForm(
        'Góp ý, phối hợp',
        [
          field('Nội dung phối hợp', text, 'Phần việc cơ quan đã làm, số liệu, ý kiến gửi cơ quan chủ trì.'),
          field('Liên kết tài liệu', link, 'Không bắt buộc.'),
        ],
        'Gửi nội dung phối hợp',
        async () => {
          await api('POST /v1/assignments/{id}/contributions', {
            params,
            body: {
              text: valueOf(text),
              ...(valueOf(link) ? { link: valueOf(link) } : {}),
            },
          });
          return 'Đã gửi nội dung phối hợp; cơ quan chủ trì sẽ thấy trên trang nhiệm vụ.';
        },
        reload,
      ),
    );
  }
  if (may('accept'))
    actions.push(
      actionForm(
        'Chấp nhận sản phẩm',
        [h('p', null, 'Sản phẩm đạt yêu cầu; nhiệm vụ hoàn thành.')],
        'Chấp nhận',
        async () => {
          await api('POST /v1/assignments/{id}/accept', { params, body: {} });
          return 'Đã chấp nhận sản phẩm; nhiệm vụ hoàn thành.';
        },
        reload,
      ),
    );
  if (may('return')) {
    const reason = h('textarea', { rows: 3, required: true, maxlength: 2000 });
    actions.push(
      actionForm(
        'Trả lại sản phẩm',
        [field('Lý do trả lại', reason)],
        'Trả lại',
        async () => {
          await api('POST /v1/assignments/{id}/return', { params, body: { reason: valueOf(reason) } });
          return 'Đã trả lại sản phẩm cho cơ quan chủ trì.';
        },
        reload,
      ),
    );
  }
  const pendingExtension = a.extensions.find((e) => e.outcome === 'pending');
  if (may('approveExtension') && pendingExtension) {
    const reason = h('textarea', { rows: 2, maxlength: 2000 });
    actions.push(
      actionForm(
        'Xét đề nghị gia hạn',
        [
          h(
            'p',
            null,
            `Đề nghị gia hạn đến ${day(pendingExtension.until as string)}: ${pendingExtension.reason ?? ''}`,
          ),
          field('Ý kiến (không bắt buộc)', reason),
        ],
        'Đồng ý gia hạn',
        async () => {
          await api('POST /v1/assignments/{id}/extension-requests/approve', {
            params,
            body: valueOf(reason) ? { reason: valueOf(reason) } : {},
          });
          return 'Đã đồng ý gia hạn.';
        },
        reload,
      ),
    );
  }
  if (may('denyExtension')) {
    const denyReason = h('textarea', { rows: 2, required: true, maxlength: 2000 });
    actions.push(
      actionForm(
        'Từ chối gia hạn',
        [field('Lý do từ chối', denyReason)],
        'Từ chối',
        async () => {
          await api('POST /v1/assignments/{id}/extension-requests/deny', {
            params,
            body: { reason: valueOf(denyReason) },
          });
          return 'Đã từ chối đề nghị gia hạn.';
        },
        reload,
      ),
    );
  }

  if (may('reassign')) {
    // Chosen by name from the plan's registry; the agency that leads it now is offered but refused,
    // with the reason (the server refuses it too).
    const toAgency = agencyPicker(a.registry.key, {
      required: true,
      refuse: (code, name) =>
        code === a.agencyCode ? `${name} đang chủ trì nhiệm vụ này; hãy chọn cơ quan khác.` : null,
    });
    const reason = h('textarea', { rows: 2, required: true, maxlength: 2000 });
    actions.push(
      actionForm(
        'Giao cho cơ quan khác',
        [
          pickerField('Cơ quan nhận', toAgency, 'Gõ vài chữ của tên, có dấu hoặc không, rồi chọn.'),
          field('Lý do giao lại', reason),
        ],
        'Giao lại',
        async () => {
          const code = toAgency.value();
          if (!code) throw new Error('Hãy chọn cơ quan nhận trong danh sách gợi ý.');
          const moved = await api('POST /v1/assignments/{id}/reassign', {
            params,
            body: { toAgency: code, reason: valueOf(reason) },
          });
          return `Đã giao nhiệm vụ cho ${moved.agency?.name ?? moved.agencyCode}.`;
        },
        reload,
      ),
    );
  }

  const filesBySubmission = new Map();
  for (const f of files.items) if (f.submission !== null) filesBySubmission.set(f.submission, f);
  const extensionOutcomes = {
    pending: 'Chờ quyết định',
    approved: 'Đã đồng ý',
    denied: 'Đã từ chối',
  } as Record<string, string>;
  const collaboratorName = (code: string) => {
    const known = a.collaborators.find((c) => c.code === code);
    return known ? `${known.name} (${code})` : code;
  };
  const outcomeNames = {
    pending: 'Chờ xem xét',
    accepted: 'Đã chấp nhận',
    returned: 'Bị trả lại',
  } as Record<string, string>;

  show(
    h(
      'p',
      { class: 'crumbs' },
      h('button', { type: 'button', class: 'link', onclick: () => history.back() }, '← Quay lại'),
    ),
    h('h1', null, `${a.task.number}. ${a.task.title}`),
    flash ? h('p', { class: 'status ok', role: 'status', id: 'ket-qua', tabindex: '-1' }, flash) : null,
    h(
      'dl',
      { class: 'card facts' },
      h('dt', null, 'Kế hoạch'),
      h('dd', null, planText(a.plan)),
      h('dt', null, 'Danh mục'),
      h('dd', null, registryName(a.registry)),
      h('dt', null, 'Cơ quan chủ trì'),
      h('dd', null, agencyName(a.agency, a.agencyCode)),
      h('dt', null, 'Cơ quan phối hợp'),
      h(
        'dd',
        null,
        a.collaborators.length
          ? a.collaborators.map((c, i) => [
              i ? ', ' : '',
              agencyName({ code: c.code, name: c.name, shortName: c.shortName }),
            ])
          : '—',
      ),
      h('dt', null, 'Thời hạn theo kế hoạch'),
      h('dd', null, a.deadline.raw || '—'),
      h('dt', null, 'Hạn hoàn thành'),
      h('dd', null, `${day(a.effectiveDue)} (${dueWords(a)})`),
      h('dt', null, 'Tình trạng'),
      h(
        'dd',
        { id: 'tinh-trang' },
        h('span', { class: `badge ${a.status}` }, a.statusLabel ?? statusNames[a.status] ?? a.status),
        a.completion ? h('span', { class: 'completion' }, ` ${a.completion}`) : null,
      ),
      a.task.objective ? [h('dt', null, 'Mục tiêu'), h('dd', null, a.task.objective)] : null,
      a.task.deliverables?.length ? [h('dt', null, 'Sản phẩm'), h('dd', null, a.task.deliverables.join(', '))] : null,
      a.escalationLevel > 0 ? [h('dt', null, 'Mức đôn đốc'), h('dd', null, String(a.escalationLevel))] : null,
    ),
    h(
      'section',
      null,
      h('h2', null, 'Sản phẩm đã nộp'),
      a.submissions.length
        ? h(
            'ol',
            { class: 'submissions' },
            a.submissions.map((sub, i) => {
              const f = filesBySubmission.get(i);
              return h(
                'li',
                { class: 'card' },
                h('strong', null, `${sub.type} số ${sub.documentNumber} ngày ${day(sub.documentDate)}`),
                h(
                  'p',
                  null,
                  `${sub.submittedText ?? `Nộp lúc ${when(sub.submittedAt)}`} — ${outcomeNames[sub.outcome] ?? sub.outcome}`,
                ),
                sub.reason ? h('p', { class: 'reason' }, `Lý do: ${sub.reason}`) : null,
                f
                  ? h(
                      'p',
                      null,
                      h('a', { href: `/v1/files/${f.id}`, download: f.fileName }, `Tải tệp ${f.fileName}`),
                      h('small', null, ` (${Math.ceil(f.size / 1024)} KB, SHA-256 ${f.sha256.slice(0, 12)}…)`),
                    )
                  : null,
              );
            }),
          )
        : h('p', { class: 'note' }, 'Chưa nộp sản phẩm.'),
    ),
    h(
      'section',
      null,
      h('h2', null, 'Báo cáo định kỳ'),
      a.reports.length
        ? h(
            'ul',
            null,
            a.reports.map((r) =>
              h(
                'li',
                null,
                `${periodName(r.period)} — gửi lúc ${when(r.filedAt)}: ${r.summary ?? ''}`,
                reportPartsView(r),
              ),
            ),
          )
        : h('p', { class: 'note' }, 'Chưa có báo cáo.'),
    ),
    h(
      'section',
      { 'aria-labelledby': 'gia-han-nhiem-vu' },
      h('h2', { id: 'gia-han-nhiem-vu' }, 'Gia hạn'),
      a.extensions.length
        ? h(
            'ul',
            null,
            a.extensions.map((e) =>
              h(
                'li',
                null,
                `Đề nghị gia hạn đến ${day(e.until)} (gửi lúc ${when(e.requestedAt)}): ${e.reason} — `,
                h('strong', null, extensionOutcomes[e.outcome] ?? e.outcome),
                e.decisionReason ? ` (${e.decisionReason})` : null,
              ),
            ),
          )
        : h('p', { class: 'note' }, 'Chưa có đề nghị gia hạn.'),
    ),
    h(
      'section',
      { 'aria-labelledby': 'phoi-hop' },
      h('h2', { id: 'phoi-hop' }, `Nội dung phối hợp (${a.contributions.length})`),
      a.contributions.length
        ? h(
            'ul',
            { class: 'contributions' },
            a.contributions.map((c) =>
              h(
                'li',
                { class: 'card' },
                h('strong', null, `${collaboratorName(c.agencyCode)}`),
                h('small', null, ` — ${instant(c.at)}`),
                h('p', null, c.text),
                // Only web addresses become links: a javascript: or data: URI is shown as text.
                /^https?:\/\//i.test(c.link ?? '')
                  ? h('p', null, h('a', { href: c.link, rel: 'noopener noreferrer' }, 'Tài liệu kèm theo'))
                  : c.link
                    ? h('p', null, c.link)
                    : null,
              ),
            ),
          )
        : h('p', { class: 'note' }, 'Chưa có nội dung phối hợp.'),
    ),
    // The decision forms come after the evidence they judge.
    actions.length
      ? h(
          'section',
          { class: 'actions', 'aria-labelledby': 'thao-tac' },
          h('h2', { id: 'thao-tac' }, 'Thao tác'),
          actions,
        )
      : null,
    h(
      'details',
      { class: 'audit-trail' },
      h('summary', null, 'Nhật ký'),
      h(
        'ol',
        { class: 'timeline' },
        a.timeline.map((t) =>
          h(
            'li',
            null,
            h('time', { datetime: t.at }, instant(t.at)),
            ' — ',
            h('strong', null, t.summary),
            ` (${t.who})`,
          ),
        ),
      ),
    ),
  );
  // After an action the page is drawn again: focus and view go to its result.
  const result = document.getElementById('ket-qua');
  if (result) {
    result.focus();
    result.scrollIntoView({ block: 'center' });
  }
}
