//! Messages to the user in one polite live region, with an optional action (Undo).
import { t } from '../i18n';
import { clear, h } from './dom';

let region: HTMLElement | null = null;
let timer: number | undefined;

export function toastRegion(): HTMLElement {
  region = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite', hidden: true });
  return region;
}

export function toast(message: string, action?: { label: string; run: () => void }, kind: 'info' | 'error' = 'info'): void {
  if (!region) return;
  clear(region);
  region.className = `toast toast-${kind}`;
  region.append(h('span', {}, message));
  if (action) {
    region.append(
      h('button', { type: 'button', class: 'btn btn-link', onclick: () => { hide(); action.run(); } }, action.label),
    );
  }
  region.append(h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': t('common.dismiss'), onclick: hide }, '×'));
  region.hidden = false;
  window.clearTimeout(timer);
  timer = window.setTimeout(hide, action ? 10000 : 6000);
}

function hide(): void {
  if (region) region.hidden = true;
}
