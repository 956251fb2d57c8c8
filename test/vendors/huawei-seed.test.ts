import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import type {Rule} from '../../src/core/rule.ts';
import {huaweiCloud} from '../../src/vendors/huawei/huawei-cloud.ts';
import {octopusCodes} from '../../src/vendors/huawei/octopus-codes.ts';
import checkedIn from '../fixtures/huawei/seed-codes.json' with {type: 'json'};

type SeedRow = {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly description: string;
  readonly handling: string;
};

const repoRoot = path.resolve(import.meta.dirname, '../..');
const seedPath = path.resolve(repoRoot, '../shared/seeds/003_d8608c0653b54864.txt');
const seedText = existsSync(seedPath) ? readFileSync(seedPath, 'utf8') : undefined;

/** One table line of the seed: `400 | octopus.400000 | message | 描述 | 处理措施 |`. */
const tableRow = /^(\d{3}) \| (octopus\.\d{6}) \| ([^|]+?) \| ([^|]+?) \| ([^|]+?) \|\s*$/gm;

const parseSeed = (text: string): SeedRow[] =>
  [...text.matchAll(tableRow)].map(([, status, code, message, description, handling]) => ({
    status: Number(status),
    code: code ?? '',
    message: message ?? '',
    description: description ?? '',
    handling: handling ?? '',
  }));

const seedRows: readonly SeedRow[] = seedText === undefined ? checkedIn : parseSeed(seedText);
const table: Readonly<Record<string, Rule>> = octopusCodes;

// Seed wording for "wait, then try again": 请稍后重试, 请稍后再试, 或稍后再试, 请稍等后重试, 请等待…后重试.
const saysRetryLater = /稍后|稍等|等待/;

describe('the Octopus table against seed 003', () => {
  test('the seed parses into 70 table rows of 68 distinct codes', () => {
    // octopus.101006 is listed three times (segments, packages, data warehouse).
    expect(seedRows).toHaveLength(70);
    expect(new Set(seedRows.map((row) => row.code)).size).toBe(68);
  });

  test.runIf(seedText !== undefined)('the checked-in code list matches the seed', () => {
    expect(checkedIn).toEqual(parseSeed(seedText ?? ''));
  });

  test.each(seedRows)('$code is a row with the seed status $status and its message', (seed) => {
    const row = table[seed.code];
    expect(row).toBeDefined();
    expect(row?.status).toBe(seed.status);
    expect(row?.message).toContain(seed.message);
  });

  test.each(seedRows.filter((row) => saysRetryLater.test(row.handling)))(
    '$code, which the seed says to retry later, is not a plain failure',
    (seed) => {
      expect(table[seed.code]?.action).not.toBe('fail');
    },
  );

  test('13 seed rows say to retry later', () => {
    expect(seedRows.filter((row) => saysRetryLater.test(row.handling))).toHaveLength(13);
  });

  test('the table holds exactly the seed codes', () => {
    expect(Object.keys(octopusCodes).sort()).toEqual([...new Set(seedRows.map((row) => row.code))].sort());
  });

  test.runIf(seedText !== undefined)(
    'every octopus code the seed mentions is a row, but for the typo in its example',
    () => {
      const mentioned = new Set((seedText ?? '').match(/octopus\.\d{6}/g));
      // The envelope example in the seed shows octopus.402009 with the message of octopus.400009;
      // its own tables never list it, so it is a typo and has no row.
      expect(mentioned.has('octopus.402009')).toBe(true);
      mentioned.delete('octopus.402009');
      expect([...mentioned].filter((code) => table[code] === undefined)).toEqual([]);
    },
  );

  test('the vendor resolves every seed code to its row', () => {
    for (const seed of seedRows) {
      const row = table[seed.code];
      expect(huaweiCloud.codes[seed.code as keyof typeof octopusCodes]).toBe(row);
    }
  });
});
