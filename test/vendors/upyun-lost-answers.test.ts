/**
 * `uploadMany()` when answers are lost: a file UPYUN stored is reported stored (checked with a
 * HEAD), never failed and never written twice; one it did not store is sent again.
 */
import ky from 'ky';
import {HttpResponse, http} from 'msw';
import {expect, test} from 'vitest';
import {withVendor} from '../../src/index.ts';
import {createUpyunSimulator, upyunFetch} from '../../src/testing/upyun/index.ts';
import {type UploadFile, uploadMany, upyun} from '../../src/vendors/upyun/index.ts';
import {server} from '../helpers/server.ts';

const HOST = 'https://v0.api.upyun.com';

type Loss = 'after-store' | 'before-store' | 'none';

/**
 * The simulator behind msw; `lose(request, count)` says how the count-th request of a path is
 * answered: stored then lost, lost before reaching the store, or answered normally.
 */
const setup = (lose: (request: Request, count: number) => Loss, answerLost: () => Response) => {
  const clock = {ms: Date.UTC(2024, 4, 1)};
  const sim = createUpyunSimulator({transientErrorRate: 0, now: () => clock.ms});
  const answer = upyunFetch(sim);
  const seen = new Map<string, number>();
  const sent: {method: string; path: string}[] = [];
  server.use(
    http.all(`${HOST}/*`, async ({request}) => {
      const path = new URL(request.url).pathname;
      const key = `${request.method} ${path}`;
      const count = (seen.get(key) ?? 0) + 1;
      seen.set(key, count);
      sent.push({method: request.method, path});
      const loss = lose(request, count);
      if (loss === 'before-store') return answerLost();
      const response = await answer(request);
      clock.ms += 1_500;
      return loss === 'after-store' ? answerLost() : response;
    }),
  );
  const api = ky.create({prefix: HOST, ...withVendor(upyun, {maxWaitMs: 5, random: () => 0.5})});
  const puts = (path: string) => sent.filter((entry) => entry.method === 'PUT' && entry.path === path).length;
  const heads = () => sent.filter((entry) => entry.method === 'HEAD').length;
  return {sim, api, puts, heads};
};

const files = (count: number): UploadFile[] =>
  Array.from({length: count}, (_, index) => ({
    bucket: 'b',
    path: `f-${index}.txt`,
    body: `content of file ${index}`,
  }));

const lostAnswers = [
  ['a reset', () => HttpResponse.error()],
  ['a 500', () => new HttpResponse('Internal Server Error', {status: 500})],
] as const;

test.each(lostAnswers)(
  'a file whose answer is lost after UPYUN stored it (%s) is reported stored, verified, written once',
  async (_name, answerLost) => {
    const lost = new Set(['/b/f-1.txt', '/b/f-4.txt']);
    const {sim, api, puts} = setup(
      (request, count) =>
        request.method === 'PUT' && count === 1 && lost.has(new URL(request.url).pathname)
          ? 'after-store'
          : 'none',
      answerLost,
    );
    const outcome = await uploadMany(api, files(6), {concurrency: 3});
    expect(outcome).toMatchObject({succeeded: 6, failed: 0});
    for (const result of outcome.results) {
      const path = `/b/${result.path}`;
      expect(result.ok).toBe(true);
      expect(sim.files.get(path)?.writes).toBe(1);
      expect(puts(path)).toBe(1);
      if (lost.has(path)) expect(result).toMatchObject({verified: ['size', 'md5'], status: 200});
      else expect(result).not.toHaveProperty('verified');
    }
  },
);

test.each(lostAnswers)(
  'a file lost before UPYUN stored it (%s) is found absent and sent once more',
  async (_name, answerLost) => {
    const {sim, api, puts} = setup(
      (request, count) =>
        request.method === 'PUT' && count === 1 && request.url.endsWith('/f-2.txt') ? 'before-store' : 'none',
      answerLost,
    );
    const outcome = await uploadMany(api, files(4));
    expect(outcome).toMatchObject({succeeded: 4, failed: 0});
    expect(puts('/b/f-2.txt')).toBe(2);
    expect(sim.files.get('/b/f-2.txt')?.writes).toBe(1);
  },
);

test('when the HEAD cannot tell either, the file is reported maybe-stored, not failed, and not sent again', async () => {
  const {sim, api, puts} = setup(
    (request, count) => {
      if (!request.url.endsWith('/f-0.txt')) return 'none';
      if (request.method === 'HEAD') return 'before-store';
      return count === 1 ? 'after-store' : 'none';
    },
    () => HttpResponse.error(),
  );
  const outcome = await uploadMany(api, files(2));
  expect(outcome.results[0]).toMatchObject({ok: false, outcome: 'maybe-stored', attempted: true});
  expect(outcome.results[1]).toMatchObject({ok: true});
  expect(puts('/b/f-0.txt')).toBe(1);
  expect(sim.files.get('/b/f-0.txt')?.writes).toBe(1);
});

test('a Blob without Content-MD5 is verified by size; a different stored size means it did not land', async () => {
  const {api} = setup(
    (request, count) => (request.method === 'PUT' && count === 1 ? 'after-store' : 'none'),
    () => HttpResponse.error(),
  );
  const outcome = await uploadMany(api, [
    {bucket: 'b', path: 'blob.bin', body: new Blob([new Uint8Array(1000)])},
  ]);
  expect(outcome.results[0]).toMatchObject({ok: true, verified: ['size']});
});

test('a final error is still a plain failure, checked by no HEAD', async () => {
  const {api, heads} = setup(
    () => 'none',
    () => HttpResponse.error(),
  );
  server.use(
    http.put(`${HOST}/b/f-0.txt`, () =>
      HttpResponse.json(
        {code: 40001001, msg: 'wrong content-md5'},
        {status: 400, headers: {'x-error-code': '40001001'}},
      ),
    ),
  );
  const outcome = await uploadMany(api, files(1));
  expect(outcome.results[0]).toMatchObject({ok: false, outcome: 'failed', error: {code: 40001001}});
  expect(heads()).toBe(0);
});
