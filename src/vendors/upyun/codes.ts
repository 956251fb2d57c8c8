/**
 * @module UPYUN's error codes (USS REST API), one row per code, in the order of UPYUN's error table.
 */
import {
  auth,
  conflict,
  notFound,
  notReady,
  permission,
  quota,
  type Rule,
  row,
  serverFault,
  throttled,
  transient,
  validation,
} from '../../core/rule.ts';
import {type UpyunStatusOf, upyunCodeStatus} from './code-status.ts';

/**
 * How UPYUN's codes of a status are usually handled. A row written as just its message gets the
 * handling of its status here; a row handled otherwise (or of another status) is a `row()` call
 * with its handling, and a note above it when it departs from what the status suggests.
 */
const usualHandling = {
  400: validation,
  401: auth,
  // Most of UPYUN's 403s reject the input (a name, a size, a header), not the operator.
  403: validation,
  404: notFound,
  // UPYUN asks clients to wait at least 1 s after its throttles (research 2.4).
  429: {...throttled, delayMs: 1_000},
  444: transient,
  503: transient,
  599: transient,
} as const;

type UsualHandling = typeof usualHandling;

/** One row with its status, which UPYUN writes as the first three digits of the code. */
type WithStatus<Status extends number, Row> = Row extends string
  ? Status extends keyof UsualHandling
    ? {readonly status: Status; readonly message: Row} & UsualHandling[Status]
    : never
  : {readonly status: Status} & Row;

/** Rows with their status and, for a bare message, their status's usual handling. */
type Rows<Table> = {
  readonly [Code in keyof Table]: WithStatus<UpyunStatusOf<Code & number>, Table[Code]>;
};

/**
 * Adds each row's status from its code, so that the rows need not spell it out, and gives a row
 * written as a bare message its status's usual handling.
 */
const withStatus = <const Table extends Readonly<Record<number, Rule | string>>>(
  table: Table,
): Rows<Table> => {
  const rows: Record<string, Rule> = {};
  for (const [code, written] of Object.entries(table) as [string, Rule | string][]) {
    const status = upyunCodeStatus(code);
    const rule =
      typeof written === 'string'
        ? {message: written, ...usualHandling[status as keyof UsualHandling]}
        : written;
    rows[code] = status === undefined ? rule : {status, ...rule};
  }
  // Built key by key from `table`, which TypeScript cannot follow through `Object.entries`.
  return rows as unknown as Rows<Table>;
};

/**
 * Every code of UPYUN's error table, keyed by the eight-digit code as it appears on the wire (a
 * number). The first three digits are the HTTP status UPYUN answers with. A row that is just a
 * message is handled as its status usually is (`usualHandling`: 400 and 403 validation, 401 auth,
 * 404 not found, 429 throttled for at least 1 s, 444, 503 and 599 transient); any other row says
 * its handling. A one-line doc comment
 * above a row says why it is handled differently from what its status suggests (the generated
 * docs show it; it is not shipped in the code). The multipart codes fail here: the multipart
 * upload operation reads `err.code` and resyncs, skips or restarts.
 *
 * @example
 * ```ts
 * upyunCodes[42900001]; // {status: 429, message: 'too many requests', category: 'rate_limited', action: 'throttle', delayMs: 1000, …}
 * upyunCodes[40001000]; // {status: 400, message: 'wrong uri', category: 'validation', action: 'fail'}
 * ```
 */
