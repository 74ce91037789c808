import { ApiError } from '../api.ts';
import type { DraftEdit, PlanDraft, RevisionSummary } from '../api-types.d.ts';

/** A task of the draft, as the server reads it now. */
type DraftTask = PlanDraft['tasks'][number];
import { h, say, statusArea } from '../dom.ts';
import { day, number } from '../format.ts';
import { dateField, dateInput } from '../components/date-input.ts';
import { showDay } from '../components/dates.ts';
import { agencyPicker, pickerField } from '../components/picker.ts';
import { dataTable, type Column } from '../components/table.ts';

// The import page's preview, editable: each change is one PATCH of the draft, and the table is
// drawn again from the server's answer, so what the page shows is always what the import takes.
// A change the server refuses leaves the table as it was and says why beside the control.

export interface Editor {
  draft: PlanDraft;
  edit: (edits: DraftEdit[], area: HTMLElement) => Promise<void>;
}

/**
 * What the deadline reads as, in the words of the preview: the day the task will have (the
 * server's `effectiveDue`, a weekend's or holiday's day moved to a working day), so the preview
 * and the task show one day.
 */
export function dueText(d: DraftTask['deadline']) {
  const due = d.effectiveDue ?? d.due;
  if (d.kind === 'unresolved') return 'Chưa đọc được';
  if (d.kind === 'continuous') return due ? `Thường xuyên (đến ${day(due)})` : 'Thường xuyên';
  if (d.kind === 'recurring') return due ? `Hằng năm, lần đầu ${day(due)}` : 'Hằng năm';
  if (d.kind === 'range' && d.start) return `${day(d.start)} – ${day(due)}`;
  return day(due);
}

/** Why the day shown is not the plan's: it fell on a day off. */
const movedNote = (d: DraftTask['deadline']) =>
  d.effectiveDue && d.due && d.effectiveDue !== d.due
    ? h('small', { class: 'reading' }, `Kế hoạch ghi ${day(d.due)} (ngày nghỉ): hạn là ngày làm việc kế tiếp.`)
    : '';

/** The Vietnamese message of a refused edit: the server's detail and, for the row, what is wrong. */
export function refusal(error: unknown, row: number | null) {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const errors = error.problem?.errors ?? [];
  const mine = errors.filter((e) => row === null || e.row === row || e.row === undefined);
  return mine.length ? mine.map((e) => e.message).join(' ') : error.message;
}

const changeName = (kind: string) =>
  (
    ({
      added: 'Thêm nhiệm vụ',
      removed: 'Hủy nhiệm vụ',
      text: 'Đổi nội dung',
      deadline: 'Đổi thời hạn',
      reassigned: 'Chuyển cơ quan chủ trì',
      'lead-added': 'Thêm cơ quan chủ trì',
      'lead-removed': 'Bỏ cơ quan chủ trì',
    }) as Record<string, string>
  )[kind] ?? kind;

/** What a revision would change, shown before anything changes. */
export function revisionSection(revision: RevisionSummary) {
  const c = revision.counts;
  return h(
    'section',
    { class: 'card revision', 'aria-labelledby': 'dieu-chinh' },
    h('h3', { id: 'dieu-chinh' }, `Đây là điều chỉnh kế hoạch ${revision.code} đã có (lần ${revision.revision + 1})`),
    h(
      'p',
      null,
      'Nhập bảng này sẽ thay đổi kế hoạch đang thực hiện. Hãy xem kỹ các thay đổi dưới đây rồi xác nhận điều chỉnh.',
    ),
    h(
      'ul',
      { class: 'revision-counts' },
      h('li', null, `Thêm: ${number(c.added)}`),
      h('li', null, `Hủy: ${number(c.cancelled)}`),
      h('li', null, `Chuyển cơ quan chủ trì: ${number(c.moved)}`),
      h('li', null, `Đổi thời hạn: ${number(c.deadlineChanged)}`),
      h('li', null, `Đổi nội dung: ${number(c.textChanged)}`),
      revision.planChanged ? h('li', null, 'Tên, thời gian hoặc chính sách của kế hoạch thay đổi') : '',
    ),
    revision.changes.length
      ? dataTable({
          caption: 'Các thay đổi',
          rows: revision.changes,
          columns: [
            { header: 'Thay đổi', cell: (ch) => changeName(ch.kind) },
            { header: 'Số thứ tự', cell: (ch) => ch.key },
            { header: 'Nhiệm vụ', cell: (ch) => ch.title },
            { header: 'Chi tiết', cell: (ch) => ch.detail ?? '' },
          ],
        })
      : h('p', { class: 'note' }, 'Không có nhiệm vụ nào thay đổi.'),
  );
}

