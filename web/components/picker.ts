import { api } from '../api.ts';
import { h } from '../dom.ts';
import type { Agency } from '../api-types.d.ts';

// Search-as-you-type over names (an ARIA combobox): people type a few letters of a name, with or
// without diacritics, and pick; nobody has to know a code. The matching itself is the server's
// (GET …/agencies?q=, GET /v1/registries?q=: accent- and case-insensitive), so the page and the
// API find the same agencies.

export interface Choice {
  value: string;
  label: string;
  detail?: string;
}

export interface PickerControl {
  element: HTMLElement;
  input: HTMLInputElement;
  value: () => string | null;
  values: () => string[];
  chosen: () => Choice[];
  set: (choices: Choice[]) => void;
}

let count = 0;

export function picker(options: {
  search: (q: string) => Promise<Choice[]>;
  multiple?: boolean;
  placeholder?: string;
  required?: boolean;
  onpick?: (chosen: Choice[]) => void;
  /** Why a choice may not be taken here (the agency that already leads the task), or null. */
  refuse?: (choice: Choice) => string | null;
}): PickerControl {
  const id = `chon-${++count}`;
  const input = h('input', {
    type: 'text',
    id,
    role: 'combobox',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': `${id}-ds`,
    placeholder: options.placeholder ?? 'Gõ vài chữ của tên…',
    required: options.required,
  }) as HTMLInputElement;
  const list = h('ul', { id: `${id}-ds`, role: 'listbox', class: 'picker-list', hidden: true });
  const chips = h('span', { class: 'picker-chips' });
  const note = h('small', { class: 'picker-note', 'aria-live': 'polite' });
  const element = h('span', { class: 'picker' }, chips, input, list, note);
  let chosen: Choice[] = [];
  let offered: Choice[] = [];
  let active = -1;
  let asked = 0;
  let timer: number | undefined;

  const drawChips = () =>
    chips.replaceChildren(
      ...(options.multiple
        ? chosen.map((c) =>
            h(
              'span',
              { class: 'chip' },
              c.label,
              h(
                'button',
                {
                  type: 'button',
                  class: 'link',
                  'aria-label': `Bỏ ${c.label}`,
                  onclick: () => {
                    chosen = chosen.filter((x) => x.value !== c.value);
                    drawChips();
                    options.onpick?.(chosen);
                    input.focus();
                  },
                },
                '×',
              ),
            ),
          )
        : []),
    );
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (index: number) => {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === index)));
    if (index >= 0) {
      input.setAttribute('aria-activedescendant', `${id}-${index}`);
      list.children[index]?.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const pick = (choice: Choice) => {
    const refusal = options.refuse?.(choice);
    if (refusal) {
      // Offered, so the person sees it exists, but not taken: the reason is said beside the field.
      close();
      note.textContent = refusal;
      note.classList.add('refused');
      input.setCustomValidity(refusal);
      return;
    }
    note.classList.remove('refused');
    if (options.multiple) {
      if (!chosen.some((c) => c.value === choice.value)) chosen = [...chosen, choice];
      input.value = '';
    } else {
      chosen = [choice];
      input.value = choice.label;
    }
    input.setCustomValidity('');
    drawChips();
    close();
    note.textContent = `Đã chọn ${choice.label}.`;
    options.onpick?.(chosen);
  };
  const draw = () => {
    list.replaceChildren(
      ...offered.map((c, i) =>
        h(
          'li',
          {
            id: `${id}-${i}`,
            role: 'option',
            'aria-selected': 'false',
            'aria-disabled': options.refuse?.(c) ? 'true' : undefined,
            // pointerdown, not click: the input keeps its focus and the list is not closed first.
            onpointerdown: (event: Event) => {
              event.preventDefault();
              pick(c);
            },
          },
          c.label,
          c.detail ? h('small', null, ` ${c.detail}`) : '',
          options.refuse?.(c) ? h('small', null, ' — không chọn được') : '',
        ),
      ),
    );
    list.hidden = offered.length === 0;
    input.setAttribute('aria-expanded', String(offered.length > 0));
    highlight(offered.length ? 0 : -1);
  };
  const ask = async () => {
    const q = input.value.trim();
    const mine = ++asked;
    if (!q) {
      offered = [];
      note.textContent = '';
      return draw();
    }
    try {
      const found = await options.search(q);
      if (mine !== asked) return; // an older answer arriving after a newer question
      offered = found;
      note.textContent = found.length ? `${found.length} kết quả.` : `Không tìm thấy "${q}".`;
    } catch (error) {
      if (mine !== asked) return;
      offered = [];
      note.textContent = error instanceof Error ? error.message : String(error);
    }
    draw();
  };
  input.addEventListener('input', () => {
    note.classList.remove('refused');
    if (!options.multiple && chosen.length) {
      chosen = [];
      options.onpick?.(chosen);
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void ask(), 150);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && offered.length) {
      event.preventDefault();
      if (list.hidden) draw();
      else highlight(Math.min(active + 1, offered.length - 1));
    } else if (event.key === 'ArrowUp' && offered.length) {
      event.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (event.key === 'Enter' && !list.hidden && active >= 0) {
      event.preventDefault();
      pick(offered[active]);
    } else if (event.key === 'Escape' && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => {
    close();
    // A name typed but not picked is not a choice: say so before the form is sent.
    if (!note.classList.contains('refused'))
      input.setCustomValidity(
        input.value.trim() && !options.multiple && !chosen.length ? 'Hãy chọn một mục trong danh sách gợi ý.' : '',
      );
  });

  return {
    element,
    input,
    value: () => chosen[0]?.value ?? null,
    values: () => chosen.map((c) => c.value),
    chosen: () => [...chosen],
    set: (choices) => {
      chosen = options.multiple ? [...choices] : choices.slice(0, 1);
      input.value = options.multiple ? '' : (chosen[0]?.label ?? '');
      drawChips();
    },
  };
}

/** A labelled picker field. */
export function pickerField(label: string, control: PickerControl, hint?: string) {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.input.id }, label),
    control.element,
    hint ? h('small', null, hint) : null,
  );
}

