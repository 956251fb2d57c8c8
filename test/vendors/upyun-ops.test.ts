import ky from 'ky';
import {HttpResponse, http} from 'msw';
import {describe, expect, test} from 'vitest';
import {
  AuthError,
  QuotaError,
  RateLimitError,
  type RetryEvent,
  ServerError,
  ValidationError,
  type VendorOptions,
  withVendor,
} from '../../src/index.ts';
import {upyunHandlers} from '../../src/testing/msw.ts';
import {
  createUpyunSimulator,
  type UpyunSimulator,
  type UpyunSimulatorOptions,
  upyunError,
  upyunFetch,
} from '../../src/testing/upyun/index.ts';
import {
  type ResumableProgress,
  ResumableUploadError,
  type ResumeToken,
  stopsBatch,
  type UploadFile,
  type UploadManyProgress,
  upload,
  uploadMany,
  uploadResumable,
  upyun,
} from '../../src/vendors/upyun/index.ts';
import {server} from '../helpers/server.ts';

const HOST = 'https://v0.api.upyun.com';
const MIB = 1024 * 1024;

/**
 * A simulator on a hand-driven clock behind msw, and an UPYUN ky instance whose waits are a few
 * milliseconds; each retry moves the simulator clock on by the second UPYUN asks for.
 */
const setup = (
  simOptions: UpyunSimulatorOptions = {},
  vendorOptions: VendorOptions = {},
  transport?: (request: Request, answer: (request: Request) => Promise<Response>) => Promise<Response>,
) => {
  const clock = {ms: Date.UTC(2024, 4, 1)};
  const sim = createUpyunSimulator({transientErrorRate: 0, now: () => clock.ms, ...simOptions});
  if (transport === undefined) {
    server.use(...upyunHandlers(sim));
  } else {
    server.use(http.all(`${HOST}/*`, ({request}) => transport(request, upyunFetch(sim))));
  }
  const retries: RetryEvent[] = [];
  const api = ky.create({
    prefix: HOST,
    ...withVendor(upyun, {
      limiter: false,
      maxWaitMs: 5,
      random: () => 0.5,
      onRetry: (event) => {
        retries.push(event);
        clock.ms += 1000;
      },
      ...vendorOptions,
    }),
  });
  return {sim, clock, api, retries};
};

/** Byte equality without vitest's element-by-element diff (slow for megabytes). */
const sameBytes = (actual: Uint8Array | undefined, expected: Uint8Array): boolean =>
  actual !== undefined && Buffer.from(actual).equals(Buffer.from(expected));

const bytes = (length: number): Uint8Array<ArrayBuffer> => {
  const data = new Uint8Array(length);
  for (let index = 0; index < length; index++) data[index] = (index * 7 + (index >> 20)) & 255;
  return data;
};

/** An intercept that answers the first `times` plain PUTs of `path` with `code`. */
const failFirst = (path: string, code: number, msg: string, times = 1) => {
  let seen = 0;
  return ({path: requestPath, method, stage}: {path: string; method: string; stage: string | undefined}) => {
    if (requestPath !== path || method !== 'PUT' || stage !== undefined || seen >= times) return undefined;
    seen++;
    return upyunError(code, msg);
  };
};

