// @ts-check
/**
 * A small element builder: h('p', { class: 'note' }, 'text', child). Text is always set as text,
 * never parsed as HTML, so nothing a user typed can become markup.
 * @param {string} tag
 * @param {Record<string, unknown> | null} [attrs]
 * @param {...(Node | string | number | null | undefined | false | (Node | string)[])} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    } else if (value === true) {
      element.setAttribute(key, '');
    } else {
      element.setAttribute(key, String(value));
    }
  }
  append(element, children);
  return element;
}

/** @param {Element} parent @param {unknown[]} children */
function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : String(child));
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/**
 * An SVG element, for the hand-drawn charts.
 * @param {string} tag
 * @param {Record<string, string | number | undefined>} [attrs]
 * @param {...(Node | string)} children
 */
export function s(tag, attrs, ...children) {
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
export function show(/** @type {(Node | string | null | undefined | false | Node[])[]} */ ...nodes) {
  const main = /** @type {HTMLElement} */ (document.getElementById('noi-dung'));
  main.replaceChildren();
  append(main, nodes);
  if (shownFor !== location.hash) main.focus({ preventScroll: true });
  shownFor = location.hash;
}

/**
 * A labelled form field: <label for> and its input, with an optional hint.
 * @param {string} label
 * @param {HTMLElement} input
 * @param {string} [hint]
 */
let fieldCount = 0;
export function field(label, input, hint) {
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

/** @param {HTMLElement} area @param {string} text @param {'ok' | 'error'} [kind] */
export function say(area, text, kind = 'ok') {
  area.textContent = text;
  area.className = `status ${kind}`;
}

/**
 * A form's submit handler: stops the page from reloading, disables the submit button while the
 * request runs, then shows what `action` answers (or the server's error) in `area`.
 * @param {HTMLElement} area
 * @param {(form: HTMLFormElement) => Promise<string | void>} action returns the message to show
 */
export function submitting(area, action) {
  return async (/** @type {SubmitEvent} */ event) => {
    event.preventDefault();
    const form = /** @type {HTMLFormElement} */ (event.currentTarget);
    const button = /** @type {HTMLButtonElement | null} */ (form.querySelector('button[type=submit]'));
    if (button) button.disabled = true;
    say(area, 'Đang gửi…');
    try {
      const message = await action(form);
      if (message) say(area, message);
      else area.textContent = '';
    } catch (error) {
      say(area, error instanceof Error ? error.message : String(error), 'error');
    } finally {
      if (button?.isConnected) button.disabled = false;
    }
  };
}

/** The trimmed value of an input, select or textarea. @param {HTMLElement} input */
export const valueOf = (input) => /** @type {HTMLInputElement} */ (input).value.trim();

/**
 * A secret shown once (a token, a webhook's key): a read-only field to copy, and a warning.
 * @param {string} label
 * @param {string} secret
 * @param {string} warning
 */
export function shownOnce(label, secret, warning) {
  const input = h('input', { type: 'text', readonly: true, value: secret, class: 'secret', autocomplete: 'off' });
  return h('div', { class: 'shown-once' }, field(label, input), h('p', { class: 'note' }, warning));
}

/** @type {string | null} */
let flash = null;

/** Keeps a message for the next page drawn (after a change, the page is read again). @param {string} message */
export function flashNext(message) {
  flash = message;
}

/** The message kept by `flashNext`, as an announced status line, once. */
export function takeFlash() {
  const message = flash;
  flash = null;
  return message ? h('p', { class: 'status ok', role: 'status' }, message) : null;
}
