/**
 * @module `segment()`: an id as one URL path segment.
 */

/**
 * Encodes `id` for a path, refusing values that cannot be an id (an empty id would silently
 * address the collection instead of one snapshot).
 *
 * @throws {TypeError} when `id` is not a non-empty string.
 * @example
 * ```ts
 * `datasets/v3/progress/${segment('snapshotId', id)}`
 * ```
 */
export const segment = (name: string, id: string): string => {
  if (typeof id !== 'string' || id.trim() === '') {
    throw new TypeError(`\`${name}\` must be a non-empty string`);
  }
  return encodeURIComponent(id);
};
