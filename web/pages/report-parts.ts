import { field, h, valueOf } from '../dom.ts';
import { day } from '../format.ts';
import { dateField, dateInput, type DateControl } from '../components/date-input.ts';

/** As domain/assignment-bounds.ts allows: documents a report lists, characters of a text. */
const MAX_DOCUMENTS = 20;
const TEXT_CHARS = 4000;
const SHORT_CHARS = 1000;

/**
 * The structured parts of a periodic report, beside what was done (issue 23): the documents issued
 * in the period, difficulties, their causes, proposals. All optional; the narrative report quotes
 * them. Returns the fields to put in the form and the body parts they make (blank ones left out).
 */
export function reportParts() {
  const rows: { row: HTMLElement; kind: HTMLElement; number: HTMLElement; date: DateControl; title: HTMLElement }[] =
    [];
  const list = h('div', { class: 'report-documents' });
  const add = h('button', { type: 'button', class: 'secondary' }, 'Thêm văn bản');
  const addRow = () => {
    if (rows.length >= MAX_DOCUMENTS) return;
    const kind = h('input', { type: 'text', maxlength: SHORT_CHARS, placeholder: 'Kế hoạch, Quyết định…' });
    const number = h('input', { type: 'text', maxlength: SHORT_CHARS, placeholder: '32/KH-VP' });
    const date = dateInput();
    const title = h('input', { type: 'text', maxlength: SHORT_CHARS, placeholder: 'Về việc…' });
    const entry = { row: h('div', { class: 'report-document' }), kind, number, date, title };
    const remove = h('button', { type: 'button', class: 'secondary' }, 'Bỏ văn bản này');
    remove.addEventListener('click', () => {
      rows.splice(rows.indexOf(entry), 1);
      entry.row.remove();
      add.hidden = false;
    });
    entry.row.append(
      field('Loại văn bản', kind),
      field('Số, ký hiệu', number),
      dateField('Ngày ban hành', date),
      field('Trích yếu', title),
      remove,
    );
    rows.push(entry);
    list.append(entry.row);
    add.hidden = rows.length >= MAX_DOCUMENTS;
  };
  add.addEventListener('click', addRow);

  const difficulties = h('textarea', { rows: 2, maxlength: TEXT_CHARS });
  const causes = h('textarea', { rows: 2, maxlength: TEXT_CHARS });
  const proposals = h('textarea', { rows: 2, maxlength: TEXT_CHARS });
  const fields = [
    h(
      'fieldset',
      { class: 'report-parts' },
      h('legend', null, 'Văn bản đã ban hành trong kỳ (không bắt buộc)'),
      list,
      add,
    ),
    field('Khó khăn, vướng mắc (không bắt buộc)', difficulties),
    field('Nguyên nhân (không bắt buộc)', causes),
    field('Đề xuất, kiến nghị (không bắt buộc)', proposals),
  ];

  /** The parts to send: a document needs all four of its fields; the server names what is missing. */
  const value = () => {
    const documents = rows
      .map((r) => ({
        kind: valueOf(r.kind),
        number: valueOf(r.number),
        date: r.date.value() ?? '',
        title: valueOf(r.title),
      }))
      .filter((d) => d.kind || d.number || d.date || d.title);
    const parts: Record<string, unknown> = {};
    if (documents.length > 0) parts.documents = documents;
    for (const [key, input] of [
      ['difficulties', difficulties],
      ['causes', causes],
      ['proposals', proposals],
    ] as const)
      if (valueOf(input)) parts[key] = valueOf(input);
    return parts;
  };
  return { fields, value };
}

/**
 * A filed report's parts as its page lists them: the documents in the seed report's words ("Kế
 * hoạch số 32/KH-VP ngày 17/01/2027 về việc …"), then difficulties, causes, proposals; null when
 * it has none.
 */
export function reportPartsView(report: {
  documents?: { kind: string; number: string; date: string; title: string }[];
  difficulties?: string;
  causes?: string;
  proposals?: string;
}) {
  const lines = [
    ...(report.documents ?? []).map((d) => `${d.kind} số ${d.number} ngày ${day(d.date)} về việc ${d.title}`),
    ...(report.difficulties ? [`Khó khăn, vướng mắc: ${report.difficulties}`] : []),
    ...(report.causes ? [`Nguyên nhân: ${report.causes}`] : []),
    ...(report.proposals ? [`Đề xuất, kiến nghị: ${report.proposals}`] : []),
  ];
  return lines.length > 0
    ? h(
        'ul',
        { class: 'report-parts' },
        lines.map((l) => h('li', null, l)),
      )
    : null;
}
