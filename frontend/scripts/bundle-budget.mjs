// Prints the gzipped JavaScript each page loads at start (its entry chunk plus every chunk that
// entry imports statically) and fails when a page is over its budget. Chunks loaded lazily
// (dynamic import) are listed apart: they do not count toward the first screen.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url);
const KB = 1000;
const budgets = {
  'index.html': 200 * KB, // the owner app's first screen
  'share.html': 60 * KB, // recipients
  'request.html': 60 * KB, // uploaders to a file request (the upload area loads after, lazily)
};

const manifest = JSON.parse(await readFile(new URL('.vite/manifest.json', dist), 'utf8'));
const gz = async (file) => gzipSync(await readFile(new URL(file, dist))).length;

function staticClosure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const imported of manifest[key].imports ?? []) staticClosure(imported, seen);
  return seen;
}

let failed = false;
const counted = new Set();
for (const [page, budget] of Object.entries(budgets)) {
  const entry = manifest[page];
  if (!entry?.isEntry) throw new Error(`${page} is not an entry of the build`);
  let total = 0;
  for (const key of staticClosure(page)) {
    counted.add(manifest[key].file);
    total += await gz(manifest[key].file);
  }
  const over = total > budget;
  failed ||= over;
  console.log(
    `${over ? 'OVER ' : 'ok   '} ${page.padEnd(11)} ${(total / KB).toFixed(1).padStart(6)} kB gzipped JS at start (budget ${budget / KB} kB)`,
  );
}
const lazy = Object.values(manifest).filter((c) => c.file.endsWith('.js') && !counted.has(c.file));
for (const chunk of lazy) {
  console.log(`lazy  ${chunk.file.padEnd(40)} ${((await gz(chunk.file)) / KB).toFixed(1).padStart(6)} kB gzipped`);
}
if (failed) {
  console.error('A page is over its JavaScript budget.');
  process.exit(1);
}
