import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {RecordStreamError, snapshotRecords} from '../../src/vendors/brightdata/index.ts';
import {useLoopback} from '../helpers/loopback.ts';

/** `npm run test:stress` sets STRESS=1 for the long runs CI makes. */
const numRuns = process.env.STRESS ? 5_000 : 200;

/** A body delivered in exactly these byte chunks, then closed (or broken, with `error`). */
const chunked = (chunks: readonly Uint8Array[], options: {error?: boolean} = {}) => {
  let pulls = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[pulls++];
      if (chunk !== undefined) controller.enqueue(chunk);
      else if (options.error === true) controller.error(new TypeError('terminated'));
      else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return {response: new Response(stream), pulls: () => pulls, cancelled: () => cancelled};
};

const bytes = (text: string) => new TextEncoder().encode(text);

/** Cuts `whole` at the given byte offsets. */
const cutAt = (whole: Uint8Array, offsets: readonly number[]): Uint8Array[] => {
  const points = [...new Set(offsets.map((offset) => Math.min(offset, whole.byteLength)))].sort(
    (a, b) => a - b,
  );
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, whole.byteLength]) {
    if (point > start) pieces.push(whole.slice(start, point));
    start = point;
  }
  return pieces;
};

/** Reads every record, or the error that ended the reading, with the records handed out before. */
const readAll = async (response: Response, maxLineBytes?: number) => {
  const records: unknown[] = [];
  const options = maxLineBytes === undefined ? {} : {maxLineBytes};
  try {
    for await (const record of snapshotRecords(response, options)) records.push(record);
    return {records, error: undefined};
  } catch (error) {
    return {records, error};
  }
};

/** The same through `forEach`, which must agree with `for await` in everything. */
const readAllEach = async (response: Response, maxLineBytes?: number) => {
  const records: unknown[] = [];
  const options = maxLineBytes === undefined ? {} : {maxLineBytes};
  try {
    await snapshotRecords(response, options).forEach((record) => {
      records.push(record);
    });
    return {records, error: undefined};
  } catch (error) {
    return {records, error};
  }
};

describe('snapshotRecords: lines and characters across chunks', () => {
  test('joins a line split over three chunks', async () => {
    const {response} = chunked([bytes('{"a":1}\n{"na'), bytes('me":"lo'), bytes('ng"}\n{"a":3}\n')]);
    expect((await readAll(response)).records).toEqual([{a: 1}, {name: 'long'}, {a: 3}]);
  });

  test.each([
    ['two-byte é', 'é'],
    ['three-byte ✓', '✓'],
    ['four-byte 😀 (a surrogate pair)', '😀'],
  ])('decodes a %s cut between chunks at every byte', async (_name, character) => {
    const whole = bytes(`{"t":"a${character}b"}\n{"t":"${character}"}\n`);
    const start = whole.indexOf(bytes(character)[0] ?? 0);
    for (let cut = start + 1; cut < start + bytes(character).byteLength; cut++) {
      const {response} = chunked(cutAt(whole, [cut]));
      const {records, error} = await readAll(response);
      expect(error).toBeUndefined();
      expect(records).toEqual([{t: `a${character}b`}, {t: character}]);
    }
  });

  test('accepts CRLF line ends, also with the CR and the LF in different chunks', async () => {
    const {response} = chunked([bytes('{"a":1}\r\n{"a":2}\r'), bytes('\n\r\n{"a":3}\r\n')]);
    expect((await readAll(response)).records).toEqual([{a: 1}, {a: 2}, {a: 3}]);
  });

  test('hands out a final line without its newline', async () => {
    const {response} = chunked([bytes('{"a":1}\n{"a":'), bytes('2}')]);
    expect(await readAll(response)).toEqual({records: [{a: 1}, {a: 2}], error: undefined});
  });

  test('skips blank and whitespace-only lines but counts them', async () => {
    const {response} = chunked([bytes('\n  \n{"a":1}\n\t\r\n'), bytes('oops\n')]);
    const {records, error} = await readAll(response);
    expect(records).toEqual([{a: 1}]);
    expect(error).toMatchObject({problem: 'malformed', line: 5, records: 1});
  });

  test('an empty body and a body of blank lines have no records', async () => {
    expect(await readAll(new Response(''))).toEqual({records: [], error: undefined});
    expect(await readAll(new Response('\n\r\n  \n'))).toEqual({records: [], error: undefined});
    expect(await readAll(new Response(null))).toEqual({records: [], error: undefined});
  });

  test('any cut of any records gives what JSON.parse gives line by line', async () => {
    const record = fc.dictionary(
      fc.string({unit: 'grapheme', maxLength: 6}),
      fc.oneof(fc.string({unit: 'grapheme', maxLength: 12}), fc.integer(), fc.boolean(), fc.constant(null)),
      {maxKeys: 4},
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, {maxLength: 12}),
        fc.array(fc.nat(600), {maxLength: 12}),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        async (records, offsets, lineEnd, finalNewline) => {
          const text =
            records.map((value) => JSON.stringify(value)).join(lineEnd) + (finalNewline ? lineEnd : '');
          const {response} = chunked(cutAt(bytes(text), offsets));
          expect(await readAll(response)).toEqual({records, error: undefined});
          const again = chunked(cutAt(bytes(text), offsets));
          expect(await readAllEach(again.response)).toEqual({records, error: undefined});
        },
      ),
      {numRuns},
    );
  });
});

