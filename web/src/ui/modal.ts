//! A small modal <dialog> for forms (calendar options, settings, confirmations): a
//! heading that names it, Escape and the backdrop close it, focus goes to the first
//! control and comes back to what opened it.
import { h } from './dom';
import { refusal } from './refusal';

let seq = 0;

export interface Modal {
  dialog: HTMLDialogElement;
  form: HTMLFormElement;
  /** The area for actions at the foot. */
  actions: HTMLElement;
  /** Where refusals are said in words (role=alert). */
  error: HTMLElement;
  close: () => void;
  id: (name: string) => string;
}

export function openModal(title: string, onClose: () => void = () => {}): Modal {
  const n = ++seq;
  const id = (name: string) => `m${n}-${name}`;
  const dialog = h('dialog', { class: 'editor modal', 'aria-labelledby': id('h') });
  const form = h('form', { method: 'dialog', novalidate: true });
  const actions = h('div', { class: 'editor-actions' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  form.append(h('h2', { id: id('h') }, title));
  dialog.append(form);
  const opener = document.activeElement as HTMLElement | null;
  const close = () => {
    dialog.close();
    dialog.remove();
    onClose();
    if (opener?.isConnected) opener.focus();
  };
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    close();
  });
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) close();
  });
  return { dialog, form, actions, error, close, id };
}

/** Puts the error line and the actions last, shows the dialog, focuses the first control. */
export function showModal(m: Modal): void {
  m.form.append(m.error, m.actions);
  document.body.append(m.dialog);
  m.dialog.showModal();
  (m.form.querySelector('input, select, textarea, button') as HTMLElement | null)?.focus();
}

export function field(label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}

/** Runs `work` with the dialog's buttons disabled; a failure is written in the dialog,
 * in the words `describe` gives (the server's reason by default). */
export async function busy(m: Modal, work: () => Promise<void>, describe: (e: unknown) => string = refusal): Promise<boolean> {
  const buttons = Array.from(m.dialog.querySelectorAll('button'));
  buttons.forEach((b) => (b.disabled = true));
  m.error.textContent = '';
  try {
    await work();
    return true;
  } catch (e) {
    m.error.textContent = describe(e);
    return false;
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}
