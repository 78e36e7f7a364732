//! "This event / This and following events / All events": asked when a change, a
//! deletion or a drag touches one occurrence of a repeating event. A modal dialog with a
//! radio group (arrow keys move between choices, Enter confirms, Escape cancels).
import { t } from '../i18n';
import type { Scope } from '../series';
import { h } from './dom';
import { openModal, showModal } from './modal';

export interface ScopeOptions {
  action: 'save' | 'delete' | 'move';
  /** "This event" is not offered when the rule itself changed. */
  allowThis: boolean;
  /** The series has exceptions (they move with it: said under "All events"). */
  hasExceptions: boolean;
}

export function askScope(o: ScopeOptions): Promise<Scope | null> {
  return new Promise((resolve) => {
    let chosen: Scope | null = null;
    const m = openModal(t(`scope.title.${o.action}`), () => resolve(chosen));
    m.dialog.classList.add('scope-dialog');
    const group = h('fieldset', { class: 'scope-choices' }, h('legend', { class: 'visually-hidden' }, t('scope.legend')));
    const scopes: Scope[] = o.allowThis ? ['this', 'following', 'all'] : ['following', 'all'];
    scopes.forEach((s, i) => {
      const hint = s === 'all' && o.hasExceptions && o.action !== 'delete' ? t('scope.allExceptions') : s === 'following' && o.action !== 'delete' ? t('scope.followingHint') : '';
      const radio = h('input', { type: 'radio', name: m.id('scope'), id: m.id(s), value: s, checked: i === 0, 'aria-describedby': hint ? m.id(`${s}-hint`) : null });
      group.append(
        h(
          'div',
          { class: 'check scope-choice' },
          radio,
          h('div', {}, h('label', { for: radio.id }, t(`scope.${s}`)), hint ? h('p', { class: 'muted hint', id: m.id(`${s}-hint`) }, hint) : null),
        ),
      );
    });
    m.form.append(group);
    m.actions.append(
      h('button', { type: 'submit', class: o.action === 'delete' ? 'btn btn-danger' : 'btn btn-primary' }, t(`scope.confirm.${o.action}`)),
      h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')),
    );
    m.form.addEventListener('submit', (e) => {
      e.preventDefault();
      const checked = m.form.querySelector<HTMLInputElement>('input[type=radio]:checked');
      chosen = (checked?.value as Scope | undefined) ?? null;
      m.close();
    });
    showModal(m);
  });
}
