// The French and English catalogues name the same keys (a new language is one more
// catalogue with these keys), and no message is empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const load = (lang) => JSON.parse(readFileSync(new URL(`../src/i18n/${lang}.json`, import.meta.url), 'utf8'));
function* keys(obj, prefix = '') {
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === 'object') yield* keys(v, `${prefix}${k}.`);
    else yield [`${prefix}${k}`, v];
  }
}

test('French and English have the same keys, none empty', () => {
  const en = new Map(keys(load('en')));
  const fr = new Map(keys(load('fr')));
  assert.deepEqual([...en.keys()].filter((k) => !fr.has(k)), [], 'missing in fr.json');
  assert.deepEqual([...fr.keys()].filter((k) => !en.has(k)), [], 'missing in en.json');
  for (const [lang, map] of [['en', en], ['fr', fr]]) {
    assert.deepEqual([...map].filter(([, v]) => typeof v !== 'string' || !v.trim()).map(([k]) => k), [], `empty in ${lang}.json`);
  }
});
