// Builds dist/: index.html and assets/app-<hash>.{js,css} (names carry a content
// hash so that the server may cache them forever).
import { build } from "esbuild";
import { readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { basename } from "node:path";

rmSync("dist", { recursive: true, force: true });
mkdirSync("dist/assets", { recursive: true });
const result = await build({
  entryPoints: { app: "src/main.ts" },
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  outdir: "dist/assets",
  entryNames: "[name]-[hash]",
  metafile: true,
});
const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
let html = readFileSync("index.html", "utf8");
for (const ext of ["js", "css"]) {
  const file = outputs.find((name) => name.startsWith("app-") && name.endsWith(`.${ext}`));
  if (!file) throw new Error(`esbuild produced no app .${ext}`);
  html = html.replace(`{{app.${ext}}}`, file);
}
writeFileSync("dist/index.html", html);
