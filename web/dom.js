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
