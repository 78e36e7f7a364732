// Builds the page into dist/: assets/app-<hash>.js and .css (esbuild, content-hashed names)
// plus the icon, and index.html referencing them. No inline script or style: the server's CSP is 'self'.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, 'assets'), { recursive: true });

const result = await build({
  entryPoints: { app: join(root, 'src/main.ts') },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  outdir: join(dist, 'assets'),
  metafile: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});

const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const js = outputs.find((f) => /^app-.*\.js$/.test(f));
const css = outputs.find((f) => /^app-.*\.css$/.test(f));
if (!js || !css) throw new Error(`build produced no app js/css: ${outputs.join(', ')}`);
// The icon, content-hashed like the rest so that it can be cached for good.
const svg = await readFile(join(root, 'src/favicon.svg'));
const icon = `favicon-${createHash('sha256').update(svg).digest('hex').slice(0, 8).toUpperCase()}.svg`;
await writeFile(join(dist, 'assets', icon), svg);
const html = (await readFile(join(root, 'index.html'), 'utf8')).replace('%JS%', js).replace('%CSS%', css).replace('%ICON%', icon);
await writeFile(join(dist, 'index.html'), html);
console.log(`built dist/index.html, assets/${js}, assets/${css}`);
