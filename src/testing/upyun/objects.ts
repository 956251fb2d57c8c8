/**
 * @module The simulator's REST operations on files and folders: GET (file, listing, `?usage`),
 * HEAD, PUT (upload, copy, move), DELETE, POST `folder: true` (mkdir) and PATCH `?metadata=…`.
 */
import {listPage} from './listing.ts';
import type {SimRequestInfo, SimResponse} from './sim-types.ts';
import {bucketOf, type Storage} from './storage.ts';

/** How the operations answer (the simulator's own builders). */
export type ObjectReply = {
  readonly ok: (
    status: number,
    headers?: Record<string, string>,
    body?: Uint8Array<ArrayBuffer>,
  ) => SimResponse;
  readonly error: (code: number, msg: string, headers?: Record<string, string>) => SimResponse;
};

/** What the operations need from the simulator. */
export type ObjectDeps = {
  readonly storage: Storage;
  /** Whether the one-change-per-second rule refuses a change of `path` now (it counts the refusal). */
  readonly tooSoon: (path: string) => boolean;
  readonly md5Hex: (bytes: Uint8Array) => string;
};

const META_PREFIX = 'x-upyun-meta-';
const METADATA_OPERATIONS = new Set(['merge', 'replace', 'delete']);
const encoder = new TextEncoder();

const metaOf = (headers: Headers): Record<string, string> => {
  const meta: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.startsWith(META_PREFIX) && name.length > META_PREFIX.length) meta[name] = value;
  });
  return meta;
};

/** The decoded path a copy/move source header names, or `undefined` when it names none. */
const sourcePath = (value: string): string | undefined => {
  let decoded = value.trim();
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // The official SDK sends the path unencoded (`path.join`), so a bare `%` is a character.
  }
  decoded = decoded.replace(/\/+$/, '');
  return /^\/[^/]+\/./.test(decoded) ? decoded : undefined;
};

/**
 * The file and folder operations, over the simulator's storage. `path` in `info` is decoded and
 * may end with `/` (a folder); `query` is the raw query without `?`.
 *
 * Where the REST documentation names no code, the answers are assumed from the code table:
 * a PUT onto a folder 40300015, a mkdir onto a folder 40600002 and onto a file 40600001, a
 * non-empty folder's DELETE 40300005, a PATCH without a known `metadata` operation 40001003.
 *
 * @example
 * ```ts
 * const objects = createObjects({storage, tooSoon, md5Hex});
 * return objects.handle(info, reply);
 * ```
 */
