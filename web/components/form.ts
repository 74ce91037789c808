import { h, statusArea, submitting, type Child } from '../dom.ts';
import { confirmDialog, type ConfirmOptions } from './confirm.ts';

/**
 * The one form of the app: a card named by its heading, its fields, one submit button, and the
 * announced status line where the answer (or the server's refusal) is said. While the request
 * runs the button is disabled (`submitting`); the page gives only what the form does.
 */
export interface FormOptions {
  /** The heading, which names the form for screen readers; none where the page's h1 names it. */
  title?: string;
  /** The heading's id (a stable address on the page). */
  id?: string;
  /** h2 on a page, h3 inside a section that has its own h2. */
  level?: 'h2' | 'h3';
  /** The form's class: 'card' unless told ('card narrow' for sign-in, '' inside a <details>). */
  className?: string;
  /** The fields and notes, in order (`field()`, `pickerField()`, `dateField()` …). */
  body: Child[];
  /** The submit button's words. */
  submit: string;
  /** A decision asked again (`confirmDialog`) before anything is sent. */
  confirm?: ConfirmOptions;
  /** What submitting does; the message it answers is shown in the status line. */
  action: (form: HTMLFormElement) => Promise<string | void>;
  /** Below the status line: what is shown once after success (a new secret). */
  after?: Child[];
  /** The status line, when the page also writes to it (else the form makes its own). */
  status?: HTMLElement;
  /** The line said while the request runs. */
  pending?: string;
  /** A refusal takes the focus, so the person hears it where the form's result is awaited. */
  focusError?: boolean;
}

export function cardForm(options: FormOptions): HTMLFormElement {
  const status = options.status ?? statusArea();
  const asked = options.confirm;
  const send = submitting(status, options.action, options);
  return h(
    'form',
    {
      class: options.className ?? 'card',
      'aria-labelledby': options.title ? options.id : undefined,
      onsubmit: async (event: SubmitEvent) => {
        event.preventDefault();
        if (asked && !(await confirmDialog(asked))) return;
        await send(event);
      },
    },
    options.title ? h(options.level ?? 'h2', { id: options.id }, options.title) : null,
    ...options.body,
    h('button', { type: 'submit' }, options.submit),
    status,
    ...(options.after ?? []),
  ) as HTMLFormElement;
}

/**
 * The one search and filter bar of the lists: its named fields are the page's address (#/route?…),
 * so a link or a reload shows the same list; blank fields are left out, `keep` is carried over.
 */
export function filterBar(options: {
  route: string;
  body: Child[];
  submit: string;
  /** Values of the address the bar does not show (the plan, a province), kept as they are. */
  keep?: URLSearchParams;
  className?: string;
}) {
  return h(
    'form',
    {
      class: options.className ?? 'card filters no-print',
      role: 'search',
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        const next = new URLSearchParams(options.keep);
        for (const [key, value] of new FormData(event.currentTarget as HTMLFormElement))
          if (String(value).trim()) next.set(key, String(value).trim());
        location.hash = `${options.route}${next.size ? `?${next}` : ''}`;
      },
    },
    ...options.body,
    h('button', { type: 'submit' }, options.submit),
  );
}
