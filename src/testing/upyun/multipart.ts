/**
 * @module The simulator's multipart uploads: `initiate` → `upload` parts (in order, or in any order
 * with `x-upyun-multi-disorder: true`) → `complete`.
 */
import type {SimRequestInfo, SimResponse} from './sim-types.ts';

const MIB = 1024 * 1024;
const DIGITS = /^\d+$/;

/**
 * A multipart session as the simulator keeps it.
 *
 * @example
 * ```ts
 * expect([...sim.uploads.values()].every((session) => session.completed)).toBe(true);
 * ```
 */
export type MultipartSession = {
  readonly uuid: string;
  readonly path: string;
  readonly length: number;
  readonly partSize: number;
  readonly partCount: number;
  readonly contentType: string | undefined;
  readonly createdAtMs: number;
  readonly parts: Map<number, Uint8Array>;
  /** Parts may come in any order (`x-upyun-multi-disorder: true` at `initiate`). */
  readonly disorder: boolean;
  /** The next part id expected, the lowest missing one when out of order (`-1`: all parts in). */
  next: number;
  completed: boolean;
};

/** How the multipart handler answers (the simulator's own builders). */
export type Reply = {
  readonly ok: (status: number, headers?: Record<string, string>) => SimResponse;
  readonly error: (code: number, msg: string, headers?: Record<string, string>) => SimResponse;
};

/** What the multipart handler needs from the simulator. */
export type MultipartDeps = {
  readonly now: () => number;
  readonly ttlMs: number;
  readonly storeBodies: boolean;
  readonly newUuid: () => string;
  readonly tooSoon: (path: string) => boolean;
  readonly store: (
    path: string,
    size: number,
    body: Uint8Array | undefined,
    type: string | undefined,
  ) => boolean;
  readonly md5Hex: (bytes: Uint8Array) => string;
  readonly stats: {
    multipartInitiated: number;
    multipartParts: number;
    multipartCompleted: number;
    sameFile: number;
  };
};

/**
 * The multipart part of the simulator. Parts must come in order: a part id ahead of the next one
 * gets 40011061 and one already stored gets 40011062, both with `x-upyun-next-part-id`; a
 * finished session answers 40011059, an unknown or expired one 40011058. A session initiated with
 * `x-upyun-multi-disorder: true` (as the official SDKs do) takes its parts in any order; a part id
 * beyond the last gets 40011061.
 *
 * @example
 * ```ts
 * const multipart = createMultipart(deps);
 * return multipart.handle(info, {ok, error});
 * ```
 */
