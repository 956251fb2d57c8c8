/**
 * @module A folder listing as UPYUN answers `GET /<bucket>/<folder>/`: a page of entries chosen by
 * `x-list-limit`, `x-list-order` and `x-list-iter`, as text or JSON.
 */
import type {FolderEntry} from './storage.ts';

/**
 * The `x-upyun-list-iter` value of the last page (UPYUN's own end marker).
 *
 * @example
 * ```ts
 * if (response.headers.get('x-upyun-list-iter') === UPYUN_LIST_END) break;
 * ```
 */
export const LIST_END = 'g2gCZAAEbmV4dGQAA2VvZg';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;

/** A page of a listing, or the UPYUN error its headers earn. */
export type ListPage =
  | {readonly ok: true; readonly body: string; readonly contentType: string; readonly iter: string}
  | {readonly ok: false; readonly code: number; readonly msg: string};

const encodeIter = (name: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(name)));

const decodeIter = (iter: string): string | undefined => {
  try {
    return new TextDecoder('utf-8', {fatal: true}).decode(
      Uint8Array.from(atob(iter), (c) => c.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
};

/**
 * One page of `entries` (sorted by name, ascending) for the request headers. The body is UPYUN's
 * text form, `name\ttype\tsize\tmtime` lines with type `N` (file) or `F` (folder), unless the
 * request asks for `Accept: application/json` exactly (then `{files, iter}`): the official node SDK
 * sends axios's `application/json, text/plain, * /*` and parses text, so only a plain
 * `application/json` switches the form (assumed from the REST documentation's wording).
 *
 * @example
 * ```ts
 * listPage(storage.entries('/b/dir'), new Headers({'x-list-limit': '2'}));
 * ```
 */
export const listPage = (entries: readonly FolderEntry[], headers: Headers): ListPage => {
  const limitText = headers.get('x-list-limit')?.trim() ?? String(DEFAULT_LIMIT);
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_LIMIT) {
    return {ok: false, code: 40001005, msg: 'iter args invalid'};
  }
  const order = headers.get('x-list-order')?.trim().toLowerCase() ?? 'asc';
  if (order !== 'asc' && order !== 'desc') {
    return {ok: false, code: 40300014, msg: 'order must be asc or desc'};
  }
  const ordered = order === 'asc' ? [...entries] : [...entries].reverse();
  const iter = headers.get('x-list-iter')?.trim() ?? '';
  let start = 0;
  if (iter === LIST_END) {
    start = ordered.length;
  } else if (iter !== '') {
    const after = decodeIter(iter);
    if (after === undefined) return {ok: false, code: 40001005, msg: 'iter args invalid'};
    const index = ordered.findIndex((entry) => (order === 'asc' ? entry.name > after : entry.name < after));
    start = index === -1 ? ordered.length : index;
  }
  const page = ordered.slice(start, start + limit);
  const last = page.at(-1);
  const next = start + limit < ordered.length && last !== undefined ? encodeIter(last.name) : LIST_END;
  if (headers.get('accept')?.trim().toLowerCase() === 'application/json') {
    const files = page.map((entry) => ({
      name: entry.name,
      type: entry.type === 'folder' ? 'folder' : 'file',
      length: entry.size,
      last_modified: entry.modifiedAtS,
    }));
    return {ok: true, body: JSON.stringify({files, iter: next}), contentType: 'application/json', iter: next};
  }
  const body = page
    .map((entry) =>
      [entry.name, entry.type === 'folder' ? 'F' : 'N', entry.size, entry.modifiedAtS].join('\t'),
    )
    .join('\n');
  return {ok: true, body, contentType: 'text/plain', iter: next};
};
