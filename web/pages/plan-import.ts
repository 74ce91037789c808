import { api, ApiError } from '../api.ts';
import type { PlanDraft } from '../api-types.d.ts';
import { field, h, say, show, statusArea } from '../dom.ts';
import { number } from '../format.ts';
import { dateField, dateInput } from '../components/date-input.ts';
import { cardForm } from '../components/form.ts';
import { draftView, refusal, type Editor } from './plan-draft.ts';

/**
 * Import a plan: the file is read into a draft (POST /v1/plans/drafts), fixed on the page (each
 * change a PATCH, the table drawn again from the answer), then imported; a plan already there is a
 * revision, shown first and imported only with its own confirmation.
 */
export function renderImport() {
  const file = h('input', { type: 'file', required: true, accept: '.xlsx,.docx,.csv,.txt' });
  const code = h('input', { type: 'text', required: true, placeholder: '2866/QĐ-UBND' });
  const title = h('input', { type: 'text', required: true });
  const province = h('input', { type: 'text', required: true, placeholder: 'Vĩnh Phúc' });
  const start = dateInput({ required: true });
  const end = dateInput({ required: true });
  const issued = dateInput();
  const status = statusArea();
  const preview = h('div', { id: 'xem-truoc' });
  const val = (e: HTMLElement) => (e as HTMLInputElement).value.trim();
  const selected: Set<number> = new Set();

  const formData = () => {
    const data = new FormData();
    for (const [key, input] of Object.entries({ code, title, province })) data.append(key, val(input));
    for (const [key, control] of Object.entries({ periodStart: start, periodEnd: end, issuedOn: issued })) {
      const iso = control.value();
      if (iso) data.append(key, iso);
    }
    const chosen = (file as HTMLInputElement).files?.[0];
    if (!chosen) throw new Error('Hãy chọn tệp phụ lục.');
    data.append('file', chosen, chosen.name);
    return data;
  };

  const render = (draft: PlanDraft, message?: string) => {
    // The table is drawn anew after each change: keep the focus where the person was.
    const focused = document.activeElement?.id;
    const importStatus = statusArea();
    const editor: Editor = {
      draft,
      edit: async (edits, area) => {
        say(area, 'Đang lưu…');
        try {
          const next = await api('PATCH /v1/plans/drafts/{id}', { params: { id: draft.id }, body: { edits } });
          render(next, `Đã lưu. Bảng có ${number(next.edits.length)} thay đổi so với tệp.`);
        } catch (error) {
          const row = edits[0]?.row ?? null;
          say(area, refusal(error, row), 'error');
        }
      },
    };
    const revise = Boolean(draft.revision);
    const button = h(
      'button',
      {
        type: 'button',
        class: revise ? 'revise' : undefined,
        disabled: draft.errors.length > 0,
        onclick: () => void runImport(draft, button, importStatus, revise),
      },
      revise ? 'Xác nhận điều chỉnh kế hoạch' : 'Xác nhận nhập kế hoạch',
    ) as HTMLButtonElement;
    preview.replaceChildren(
      h('h2', null, revise ? 'Xem trước điều chỉnh kế hoạch' : 'Xem trước'),
      message ? h('p', { class: 'status ok', role: 'status' }, message) : '',
      ...draftView(editor, selected),
      h(
        'div',
        { class: 'import-actions' },
        draft.errors.length
          ? h('p', { class: 'status error' }, 'Bảng còn lỗi: hãy sửa trên trang này (hoặc sửa tệp rồi xem trước lại).')
          : '',
        h('p', null, button),
        importStatus,
      ),
    );
    if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
  };

  const runImport = async (draft: PlanDraft, button: HTMLButtonElement, area: HTMLElement, revise: boolean) => {
    button.disabled = true;
    const began = Date.now();
    const bar = h('progress', { 'aria-label': 'Đang nhập kế hoạch' });
    const line = h('span', null);
    const tick = () =>
      (line.textContent = `Đang nhập kế hoạch: tạo ${number(draft.counts.tasks)} nhiệm vụ và bắt đầu theo dõi ${number(draft.counts.assignments)} lượt giao… (${Math.round((Date.now() - began) / 1000)} giây)`);
    tick();
    const timer = window.setInterval(tick, 1000);
    area.className = 'status';
    area.replaceChildren(bar, ' ', line);
    try {
      const result = await api('POST /v1/plans/drafts/{id}/import', {
        params: { id: draft.id },
        body: revise ? { revise: true } : {},
      });
      window.clearInterval(timer);
      const link = `#/danh-sach?${new URLSearchParams({ plan: result.plan.id })}`;
      preview.replaceChildren(
        h('h2', null, revise ? 'Đã điều chỉnh kế hoạch' : 'Đã nhập kế hoạch'),
        h(
          'p',
          { class: 'status ok', role: 'status' },
          revise
            ? `Đã điều chỉnh kế hoạch ${result.plan.code} (lần ${result.plan.revision}): ${number(result.assignments.total)} nhiệm vụ được giao.`
            : `Đã nhập kế hoạch ${result.plan.code}: ${number(result.assignments.total)} nhiệm vụ được giao.`,
        ),
        h('p', null, h('a', { href: link, class: 'button' }, `Xem các nhiệm vụ của kế hoạch ${result.plan.code}`)),
      );
      (preview.querySelector('a.button') as HTMLElement | null)?.focus();
    } catch (error) {
      window.clearInterval(timer);
      // The plan came in meanwhile: what was a new plan is now a revision, shown before anything changes.
      const revision = (error instanceof ApiError && error.status === 409 && error.problem?.['revision']) || null;
      if (revision) {
        render(
          { ...draft, revision: revision as PlanDraft['revision'] },
          'Kế hoạch này đã có: nhập bảng này là điều chỉnh kế hoạch.',
        );
        return;
      }
      say(area, refusal(error, null), 'error');
      button.disabled = false;
    }
  };

  show(
    h('h1', null, 'Nhập kế hoạch'),
    cardForm({
      status,
      pending: 'Đang đọc phụ lục…',
      action: async () => {
        preview.replaceChildren();
        selected.clear();
        try {
          render(await api('POST /v1/plans/drafts', { body: formData() }));
        } catch (error) {
          throw new Error(refusal(error, null), { cause: error });
        }
        return 'Đã đọc xong: hãy kiểm tra, sửa trên bảng nếu cần, rồi xác nhận.';
      },
      submit: 'Xem trước',
      body: [
        field('Tệp phụ lục', file, 'XLSX, DOCX, CSV hoặc văn bản.'),
        field('Số hiệu kế hoạch', code),
        field('Tên kế hoạch', title),
        field('Tỉnh', province),
        dateField('Từ ngày', start),
        dateField('Đến ngày', end),
        dateField(
          'Ngày ban hành',
          issued,
          'Không bắt buộc: để trống nếu văn bản có ghi (“…, ngày 14 tháng 7 năm 2026”); cần cho các hạn “… ngày kể từ ngày ban hành”.',
        ),
      ],
    }),
    preview,
  );
}
