/**
 * @module `npm run docs:codes`: writes docs/vendors/<vendor>.md from the code tables.
 * With `--check`, writes nothing and exits 1 when a page is stale.
 */
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import {dirname, resolve} from 'node:path';
import {codeDocs} from './code-docs.ts';

const root = resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const {file, text} of codeDocs()) {
  const path = resolve(root, file);
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === text) {
    continue;
  }
  if (check) {
    console.error(`stale: ${file} (run npm run docs:codes)`);
    stale++;
  } else {
    await mkdir(dirname(path), {recursive: true});
    await writeFile(path, text);
    console.log(`wrote ${file}`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
