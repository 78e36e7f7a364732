//! Administration › Groups and › Rooms & equipment. Groups list their direct members
//! (users or groups), which can be added by name and removed. Rooms and equipment
//! carry how many people they hold, whether they answer invitations by themselves
//! (off: a person answers; the request waits in NEEDS-ACTION) and which group may book
//! them (anyone else is declined, with the reason, by the server).
import {
  addMember,
  changeResource,
  createGroup,
  createResource,
  deleteGroup,
  deleteResource,
  listGroups,
  listResources,
  removeMember,
  type AdminGroup,
  type AdminResource,
} from '../admin-api';
import { t } from '../i18n';
import { h } from './dom';
import { field, openModal, showModal, type Modal } from './modal';
import type { SectionContext } from './sections';
import { busy, button, confirmDialog, load, registerAdminPane, table, toolbar } from './admin';

function groupDialog(done: () => void): void {
  const m = openModal(t('admin.groups.new'));
  const name = h('input', { id: m.id('name'), type: 'text', required: true, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const display = h('input', { id: m.id('display'), type: 'text', autocomplete: 'off' });
  const email = h('input', { id: m.id('email'), type: 'email', autocomplete: 'off' });
  m.form.append(field(t('admin.name'), name), field(t('admin.displayName'), display), field(t('admin.email'), email));
  m.actions.append(h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')), h('button', { type: 'submit', class: 'btn btn-primary' }, t('admin.create')));
  m.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!name.value.trim()) return void ((m.error.textContent = t('admin.nameMissing')), name.focus());
    const ok = await busy(m, async () => void (await createGroup({ name: name.value.trim(), displayName: display.value.trim() || undefined, email: email.value.trim() || undefined })));
    if (ok) {
      m.close();
      done();
    }
  });
  showModal(m);
}

function membersDialog(g: AdminGroup, done: () => void): void {
  const m = openModal(t('admin.groups.members', { name: g.displayName }));
  const list = h('ul', { class: 'admin-members' });
  const draw = (members: AdminGroup['members']) => {
    list.replaceChildren(
      ...(members.length ? [] : [h('li', { class: 'hint' }, t('admin.groups.empty'))]),
      ...members.map((x) =>
        h('li', {}, h('span', {}, x.displayName !== x.name ? `${x.displayName} (${x.name})` : x.name),
          button(t('admin.groups.remove'), async () => {
            if (await busy(m, () => removeMember(g.name, x.name))) {
              members = members.filter((y) => y.name !== x.name);
              draw(members);
              done();
            }
          }, { aria: t('admin.groups.removeName', { name: x.name }) })),
      ),
    );
  };
  let members = g.members;
  draw(members);
  const who = h('input', { id: m.id('who'), type: 'text', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const add = h('button', { type: 'submit', class: 'btn' }, t('admin.groups.add'));
  m.form.append(list, h('div', { class: 'row admin-add' }, field(t('admin.groups.who'), who), add));
  m.actions.append(h('button', { type: 'button', class: 'btn btn-primary', onclick: m.close }, t('common.close')));
  m.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = who.value.trim().toLowerCase();
    if (!name) return void who.focus();
    if (await busy(m, () => addMember(g.name, name))) {
      members = [...members, { name, displayName: name, kind: 'user' }];
      draw(members);
      who.value = '';
      who.focus();
      done();
    }
  });
  showModal(m);
}

function renderGroups(host: HTMLElement, ctx: SectionContext): void {
  const again = () => renderGroups(host, ctx);
  void load(host, ctx, listGroups, ({ groups }) => {
    const { bar } = toolbar(button(t('admin.groups.new'), () => groupDialog(again), { primary: true }));
    host.append(
      bar,
      table<AdminGroup>(
        t('admin.groups.title'),
        [
          { label: 'admin.name', cell: (g) => h('span', { class: 'admin-name' }, h('strong', {}, g.name), g.displayName !== g.name ? h('span', { class: 'admin-sub' }, g.displayName) : null) },
          { label: 'admin.email', cell: (g) => g.emails.join(', ') || '–' },
          { label: 'admin.groups.membersShort', cell: (g) => g.members.map((x) => x.name).join(', ') || '–' },
        ],
        groups,
        (g) => [
          button(t('admin.groups.manage'), () => membersDialog(g, again), { aria: t('admin.groups.members', { name: g.displayName }) }),
          button(t('admin.delete'), () => confirmDialog(t('admin.groups.deleteTitle', { name: g.name }), t('admin.groups.deleteQuestion', { name: g.name }), t('admin.delete'), async () => {
            await deleteGroup(g.name);
            again();
          }), { danger: true, aria: t('admin.deleteName', { name: g.name }) }),
        ],
      ),
    );
  });
}