/** Groups named in the table and how many agencies each stands for: fan-out made visible. */
export function fanOut(tasks: DraftTask[]) {
  const seen: Map<string, { group: string; count: number; whole: boolean; rows: number[] }> = new Map();
  for (const t of tasks) {
    if (t.excluded) continue;
    for (const list of [t.leads, t.collaborators]) {
      const perGroup: Map<string, number> = new Map();
      const whole: Set<string> = new Set();
      for (const a of list) {
        if (!a.group) continue;
        if (a.members) {
          perGroup.set(a.group, a.members);
          whole.add(a.group);
        } else perGroup.set(a.group, (perGroup.get(a.group) ?? 0) + 1);
      }
      const asked = t.questions.some((q) => q.kind === 'vague-group');
      for (const [group, count] of perGroup) {
        if (asked && whole.has(group) && list === t.leads) continue;
        const key = `${group}\u0000${count}\u0000${whole.has(group)}`;
        const entry = seen.get(key) ?? { group, count, whole: whole.has(group), rows: [] };
        if (!entry.rows.includes(t.row)) entry.rows.push(t.row);
        seen.set(key, entry);
      }
    }
  }
  return [...seen.values()];
}

/** One line per warning, its rows listed. */
function warningList(warnings: PlanDraft['warnings']) {
  if (!warnings.length) return '';
  return h(
    'section',
    { 'aria-labelledby': 'canh-bao' },
    h('h3', { id: 'canh-bao' }, `Cảnh báo (${number(warnings.length)})`),
    h(
      'ul',
      { class: 'warnings' },
      warnings.map((w) =>
        h(
          'li',
          null,
          w.message,
          w.rows.length ? h('small', null, ` — ${w.rows.length > 1 ? 'các dòng' : 'dòng'} ${w.rows.join(', ')}`) : '',
          w.column ? h('small', null, ` (cột ${w.column})`) : '',
        ),
      ),
    ),
  );
}

function errorList(errors: PlanDraft['errors']) {
  if (!errors.length) return '';
  return h(
    'section',
    { 'aria-labelledby': 'loi-nhap' },
    h('h3', { id: 'loi-nhap' }, `Lỗi phải sửa trước khi nhập (${number(errors.length)})`),
    h(
      'ul',
      { class: 'status error' },
      errors.map((e) =>
        h('li', null, `${e.row ? `Dòng ${e.row}${e.column ? `, cột ${e.column}` : ''}: ` : ''}${e.message}`),
      ),
    ),
  );
}

/** The plan's own fields: its issue date (read from the document, else asked) and the task column. */
function planFields(editor: Editor) {
  const { draft } = editor;
  const area = statusArea();
  const issued = dateInput({ value: draft.issuedOn });
  issued.input.id = 'ngay-ban-hanh';
  const asked = draft.questions.find((q) => q.kind === 'issued-on');
  const taskColumn = draft.columns.find((c) => c.meaning === 'task');
  const columnSelect = h(
    'select',
    {
      id: 'cot-nhiem-vu',
      onchange: (event: Event) => void editor.edit([{ taskColumn: (event.target as HTMLSelectElement).value }], area),
    },
    draft.columns.map((c) =>
      h('option', { value: c.letter, selected: c === taskColumn }, `${c.letter}: ${c.header || '(không tiêu đề)'}`),
    ),
  );
  return h(
    'form',
    {
      class: 'card plan-fields',
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        if (!issued.valid()) return say(area, 'Ngày ban hành không hợp lệ: hãy gõ ngày/tháng/năm.', 'error');
        void editor.edit([{ issuedOn: issued.value() }], area);
      },
    },
    h(
      'div',
      { class: 'row-fields' },
      dateField(
        'Ngày ban hành kế hoạch',
        issued,
        draft.issuedOnSource === 'document'
          ? `Đọc từ văn bản: “${draft.issuedOnText}”.`
          : draft.issuedOnSource === 'given'
            ? 'Do điều phối viên nhập.'
            : (asked?.text ??
              'Văn bản không ghi ngày ban hành: hãy nhập, để tính các thời hạn “… ngày kể từ ngày ban hành”.'),
      ),
      h('p', null, h('button', { type: 'submit', class: 'secondary' }, 'Lưu ngày ban hành')),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'cot-nhiem-vu' }, 'Cột nội dung nhiệm vụ'),
      columnSelect,
      h('small', null, 'Cột có tên nhiệm vụ; đổi nếu bảng đọc nhầm cột.'),
    ),
    area,
  );
}

