// Builds the browser bundle (ESM, minified, protobuf runtime included) and checks
// its size budget: at most 25 KB minified + gzipped.
//   node scripts/bundle.mjs            build dist/switchboard-client.min.js, print the size
//   node scripts/bundle.mjs --vendor   also copy it to the demo web client (switchboard/src/main/resources/web/vendor/)
//   node scripts/bundle.mjs --check    fail when the web client's copy differs from a fresh build (stale)
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const out = join(root, "dist", "switchboard-client.min.js");
const vendored = join(root, "..", "..", "switchboard", "src", "main", "resources", "web", "vendor", "switchboard-client.js");
const BUDGET = 25 * 1024;

const result = await build({
  entryPoints: [join(root, "src", "index.ts")],
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  legalComments: "none",
  write: false,
  banner: { js: `// ${pkg.name} ${pkg.version}: built from clients/js by \`npm run build\` (do not edit; see clients/js/README.md)` },
});
const code = result.outputFiles[0].contents;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, code);
const gz = gzipSync(code, { level: 9 }).length;
console.log(`browser bundle: ${code.length} bytes minified, ${gz} bytes (${(gz / 1024).toFixed(1)} KB) minified + gzipped, budget ${BUDGET / 1024} KB`);
if (gz > BUDGET) {
  console.error(`over the size budget by ${gz - BUDGET} bytes`);
  process.exit(1);
}
if (process.argv.includes("--vendor")) {
  mkdirSync(dirname(vendored), { recursive: true });
  writeFileSync(vendored, code);
  console.log(`copied to ${vendored}`);
}
if (process.argv.includes("--check")) {
  const same = existsSync(vendored) && Buffer.compare(readFileSync(vendored), Buffer.from(code)) === 0;
  if (!same) {
    console.error(`stale: ${vendored} differs from a fresh build; run \`npm run vendor\` in clients/js and commit it`);
    process.exit(1);
  }
  console.log("the web client's copy of the bundle is up to date");
}