export const createObjects = ({storage, tooSoon, md5Hex}: ObjectDeps) => {
  const get = (info: SimRequestInfo, key: string, reply: ObjectReply): SimResponse => {
    const query = new URLSearchParams(info.query);
    if (query.has('usage')) {
      if (!storage.isFolder(key)) return reply.error(40400001, 'file or directory not found');
      return reply.ok(200, {'content-type': 'text/plain'}, encoder.encode(String(storage.usage(key))));
    }
    if (storage.isFolder(key)) {
      const page = listPage(storage.entries(key), info.headers);
      if (!page.ok) return reply.error(page.code, page.msg);
      return reply.ok(
        200,
        {'content-type': page.contentType, 'x-upyun-list-iter': page.iter},
        encoder.encode(page.body),
      );
    }
    const file = storage.files.get(key);
    if (file === undefined) return reply.error(40400001, 'file or directory not found');
    const headers: Record<string, string> = {'x-upyun-file-size': String(file.size), ...file.meta};
    if (file.contentType !== undefined) headers['content-type'] = file.contentType;
    return reply.ok(200, headers, file.body === undefined ? undefined : new Uint8Array(file.body));
  };

  const head = (key: string, reply: ObjectReply): SimResponse => {
    if (storage.isFolder(key)) {
      const createdAtMs = storage.folders.get(key) ?? 0;
      return reply.ok(200, {
        'x-upyun-file-type': 'folder',
        'x-upyun-file-size': '0',
        'x-upyun-file-date': String(Math.floor(createdAtMs / 1000)),
      });
    }
    const file = storage.files.get(key);
    if (file === undefined) return reply.error(40400001, 'file or directory not found');
    const headers: Record<string, string> = {
      'x-upyun-file-type': 'file',
      'x-upyun-file-size': String(file.size),
      'x-upyun-file-date': String(Math.floor(file.modifiedAtMs / 1000)),
      ...file.meta,
    };
    if (file.body !== undefined) headers['content-md5'] = md5Hex(file.body);
    if (file.contentType !== undefined) headers['content-type'] = file.contentType;
    return reply.ok(200, headers);
  };

  const copyOrMove = (
    info: SimRequestInfo,
    key: string,
    source: string,
    kind: 'copy' | 'move',
    reply: ObjectReply,
  ): SimResponse => {
    const from = sourcePath(source);
    if (from === undefined) return reply.error(40000042, 'source key wrong');
    if (bucketOf(from) !== bucketOf(key))
      return reply.error(40000040, 'source bucket not equal target bucket');
    if (from === key) return reply.error(40000041, 'source key equals to target key');
    const file = storage.files.get(from);
    if (file === undefined) return reply.error(40400001, 'file or directory not found');
    if (storage.isFolder(key)) return reply.error(40300015, 'path is not a file, maybe a directory');
    if (tooSoon(key) || (kind === 'move' && tooSoon(from))) {
      return reply.error(50300007, 'capture file from fs error');
    }
    const directive = info.headers.get('x-upyun-metadata-directive')?.trim().toLowerCase() ?? 'copy';
    storage.write(key, {
      size: file.size,
      body: file.body,
      contentType: file.contentType,
      meta: directive === 'replace' ? metaOf(info.headers) : file.meta,
    });
    if (kind === 'move') storage.files.delete(from);
    return reply.ok(200);
  };

  const put = (info: SimRequestInfo, key: string, reply: ObjectReply): SimResponse => {
    if (info.path.endsWith('/') || storage.isBucketRoot(key)) return reply.error(40001000, 'wrong uri');
    const copySource = info.headers.get('x-upyun-copy-source');
    if (copySource !== null) return copyOrMove(info, key, copySource, 'copy', reply);
    const moveSource = info.headers.get('x-upyun-move-source');
    if (moveSource !== null) return copyOrMove(info, key, moveSource, 'move', reply);
    if (storage.isFolder(key)) return reply.error(40300015, 'path is not a file, maybe a directory');
    if (tooSoon(key)) return reply.error(50300007, 'capture file from fs error');
    const contentMd5 = info.headers.get('content-md5');
    if (contentMd5 !== null && contentMd5.trim().toLowerCase() !== md5Hex(info.body)) {
      return reply.error(40001001, 'wrong content-md5');
    }
    storage.write(key, {
      size: info.body.byteLength,
      body: info.body,
      contentType: info.headers.get('content-type') ?? undefined,
      meta: metaOf(info.headers),
    });
    return reply.ok(200);
  };

  const remove = (key: string, reply: ObjectReply): SimResponse => {
    if (storage.isBucketRoot(key)) return reply.error(40001000, 'wrong uri');
    if (storage.isFolder(key)) {
      return storage.removeFolder(key) ? reply.ok(200) : reply.error(40300005, 'directory not empty');
    }
    if (!storage.files.has(key)) return reply.error(40400001, 'file or directory not found');
    if (tooSoon(key)) return reply.error(50300007, 'capture file from fs error');
    storage.files.delete(key);
    return reply.ok(200);
  };

  const makeFolder = (key: string, reply: ObjectReply): SimResponse => {
    if (storage.isBucketRoot(key)) return reply.error(40001000, 'wrong uri');
    if (storage.isFolder(key)) return reply.error(40600002, 'folder already exists');
    if (storage.files.has(key)) return reply.error(40600001, 'dir not acceptable');
    storage.makeFolder(key);
    return reply.ok(200);
  };

  const patchMetadata = (info: SimRequestInfo, key: string, reply: ObjectReply): SimResponse => {
    const operation = new URLSearchParams(info.query).get('metadata')?.toLowerCase();
    if (operation === undefined || !METADATA_OPERATIONS.has(operation)) {
      return reply.error(40001003, 'meta invalid');
    }
    const file = storage.files.get(key);
    if (file === undefined) return reply.error(40400001, 'file or directory not found');
    const given = metaOf(info.headers);
    if (Object.keys(given).length === 0) return reply.error(40000044, 'need metadata');
    const meta =
      operation === 'merge'
        ? {...file.meta, ...given}
        : operation === 'replace'
          ? given
          : Object.fromEntries(Object.entries(file.meta).filter(([name]) => !(name in given)));
    storage.setMeta(key, meta);
    return reply.ok(200);
  };

  return {
    /** Answers a request that is not a multipart stage. */
    handle: (info: SimRequestInfo, reply: ObjectReply): SimResponse => {
      const key = info.path.replace(/\/+$/, '');
      switch (info.method) {
        case 'GET':
          return get(info, key, reply);
        case 'HEAD':
          return head(key, reply);
        case 'PUT':
          return put(info, key, reply);
        case 'DELETE':
          return remove(key, reply);
        case 'POST':
          if (info.headers.get('folder')?.trim().toLowerCase() === 'true') return makeFolder(key, reply);
          break;
        case 'PATCH':
          return patchMetadata(info, key, reply);
      }
      // UPYUN documents no code for this; answer with the bare status.
      return reply.ok(405, {allow: 'GET, HEAD, PUT, DELETE, POST, PATCH'});
    },
  };
};