/** An agency as a choice: its name, its code as secondary text. */
export const agencyChoice = (a: Agency): Choice => ({ value: a.code, label: a.name, detail: a.code });

/**
 * Agencies of a registry, found by name (or short name, code, alias) as the person types. The
 * registry may be a function, for a form where the province is chosen first.
 */
export function agencyPicker(
  registry: string | (() => string | null),
  options: {
    multiple?: boolean;
    required?: boolean;
    onpick?: (chosen: Choice[]) => void;
    /** Why an agency may not be chosen here, by its code; it is offered, marked, and refused. */
    refuse?: (code: string, name: string) => string | null;
  } = {},
) {
  return picker({
    ...options,
    refuse: options.refuse && ((c) => options.refuse?.(c.value, c.label) ?? null),
    placeholder: 'Gõ tên cơ quan, ví dụ "so noi vu"',
    search: async (q) => {
      const key = typeof registry === 'function' ? registry() : registry;
      if (!key) throw new Error('Hãy chọn danh mục (tỉnh) trước.');
      const page = await api('GET /v1/registries/{key}/agencies', {
        params: { key },
        query: new URLSearchParams({ limit: '12', q }),
      });
      return page.items.map(agencyChoice);
    },
  });
}

/** Registries (provinces) found by name. */
export function registryPicker(options: { required?: boolean; onpick?: (chosen: Choice[]) => void } = {}) {
  return picker({
    ...options,
    placeholder: 'Gõ tên tỉnh, ví dụ "phu tho"',
    search: async (q) =>
      (await api('GET /v1/registries', { query: new URLSearchParams({ q }) })).items.map((r) => ({
        value: r.key,
        label: r.name,
      })),
  });
}
