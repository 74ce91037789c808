import { h, statusArea, submitting, type Child } from '../dom.ts';

/**
 * The one form of the app: a card named by its heading, its fields, one submit button, and the
 * announced status line where the answer (or the server's refusal) is said. While the request
 * runs the button is disabled (`submitting`); the page gives only what the form does.
 */
export interface FormOptions {
  /** The heading, which names the form for screen readers. */
  title: string;
  /** The heading's id (a stable address on the page). */
  id: string;
  /** h2 on a page, h3 inside a section that has its own h2. */
  level?: 'h2' | 'h3';
  /** The fields and notes, in order (`field()`, `pickerField()`, `dateField()` …). */
  body: Child[];
  /** The submit button's words. */
  submit: string;
  /** What submitting does; the message it answers is shown in the status line. */
  action: (form: HTMLFormElement) => Promise<string | void>;
  /** Below the status line: what is shown once after success (a new secret). */
  after?: Child[];
  /** The status line, when the page also writes to it (else the form makes its own). */
  status?: HTMLElement;
}

export function cardForm(options: FormOptions): HTMLFormElement {
  const status = options.status ?? statusArea();
  return h(
    'form',
    { class: 'card', 'aria-labelledby': options.id, onsubmit: submitting(status, options.action) },
    h(options.level ?? 'h2', { id: options.id }, options.title),
    ...options.body,
    h('button', { type: 'submit' }, options.submit),
    status,
    ...(options.after ?? []),
  ) as HTMLFormElement;
}
