import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {classify, type Rule} from '../../src/index.ts';
import {brightdata} from '../../src/vendors/brightdata/brightdata.ts';
import {brightdataCodes} from '../../src/vendors/brightdata/codes.ts';

/** One message of the seed: the endpoint it is listed under, its HTTP status and the raw table cell. */
type SeedEntry = {readonly endpoint: string; readonly status: number; readonly cell: string};

const repoRoot = path.resolve(import.meta.dirname, '../..');
const seedPath = path.resolve(repoRoot, '../shared/seeds/000_5e482a66e27bc871.txt');
const copyPath = path.resolve(repoRoot, 'test/fixtures/brightdata/seed-000.json');

/** Messages per endpoint in the seed; a parser that finds other numbers is broken. */
const SEED_COUNTS: Readonly<Record<string, number>> = {
  'POST /datasets/v3/trigger': 10,
  'GET /datasets/v3/snapshot/:snapshot_id': 7,
  'GET /datasets/v3/snapshot/:snapshot_id/parts': 4,
  'GET /datasets/v3/snapshot/:snapshot_id/input': 3,
  'POST /datasets/v3/snapshot/:snapshot_id/cancel': 3,
  'GET /datasets/v3/progress/:snapshot_id': 13,
  'GET /datasets/v3/delivery/:delivery_id': 2,
  'POST /datasets/v3/deliver/:snapshot_id': 10,
  'GET /datasets/v3/snapshots': 2,
};
const SEED_TOTAL = 54;

/**
 * The seed gives one message only in translation; this is the English BrightData sends (its
 * error-codes page), with the same placeholders.
 */
const TRANSLATIONS: Readonly<Record<string, string>> = {
  您对该数据集的运行任务过多:
    'You have too many running jobs for this dataset. Please wait until some of them finish or consider combining multiple inputs into a single request. Running jobs: RUNNING_JOBS>=JOBS_LIMIT',
};

/** Parses the per-endpoint tables: an endpoint line `` `GET` `/path` ``, then `| status | message |` rows. */
const parseSeed = (text: string): SeedEntry[] => {
  const entries: SeedEntry[] = [];
  let endpoint: string | undefined;
  let status: number | undefined;
  for (const line of text.split('\n')) {
    const heading = /^`(GET|POST|PUT|DELETE)`\s+`(\/[^`]+)`\s*$/.exec(line.trim());
    if (heading !== null) {
      endpoint = `${heading[1]} ${heading[2]}`;
      status = undefined;
      continue;
    }
    const cells = line.trim().startsWith('|') ? line.trim().slice(1, -1).split('|') : [];
    const [statusCell = '', cell = ''] = cells.map((part) => part.trim());
    if (endpoint === undefined || cells.length !== 2 || /^:?-+:?$/.test(cell)) {
      continue;
    }
    if (/^\d{3}$/.test(statusCell)) {
      status = Number(statusCell);
    } else if (statusCell !== '') {
      continue; // the header row
    }
    if (status !== undefined && cell !== '') {
      entries.push({endpoint, status, cell});
    }
  }
  return entries;
};

/** What goes over the wire for one seed cell: a JSON shape, or the English message. */
type Wire =
  | {readonly kind: 'json'; readonly value: Record<string, unknown>}
  | {readonly kind: 'text'; readonly text: string};

const unescapeMarkdown = (cell: string): string => cell.replace(/\\([_{}])/g, '$1');

/** `{status: "building", message: "…"}` and `{validation_errors: [ERRORS]}` as JSON values. */
const shapeToJson = (shape: string): Record<string, unknown> =>
  JSON.parse(
    shape.replace(/([{,]\s*)([A-Za-z_]+)\s*:/g, '$1"$2":').replace(/\[([A-Z_]+)\]/g, '["$1"]'),
  ) as Record<string, unknown>;

const wireOf = (cell: string): Wire => {
  const text = unescapeMarkdown(cell);
  const shape = /^`?(\{[^}]*\})`?/.exec(text);
  if (shape?.[1] !== undefined) {
    return {kind: 'json', value: shapeToJson(shape[1])};
  }
  const plain = text.replace(/`/g, '');
  const cjk = plain.search(/[\u3000-\u9fff\uff00-\uffef]/);
  const english = (cjk === -1 ? plain : plain.slice(0, cjk)).trim();
  if (english !== '') {
    return {kind: 'text', text: english};
  }
  const translated = Object.entries(TRANSLATIONS).find(([chinese]) => plain.startsWith(chinese))?.[1];
  if (translated === undefined) {
    throw new Error(`No English for seed message ${cell}`);
  }
  return {kind: 'text', text: translated};
};

