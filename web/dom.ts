/**
 * A small element builder: h('p', { class: 'note' }, 'text', child). Text is always set as text,
 * never parsed as HTML, so nothing a user typed can become markup.
 */
/** What an element may hold: nodes, text, nothing, and lists of these. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

export function h(tag: string, attrs: Record<string, unknown> | null = null, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value as EventListener);
    } else if (value === true) {
      element.setAttribute(key, '');
    } else {
      element.setAttribute(key, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent: Element, children: unknown[]) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : String(child));
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element, for the hand-drawn charts. */
export function s(
  tag: string,
  attrs: Record<string, string | number | undefined> = {},
  ...children: (Node | string)[]
) {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs ?? {}))
    if (value !== undefined) element.setAttribute(key, String(value));
  element.append(...children);
  return element;
}

let shownFor = '';

/**
 * Replaces the main area with `nodes`; on a new page (not a refresh of the same one) focus moves
 * there, so keyboard and screen-reader users follow.
 */
export function show(...nodes: Child[]) {
  const main = document.getElementById('noi-dung') as HTMLElement;
  main.replaceChildren();
  append(main, nodes);
  if (shownFor !== location.hash) main.focus({ preventScroll: true });
  shownFor = location.hash;
}

/** A labelled form field: <label for> and its input, with an optional hint. */
let fieldCount = 0;
export function field(label: string, input: HTMLElement, hint?: string) {
  const id = input.id || `truong-${++fieldCount}`;
  input.id = id;
  const hintId = hint ? `${id}-goi-y` : undefined;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('small', { id: hintId }, hint) : null,
  );
}

/** A message area that screen readers announce. */
export function statusArea() {
  return h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
}

export function say(area: HTMLElement, text: string, kind: 'ok' | 'error' = 'ok') {
  area.textContent = text;
  area.className = `status ${kind}`;
}

/**
 * A form's submit handler: stops the page from reloading, disables the submit button while the
 * request runs, then shows what `action` answers (or the server's error) in `area`.
 * @param action returns the message to show
 */
export function submitting(
  area: HTMLElement,
  action: (form: HTMLFormElement) => Promise<string | void>,
  options: { pending?: string; focusError?: boolean } = {},
) {
  return async (event: SubmitEvent) => {
    event.preventDefault();
    // The target, not currentTarget: the handler may run after an await (a confirmation).
    const form = event.target as HTMLFormElement;
    const button = form.querySelector('button[type=submit]') as HTMLButtonElement | null;
    if (button) button.disabled = true;
    say(area, options.pending ?? 'Đang gửi…');
    try {
      const message = await action(form);
      if (message) say(area, message);
      else area.textContent = '';
    } catch (error) {
      say(area, error instanceof Error ? error.message : String(error), 'error');
      if (options.focusError) {
        area.setAttribute('tabindex', '-1');
        area.focus();
      }
    } finally {
      if (button?.isConnected) button.disabled = false;
    }
  };
}

/** The trimmed value of an input, select or textarea. */
export const valueOf = (input: HTMLElement) => (input as HTMLInputElement).value.trim();

/** A secret shown once (a token, a webhook's key): a read-only field to copy, and a warning. */
export function shownOnce(label: string, secret: string, warning: string) {
  const input = h('input', { type: 'text', readonly: true, value: secret, class: 'secret', autocomplete: 'off' });
  return h('div', { class: 'shown-once' }, field(label, input), h('p', { class: 'note' }, warning));
}

let flash: string | null = null;

/** Keeps a message for the next page drawn (after a change, the page is read again). */
export function flashNext(message: string) {
  flash = message;
}

/** The message kept by `flashNext`, as an announced status line, once. */
export function takeFlash() {
  const message = flash;
  flash = null;
  return message ? h('p', { class: 'status ok', role: 'status' }, message) : null;
}
