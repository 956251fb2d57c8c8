/**
 * @module The request path of an UPYUN object: `<bucket>/<path>`, each segment percent-encoded.
 */

/**
 * The ky input for an object (relative, so the instance's `prefix` supplies the host): the bucket,
 * then the path split on `/` with each segment percent-encoded. Leading slashes of `path` are
 * dropped; `path` is the plain key, not an already-encoded one.
 *
 * @throws {TypeError} for an empty bucket or path, or a bucket containing `/`.
 * @example
 * ```ts
 * objectPath('photos', '/2024/cat #1.jpg'); // 'photos/2024/cat%20%231.jpg'
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
  return [bucket, ...key.split('/')].map((segment) => encodeURIComponent(segment)).join('/');
};