describe('upload', () => {
  test('stores a file and returns its path, status and request id', async () => {
    const {api, sim} = setup();
    const result = await upload(api, {
      bucket: 'photos',
      path: '2024/cat #1.jpg',
      body: 'meow',
      contentType: 'image/jpeg',
    });
    expect(result).toEqual({
      bucket: 'photos',
      path: '2024/cat #1.jpg',
      status: 200,
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(sim.files.get('/photos/2024/cat #1.jpg')).toMatchObject({
      size: 4,
      writes: 1,
      contentType: 'image/jpeg',
    });
  });

  test('waits out a 429 from the rate limit, at least a second by the table, and stores the file once', async () => {
    const {api, sim, retries} = setup({ratePerSecond: 1, burst: 1});
    await upload(api, {bucket: 'b', path: 'first.txt', body: '1'});
    const result = await upload(api, {bucket: 'b', path: 'second.txt', body: '2'});
    expect(result.status).toBe(200);
    expect(retries.map((event) => event.verdict.code)).toEqual([42900001]);
    // The table's second is a default (clamped here by the test's maxWaitMs of 5 ms).
    expect(retries[0]?.verdict.defaultDelayMs).toBe(1000);
    expect(sim.counters).toMatchObject({requests: 3, throttled: 1});
    expect(sim.files.get('/b/second.txt')?.writes).toBe(1);
  });

  test.each([
    [42900001, 'too many requests', 1000, false],
    [42900002, 'too many requests of the same uri', 1000, false],
    [42900007, 'concurrent put or delete', 1000, true],
    [50300007, 'capture file from fs error', 1000, true],
    [50300013, 'put file capture timeout', 0, false],
  ])('resends after %i (%s) and stores the file once', async (code, msg, floorMs, hard) => {
    // A hard rule (one change per file per second) is never cut: those runs wait the real second.
    const {api, sim, retries} = setup(
      {intercept: failFirst('/b/a.txt', code, msg)},
      hard ? {maxWaitMs: 1000} : {},
    );
    await upload(api, {bucket: 'b', path: 'a.txt', body: 'x'});
    expect(sim.counters.requests).toBe(2);
    expect(retries).toHaveLength(1);
    expect(retries[0]?.verdict.code).toBe(code);
    const {defaultDelayMs = 0, minDelayMs = 0} = retries[0]?.verdict ?? {};
    expect(Math.max(defaultDelayMs, minDelayMs)).toBeGreaterThanOrEqual(floorMs);
    if (hard) {
      expect(retries[0]?.delayMs).toBe(1000);
    }
    expect(sim.files.get('/b/a.txt')?.writes).toBe(1);
  });

  test.each([
    [42900004, 'request banned', QuotaError],
    [42900006, 'too many auth check', AuthError],
  ])('fails at once on %i (%s), with one request', async (code, msg, ErrorClass) => {
    const {api, sim} = setup({intercept: failFirst('/b/a.txt', code, msg, 10)});
    const error = await upload(api, {bucket: 'b', path: 'a.txt', body: 'x'}).catch(
      (error_: unknown) => error_,
    );
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({code, attempts: 1, status: 429});
    expect(sim.counters.requests).toBe(1);
    expect(sim.files.size).toBe(0);
  });

  test('writes the same file twice within a second by waiting for the 50300007 rule', async () => {
    const {api, sim, retries} = setup({}, {maxWaitMs: 1000});
    await upload(api, {bucket: 'b', path: 'a.txt', body: 'v1'});
    await upload(api, {bucket: 'b', path: 'a.txt', body: 'v2'});
    expect(retries.map((event) => event.verdict.code)).toEqual([50300007]);
    expect(sim.files.get('/b/a.txt')).toMatchObject({writes: 2, body: new TextEncoder().encode('v2')});
  });

  test('gives up with RateLimitError when the limit never lifts', async () => {
    const {api, sim} = setup({ratePerSecond: 0.001, burst: 1}, {retryLimit: 3, onRetry: () => {}});
    await upload(api, {bucket: 'b', path: 'first.txt', body: '1'});
    const error = await upload(api, {bucket: 'b', path: 'a.txt', body: 'x'}).catch(
      (error_: unknown) => error_,
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({code: 42900001, attempts: 4});
    expect(sim.counters.requests).toBe(5);
  });

  test('rejects with the abort reason and sends nothing when already aborted', async () => {
    const {api, sim} = setup();
    const reason = new Error('stop');
    await expect(
      upload(api, {bucket: 'b', path: 'a', body: 'x', signal: AbortSignal.abort(reason)}),
    ).rejects.toBe(reason);
    expect(sim.counters.requests).toBe(0);
  });
});

const batch = (count: number, name = (index: number) => `f${index}.txt`): UploadFile[] =>
  Array.from({length: count}, (_, index) => ({bucket: 'b', path: name(index), body: `file ${index}`}));

describe('uploadMany', () => {
  test('accounts for every file: successes stored once, typed failures, counts and progress add up', async () => {
    const bad = (index: number) => index % 7 === 3;
    const files = batch(30, (index) => (bad(index) ? `bad-${index}.txt` : `ok-${index}.txt`));
    const {api, sim, retries} = setup(
      {
        ratePerSecond: 100,
        burst: 5,
        transientErrorRate: 0.05,
        seed: 7,
        intercept: ({path}) =>
          path.includes('/bad-') ? upyunError(41300001, 'content length too large') : undefined,
      },
      {retryLimit: 10},
    );
    const events: UploadManyProgress[] = [];
    const outcome = await uploadMany(api, files, {concurrency: 4, onProgress: (event) => events.push(event)});

    const expectedFailures = files.filter((_, index) => bad(index)).length;
    expect(outcome.results).toHaveLength(30);
    expect(outcome.succeeded + outcome.failed).toBe(30);
    expect(outcome.failed).toBe(expectedFailures);
    expect(outcome.stoppedBy).toBeUndefined();
    for (const [index, result] of outcome.results.entries()) {
      expect(result.index).toBe(index);
      expect(result.path).toBe(files[index]?.path);
      if (result.ok) {
        expect(sim.files.get(`/b/${result.path}`)?.writes).toBe(1);
      } else {
        expect(result.error).toBeInstanceOf(ValidationError);
        expect(result).toMatchObject({attempted: true, error: {code: 41300001}});
        expect(sim.files.has(`/b/${result.path}`)).toBe(false);
      }
    }
    expect(events.map((event) => event.done)).toEqual(Array.from({length: 30}, (_, index) => index + 1));
    expect(events.every((event) => event.succeeded + event.failed === event.done && event.total === 30)).toBe(
      true,
    );
    expect(events.at(-1)).toMatchObject({succeeded: outcome.succeeded, failed: outcome.failed});
    // The run really was throttled and flaky, and still lost nothing.
    expect(retries.length).toBeGreaterThan(0);
    expect(sim.counters.throttled + sim.counters.transient).toBeGreaterThan(0);
  });

  test('never has more than `concurrency` uploads in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const {api} = setup({}, {}, async (request, forward) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      return forward(request);
    });
    const outcome = await uploadMany(api, batch(12), {concurrency: 3});
    expect(outcome.succeeded).toBe(12);
    expect(most).toBe(3);
  });

  test('stops on a ban: files not started fail with the ban error and are never sent', async () => {
    let requests = 0;
    const {api, sim} = setup({
      intercept: () => (++requests === 3 ? upyunError(42900004, 'request banned') : undefined),
    });
    const outcome = await uploadMany(api, batch(10), {concurrency: 1});
    expect(outcome.results.map((result) => result.ok)).toEqual([true, true, ...Array(8).fill(false)]);
    expect(outcome.stoppedBy).toBeInstanceOf(QuotaError);
    expect(outcome.results[2]).toMatchObject({attempted: true, error: outcome.stoppedBy});
    expect(
      outcome.results
        .slice(3)
        .every((result) => !result.ok && !result.attempted && result.error === outcome.stoppedBy),
    ).toBe(true);
    expect(sim.counters.requests).toBe(3);
    expect(outcome).toMatchObject({succeeded: 2, failed: 8});
  });

  test('keeps going past a ban when stopOn says so', async () => {
    let requests = 0;
    const {api} = setup({
      intercept: () => (++requests === 3 ? upyunError(42900004, 'request banned') : undefined),
    });
    const outcome = await uploadMany(api, batch(10), {concurrency: 1, stopOn: () => false});
    expect(outcome).toMatchObject({succeeded: 9, failed: 1});
    expect(outcome.stoppedBy).toBeUndefined();
  });

  test.each([
    [new QuotaError({vendor: 'upyun', action: 'fail', category: 'quota', status: 429, code: 42900004}), true],
    [new AuthError({vendor: 'upyun', action: 'fail', category: 'auth', status: 401, code: 40100005}), true],
    [
      new ValidationError({
        vendor: 'upyun',
        action: 'fail',
        category: 'validation',
        status: 400,
        code: 40001001,
      }),
      false,
    ],
    [new Error('network'), false],
  ])('stopsBatch(%o) is %s', (error, stops) => {
    expect(stopsBatch(error)).toBe(stops);
  });

  test('an abort fails the files in flight and not started with its reason; counts still add up', async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const {api, sim} = setup();
    const outcome = await uploadMany(api, batch(10), {
      concurrency: 2,
      signal: controller.signal,
      onProgress: ({done}) => {
        if (done === 3) controller.abort(reason);
      },
    });
    expect(outcome.results).toHaveLength(10);
    expect(outcome.succeeded + outcome.failed).toBe(10);
    expect(outcome.succeeded).toBeGreaterThanOrEqual(3);
    expect(outcome.succeeded).toBeLessThanOrEqual(4);
    expect(outcome.stoppedBy).toBe(reason);
    for (const result of outcome.results) {
      if (!result.ok) expect(result.error).toBe(reason);
    }
    expect(sim.files.size).toBe(outcome.succeeded);
  });

  test('an exception in onProgress stops the batch and rejects with it', async () => {
    const {api, sim} = setup();
    const boom = new Error('progress bar broke');
    await expect(
      uploadMany(api, batch(10), {
        concurrency: 1,
        onProgress: ({done}) => {
          if (done === 2) throw boom;
        },
      }),
    ).rejects.toBe(boom);
    expect(sim.counters.requests).toBe(2);
  });

  test.each([0, 1.5, -1, Number.NaN])('rejects concurrency %s', async (concurrency) => {
    const {api} = setup();
    await expect(uploadMany(api, batch(1), {concurrency})).rejects.toThrow(TypeError);
  });

  test('an empty batch resolves with no results', async () => {
    const {api} = setup();
    await expect(uploadMany(api, [])).resolves.toEqual({results: [], succeeded: 0, failed: 0});
  });
});