/** Capacity, auto-accept and bookers, shared by "new" and "edit". */
function bookingControls(m: Modal, r: Partial<AdminResource>, groups: AdminGroup[]) {
  const capacity = h('input', { id: m.id('capacity'), type: 'number', min: '1', step: '1', inputmode: 'numeric', value: r.capacity ? String(r.capacity) : '' });
  const auto = h('input', { id: m.id('auto'), type: 'checkbox', checked: r.autoAccept ?? true, 'aria-describedby': m.id('auto-hint') });
  const bookers = h('select', { id: m.id('bookers') });
  bookers.append(h('option', { value: '', selected: !r.bookers }, t('admin.rooms.anyone')));
  for (const g of groups) bookers.append(h('option', { value: g.name, selected: g.name === r.bookers }, g.displayName !== g.name ? `${g.displayName} (${g.name})` : g.name));
  const el = [
    h('div', { class: 'row' }, field(t('admin.rooms.capacity'), capacity), field(t('admin.rooms.bookers'), bookers)),
    h('div', { class: 'check' }, auto, h('label', { for: auto.id }, t('admin.rooms.autoAccept'))),
    h('p', { class: 'hint', id: m.id('auto-hint') }, t('admin.rooms.autoHint')),
  ];
  const value = () => {
    const c = capacity.value.trim() ? Number(capacity.value) : null;
    if (c !== null && !(Number.isInteger(c) && c > 0)) return 'bad' as const;
    return { capacity: c, autoAccept: auto.checked, bookers: bookers.value || null };
  };
  return { el, value };
}

function resourceDialog(groups: AdminGroup[], done: () => void, r?: AdminResource): void {
  const m = openModal(r ? t('admin.rooms.edit', { name: r.displayName }) : t('admin.rooms.new'));
  const name = h('input', { id: m.id('name'), type: 'text', required: true, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const display = h('input', { id: m.id('display'), type: 'text', autocomplete: 'off' });
  const email = h('input', { id: m.id('email'), type: 'email', autocomplete: 'off', 'aria-describedby': m.id('email-hint') });
  const kind = h('select', { id: m.id('kind') }, h('option', { value: 'room' }, t('admin.rooms.room')), h('option', { value: 'equipment' }, t('admin.rooms.equipment')));
  const booking = bookingControls(m, r ?? {}, groups);
  if (!r) {
    m.form.append(
      h('div', { class: 'row' }, field(t('admin.name'), name), field(t('admin.rooms.kind'), kind)),
      field(t('admin.displayName'), display),
      field(t('admin.email'), email),
      h('p', { class: 'hint', id: m.id('email-hint') }, t('admin.rooms.emailHint')),
    );
  }
  m.form.append(...booking.el);
  m.actions.append(h('button', { type: 'button', class: 'btn', onclick: m.close }, t('common.cancel')), h('button', { type: 'submit', class: 'btn btn-primary' }, r ? t('editor.save') : t('admin.create')));
  m.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const b = booking.value();
    if (b === 'bad') return void (m.error.textContent = t('admin.rooms.capacityBad'));
    if (!r && !name.value.trim()) return void ((m.error.textContent = t('admin.nameMissing')), name.focus());
    const ok = await busy(m, async () => {
      if (r) await changeResource(r.name, b);
      else await createResource({ name: name.value.trim(), displayName: display.value.trim() || undefined, email: email.value.trim() || undefined, kind: kind.value, ...b });
    });
    if (ok) {
      m.close();
      done();
    }
  });
  showModal(m);
}

function renderResources(host: HTMLElement, ctx: SectionContext): void {
  const again = () => renderResources(host, ctx);
  void load(host, ctx, async () => ({ ...(await listResources()), ...(await listGroups()) }), ({ resources, groups }) => {
    const { bar } = toolbar(button(t('admin.rooms.new'), () => resourceDialog(groups, again), { primary: true }));
    const groupName = (n: string | null) => (n ? (groups.find((g) => g.name === n)?.displayName ?? n) : t('admin.rooms.anyone'));
    host.append(
      bar,
      table<AdminResource>(
        t('admin.rooms.title'),
        [
          { label: 'admin.name', cell: (r) => h('span', { class: 'admin-name' }, h('strong', {}, r.displayName), h('span', { class: 'admin-sub' }, r.emails[0] ?? r.name)) },
          { label: 'admin.rooms.kind', cell: (r) => t(`admin.rooms.${r.kind}`) },
          { label: 'admin.rooms.capacity', cell: (r) => (r.capacity ? t('rooms.capacity', { count: r.capacity }) : '–') },
          { label: 'admin.rooms.answers', cell: (r) => (r.autoAccept ? t('admin.rooms.auto') : t('admin.rooms.manual')) },
          { label: 'admin.rooms.bookers', cell: (r) => groupName(r.bookers) },
        ],
        resources,
        (r) => [
          button(t('admin.edit'), () => resourceDialog(groups, again, r), { aria: t('admin.rooms.edit', { name: r.displayName }) }),
          button(t('admin.delete'), () => confirmDialog(t('admin.rooms.deleteTitle', { name: r.displayName }), t('admin.rooms.deleteQuestion', { name: r.displayName }), t('admin.delete'), async () => {
            await deleteResource(r.name);
            again();
          }), { danger: true, aria: t('admin.deleteName', { name: r.displayName }) }),
        ],
      ),
    );
  });
}

registerAdminPane({ id: 'groups', label: 'admin.groups.title', render: renderGroups });
registerAdminPane({ id: 'rooms', label: 'admin.rooms.title', render: renderResources });