export const upyunCodes = /* @__PURE__ */ withStatus({
  40001000: 'wrong uri',
  40001001: 'wrong content-md5',
  40001003: 'meta invalid',
  40001004: 'folder args invalid',
  40001005: 'iter args invalid',
  40001006: 'type invalid',
  40001007: 'block invalid',
  40001008: 'list type not support',
  40001009: 'invalid update time',
  40001011: 'invalid append position',
  40001021: 'invalid utf8 key',
  40001041: 'request wrong type',
  40001042: 'request wrong timestamp',
  40001043: 'request wrong column',
  40001044: 'request wrong list',
  /** A 400 whose message says the record does not exist (research 2.8). */
  40001045: row('not found', notFound),
  40001046: 'wrong length',
  40001047: 'wrong check column',
  40001051: 'encode data error',
  40001052: 'decode data error',
  /** Seed: the file on the server changed during this upload; re-read and upload again, not a blind retry. */
  40001055: row('record has been changed', conflict),
  40001161: 'wrong range',
  40001022: 'wrong multipart action',
  40001023: 'wrong multipart uuid',
  40001024: 'wrong multipart type',
  40001025: 'wrong multipart length',
  40001027: 'wrong multipart size',
  /** Not the part the server expects next: the multipart upload resyncs from x-upyun-next-part-id. */
  40001030: row('wrong multipart part id', conflict),
  /** The part is uploaded already: the multipart upload skips it. */
  40001031: row('duplicate multipart part', conflict),
  40001032: 'oversize multipart part',
  40001033: 'overflow multipart part',
  40001034: 'unexpect multipart length',
  /** The multipart upload expired (24 h) or was never initiated: the multipart upload restarts. */
  40001035: row('notfound multipart uuid', conflict),
  /** The multipart upload is complete already: the multipart upload counts the file as uploaded. */
  40001036: row('completed multipart', conflict),
  /** Parts are missing at complete: the multipart upload resyncs from x-upyun-next-part-id. */
  40001037: row('incomplete multipart parts', conflict),
  40001038: 'invalid append file',
  40000000: 'storage bad request',
  40000001: 'need save-key',
  40000002: 'need body',
  40000003: 'need bucket name',
  40000004: 'need expiration',
  40000005: 'need file',
  40000006: 'content md5 not match',
  40000007: 'need policy',
  40000008: 'need signature',
  40000009: 'decode policy error',
  40000010: 'data too long for ext-param',
  40000011: 'chunked request bodies not supported yet',
  /** A server-side write failure answered with 400: retried like a 503 (research 2.8, unverified). */
  40000012: row('write file to fs error', transient),
  40000013: 'need content-md5 but no body provided',
  40000014: 'need content-md5 but no content provided',
  40000015: 'missing required arguments',
  40000016: 'missing file_hash argument',
  40000017: 'missing file_blocks argument',
  40000018: 'too many file blocks',
  40000019: 'missing file_size argument',
  40000020: 'missing save_token argument',
  40000021: 'missing block_index argument',
  40000022: 'missing block_hash argument',
  /** The block is stored already: the block upload counts it as done (research 2.8). */
  40000023: row('block already exists', conflict),
  /** Other blocks of the file are still uploading: ask again once they finish (research 2.8). */
  40000024: row('block not finished', notReady),
  40000025: 'file size not match',
  40000026: 'block index out of range',
  40000027: 'block size too small, at least 100KB',
  40000028: 'block size too large, at most 5MB',
  40000030: 'path encoding should be utf8',
  40000031: 'filename should be utf8',
  40000032: 'ffmpeg args error',
  40000033: 'failed to read firstchunk',
  40000034: 'client error',
  40000035: 'need purge body',
  40000036: 'uri bucket must be same as param bucket',
  40000037: 'unknown service',
  40000038: 'no boundary defined in Content-Type',
  40000039: 'Content-Length is equal to 0',
  40000040: 'source bucket not equal target bucket',
  40000041: 'source key equals to target key',
  40000042: 'source key wrong',
  40000044: 'need metadata',
  40010001: 'not enough arguments',
  40010002: 'url not allowed',
  40010003: 'tasks number error',
  40010029: 'only 1~10 tasks supported in get',
  40010033: 'decode tasks error',
  40011091: 'invalid app name',
  40011092: 'invalid file ttl',
  40100001: 'need date header',
  40100002: 'date offset error',
  40100003: 'unknown realm in authorization header',
  40100004: 'need authorization header',
  40100005: 'signature error',
  40100006: 'user not exists',
  40100007: 'user blocked',
  40100008: 'user blocked in this bucket',
  40100009: 'user password error',
  40100010: 'account not exist',
  40100011: 'account blocked',
  /** The bucket does not exist: new credentials will not help (research 2.8). */
  40100012: row('bucket not exist', notFound),
  40100013: 'bucket blocked',
  /** The bucket was removed: new credentials will not help (research 2.8). */
  40100014: row('bucket removed', notFound),
  /** Authenticated, but the bucket accepts no writes. */
  40100015: row('bucket read only', permission),
  40100016: 'invalid date value in header',
  /** Authenticated, but the operator lacks this permission. */
  40100017: row('user need permission', permission),
  40100018: 'account inactivate',
  40100019: 'account forbidden',
  40100020: 'account reject',
  /** The account is overdue: a billing limit, not a credential problem (research 2.8). */
  40100021: row('overdue account', quota),
  40100022: 'uri prefix error',
  40100023: 'uri postfix error',
  40100024: 'expire error',
  40100025: 'auth error',
  /** UPYUN answers 403 for input it rejects: the file name has control characters (research 2.8). */
  40300001: 'file name contains invalid chars (\\r\\n\\t)',
  /** An input limit, not a permission: shorten the path (research 2.8). */
  40300002: 'file path too long',
  /** An input limit, not a permission: shorten the file name (research 2.8). */
  40300003: 'file name too long',
  /** The bucket's storage limit is reached: waiting does not help (research 2.8). */
  40300004: row('bucket is full', quota),
  /** The directory still has entries: delete them first (research 2.8). */
  40300005: row('directory not empty', conflict),
  /** The signature or form policy expired: sign again (research 2.8). */
  40300006: row('authorization has expired', auth),
  /** The body does not match Content-MD5: upload again (research 2.8). */
  40300007: 'content md5 not match',
  /** An input limit, not a permission: the file is below the allowed size (research 2.8). */
  40300008: 'file too small',
  /** An input limit, not a permission: the file is above the allowed size (research 2.8). */
  40300009: 'file too large',
  /** The bucket does not accept this file type (research 2.8). */
  40300010: 'file type error',
  40300011: row('has no permission to delete', permission),
  /** A missing header, not a permission (research 2.8). */
  40300012: 'need content-type',
  40300013: row('form api disabled', permission),
  /** A wrong parameter, not a permission (research 2.8). */
  40300014: 'order must be asc or desc',
  /** The path names a directory where a file is expected (research 2.8). */
  40300015: 'path is not a file, maybe a directory',
  /** A wrong parameter, not a permission (research 2.8). */
  40300016: 'content-secret only accept [a-zA-Z0-9]',
  /** The thumbnail version is not configured for the bucket (research 2.8). */
  40300017: 'no thumb setting found for bucket',
  /** The body is not an image (research 2.8). */
  40300018: 'not an image',
  /** The image width is outside the allowed range (research 2.8). */
  40300019: 'image width too small or too big',
  /** The image height is outside the allowed range (research 2.8). */
  40300020: 'image height too small or too big',
  /** An image processing limit: waiting does not help (research 2.8). */
  40300021: row('image limit exceeded', quota),
  /** A wrong parameter, not a permission (research 2.8). */
  40300022: 'invalid image-width-range',
  /** An input limit, not a permission: the file is too large (research 2.8). */
  40300024: 'exceed max size',
  /** A wrong header, not a permission (research 2.8). */
  40300025: 'wrong content-type header',
  /** A missing header, not a permission (research 2.8). */
  40300026: 'need content-length header',
  /** An input limit, not a permission: the body is too large (research 2.8). */
  40300027: 'request body too big',
  /** The signed request or form policy expired: sign again (research 2.8). */
  40300028: row('request has expired', auth),
  /** A malformed form policy, not a permission (research 2.8). */
  40300035: 'content-length of policy format error',
  40400001: 'file or directory not found',
  /** A malformed base64 value answered with 404 (research 2.8). */
  40400002: row('base64 decoded err', validation),
  40401004: 'Not found, mark as deleted',
  40401005: 'Not found, block deleted',
  40401006: 'type invalid',
  /** The path conflicts with an existing directory (research 2.8: 406 is a conflict). */
  40600001: row('dir not acceptable', conflict),
  /** The folder exists already: a mkdir may count it as done (research 2.8). */
  40600002: row('folder already exists', conflict),
  /** The bucket type does not support the form API: a configuration problem, not a state conflict. */
  40600003: row('single-copy bucket not support form api', validation),
  40800001: row('read client request timeout', {...transient, processed: false}),
  41200001: row('precondition failed', conflict),
  41300001: row('content length too large', validation),
  41500001: row('media type error, need content-type', validation),
  /** UPYUN asks clients to slow down and pause after each upload: wait at least 1 s (research 2.4). */
  42900001: 'too many requests',
  /** A throttle on one path: wait at least 1 s (research 2.4). */
  42900002: 'too many requests of the same uri',
  /** Not in the seed; the 2019 error table lists it: a bucket-wide throttle, wait at least 1 s (research 2.4). */
  42900003: 'too many requests of the same bucket',
  /** The requester is banned: never retried, since more requests prolong the ban; stop the batch (research 2.4). */
  42900004: row('request banned', quota),
  /** A bandwidth cap: wait longer, at least 5 s, and lower concurrency (research 2.4). */
  42900005: row('bandwidth limit', {...throttled, delayMs: 5_000}),
  /** Too many failed signature checks: never retried, since more attempts make it worse (research 2.4). */
  42900006: row('too many auth check', auth),
  /** Another write or delete of the same file is in flight: refused, retried after 1 s (research 2.4). */
  42900007: row('concurrent put or delete', {...transient, minDelayMs: 1_000, processed: false}),
  /** A throttle on metadata requests: wait at least 1 s (research 2.4). */
  42900008: 'too many meta requests',
  50300000: 'unknown error',
  50300002: 'decode error',
  /** Seed: a file can be modified only once per second; retried after at least 1 s. */
  50300007: row('capture file from fs error', {...transient, minDelayMs: 1_000}),
  50300009: 'get body temp file error',
  50300010: 'read body temp file error',
  50300011: 'capture file from ffmpeg error',
  50300012: 'service error in thumb',
  /** Seed: an internal service timed out; retried. */
  50300013: 'put file capture timeout',
  50300014: 'get client socket error',
  50300015: 'decode image info error',
  50300016: 'get image info error',
  50300017: 'failed to new md5',
  50300018: 'failed to new form',
  50300020: 'put file capture error',
  50300022: 'new resource error',
  50300023: 'connect to db error',
  50300024: 'get master failed',
  50300025: 'write info error',
  50300026: 'get data error',
  50300027: 'put file to fs error',
  50300028: 'get file from fs error',
  50300029: 'unknow error',
  50300030: 'upstream closed connection',
  50300031: 'read upstream timeout',
  /** Wrong data on the server side: sending again will not help (research 2.8). */
  50300032: row('wrong data', serverFault),
  50300033: 'new resource error',
  50300034: 'get info errors',
  50300036: 'send to kafka error',
  50300038: 'failed to new httpipe',
  50300039: 'failed to get client body reader',
  /** A server configuration fault: sending again will not help (research 2.8). */
  50300040: row('wrong config', serverFault),
  50300041: 'connect to db error',
  50300042: 'delete path error',
  50300043: 'put task to nsq error',
  50300044: 'avalon list dir error',
  /** An internal sync call did not complete: transient, retried (research 2.8). */
  59900001: 'sync call timeout',
  /** An internal sync call did not complete: transient, retried (research 2.8). */
  59900002: 'sync call closed by target',
  /** An internal sync call did not complete: transient, retried (research 2.8). */
  59900003: 'sync call failed',
  /** An internal purge call did not complete: transient, retried (research 2.8). */
  59900004: 'purge timeout',
  /** An internal purge call did not complete: transient, retried (research 2.8). */
  59900005: 'purge closed by target',
  /** An internal purge call did not complete: transient, retried (research 2.8). */
  59900006: 'purge call failed',
  /** An internal delete call did not complete: transient, retried (research 2.8). */
  59900007: 'async delete fail',
  /** The connection was closed on the client side: transient, retried (research 2.8). */
  44400003: 'client abort',
  /** The connection was closed on the client side: transient, retried (research 2.8). */
  44400004: 'put capture broken pipe',
  /** The connection was closed on the client side: transient, retried (research 2.8). */
  44400005: 'connection reset by client',
  40010030: 'invalid x-av-b header',
  40010031: 'invalid x-av-ac header',
  40010032: 'invalid x-av-f header',
  40011001: 'invalid x-gmkerl-type',
  40011002: 'invalid x-gmkerl-value',
  40011003: 'invalid x-gmkerl-unsharp',
  40011004: 'invalid x-gmkerl-quality',
  40011005: 'invalid x-gmkerl-exif-switch',
  40011006: 'invalid x-gmkerl-gifto',
  40011007: 'invalid x-gmkerl-webp',
  40011008: 'invalid x-gmkerl-format',
  40011009: 'invalid x-gmkerl-crop',
  40011010: 'invalid x-gmkerl-rotate',
  40011011: 'invalid x-gmkerl-gaussblur',
  40011012: 'invalid x-gmkerl-compress',
  40011013: 'invalid x-gmkerl-progressive',
  40011014: 'invalid x-gmkerl-noicc',
  40011015: 'invalid x-gmkerl-watermark-switch',
  40011016: 'invalid x-gmkerl-watermark-align',
  40011017: 'invalid x-gmkerl-watermark-margin',
  40011018: 'invalid x-gmkerl-watermark-opacity',
  40011019: 'invalid x-gmkerl-watermark-animate',
  40011020: 'invalid x-gmkerl-watermark-font',
  40011021: 'invalid x-gmkerl-watermark-text',
  40011022: 'invalid x-gmkerl-watermark-color',
  40011023: 'invalid x-gmkerl-watermark-border',
  40011024: 'invalid x-gmkerl-watermark-size',
  40011025: 'invalid x-gmkerl-gradient-orientation',
  40011026: 'invalid x-gmkerl-gradient-pos',
  40011027: 'invalid x-gmkerl-gradient-startcolor',
  40011028: 'invalid x-gmkerl-gradient-stopcolor',
  40011029: 'invalid x-gmkerl-extract-func',
  40011030: 'invalid x-gmkerl-extract-color-count',
  40011031: 'invalid x-gmkerl-extract-offset',
  40011032: 'invalid x-gmkerl-extract-palette',
  40011033: 'invalid x-gmkerl-canvas',
  40011034: 'invalid x-gmkerl-canvas-color',
  40011035: 'invalid param in thumb',
  40011050: 'invalid app name',
  40011051: 'invalid x-upyun-part-id',
  40011052: 'invalid x-upyun-multi-length',
  40011053: 'invalid x-upyun-multi-type',
  40011054: 'invalid x-upyun-part-size',
  40011055: 'invalid multipart stage',
  40011056: 'invalid x-upyun-multi-uuid',
  40011057: 'invalid UTF8 Key',
  /** The multipart upload id is unknown (expired after 24 h): the multipart upload restarts. */
  40011058: row('x-upyun-multi-uuid not found', conflict),
  /** The file is uploaded already: the multipart upload counts it as done. */
  40011059: row('file already upload', conflict),
  /** The assembled file does not match x-upyun-multi-md5: the multipart upload restarts. */
  40011060: 'file md5 not match',
  /** Not the part the server expects next: the multipart upload resyncs from x-upyun-next-part-id. */
  40011061: row('part id error', conflict),
  /** The part is complete already: the multipart upload skips to the next one. */
  40011062: row('part already complete', conflict),
});

type TableUpyunCodeTable = typeof upyunCodes;

/**
 * The type of UPYUN's code table, by name: editors and `.d.ts` files show the name instead of spelling
 * out every row. An interface, since TypeScript shows an alias of a `typeof` by its expansion.
 */
export interface UpyunCodeTable extends TableUpyunCodeTable {}
