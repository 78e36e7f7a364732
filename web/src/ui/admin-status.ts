//! Administration › Mail queue and › Health. The queue is what `agora mail queue`
//! shows (newest first): a message that failed for good can be queued again or
//! removed. Health says what the server is (version, uptime, store and whether it
//! answers), how much it holds, and what is going wrong (mail failures, feeds that
//! cannot be fetched, the last directory refresh).
import { dropMail, health, listMail, retryMail, type Health, type QueuedMail } from '../admin-api';
import { currentLanguage, t } from '../i18n';
import { h } from './dom';
import type { SectionContext } from './sections';
import { adminError, button, confirmDialog, load, registerAdminPane, table, toolbar, when } from './admin';

function renderMail(host: HTMLElement, ctx: SectionContext): void {
  const again = () => renderMail(host, ctx);
  void load(host, ctx, listMail, ({ messages, limit }) => {
    const { bar, say } = toolbar(button(t('admin.mail.refresh'), again));
    host.append(bar);
    if (!messages.length) {
      host.append(h('p', { class: 'hint' }, t('admin.mail.empty')));
      return;
    }
    host.append(
      table<QueuedMail>(
        t('admin.mail.title'),
        [
          { label: 'admin.mail.to', cell: (m) => m.recipient },
          { label: 'admin.mail.status', cell: (m) => h('span', { class: `badge badge-mail-${m.status}` }, t(`admin.mail.${m.status}`)) },
          { label: 'admin.mail.queued', cell: (m) => when(m.createdAt) },
          { label: 'admin.mail.attempts', cell: (m) => String(m.attempts) },
          { label: 'admin.mail.next', cell: (m) => when(m.nextAttemptAt) },
          { label: 'admin.mail.error', cell: (m) => m.lastError ?? '–' },
        ],
        messages,
        (m) =>
          m.status === 'queued'
            ? []
            : [
                m.status === 'failed'
                  ? button(t('admin.mail.retry'), async () => {
                      try {
                        await retryMail(m.id);
                        again();
                      } catch (e) {
                        say(adminError(e), true);
                      }
                    }, { aria: t('admin.mail.retryTo', { to: m.recipient }) })
                  : null,
                button(t('admin.mail.drop'), () => confirmDialog(t('admin.mail.dropTitle'), t('admin.mail.dropQuestion', { to: m.recipient }), t('admin.mail.drop'), async () => {
                  await dropMail(m.id);
                  again();
                }), { danger: true, aria: t('admin.mail.dropTo', { to: m.recipient }) }),
              ].filter((b): b is HTMLButtonElement => !!b),
      ),
    );
    if (messages.length >= limit) host.append(h('p', { class: 'hint' }, t('admin.mail.limit', { count: limit })));
  });
}

function duration(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const fmt = (n: number, unit: string) => new Intl.NumberFormat(currentLanguage(), { style: 'unit', unit, unitDisplay: 'long' }).format(n);
  if (days) return `${fmt(days, 'day')} ${fmt(hours, 'hour')}`;
  if (hours) return `${fmt(hours, 'hour')} ${fmt(minutes, 'minute')}`;
  return fmt(minutes, 'minute');
}

function facts(rows: [string, Node | string][]): HTMLElement {
  return h('dl', { class: 'admin-facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function ok(good: boolean, text: string): HTMLElement {
  return h('span', { class: `badge ${good ? 'badge-ok' : 'badge-off'}` }, text);
}

function renderHealth(host: HTMLElement, ctx: SectionContext): void {
  const again = () => renderHealth(host, ctx);
  void load(host, ctx, health, (s: Health) => {
    const n = (v: number) => new Intl.NumberFormat(currentLanguage()).format(v);
    const { bar } = toolbar(button(t('admin.mail.refresh'), again));
    const refresh = s.directoryRefresh;
    host.append(
      bar,
      h('section', { class: 'admin-card', 'aria-labelledby': 'health-server' }, h('h3', { id: 'health-server' }, t('admin.health.server')),
        facts([
          [t('admin.health.version'), s.version],
          [t('admin.health.uptime'), `${duration(s.uptimeSeconds)} (${t('admin.health.since', { when: when(s.startedAt) })})`],
          [t('admin.health.store'), h('span', {}, `${s.store.kind === 'postgres' ? 'PostgreSQL' : 'SQLite'} `, ok(s.store.reachable, s.store.reachable ? t('admin.health.reachable') : t('admin.health.unreachable')))],
          [t('admin.health.refresh'), refresh ? h('span', {}, `${when(refresh.at)} `, ok(!refresh.error, refresh.error ? refresh.error : t('admin.health.fine'))) : t('admin.health.notYet')],
        ])),
      h('section', { class: 'admin-card', 'aria-labelledby': 'health-counts' }, h('h3', { id: 'health-counts' }, t('admin.health.holds')),
        facts([
          [t('admin.health.users'), n(s.counts.users)],
          [t('admin.health.groups'), n(s.counts.groups)],
          [t('admin.health.resources'), n(s.counts.resources)],
          [t('admin.health.collections'), n(s.counts.collections)],
          [t('admin.health.objects'), n(s.counts.objects)],
        ])),
      h('section', { class: 'admin-card', 'aria-labelledby': 'health-mail' }, h('h3', { id: 'health-mail' }, t('admin.health.mail')),
        facts([
          [t('admin.health.mailEnabled'), s.mail.enabled ? t('admin.health.yes') : t('admin.health.no')],
          [t('admin.health.queued'), n(s.mail.queued)],
          [t('admin.health.failed'), ok(s.mail.failed === 0, n(s.mail.failed))],
        ])),
      h('section', { class: 'admin-card', 'aria-labelledby': 'health-feeds' }, h('h3', { id: 'health-feeds' }, t('admin.health.feeds')),
        s.failingFeeds.length
          ? h('ul', { class: 'admin-feeds' }, ...s.failingFeeds.map((f) => h('li', {}, h('strong', {}, f.calendar), ` — ${f.error} (${when(f.at)})`)))
          : h('p', {}, t('admin.health.feedsFine'))),
    );
  });
}

registerAdminPane({ id: 'mail', label: 'admin.mail.title', render: renderMail });
registerAdminPane({ id: 'health', label: 'admin.health.title', render: renderHealth });