/** Proposed agencies, each accepted or rejected on its own. */
function proposals(editor: Editor) {
  const list = editor.draft.proposals;
  if (!list.length) return '';
  return h(
    'section',
    { 'aria-labelledby': 'de-xuat' },
    h('h3', { id: 'de-xuat' }, `Cơ quan mới đề xuất thêm vào danh mục (${list.length})`),
    h(
      'ul',
      { class: 'proposals' },
      list.map((p) => {
        const area = statusArea();
        const decide = (accept: boolean) => void editor.edit([{ proposal: { name: p.name, accept } }], area);
        return h(
          'li',
          { class: 'card' },
          h('strong', null, p.name),
          h('small', null, ` (${p.code}) — dòng ${p.rows.join(', ')}`),
          p.nearest.length ? h('small', null, `; gần giống: ${p.nearest.join(', ')}`) : '',
          h(
            'p',
            null,
            p.decision === 'accepted'
              ? h('span', { class: 'badge completed' }, 'Sẽ thêm vào danh mục')
              : p.decision === 'rejected'
                ? h('span', { class: 'badge cancelled' }, 'Không thêm')
                : h('span', { class: 'badge' }, 'Chưa quyết định'),
            ' ',
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': `Thêm ${p.name} vào danh mục`,
                onclick: () => decide(true),
              },
              'Thêm vào danh mục',
            ),
            ' ',
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': `Không thêm ${p.name}`,
                onclick: () => decide(false),
              },
              'Không thêm',
            ),
          ),
          area,
        );
      }),
    ),
  );
}

/** The lead cell: names, the question asked about them, and a way to choose others by name. */
function leadCell(editor: Editor, t: DraftTask) {
  const area = statusArea();
  const questions = t.questions.filter((q) => ['vague-group', 'unknown-agency', 'commune-group'].includes(q.kind));
  const communes = questions.find((q) => q.kind === 'commune-group');
  const offered = questions.filter((q) => q.kind !== 'commune-group').flatMap((q) => q.options);
  const checks: HTMLElement[] = offered.map((o) =>
    h('input', { type: 'checkbox', value: o.value, id: `goi-y-${t.row}-${o.value}` }),
  );
  const chooser = agencyPicker(editor.draft.registry.key, { multiple: true });
  chooser.input.id = `chu-tri-${t.row}`;
  chooser.set(t.leads.flatMap((a) => (a.code && !a.members ? [{ value: a.code, label: a.name }] : [])));
  const save = () => {
    const codes = [
      ...checks.filter((c) => (c as HTMLInputElement).checked).map((c) => (c as HTMLInputElement).value),
      ...chooser.values(),
    ];
    if (!codes.length) return say(area, 'Hãy chọn ít nhất một cơ quan chủ trì.', 'error');
    void editor.edit([{ row: t.row, leads: [...new Set(codes)] }], area);
  };
  return [
    t.leads.length
      ? h(
          'ul',
          { class: 'plain' },
          t.leads.map((a) =>
            h(
              'li',
              null,
              a.name,
              a.members ? h('small', null, ` (${number(a.members)} cơ quan)`) : '',
              a.code ? '' : ' ?',
            ),
          ),
        )
      : h('span', null, t.leadsRaw || '—'),
    questions.map((q) => h('p', { class: 'question' }, q.text)),
    communes
      ? h(
          'p',
          null,
          communes.options.map((o) =>
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                // The server offers 'each' or 'group' for the commune level.
                onclick: () =>
                  void editor.edit([{ row: t.row, leads: { communes: o.value as 'each' | 'group' } }], area),
              },
              o.label,
            ),
          ),
        )
      : '',
    h(
      'details',
      { open: offered.length > 0 || questions.some((q) => q.kind === 'unknown-agency') },
      h('summary', null, 'Chọn cơ quan chủ trì'),
      offered.length
        ? h(
            'fieldset',
            null,
            h('legend', null, 'Gợi ý theo kế hoạch'),
            offered.map((o, i) =>
              h('div', { class: 'check' }, checks[i], h('label', { for: `goi-y-${t.row}-${o.value}` }, o.label)),
            ),
          )
        : '',
      pickerField(`Cơ quan chủ trì, dòng ${t.row}`, chooser),
      h('button', { type: 'button', onclick: save }, `Lưu chủ trì dòng ${t.row}`),
    ),
    area,
  ];
}

