/**
 * @module The notes of the built-in code tables. A note is the one-line doc comment above a row
 * (`/** Why this row departs from its status. *\/`), so it sits where people read the table and
 * shows in editor hovers, while the shipped JavaScript carries no prose that only docs need.
 * The generated docs and the tests read the notes from the source here.
 */
import {readFileSync} from 'node:fs';
import {resolve} from 'node:path';

const root = resolve(import.meta.dirname, '..');

/** The source files that hold each built-in vendor's rows (code tables and status rows). */
export const codeNoteFiles: Readonly<Record<string, readonly string[]>> = {
  brightdata: ['src/vendors/brightdata/codes.ts', 'src/vendors/brightdata/brightdata.ts'],
  upyun: ['src/vendors/upyun/codes.ts', 'src/vendors/upyun/upyun.ts'],
  huawei: [
    'src/vendors/huawei/apigw-codes.ts',
    'src/vendors/huawei/octopus-codes.ts',
    'src/vendors/huawei/huawei-cloud.ts',
  ],
  supametas: ['src/vendors/supametas/codes.ts', 'src/vendors/supametas/supametas.ts'],
};

// A one-line doc comment directly above `key: {`, `key: row(` or `key: 'message'` (a row with its
// status's usual handling) at the same indentation; keys as written (quoted, bare or numeric).
const noteAboveRow = /^( *)\/\*\* (.+?) \*\/\n\1(?:'([^']+)'|"([^"]+)"|([\w.]+)): (?:\{|row\(|')/gm;

/**
 * The notes in one source text, by row key as a string.
 *
 * @example
 * ```ts
 * parseCodeNotes("  /** A 400 that means not found. *\/\n  40001045: row('not found', notFound),"); // Map {'40001045' => 'A 400 that means not found.'}
 * ```
 */
export const parseCodeNotes = (source: string): ReadonlyMap<string, string> => {
  const notes = new Map<string, string>();
  for (const match of source.matchAll(noteAboveRow)) {
    const key = match[3] ?? match[4] ?? match[5];
    if (key !== undefined && match[2] !== undefined) notes.set(key, match[2]);
  }
  return notes;
};

/** The notes of a built-in vendor (by its `name`), keyed by code or status as a string. */
export const codeNotes = (vendorName: string): ReadonlyMap<string, string> => {
  const notes = new Map<string, string>();
  for (const file of codeNoteFiles[vendorName] ?? []) {
    for (const [key, note] of parseCodeNotes(readFileSync(resolve(root, file), 'utf8'))) notes.set(key, note);
  }
  return notes;
};
