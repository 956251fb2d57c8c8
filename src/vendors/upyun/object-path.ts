/**
 * @module The request path of an UPYUN object: `<bucket>/<path>`, encoded as the official SDK sends it.
 */

/**
 * The ky input for an object (relative, so the instance's `prefix` supplies the host): the bucket,
 * then the key encoded the way the official node SDK sends it (`encodeURI`, then `url.resolve`,
 * which escapes `'`: `+ & = ; , : @ $ ! ~ * ( )` stay literal; spaces, `'`, `%` and non-ASCII are
 * percent-encoded). `?` and `#` are encoded too, because in a key they are characters, not a
 * query or a fragment (the SDK cannot send such keys).
 * Leading slashes of `path` are dropped; `path` is the plain key, not an already-encoded one.
 *
 * @throws {TypeError} for an empty bucket or path, a bucket containing `/`, a `.` or `..` segment
 * (URLs resolve them away, so the request would name another object), or a lone UTF-16 surrogate.
 * @example
 * ```ts
 * objectPath('photos', '/2024/cat #1.jpg'); // 'photos/2024/cat%20%231.jpg'
 * objectPath('photos', 'a+b=c.txt'); // 'photos/a+b=c.txt'
 * ```
 */
export const objectPath = (bucket: string, path: string): string => {
  if (typeof bucket !== 'string' || bucket === '' || bucket.includes('/')) {
    throw new TypeError(`Invalid UPYUN bucket name: ${JSON.stringify(bucket)}`);
  }
  const key = typeof path === 'string' ? path.replace(/^\/+/, '') : '';
  if (key === '') {
    throw new TypeError(`Invalid UPYUN object path: ${JSON.stringify(path)}`);
  }
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new TypeError(`UPYUN object path has a "." or ".." segment: ${JSON.stringify(path)}`);
  }
  return `${encodeKey(bucket)}/${encodeKey(key)}`;
};

const encodeKey = (text: string): string => {
  try {
    return encodeURI(text).replace(
      /[?#']/g,
      (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  } catch {
    throw new TypeError(`UPYUN object path is not valid Unicode: ${JSON.stringify(text)}`);
  }
};
