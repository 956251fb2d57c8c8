import {describe, expect, test} from 'vitest';
import {objectPath} from '../../src/vendors/upyun/object-path.ts';

describe('objectPath', () => {
  // The official node SDK runs `encodeURI` on the key: these are the paths it puts on the wire.
  test.each([
    ['photos', 'cat.jpg', 'photos/cat.jpg'],
    ['photos', '/2024/cat 1.jpg', 'photos/2024/cat%201.jpg'],
    ['photos', 'a+b.txt', 'photos/a+b.txt'],
    ['photos', 'a&b=c;d,e:f@g$h!i(k)*~.txt', 'photos/a&b=c;d,e:f@g$h!i(k)*~.txt'],
    // The SDK's `url.resolve` escapes `'` after `encodeURI`.
    ['photos', "it's.txt", 'photos/it%27s.txt'],
    ['photos', '又拍云/ü.txt', 'photos/%E5%8F%88%E6%8B%8D%E4%BA%91/%C3%BC.txt'],
    ['photos', '100%.txt', 'photos/100%25.txt'],
    ['photos', 'a[1]{2}|^`"<>\\.txt', 'photos/a%5B1%5D%7B2%7D%7C%5E%60%22%3C%3E%5C.txt'],
    // In a key, `?` and `#` are characters: encoded, or the URL would cut the key at them.
    ['photos', 'cat #1?.jpg', 'photos/cat%20%231%3F.jpg'],
    ['photos', 'dir/', 'photos/dir/'],
  ])('objectPath(%j, %j) is %j', (bucket, path, expected) => {
    expect(objectPath(bucket, path)).toBe(expected);
  });

  test.each([
    ['', 'a.txt'],
    ['a/b', 'a.txt'],
    ['photos', ''],
    ['photos', '///'],
    ['photos', 'a/../b.txt'],
    ['photos', './b.txt'],
    ['photos', 'lone\uD800surrogate.txt'],
  ])('objectPath(%j, %j) throws a TypeError', (bucket, path) => {
    expect(() => objectPath(bucket, path)).toThrow(TypeError);
  });
});
