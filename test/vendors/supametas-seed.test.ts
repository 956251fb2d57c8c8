import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {statusRule} from '../../src/classify/default-status-rules.ts';
import {classify, type Rule} from '../../src/index.ts';
import {SUPAMETAS_CODE_MEANINGS, supametasCodes} from '../../src/vendors/supametas/codes.ts';
import {supametas} from '../../src/vendors/supametas/supametas.ts';

type SeedCode = {readonly code: string; readonly message: string};
type SeedStatus = {readonly status: number; readonly reason: string; readonly meaning: string};
type Seed = {readonly codes: readonly SeedCode[]; readonly statuses: readonly SeedStatus[]};

const repoRoot = path.resolve(import.meta.dirname, '../..');
const seedPath = path.resolve(repoRoot, '../shared/seeds/001_aae1616acab0a014.txt');
const copyPath = path.resolve(repoRoot, 'test/fixtures/supametas/seed-001.json');

/** What the seed documents: 4 business codes; 4 + 4 + 8 + 3 HTTP statuses (2xx, 3xx, 4xx, 5xx). */
const SEED_CODE_COUNT = 4;
const SEED_STATUS_COUNT = 19;

/** Parses `OPS40001` lines (each followed by its message) and the `HTTP 403 Forbidden:…` bullets. */
const parseSeed = (text: string): Seed => ({
  codes: [...text.matchAll(/^\s*(OPS\d{5})\s*\n\s*\n?\s*(\S[^\n]*)$/gm)].map(
    ([, code = '', message = '']) => ({
      code,
      message: message.trim(),
    }),
  ),
  statuses: [...text.matchAll(/HTTP (\d{3}) ([A-Za-z][A-Za-z ]*?)\s*:([^\n]*)/g)].map(
    ([, status = '', reason = '', meaning = '']) => ({
      status: Number(status),
      reason,
      meaning: meaning.trim(),
    }),
  ),
});

const seedText = existsSync(seedPath) ? readFileSync(seedPath, 'utf8') : undefined;
const seed: Seed =
  seedText === undefined ? (JSON.parse(readFileSync(copyPath, 'utf8')) as Seed) : parseSeed(seedText);
const table = supametasCodes as Readonly<Record<string, Rule>>;
const statuses = supametas.statuses as Readonly<Record<string, Rule>>;
const errorStatuses = seed.statuses.filter(({status}) => status >= 400);

describe('Supametas seed (001): every business code and HTTP status is classified', () => {
  test('finds every code and status of the seed', () => {
    expect(seed.codes.map(({code}) => code)).toEqual(['OPS40001', 'OPS40002', 'OPS40003', 'OPS40004']);
    expect(seed.codes).toHaveLength(SEED_CODE_COUNT);
    expect(seed.statuses).toHaveLength(SEED_STATUS_COUNT);
    expect(Object.keys(supametasCodes)).toHaveLength(SEED_CODE_COUNT);
  });

  test.each(seed.codes)('$code ($message) is a validation row with the seed message', ({code, message}) => {
    expect(table[code]).toMatchObject({status: 400, message, category: 'validation', action: 'fail'});
  });

  test.each(seed.codes)(
    '$code fails in an HTTP 200 as in a 400, its English meaning beside the message',
    ({code, message}) => {
      const meaning = (SUPAMETAS_CODE_MEANINGS as Record<string, string>)[code];
      expect(meaning).toMatch(/^[\x20-\x7e]+$/);
      for (const status of [200, 400]) {
        expect(classify(supametas, {status, body: {code, message, data: null}})).toMatchObject({
          action: 'fail',
          category: 'validation',
          code,
          message: /[\u4e00-\u9fff]/.test(message) ? `${message} (${meaning})` : message,
          status,
        });
      }
    },
  );

  test.each(errorStatuses)('HTTP $status $reason has its own status rule', ({status}) => {
    const rule = statuses[status];
    expect(rule).toBeDefined();
    expect(rule?.status).toBe(status);
    expect(statusRule(status, statuses)).toBe(rule);
    const verdict = classify(supametas, {status, body: undefined});
    expect(verdict).toMatchObject({action: rule?.action, category: rule?.category, status});
  });

  test.each(seed.statuses.filter(({status}) => status < 300))(
    'HTTP $status $reason with code "0" is success',
    ({status}) => {
      expect(classify(supametas, {status, body: {code: '0', message: null, data: {}}})).toEqual({
        vendor: 'supametas',
        action: 'ok',
      });
    },
  );

  test('the status table documents no status the seed does not', () => {
    expect(Object.keys(statuses).map(Number).sort()).toEqual(errorStatuses.map(({status}) => status).sort());
  });

  test.skipIf(seedText === undefined)('the checked-in copy of the seed is in sync', async () => {
    await expect(`${JSON.stringify(seed, null, 2)}\n`).toMatchFileSnapshot(copyPath);
  });
});
