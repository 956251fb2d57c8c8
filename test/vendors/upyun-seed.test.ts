import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {codeNotes} from '../../scripts/code-notes.ts';
import type {Rule} from '../../src/index.ts';
import {upyunCodes} from '../../src/vendors/upyun/codes.ts';

type SeedCode = {
  readonly status: number;
  readonly code: number;
  readonly message: string;
  readonly detail?: string;
};

const repoRoot = path.resolve(import.meta.dirname, '../..');
const seedPath = path.resolve(repoRoot, '../shared/seeds/002_e31abcfa884893ed.txt');
const copyPath = path.resolve(repoRoot, 'test/fixtures/upyun/seed-codes.json');
const codesPath = path.resolve(repoRoot, 'src/vendors/upyun/codes.ts');

/** How many codes UPYUN's error table lists; a parser that finds fewer is broken. */
const SEED_CODE_COUNT = 254;

/** Rows the table has beyond the seed, each documented in a note. */
const BEYOND_SEED = [42900003];

/** Parses the rows `HTTP status | code | msg | detail |` of UPYUN's error table. */
const parseSeed = (text: string): SeedCode[] => {
  const codes: SeedCode[] = [];
  for (const line of text.split('\n')) {
    const [status = '', code = '', message = '', detail = ''] = line.split('|').map((cell) => cell.trim());
    if (/^\d{3}$/.test(status) && /^\d{8}$/.test(code)) {
      codes.push({
        status: Number(status),
        code: Number(code),
        message,
        ...(detail === '' ? {} : {detail}),
      });
    }
  }
  return codes;
};

const seedText = existsSync(seedPath) ? readFileSync(seedPath, 'utf8') : undefined;
const checkedInCopy = JSON.parse(readFileSync(copyPath, 'utf8')) as SeedCode[];
const seedCodes = seedText === undefined ? checkedInCopy : parseSeed(seedText);
const table = upyunCodes as Readonly<Record<number, Rule>>;

describe('UPYUN seed (002): every documented code is classified', () => {
  test('finds every code of the seed, each once', () => {
    expect(seedCodes).toHaveLength(SEED_CODE_COUNT);
    expect(new Set(seedCodes.map(({code}) => code)).size).toBe(SEED_CODE_COUNT);
  });

  test.each(seedCodes)(
    '$code ($message) is a row with the seed status $status',
    ({status, code, message}) => {
      const row = table[code];
      expect(row).toBeDefined();
      expect(row?.status).toBe(status);
      expect(row?.message).toBe(message);
    },
  );

  test('the table has no rows beyond the seed except documented ones', () => {
    const seedSet = new Set(seedCodes.map(({code}) => code));
    const extra = Object.keys(upyunCodes)
      .map(Number)
      .filter((code) => !seedSet.has(code));
    expect(extra).toEqual(BEYOND_SEED);
    for (const code of extra) {
      expect(table[code]).toBeDefined();
      expect(codeNotes('upyun').get(String(code))).toMatch(/not in the seed/i);
    }
  });

  test('the table source lists the codes in the order of the seed', () => {
    // Integer keys are iterated in ascending order at run time, so the source text is what keeps the seed order.
    const source = readFileSync(codesPath, 'utf8');
    const sourceOrder = [...source.matchAll(/^ {2}(\d{8}): /gm)].map((match) => Number(match[1]));
    const expected = seedCodes.map(({code}) => code);
    expected.splice(expected.indexOf(42900002) + 1, 0, ...BEYOND_SEED);
    expect(sourceOrder).toEqual(expected);
  });

  test.skipIf(seedText === undefined)('the checked-in copy of the code list is in sync with the seed', () => {
    expect(checkedInCopy).toEqual(parseSeed(seedText ?? ''));
  });
});