describe('uploadResumable', () => {
  const file = bytes(3.5 * MIB);
  const target = {bucket: 'videos', path: 'talk.mp4'};
  const stored = (sim: UpyunSimulator) => sim.files.get('/videos/talk.mp4');

  /** Uploads until `stopAtPart` is next, then aborts; returns the token. */
  const interrupt = async (
    api: Parameters<typeof uploadResumable>[0],
    stopAtPart: number,
  ): Promise<ResumableUploadError> => {
    const controller = new AbortController();
    const error = await uploadResumable(api, {
      ...target,
      body: file,
      signal: controller.signal,
      onProgress: ({nextPartId}) => {
        if (nextPartId === stopAtPart) controller.abort(new Error('interrupted'));
      },
    }).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ResumableUploadError);
    return error as ResumableUploadError;
  };

  test.each([
    ['a Uint8Array in 1 MiB parts', file, undefined, 4],
    ['a Blob in 1 MiB parts', new Blob([file]), undefined, 4],
    ['a Uint8Array in 2 MiB parts', file, 2 * MIB, 2],
  ])('uploads %s and completes a new file', async (_name, body, partSize, parts) => {
    const {api, sim} = setup();
    const progress: ResumableProgress[] = [];
    const result = await uploadResumable(api, {
      ...target,
      body,
      contentType: 'video/mp4',
      ...(partSize === undefined ? {} : {partSize}),
      onProgress: (event) => progress.push(event),
    });
    expect(result).toMatchObject({
      ...target,
      status: 201,
      partCount: parts,
      resyncs: 0,
      restarts: 0,
      alreadyUploaded: false,
    });
    expect(result.uuid).toHaveLength(36);
    expect(stored(sim)).toMatchObject({size: file.byteLength, writes: 1, contentType: 'video/mp4'});
    expect(sameBytes(stored(sim)?.body, file)).toBe(true);
    expect(progress.at(-1)).toEqual({
      uploadedBytes: file.byteLength,
      totalBytes: file.byteLength,
      nextPartId: -1,
      partCount: parts,
      resumeToken: {
        ...target,
        uuid: result.uuid,
        nextPartId: -1,
        partSize: partSize ?? MIB,
        length: file.byteLength,
      },
    });
    // The token is there from the first event, before any part is sent.
    expect(progress[0]).toMatchObject({
      uploadedBytes: 0,
      nextPartId: 0,
      resumeToken: {uuid: result.uuid, nextPartId: 0},
    });
    expect(progress.map((event) => event.uploadedBytes)).toEqual(
      [...progress.map((event) => event.uploadedBytes)].sort((a, b) => a - b),
    );
    expect(sim.counters).toMatchObject({multipartInitiated: 1, multipartParts: parts, multipartCompleted: 1});
  });

  test('retries throttled and flaky parts through the vendor policy, each part stored once', async () => {
    const {api, sim, retries} = setup(
      {ratePerSecond: 1, burst: 2, transientErrorRate: 0.2, seed: 4},
      {retryLimit: 10},
    );
    await uploadResumable(api, {...target, body: file});
    expect(retries.length).toBeGreaterThan(0);
    expect(sim.counters.multipartParts).toBe(4);
    expect(sameBytes(stored(sim)?.body, file)).toBe(true);
  });

  test('continues from a token after an abort, without sending the stored parts again', async () => {
    const {api, sim} = setup();
    const error = await interrupt(api, 2);
    expect(error.cause).toEqual(new Error('interrupted'));
    expect(error.uploadedBytes).toBe(2 * MIB);
    const token: ResumeToken = JSON.parse(JSON.stringify(error.resumeToken));
    expect(token).toEqual({
      uuid: expect.any(String),
      nextPartId: 2,
      partSize: MIB,
      length: file.byteLength,
      ...target,
    });
    const result = await uploadResumable(api, {...target, body: file, resumeToken: token});
    expect(result).toMatchObject({status: 201, uuid: token.uuid, resyncs: 0, restarts: 0});
    expect(sim.counters).toMatchObject({multipartInitiated: 1, multipartParts: 4, multipartCompleted: 1});
    expect(sameBytes(stored(sim)?.body, file)).toBe(true);
  });

  test('resyncs from x-upyun-next-part-id on 40011061 when the token is ahead of the server', async () => {
    const {api, sim} = setup();
    const error = await interrupt(api, 1);
    const ahead = {...error.resumeToken, nextPartId: 3};
    const result = await uploadResumable(api, {...target, body: file, resumeToken: ahead});
    expect(result).toMatchObject({status: 201, resyncs: 1});
    expect(sim.counters.byCode[40011061]).toBe(1);
    expect(sim.counters.multipartParts).toBe(4);
    expect(sameBytes(stored(sim)?.body, file)).toBe(true);
  });

  test('skips a part the server already holds (40011062) after an abort while it was in flight', async () => {
    const controller = new AbortController();
    const {api, sim} = setup({}, {}, async (request, forward) => {
      if (request.headers.get('x-upyun-part-id') === '1' && !controller.signal.aborted) {
        controller.abort(new Error('cancelled mid-part'));
        // The server still receives and stores the part; only the answer is lost.
        await forward(request);
        return new HttpResponse(null, {status: 204});
      }
      return forward(request);
    });
    const error = await uploadResumable(api, {...target, body: file, signal: controller.signal}).catch(
      (error_: unknown) => error_,
    );
    expect(error).toBeInstanceOf(ResumableUploadError);
    const {resumeToken} = error as ResumableUploadError;
    expect(resumeToken.nextPartId).toBe(1);
    const result = await uploadResumable(api, {...target, body: file, resumeToken});
    expect(result).toMatchObject({status: 201, resyncs: 1});
    expect(sim.counters.byCode[40011062]).toBe(1);
    expect(sim.counters.multipartParts).toBe(4);
    expect(sameBytes(stored(sim)?.body, file)).toBe(true);
  });

  test('ends on 40011059 when a lost complete answer is resent: the file is stored once', async () => {
    let dropped = false;
    // Network errors back off by ky's computed delay: keep it to milliseconds.
    const {api, sim} = setup({}, {baseDelayMs: 2}, async (request, forward) => {
      const response = await forward(request);
      if (request.headers.get('x-upyun-multi-stage') === 'complete' && !dropped) {
        dropped = true;
        return HttpResponse.error();
      }
      return response;
    });
    const result = await uploadResumable(api, {...target, body: file});
    expect(result).toMatchObject({alreadyUploaded: true, status: 400});
    expect(stored(sim)?.writes).toBe(1);
    expect(sim.counters.byCode[40011059]).toBe(1);
  });

  test('restarts on 40011058 when the session expired before resuming', async () => {
    const {api, sim, clock} = setup({multipartTtlMs: 60_000});
    const error = await interrupt(api, 2);
    clock.ms += 61_000;
    const result = await uploadResumable(api, {...target, body: file, resumeToken: error.resumeToken});
    expect(result).toMatchObject({status: 201, restarts: 1});
    expect(result.uuid).not.toBe(error.resumeToken.uuid);
    expect(sim.counters).toMatchObject({multipartInitiated: 2, multipartParts: 6, multipartCompleted: 1});
    expect(sameBytes(stored(sim)?.body, file)).toBe(true);
  });

  test('restarts on 40011060 at most maxRestarts times, then stops with the typed error', async () => {
    const {api, sim} = setup();
    const error = await uploadResumable(api, {
      ...target,
      body: file,
      md5: '0'.repeat(32),
      maxRestarts: 1,
    }).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ResumableUploadError);
    expect((error as ResumableUploadError).cause).toMatchObject({code: 40011060});
    expect(sim.counters).toMatchObject({multipartInitiated: 2, multipartCompleted: 0});
    expect(stored(sim)).toBeUndefined();
  });

  test('a part that keeps failing stops with the typed error and a token that finishes the job later', async () => {
    let broken = true;
    const {api, sim} = setup(
      {
        intercept: ({headers}) =>
          broken && headers.get('x-upyun-part-id') === '2'
            ? upyunError(50300013, 'put file capture timeout')
            : undefined,
      },
      {retryLimit: 2},
    );
    const error = await uploadResumable(api, {...target, body: file}).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(ResumableUploadError);
    expect((error as ResumableUploadError).cause).toBeInstanceOf(ServerError);
    expect((error as ResumableUploadError).cause).toMatchObject({code: 50300013, attempts: 3});
    expect((error as ResumableUploadError).message).toContain('stopped at part 2');
    broken = false;
    await uploadResumable(api, {
      ...target,
      body: file,
      resumeToken: (error as ResumableUploadError).resumeToken,
    });
    expect(sameBytes(stored(sim)?.body, file)).toBe(true);
  });

  test('throws an initiate failure as it is: there is nothing to resume', async () => {
    const {api} = setup({
      intercept: ({stage}) => (stage === 'initiate' ? upyunError(42900004, 'request banned') : undefined),
    });
    const error = await uploadResumable(api, {...target, body: file}).catch((error_: unknown) => error_);
    expect(error).toBeInstanceOf(QuotaError);
  });

  test('uploads an empty file with initiate and complete only', async () => {
    const {api, sim} = setup();
    const result = await uploadResumable(api, {...target, body: new Uint8Array()});
    expect(result).toMatchObject({status: 201, partCount: 0});
    expect(sim.counters.requests).toBe(2);
    expect(stored(sim)?.size).toBe(0);
  });

  test.each([
    ['a part size that is not a multiple of 1 MiB', {partSize: 1000}],
    [
      'a token for another file',
      {
        resumeToken: {
          uuid: 'u',
          nextPartId: 0,
          partSize: MIB,
          length: file.byteLength,
          bucket: 'videos',
          path: 'other.mp4',
        },
      },
    ],
    [
      'a token for another length',
      {resumeToken: {uuid: 'u', nextPartId: 0, partSize: MIB, length: 5, ...target}},
    ],
    [
      'a malformed token',
      {resumeToken: {uuid: '', nextPartId: 0, partSize: MIB, length: file.byteLength, ...target}},
    ],
  ])('rejects %s before sending anything', async (_name, extra) => {
    const {api, sim} = setup();
    await expect(uploadResumable(api, {...target, body: file, ...extra})).rejects.toThrow(TypeError);
    expect(sim.counters.requests).toBe(0);
  });
});

describe('object paths', () => {
  test.each([
    ['', 'a.txt'],
    ['a/b', 'a.txt'],
    ['bucket', ''],
    ['bucket', '///'],
  ])('upload rejects bucket %j with path %j before sending', async (bucket, path) => {
    const {api, sim} = setup();
    await expect(upload(api, {bucket, path, body: 'x'})).rejects.toThrow(TypeError);
    expect(sim.counters.requests).toBe(0);
  });

  test('drops leading slashes and encodes each segment, keeping the directories', async () => {
    const {api, sim} = setup();
    await upload(api, {bucket: 'b', path: '/dir/sub dir/ü?.txt', body: 'x'});
    expect([...sim.files.keys()]).toEqual(['/b/dir/sub dir/ü?.txt']);
  });
});