export const createMultipart = (deps: MultipartDeps) => {
  const sessions = new Map<string, MultipartSession>();
  const nextHeader = (session: MultipartSession) => ({'x-upyun-next-part-id': String(session.next)});

  /** The session of a request, or the error that says why there is none. */
  const sessionOf = (info: SimRequestInfo, reply: Reply): MultipartSession | SimResponse => {
    const uuid = info.headers.get('x-upyun-multi-uuid')?.trim();
    if (!uuid) return reply.error(40011056, 'invalid x-upyun-multi-uuid');
    const session = sessions.get(uuid);
    if (session !== undefined && !session.completed && deps.now() - session.createdAtMs > deps.ttlMs) {
      sessions.delete(uuid);
    }
    const live = sessions.get(uuid);
    if (live === undefined || live.path !== info.path)
      return reply.error(40011058, 'x-upyun-multi-uuid not found');
    if (live.completed) return reply.error(40011059, 'file already upload');
    return live;
  };

  const initiate = (info: SimRequestInfo, reply: Reply): SimResponse => {
    const length = info.headers.get('x-upyun-multi-length')?.trim() ?? '';
    if (!DIGITS.test(length)) return reply.error(40011052, 'invalid x-upyun-multi-length');
    const size = info.headers.get('x-upyun-multi-part-size')?.trim() ?? String(MIB);
    if (!DIGITS.test(size) || Number(size) === 0 || Number(size) % MIB !== 0) {
      return reply.error(40011054, 'invalid x-upyun-part-size');
    }
    const partCount = Math.ceil(Number(length) / Number(size));
    const session: MultipartSession = {
      uuid: deps.newUuid(),
      path: info.path,
      length: Number(length),
      partSize: Number(size),
      partCount,
      contentType: info.headers.get('x-upyun-multi-type') ?? undefined,
      createdAtMs: deps.now(),
      parts: new Map(),
      disorder: info.headers.get('x-upyun-multi-disorder')?.trim().toLowerCase() === 'true',
      next: partCount === 0 ? -1 : 0,
      completed: false,
    };
    sessions.set(session.uuid, session);
    deps.stats.multipartInitiated++;
    return reply.ok(204, {'x-upyun-multi-uuid': session.uuid, ...nextHeader(session)});
  };

  const uploadPart = (info: SimRequestInfo, reply: Reply): SimResponse => {
    const session = sessionOf(info, reply);
    if (!('uuid' in session)) return session;
    const partText = info.headers.get('x-upyun-part-id')?.trim() ?? '';
    if (!DIGITS.test(partText)) return reply.error(40011051, 'invalid x-upyun-part-id');
    const partId = Number(partText);
    if (session.parts.has(partId)) {
      return reply.error(40011062, 'part already complete', nextHeader(session));
    }
    const allowed = session.disorder ? partId < session.partCount : partId === session.next;
    if (!allowed) return reply.error(40011061, 'part id error', nextHeader(session));
    const expected =
      partId === session.partCount - 1 ? session.length - partId * session.partSize : session.partSize;
    if (info.body.byteLength > expected) return reply.error(40001032, 'oversize multipart part');
    if (info.body.byteLength < expected) return reply.error(40001034, 'unexpect multipart length');
    session.parts.set(partId, deps.storeBodies ? info.body.slice() : new Uint8Array());
    session.next = lowestMissing(session);
    deps.stats.multipartParts++;
    return reply.ok(204, nextHeader(session));
  };

  const complete = (info: SimRequestInfo, reply: Reply): SimResponse => {
    const session = sessionOf(info, reply);
    if (!('uuid' in session)) return session;
    if (session.next !== -1) return reply.error(40001037, 'incomplete multipart parts', nextHeader(session));
    const body = deps.storeBodies ? assemble(session) : undefined;
    const md5 = info.headers.get('x-upyun-multi-md5')?.trim().toLowerCase();
    if (md5 && body !== undefined && deps.md5Hex(body) !== md5) {
      return reply.error(40011060, 'file md5 not match');
    }
    if (deps.tooSoon(session.path)) {
      deps.stats.sameFile++;
      return reply.error(50300007, 'capture file from fs error');
    }
    const created = deps.store(session.path, session.length, body, session.contentType);
    session.completed = true;
    session.parts.clear();
    deps.stats.multipartCompleted++;
    return reply.ok(created ? 201 : 204, {
      'x-upyun-multi-uuid': session.uuid,
      'x-upyun-multi-length': String(session.length),
      ...(session.contentType === undefined ? {} : {'x-upyun-multi-type': session.contentType}),
    });
  };

  return {
    /** Answers a PUT that carries `x-upyun-multi-stage`. */
    handle: (info: SimRequestInfo, reply: Reply): SimResponse => {
      switch (info.stage) {
        case 'initiate':
          return initiate(info, reply);
        case 'upload':
          return uploadPart(info, reply);
        case 'complete':
          return complete(info, reply);
        default:
          return reply.error(40011055, 'invalid multipart stage');
      }
    },
    /** Forgets every session. */
    clear: (): void => sessions.clear(),
    /** Open and finished sessions by uuid (read-only view for assertions). */
    sessions: sessions as ReadonlyMap<string, Readonly<MultipartSession>>,
  };
};

const lowestMissing = (session: MultipartSession): number => {
  // Every part below `next` is in already.
  for (let partId = Math.max(0, session.next); partId < session.partCount; partId++) {
    if (!session.parts.has(partId)) return partId;
  }
  return -1;
};

const assemble = (session: MultipartSession): Uint8Array => {
  const body = new Uint8Array(session.length);
  for (const [partId, part] of session.parts) {
    body.set(part, partId * session.partSize);
  }
  return body;
};
