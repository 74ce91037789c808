import { h, s } from '../dom.ts';
import { monthWeeks, parseDay, shiftMonth, showDay } from './dates.ts';

// The app's own date field: dd/mm/yyyy whatever the browser's language (Chromium in English shows
// mm/dd/yyyy in <input type=date>), typed as people type it or picked on a calendar (Monday first).

const WEEKDAYS = ['T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN'];
const INVALID = 'Ngày không hợp lệ: hãy gõ ngày/tháng/năm, ví dụ 05/03/2027.';
let count = 0;

/** A small calendar drawn in SVG: no emoji font needed. */
const calendarIcon = () =>
  s(
    'svg',
    { width: 18, height: 18, viewBox: '0 0 18 18', 'aria-hidden': 'true', focusable: 'false' },
    s('rect', {
      x: 2,
      y: 3.5,
      width: 14,
      height: 12.5,
      rx: 1.5,
      fill: 'none',
      stroke: 'currentColor',
      'stroke-width': 1.6,
    }),
    s('path', { d: 'M2 7.5h14M6 2v3M12 2v3', stroke: 'currentColor', 'stroke-width': 1.6 }),
  );

export interface DateControl {
  element: HTMLElement;
  input: HTMLInputElement;
  value: () => string | null;
  set: (iso: string | null) => void;
  valid: () => boolean;
}

export function dateInput(
  options: {
    value?: string | null;
    required?: boolean;
    onchange?: (iso: string | null) => void;
    /** A form field of this name carries the day as YYYY-MM-DD (a filter bar's address). */
    name?: string;
  } = {},
): DateControl {
  const id = `ngay-${++count}`;
  const input = h('input', {
    type: 'text',
    id,
    inputmode: 'numeric',
    autocomplete: 'off',
    placeholder: 'dd/mm/yyyy',
    required: options.required,
    maxlength: 10,
    class: 'date-text',
    value: showDay(options.value),
  }) as HTMLInputElement;
  const error = h('small', { class: 'date-error', id: `${id}-loi`, hidden: true }, INVALID);
  const popup = h('div', { class: 'calendar', role: 'dialog', 'aria-label': 'Lịch chọn ngày', hidden: true });
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'secondary calendar-toggle',
      'aria-label': 'Chọn ngày trên lịch',
      'aria-haspopup': 'dialog',
      'aria-expanded': 'false',
      onclick: () => (popup.hidden ? open() : close(true)),
    },
    calendarIcon(),
  ) as HTMLButtonElement;
  const carried = options.name
    ? (h('input', { type: 'hidden', name: options.name, value: options.value ?? '' }) as HTMLInputElement)
    : null;
  if (carried) input.addEventListener('input', () => (carried.value = parseDay(input.value) ?? ''));
  const element = h('span', { class: 'date-input' }, input, toggle, popup, error, carried);

  /** Checks what is typed; a real day is shown again as dd/mm/yyyy. */
  const check = () => {
    const text = input.value.trim();
    const iso = text ? parseDay(text) : null;
    const bad = Boolean(text) && !iso;
    input.setCustomValidity(bad ? INVALID : '');
    input.setAttribute('aria-invalid', String(bad));
    if (bad) input.setAttribute('aria-describedby', error.id);
    else input.removeAttribute('aria-describedby');
    error.hidden = !bad;
    if (iso) input.value = showDay(iso);
    if (carried) carried.value = iso ?? '';
    return iso;
  };
  input.addEventListener('change', () => options.onchange?.(check()));

  let shown = { year: 0, month: 0 };
  const draw = () => {
    const selected = parseDay(input.value);
    const today = new Date();
    const todayIso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    const move = (step: number) => {
      shown = shiftMonth(shown.year, shown.month, step);
      draw();
    };
    popup.replaceChildren(
      h(
        'div',
        { class: 'calendar-head' },
        h('button', { type: 'button', class: 'secondary', 'aria-label': 'Tháng trước', onclick: () => move(-1) }, '‹'),
        h('strong', { 'aria-live': 'polite' }, `Tháng ${shown.month}/${shown.year}`),
        h('button', { type: 'button', class: 'secondary', 'aria-label': 'Tháng sau', onclick: () => move(1) }, '›'),
      ),
      h(
        'table',
        { role: 'grid' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            WEEKDAYS.map((d) => h('th', { scope: 'col' }, d)),
          ),
        ),
        h(
          'tbody',
          null,
          monthWeeks(shown.year, shown.month).map((week) =>
            h(
              'tr',
              null,
              week.map((iso) =>
                h(
                  'td',
                  null,
                  iso
                    ? h(
                        'button',
                        {
                          type: 'button',
                          class: iso === todayIso ? 'day today' : 'day',
                          'aria-label': showDay(iso),
                          'aria-pressed': String(iso === selected),
                          onclick: () => {
                            input.value = showDay(iso);
                            close(true);
                            input.dispatchEvent(new window.Event('change', { bubbles: true }));
                          },
                        },
                        String(Number(iso.slice(8))),
                      )
                    : '',
                ),
              ),
            ),
          ),
        ),
      ),
    );
  };
  const open = () => {
    const start = parseDay(input.value) ?? new Date().toISOString().slice(0, 10);
    shown = { year: Number(start.slice(0, 4)), month: Number(start.slice(5, 7)) };
    draw();
    popup.hidden = false;
    toggle.setAttribute('aria-expanded', 'true');
    (
      popup.querySelector<HTMLElement>('[aria-pressed=true]') ?? popup.querySelector<HTMLElement>('button.day')
    )?.focus();
    document.addEventListener('pointerdown', outside, true);
  };
  const close = (refocus: boolean) => {
    popup.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', outside, true);
    if (refocus) input.focus();
  };
  const outside = (event: Event) => {
    if (!element.contains(event.target as Node)) close(false);
  };
  popup.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    }
  });

  return {
    element,
    input,
    value: () => parseDay(input.value),
    set: (iso) => {
      input.value = showDay(iso);
      check();
    },
    valid: () => !input.value.trim() || Boolean(check()),
  };
}

/** A labelled date field (the label names the text box; the calendar button has its own name). */
export function dateField(label: string, control: DateControl, hint?: string) {
  const hintId = `${control.input.id}-goi-y`;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.input.id }, label),
    control.element,
    h('small', { id: hintId }, hint ?? 'Ngày/tháng/năm, ví dụ 05/03/2027.'),
  );
}