/** The deadline cell: what the reader made of the text, and a date to type or pick. */
function deadlineCell(editor: Editor, t: DraftTask) {
  const area = statusArea();
  const asked = t.questions.find((q) => q.kind === 'deadline');
  const input = dateInput({ value: t.deadline.kind === 'date' ? t.deadline.due : null });
  input.input.id = `han-${t.row}`;
  return [
    h('span', { class: t.deadline.kind === 'unresolved' ? 'due status error' : 'due' }, dueText(t.deadline)),
    t.deadline.note ? h('small', { class: 'reading' }, t.deadline.note) : '',
    movedNote(t.deadline),
    asked ? h('p', { class: 'question' }, asked.text) : '',
    h(
      'details',
      { open: Boolean(asked) },
      h('summary', null, 'Sửa hạn'),
      h(
        'form',
        {
          onsubmit: (event: SubmitEvent) => {
            event.preventDefault();
            const iso = input.value();
            if (!iso) return say(area, 'Hãy gõ hoặc chọn một ngày (ngày/tháng/năm).', 'error');
            void editor.edit([{ row: t.row, deadline: showDay(iso) }], area);
          },
        },
        dateField(`Hạn mới, dòng ${t.row}`, input, ' '),
        h('button', { type: 'submit' }, `Lưu hạn dòng ${t.row}`),
      ),
    ),
    area,
  ];
}

/** The status cell of a plan taken up in the middle of its life. */
function statusCell(editor: Editor, t: DraftTask) {
  const area = statusArea();
  const s = t.status;
  const asked = t.questions.find((q) => q.kind === 'completed-on');
  const on = dateInput();
  on.input.id = `xong-${t.row}`;
  return [
    s.state === 'done'
      ? h(
          'span',
          { class: 'badge completed' },
          s.completedOn ? `Đã hoàn thành ngày ${day(s.completedOn)}` : 'Đã hoàn thành',
        )
      : h('span', null, 'Chưa hoàn thành'),
    s.raw ? h('small', { class: 'reading' }, `Bảng ghi: “${s.raw}”`) : '',
    s.document?.number ? h('small', { class: 'reading' }, `${s.document.kind ?? 'Văn bản'} ${s.document.number}`) : '',
    asked
      ? h(
          'form',
          {
            onsubmit: (event: SubmitEvent) => {
              event.preventDefault();
              const iso = on.value();
              if (!iso) return say(area, 'Hãy gõ hoặc chọn ngày hoàn thành.', 'error');
              void editor.edit([{ row: t.row, status: 'done', completedOn: iso }], area);
            },
          },
          h('p', { class: 'question' }, asked.text),
          dateField(`Ngày hoàn thành, dòng ${t.row}`, on, ' '),
          h('button', { type: 'submit' }, 'Lưu'),
        )
      : s.state === 'done'
        ? h(
            'button',
            { type: 'button', class: 'link', onclick: () => void editor.edit([{ row: t.row, status: 'open' }], area) },
            `Đánh dấu chưa hoàn thành dòng ${t.row}`,
          )
        : '',
    area,
  ];
}

/** The tasks read, one row each, every cell editable. */
function taskTable(editor: Editor, selected: Set<number>) {
  const hasStatus =
    editor.draft.columns.some((c) => c.meaning === 'status') ||
    editor.draft.tasks.some((t) => t.status.state === 'done');
  const columns: Column<DraftTask>[] = [
    {
      header: 'Chọn',
      cell: (t) =>
        h('input', {
          type: 'checkbox',
          'aria-label': `Chọn dòng ${t.row}`,
          checked: selected.has(t.row),
          onchange: (event: Event) => {
            if ((event.target as HTMLInputElement).checked) selected.add(t.row);
            else selected.delete(t.row);
          },
        }),
    },
    { header: 'Dòng', cell: (t) => t.row },
    { header: 'STT', cell: (t) => t.number },
    { header: 'Nhiệm vụ', cell: (t) => titleCell(editor, t) },
    { header: 'Chủ trì', cell: (t) => leadCell(editor, t) },
    { header: 'Thời hạn theo kế hoạch', cell: (t) => t.deadline.raw },
    { header: 'Hạn hoàn thành', cell: (t) => deadlineCell(editor, t) },
  ];
  if (hasStatus) columns.push({ header: 'Tình trạng', cell: (t) => statusCell(editor, t) });
  return dataTable({
    caption: 'Nhiệm vụ đọc được',
    className: 'tasks draft',
    labelled: true,
    rows: editor.draft.tasks,
    rowAttrs: (t) => ({ class: t.excluded ? 'excluded' : undefined, id: `dong-${t.row}` }),
    columns,
  });
}

