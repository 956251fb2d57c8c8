import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {hostAndPath, urlParts} from '../../src/core/rate-key.ts';

/** What the URL parser says: the answer `hostAndPath()` must give, fast path or not. */
const parsed = (url: string) => {
  try {
    const {host, pathname} = new URL(url);
    return {host, pathname};
  } catch {
    return undefined;
  }
};

describe('hostAndPath', () => {
  test.each([
    ['https://api.brightdata.com/datasets/v3/progress/s_1?format=json'],
    ['https://v0.api.upyun.com/bucket/a/b.txt'],
    ['https://octopus.cn-south-1.myhuaweicloud.com/v1.0/p/data/jobs#top'],
    ['https://bench.invalid'],
    ['https://bench.invalid?x=1'],
    ['https://host/a//b/'],
    ['http://127.0.0.1:8080/x'],
    ['http://127.1/x'],
    ['http://0x7f.1/x'],
    ['http://foo.123/x'],
    ['http://1.2.3.4./x'],
    ['https://host:443/x'],
    ['http://host:80/x'],
    ['http://host:443/x'],
    ['https://host:0443/x'],
    ['https://host:65536/x'],
    ['https://host:/x'],
    ['https://HOST.example/x'],
    ['HTTPS://host/x'],
    ['https://user:pass@host/x'],
    ['https://user:123@host/x'],
    ['https://host/a/../b'],
    ['https://host/a/./b'],
    ['https://host/a/%2e%2E/b'],
    ['https://host/a/.%2e'],
    ['https://host/a%2eb/c'],
    ['https://host/a b'],
    ['https://host/a\\b'],
    ['https://host/a{b}'],
    ['https://host/%zz'],
    ['https://xn--nxasmq6b.com/x'],
    ['https://xn--bad/x'],
    ['https://bücher.example/x'],
    ['  https://host/x'],
    ['https://ho\tst/x'],
    ['ftp://host/x'],
    ['not a url'],
    [''],
  ])('reads %j as the URL parser does', (url) => {
    expect(hostAndPath(url)).toEqual(parsed(url));
  });

  test('agrees with the URL parser on generated URLs', () => {
    const part = fc.stringMatching(/^[a-zA-Z0-9.%:@~_\-/\\ ?#]{0,12}$/);
    fc.assert(
      fc.property(
        fc.constantFrom('http://', 'https://', 'HTTP://', 'https:', 'wss://'),
        part,
        fc.option(fc.integer({min: 0, max: 70_000}), {nil: undefined}),
        part,
        (scheme, host, port, path) => {
          const url = `${scheme}${host}${port === undefined ? '' : `:${port}`}${path}`;
          expect(hostAndPath(url)).toEqual(parsed(url));
        },
      ),
      {numRuns: 2000},
    );
  });
});

describe('urlParts', () => {
  test('splits the path into its non-empty segments', () => {
    expect(urlParts('https://v0.api.upyun.com/bucket//a/b.txt?x')).toEqual({
      host: 'v0.api.upyun.com',
      segments: ['bucket', 'a', 'b.txt'],
    });
  });

  test('gives an empty host and no segments for what is no URL', () => {
    expect(urlParts('::')).toEqual({host: '', segments: []});
  });
});