const isProgress = (entry: SeedEntry): boolean => entry.endpoint.startsWith('GET /datasets/v3/progress/');

/** The response BrightData sends for a seed message: progress failures arrive in a 200 status body. */
const responseOf = (entry: SeedEntry, wire: Wire): {status: number; body: unknown} => {
  if (wire.kind === 'json') {
    return {status: entry.status, body: wire.value};
  }
  if (isProgress(entry) && entry.status === 200) {
    return {status: 200, body: {snapshot_id: 's_seed', status: 'failed', error_message: wire.text}};
  }
  return {status: entry.status, body: wire.text};
};

const seedText = existsSync(seedPath) ? readFileSync(seedPath, 'utf8') : undefined;
const entries: SeedEntry[] =
  seedText === undefined ? (JSON.parse(readFileSync(copyPath, 'utf8')) as SeedEntry[]) : parseSeed(seedText);
const table = brightdataCodes as Readonly<Record<string, Rule>>;
const cases = entries.map((entry) => ({...entry, wire: wireOf(entry.cell)}));

describe('BrightData seed (000): every message of every endpoint is classified', () => {
  test('finds every message of the seed, endpoint by endpoint', () => {
    expect(entries).toHaveLength(SEED_TOTAL);
    const counts: Record<string, number> = {};
    for (const {endpoint} of entries) {
      counts[endpoint] = (counts[endpoint] ?? 0) + 1;
    }
    expect(counts).toEqual(SEED_COUNTS);
  });

  test('only the one message given in translation needed the English from the error-codes page', () => {
    const translated = entries.filter(({cell}) =>
      /^[\u3000-\u9fff]/.test(unescapeMarkdown(cell).replace(/`/g, '')),
    );
    expect(translated.map(({status}) => status)).toEqual([429]);
  });

  test.each(cases)('$endpoint $status: $cell', (entry) => {
    const {status, body} = responseOf(entry, entry.wire);
    const verdict = classify(brightdata, {status, body});
    expect(verdict.action).not.toBe('ok');
    if (verdict.action === 'ok') return;
    const code = String(verdict.code);
    const row = table[code];
    expect(row, `row for ${code}`).toBeDefined();
    expect(row?.endpoints).toContain(entry.endpoint);
    const generic = entry.wire.kind === 'json' && entry.wire.value.error_message === 'ERROR_MESSAGE';
    // Only the seed's own generic `{status: "failed", error_message}` may land on the fallback row.
    expect(code === 'job_failed').toBe(generic);
    const message =
      entry.wire.kind === 'text'
        ? entry.wire.text
        : typeof entry.wire.value.message === 'string'
          ? entry.wire.value.message
          : undefined;
    if (message !== undefined) {
      expect(row?.message?.toLowerCase()).toBe(message.toLowerCase());
    }
    if (!isProgress(entry) || status !== 200) {
      expect(row?.status === status || row?.byStatus?.[status] !== undefined).toBe(true);
    }
  });

  test.skipIf(seedText === undefined)('the checked-in copy of the seed messages is in sync', async () => {
    await expect(`${JSON.stringify(entries, null, 2)}\n`).toMatchFileSnapshot(copyPath);
  });
});
