import { h } from '../dom.ts';

/**
 * The one confirmation the app asks before a decision that cannot be taken back by the person
 * who makes it (accept, return, approve, reassign). A modal <dialog>: the rest of the page is
 * inert while it is open, so focus stays inside it; Esc cancels; focus goes back where it was.
 * The safe choice ("Quay lại") has the focus first, so Enter pressed by habit does not decide.
 */
export interface ConfirmOptions {
  title: string;
  message: string;
  /** The deciding button's words. */
  confirm: string;
}

export function confirmDialog({ title, message, confirm }: ConfirmOptions): Promise<boolean> {
  const before = document.activeElement as HTMLElement | null;
  return new Promise((resolve) => {
    const cancelButton = h('button', { type: 'button', class: 'secondary' }, 'Quay lại');
    const okButton = h('button', { type: 'button' }, confirm);
    const dialog = h(
      'dialog',
      { class: 'confirm', 'aria-labelledby': 'xac-nhan-tieu-de', 'aria-describedby': 'xac-nhan-noi-dung' },
      h('h2', { id: 'xac-nhan-tieu-de' }, title),
      h('p', { id: 'xac-nhan-noi-dung' }, message),
      h('div', { class: 'dialog-buttons' }, cancelButton, okButton),
    ) as HTMLDialogElement;
    let answered = false;
    const finish = (yes: boolean) => {
      if (answered) return;
      answered = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      if (before?.isConnected) before.focus();
      resolve(yes);
    };
    cancelButton.addEventListener('click', () => finish(false));
    okButton.addEventListener('click', () => finish(true));
    // Esc (the browser's cancel) and any other way of closing count as "no".
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    dialog.addEventListener('close', () => finish(false));
    document.body.append(dialog);
    dialog.showModal();
    cancelButton.focus();
  });
}
