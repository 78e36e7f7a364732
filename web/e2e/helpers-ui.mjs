// Page-level gestures of the e2e tests: where an hour is in the week grid, dragging,
// filling the editor.
import { WEB } from './lib.mjs';

/** Today in Europe/Paris (the tests' browser zone) as {y, m, d, ymd: 'YYYY-MM-DD'}. */
export function parisToday(offsetDays = 0) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(Date.now() + offsetDays * 86400000))
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, p.value]),
  );
  return { ymd: `${parts.year}-${parts.month}-${parts.day}`, compact: `${parts.year}${parts.month}${parts.day}` };
}

/** Page coordinates of hour `hour` (fractional) in today's column of a time grid. */
export async function gridPoint(page, hour) {
  const day = page.locator('.ec-body .ec-day.ec-today').first();
  const box = await day.boundingBox();
  const hourH = await hourHeight(page);
  return { x: box.x + box.width / 2, y: box.y + hour * hourH };
}

/** Height of one hour in the time grid (the side labels are one per hour). */
export async function hourHeight(page) {
  return page.locator('.ec-body .ec-sidebar .ec-slot').nth(1).evaluate((e) => e.getBoundingClientRect().height);
}

export async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  const steps = 12;
  for (let i = 1; i <= steps; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
  await page.mouse.up();
}

export async function fillEditor(page, { title, date, start, end, location }) {
  const dialog = page.locator('dialog.editor');
  await dialog.waitFor();
  if (title !== undefined) await dialog.locator('input[id^=ed-title]').fill(title);
  if (location !== undefined) await dialog.locator('input[id^=ed-loc]').fill(location);
  if (date) {
    await dialog.locator('input[id^=ed-sd]').fill(date);
    await dialog.locator('input[id^=ed-ed]').fill(date);
  }
  if (start) await dialog.locator('input[id^=ed-st]').fill(start);
  if (end) await dialog.locator('input[id^=ed-et]').fill(end);
  return dialog;
}

export async function goHome(page) {
  await page.goto(WEB + '/');
}
