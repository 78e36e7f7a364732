//! The mini-month: a month of day buttons to jump to a date, with ISO week numbers when
//! weeks start on Monday, previous/next month buttons, arrow keys between days (one tab
//! stop: roving tabindex), today marked by aria-current and not by colour alone.
import { currentLocale, t } from '../i18n';
import { ICONS, clear, h, icon } from './dom';

export function isoWeek(d: Date): number {
  const x = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  x.setUTCDate(x.getUTCDate() + 4 - (x.getUTCDay() || 7));
  const yearStart = Date.UTC(x.getUTCFullYear(), 0, 1);
  return Math.ceil(((x.getTime() - yearStart) / 86400000 + 1) / 7);
}

const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

export class MiniMonth {
  readonly el = h('section', { class: 'minimonth', 'aria-labelledby': 'mm-title' });
  private month: Date;
  private selected: Date;

  constructor(
    private firstDay: number,
    private today: () => Date,
    private onPick: (d: Date) => void,
  ) {
    this.selected = today();
    this.month = new Date(this.selected.getFullYear(), this.selected.getMonth(), 1);
    this.render();
  }

  select(d: Date): void {
    this.selected = d;
    this.month = new Date(d.getFullYear(), d.getMonth(), 1);
    this.render();
  }

  private render(focusDay?: Date): void {
    clear(this.el);
    const locale = currentLocale();
    const title = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric' }).format(this.month);
    const shift = (n: number) => {
      this.month = new Date(this.month.getFullYear(), this.month.getMonth() + n, 1);
      this.render();
    };
    this.el.append(
      h(
        'div',
        { class: 'mm-head' },
        h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': t('nav.prevMonth'), onclick: () => shift(-1) }, icon(ICONS.prev)),
        h('h2', { id: 'mm-title', class: 'mm-title', 'aria-live': 'polite' }, title),
        h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': t('nav.nextMonth'), onclick: () => shift(1) }, icon(ICONS.next)),
      ),
    );
    const iso = this.firstDay === 1;
    const table = h('table', { class: 'mm-grid', role: 'presentation' });
    const head = h('tr', {});
    if (iso) head.append(h('th', { class: 'mm-wk', scope: 'col', title: t('nav.weekNumber') }, h('span', { class: 'visually-hidden' }, t('nav.weekNumber')), h('span', { 'aria-hidden': 'true' }, t('nav.weekShort'))));
    const dayFmt = new Intl.DateTimeFormat(locale, { weekday: 'narrow' });
    const dayLong = new Intl.DateTimeFormat(locale, { weekday: 'long' });
    for (let i = 0; i < 7; i++) {
      const d = new Date(2024, 0, 7 + ((this.firstDay + i) % 7)); // 2024-01-07 is a Sunday
      head.append(h('th', { scope: 'col', abbr: dayLong.format(d) }, dayFmt.format(d)));
    }
    table.append(h('thead', {}, head));
    const body = h('tbody', {});
    const start = new Date(this.month);
    start.setDate(1 - ((start.getDay() - this.firstDay + 7) % 7));
    const labelFmt = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    const focusTarget = focusDay ?? (this.selected.getMonth() === this.month.getMonth() ? this.selected : this.month);
    const today = this.today();
    const cur = new Date(start);
    for (let w = 0; w < 6; w++) {
      const row = h('tr', {});
      if (iso) row.append(h('td', { class: 'mm-wk' }, String(isoWeek(cur))));
      for (let i = 0; i < 7; i++) {
        const day = new Date(cur);
        const btn = h(
          'button',
          {
            type: 'button',
            class: `mm-day${day.getMonth() !== this.month.getMonth() ? ' mm-out' : ''}${sameDay(day, this.selected) ? ' mm-selected' : ''}`,
            'aria-label': labelFmt.format(day),
            'aria-current': sameDay(day, today) ? 'date' : null,
            'aria-pressed': sameDay(day, this.selected) ? 'true' : 'false',
            tabindex: sameDay(day, focusTarget) ? 0 : -1,
            'data-date': day.toDateString(),
            onclick: () => {
              this.selected = day;
              this.render(day);
              this.onPick(day);
            },
          },
          String(day.getDate()),
        );
        btn.addEventListener('keydown', (e) => this.key(e, day));
        row.append(h('td', {}, btn));
        cur.setDate(cur.getDate() + 1);
      }
      body.append(row);
    }
    table.append(body);
    this.el.append(table);
    if (focusDay) (this.el.querySelector(`[data-date="${focusDay.toDateString()}"]`) as HTMLElement | null)?.focus();
  }

  private key(e: KeyboardEvent, day: Date): void {
    const step: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    if (!(e.key in step)) return;
    e.preventDefault();
    const next = new Date(day);
    next.setDate(next.getDate() + step[e.key]);
    if (next.getMonth() !== this.month.getMonth()) this.month = new Date(next.getFullYear(), next.getMonth(), 1);
    this.render(next);
  }
}