describe('snapshotRecords: limits and broken bodies', () => {
  test.each([
    ['within one chunk', [`{"a":1}\n{"a":"${'x'.repeat(100)}"}\n`]],
    ['carried over chunks without a newline', ['{"a":1}\n{"a":"', 'x'.repeat(40), 'x'.repeat(40), '"}\n']],
    ['as the unfinished tail of a chunk', ['{"a":1}\n', `{"a":2}\n{"a":"${'x'.repeat(80)}`]],
  ])('throws line-too-long for a long line %s, after the records before it', async (_name, chunks) => {
    // Records after the long line keep the stream open, so a cancel reaches it.
    const {response, cancelled} = chunked([...chunks, '{"a":9}\n', '{"a":9}\n'].map(bytes));
    const viaEach = chunked([...chunks, '{"a":9}\n', '{"a":9}\n'].map(bytes));
    expect(await readAllEach(viaEach.response, 64)).toEqual(await readAll(response, 64));
    expect(viaEach.cancelled()).toBe(true);
    const {records, error} = await readAll(
      chunked([...chunks, '{"a":9}\n', '{"a":9}\n'].map(bytes)).response,
      64,
    );
    expect(error).toBeInstanceOf(RecordStreamError);
    expect(error).toMatchObject({problem: 'line-too-long', line: records.length + 1});
    expect((error as RecordStreamError).records).toBe(records.length);
    expect(records[0]).toEqual({a: 1});
    expect((error as Error).message).not.toContain('xxx');
    expect(cancelled()).toBe(true);
  });

  test('counts the limit in UTF-8 bytes, not characters', async () => {
    // 30 three-byte characters: 30 UTF-16 units, 90 bytes (plus 8 for the braces and quotes).
    const line = `{"t":"${'✓'.repeat(30)}"}`;
    expect((await readAll(new Response(`${line}\n`), 98)).records).toHaveLength(1);
    const {error} = await readAll(new Response(`${line}\n`), 97);
    expect(error).toMatchObject({problem: 'line-too-long', line: 1, records: 0});
  });

  test('counts a line carried over chunks in bytes, with a character cut between them', async () => {
    const whole = bytes(`{"t":"${'é'.repeat(40)}"}\n`);
    const pieces = cutAt(whole, [7, 21, 50]);
    expect((await readAll(chunked(pieces).response, whole.byteLength - 1)).records).toHaveLength(1);
    const {error} = await readAll(chunked(pieces).response, whole.byteLength - 2);
    expect(error).toMatchObject({problem: 'line-too-long', line: 1, records: 0});
  });

  test('reports a stream that breaks mid-record as truncated, after the whole records', async () => {
    const {response} = chunked([bytes('{"a":1}\n{"a":2}\n{"a"'), bytes(':3')], {error: true});
    const broken = chunked([bytes('{"a":1}\n{"a":2}\n{"a"'), bytes(':3')], {error: true});
    expect(await readAllEach(broken.response)).toEqual(await readAll(response));
    const {records, error} = await readAll(
      chunked([bytes('{"a":1}\n{"a":2}\n{"a"'), bytes(':3')], {error: true}).response,
    );
    expect(records).toEqual([{a: 1}, {a: 2}]);
    expect(error).toBeInstanceOf(RecordStreamError);
    expect(error).toMatchObject({problem: 'truncated', line: 3, records: 2});
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  test('reports a body that ends inside a multi-byte character as truncated', async () => {
    const whole = bytes('{"a":1}\n{"t":"✓"}');
    const {records, error} = await readAll(new Response(whole.slice(0, whole.byteLength - 3)));
    expect(records).toEqual([{a: 1}]);
    expect(error).toMatchObject({problem: 'truncated', line: 2, records: 1});
  });
});

describe('snapshotRecords: forEach', () => {
  test('hands on each record with its index, and awaits a callback that returns a promise', async () => {
    const {response} = chunked([bytes('{"a":1}\n{"a":2}\n'), bytes('{"a":3}\n')]);
    const seen: string[] = [];
    await snapshotRecords<{a: number}>(response).forEach(async (record, index) => {
      seen.push(`start ${record.a}@${index}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(`end ${record.a}`);
    });
    expect(seen).toEqual(['start 1@0', 'end 1', 'start 2@1', 'end 2', 'start 3@2', 'end 3']);
  });

  test('a throwing callback stops the read, cancels the download and rejects with its error', async () => {
    const {response, cancelled} = chunked([bytes('{"a":1}\n{"a":2}\n'), bytes('{"a":3}\n')]);
    const reason = new Error('stop');
    const seen: unknown[] = [];
    await expect(
      snapshotRecords(response).forEach((record) => {
        seen.push(record);
        throw reason;
      }),
    ).rejects.toBe(reason);
    expect(seen).toEqual([{a: 1}]);
    expect(cancelled()).toBe(true);
  });

  test('a rejecting callback does the same', async () => {
    const {response, cancelled} = chunked([bytes('{"a":1}\n'), bytes('{"a":2}\n')]);
    const reason = new Error('no');
    const rejecting = async () => {
      await Promise.resolve();
      throw reason;
    };
    await expect(snapshotRecords(response).forEach(rejecting)).rejects.toBe(reason);
    expect(cancelled()).toBe(true);
  });

  test('continues where next() left off', async () => {
    const {response} = chunked([bytes('{"a":1}\n{"a":2}\n'), bytes('{"a":3}\n')]);
    const stream = snapshotRecords(response);
    expect(await stream.next()).toEqual({done: false, value: {a: 1}});
    const rest: unknown[] = [];
    await stream.forEach((record) => {
      rest.push(record);
    });
    expect(rest).toEqual([{a: 2}, {a: 3}]);
    expect(await stream.next()).toEqual({done: true, value: undefined});
  });
});

describe('snapshotRecords: the iterator', () => {
  test('answers next() calls made before the previous one settled, in order', async () => {
    const {response} = chunked([bytes('{"a":1}\n'), bytes('{"a":2}\n{"a":3}\n')]);
    const iterator = snapshotRecords(response);
    const results = await Promise.all([iterator.next(), iterator.next(), iterator.next(), iterator.next()]);
    expect(results).toEqual([
      {done: false, value: {a: 1}},
      {done: false, value: {a: 2}},
      {done: false, value: {a: 3}},
      {done: true, value: undefined},
    ]);
  });

  test('return() cancels the download and ends the iteration', async () => {
    const {response, cancelled} = chunked([bytes('{"a":1}\n{"a":2}\n'), bytes('{"a":3}\n')]);
    const iterator = snapshotRecords(response);
    expect(await iterator.next()).toEqual({done: false, value: {a: 1}});
    expect(await iterator.return()).toEqual({done: true, value: undefined});
    expect(cancelled()).toBe(true);
    expect(await iterator.next()).toEqual({done: true, value: undefined});
  });

  test('throw() cancels the download and rethrows', async () => {
    const {response, cancelled} = chunked([bytes('{"a":1}\n{"a":2}\n'), bytes('{"a":3}\n')]);
    const iterator = snapshotRecords(response);
    await iterator.next();
    const reason = new Error('stop');
    await expect(iterator.throw(reason)).rejects.toBe(reason);
    expect(cancelled()).toBe(true);
    expect(await iterator.next()).toEqual({done: true, value: undefined});
  });

  test('await using disposes it', async () => {
    const {response, cancelled} = chunked([bytes('{"a":1}\n{"a":2}\n'), bytes('{"a":3}\n')]);
    {
      await using iterator = snapshotRecords(response);
      await iterator.next();
    }
    expect(cancelled()).toBe(true);
  });

  test('does not open the body before the first next()', async () => {
    const {response, pulls} = chunked([bytes('{"a":1}\n')]);
    const iterator = snapshotRecords(response);
    expect(response.bodyUsed).toBe(false);
    expect(pulls()).toBe(0);
    expect((await iterator.next()).value).toEqual({a: 1});
  });

  test('ends after an error: the next call is done', async () => {
    const iterator = snapshotRecords(new Response('{"a":1}\nnope\n{"a":3}\n'));
    await iterator.next();
    await expect(iterator.next()).rejects.toMatchObject({problem: 'malformed', line: 2, records: 1});
    expect(await iterator.next()).toEqual({done: true, value: undefined});
  });
});

describe('snapshotRecords over a real socket', () => {
  const loopback = useLoopback();

  test('a connection destroyed mid-record is truncated, with the records sent before it', async () => {
    loopback.handle((request, response) => {
      response.writeHead(200, {'content-type': 'application/x-ndjson', 'content-length': '1000'});
      response.write('{"a":1}\n{"a":2}\n{"a":3', () => {
        setTimeout(() => request.socket.destroy(), 20);
      });
    });
    const {records, error} = await readAll(await fetch(`${loopback.url}/snapshot`));
    expect(error).toBeInstanceOf(RecordStreamError);
    expect(error).toMatchObject({problem: 'truncated', records: records.length});
    expect(records).toEqual([{a: 1}, {a: 2}].slice(0, records.length));
  });

  test('forEach over a connection destroyed mid-record rejects as truncated, after the records sent', async () => {
    loopback.handle((request, response) => {
      response.writeHead(200, {'content-type': 'application/x-ndjson', 'content-length': '1000'});
      response.write('{"a":1}\n{"a":2}\n{"a":3', () => {
        setTimeout(() => request.socket.destroy(), 20);
      });
    });
    const {records, error} = await readAllEach(await fetch(`${loopback.url}/snapshot`));
    expect(error).toBeInstanceOf(RecordStreamError);
    expect(error).toMatchObject({problem: 'truncated', records: records.length});
    expect(records).toEqual([{a: 1}, {a: 2}].slice(0, records.length));
  });

  test('streams a large body in bounded pieces', async () => {
    const line = `${JSON.stringify({url: 'https://example.com/a', title: 'Café ✓'})}\n`;
    const count = 20_000;
    loopback.handle((_request, response) => {
      response.writeHead(200, {'content-type': 'application/x-ndjson'});
      response.end(line.repeat(count));
    });
    let records = 0;
    for await (const record of snapshotRecords(await fetch(`${loopback.url}/big`), {maxLineBytes: 128})) {
      expect(record).toEqual({url: 'https://example.com/a', title: 'Café ✓'});
      records++;
    }
    expect(records).toBe(count);
  });
});
