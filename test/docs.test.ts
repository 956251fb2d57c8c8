import {readFile} from 'node:fs/promises';
import {resolve} from 'node:path';
import {expect, test} from 'vitest';
import {codeDocs} from '../scripts/code-docs.ts';

const root = resolve(import.meta.dirname, '..');

test.each(codeDocs().map((doc) => [doc.file, doc.text] as const))(
  '%s is up to date with its code table (npm run docs:codes)',
  async (file, text) => {
    const current = await readFile(resolve(root, file), 'utf8').catch(() => '(missing)');
    expect(current).toBe(text);
  },
);