/** The task's title, and a way to leave the row out (or take it back). */
function titleCell(editor: Editor, t: DraftTask) {
  const area = statusArea();
  return [
    t.parent ? h('small', { class: 'parent' }, `${t.parent} › `) : '',
    h('span', { class: 'task-title' }, t.title),
    t.excluded ? h('p', { class: 'note' }, 'Không nhập dòng này.') : '',
    h(
      'p',
      null,
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: () => void editor.edit([{ row: t.row, excluded: !t.excluded }], area),
        },
        t.excluded ? `Khôi phục dòng ${t.row}` : `Bỏ dòng ${t.row}`,
      ),
    ),
    area,
  ];
}

/** Marks the selected rows done, with one completion date and, if given, the document that shows it. */
function bulkDone(editor: Editor, selected: Set<number>) {
  const area = statusArea();
  const on = dateInput();
  const kind = h('input', { type: 'text', maxlength: 200, placeholder: 'Báo cáo' });
  const numberInput = h('input', { type: 'text', maxlength: 200, placeholder: '12/BC-SNV' });
  const val = (e: HTMLElement) => (e as HTMLInputElement).value.trim();
  return h(
    'details',
    { class: 'card' },
    h('summary', null, 'Đánh dấu các dòng đã chọn là đã hoàn thành'),
    h(
      'form',
      {
        onsubmit: (event: SubmitEvent) => {
          event.preventDefault();
          const iso = on.value();
          if (!selected.size) return say(area, 'Hãy chọn các dòng đã hoàn thành (ô “Chọn” đầu mỗi dòng).', 'error');
          if (!iso) return say(area, 'Hãy gõ hoặc chọn ngày hoàn thành (ngày/tháng/năm).', 'error');
          const document =
            val(kind) || val(numberInput)
              ? { ...(val(kind) ? { kind: val(kind) } : {}), ...(val(numberInput) ? { number: val(numberInput) } : {}) }
              : undefined;
          const rows = [...selected].sort((a, b) => a - b);
          void editor.edit(
            rows.map((row) => ({ row, status: 'done', completedOn: iso, ...(document ? { document } : {}) })),
            area,
          );
        },
      },
      h(
        'p',
        { class: 'note' },
        'Với kế hoạch đã thực hiện một phần: các nhiệm vụ này được ghi hoàn thành đúng hạn hoặc quá hạn theo ngày hoàn thành, và không bị đôn đốc.',
      ),
      dateField('Ngày hoàn thành', on),
      h(
        'div',
        { class: 'row-fields' },
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'loai-van-ban' }, 'Loại văn bản (không bắt buộc)'),
          Object.assign(kind, { id: 'loai-van-ban' }),
        ),
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'so-van-ban' }, 'Số văn bản (không bắt buộc)'),
          Object.assign(numberInput, { id: 'so-van-ban' }),
        ),
      ),
      h('button', { type: 'submit' }, 'Đánh dấu đã hoàn thành'),
      area,
    ),
  );
}

/**
 * The whole editable preview.
 * @param selected rows chosen for a bulk change, kept across redraws
 */
export function draftView(editor: Editor, selected: Set<number>) {
  const { draft } = editor;
  const groups = fanOut(draft.tasks);
  const open = draft.questions.length;
  return [
    h(
      'p',
      { class: 'summary' },
      `${number(draft.counts.tasks)} nhiệm vụ, ${number(draft.warnings.length)} cảnh báo, ${number(draft.errors.length)} lỗi.`,
      ` Sẽ giao ${number(draft.counts.assignments)} lượt cho ${number(draft.counts.byLead.length)} cơ quan chủ trì.`,
      draft.counts.excluded ? ` Bỏ ${number(draft.counts.excluded)} dòng.` : '',
      open ? ` Còn ${number(open)} câu hỏi cần trả lời.` : '',
    ),
    draft.revision ? revisionSection(draft.revision) : '',
    planFields(editor),
    errorList(draft.errors),
    groups.length
      ? h(
          'section',
          { 'aria-labelledby': 'nhom-co-quan' },
          h('h3', { id: 'nhom-co-quan' }, 'Nhóm cơ quan trong bảng'),
          h(
            'ul',
            null,
            groups.map((g) =>
              h(
                'li',
                null,
                `“${g.group}” → ${number(g.count)} cơ quan${g.whole ? ' (giao chung một nhiệm vụ)' : ''}`,
                h('small', null, ` — dòng ${g.rows.join(', ')}`),
              ),
            ),
          ),
        )
      : '',
    proposals(editor),
    warningList(draft.warnings),
    taskTable(editor, selected),
    bulkDone(editor, selected),
  ];
}
