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

/** Rows with their status, which UPYUN writes as the first three digits of the code. */
type WithStatus<Rows> = {
  readonly [Code in keyof Rows]: {readonly status: UpyunStatusOf<Code & number>} & Rows[Code];
};

/** Adds each row's status from its code, so that the rows need not spell it out. */
const withStatus = <const Rows extends Readonly<Record<number, Rule>>>(rows: Rows): WithStatus<Rows> => {
  const table: Record<string, Rule> = {};
  for (const [code, rule] of Object.entries(rows) as [string, Rule][]) {
    const status = upyunCodeStatus(code);
    table[code] = status === undefined ? rule : {status, ...rule};
  }
  // Built key by key from `rows`, which TypeScript cannot follow through `Object.entries`.
  return table as unknown as WithStatus<Rows>;
};

/**
 * Every code of UPYUN's error table, keyed by the eight-digit code as it appears on the wire (a
 * number). The first three digits are the HTTP status UPYUN answers with. A one-line doc comment
 * above a row says why it is handled differently from what its status suggests (the generated
 * docs show it; it is not shipped in the code). The multipart codes fail here: the
 * multipart upload operation reads `err.code` and resyncs, skips or restarts.
 *
 * @example
 * ```ts
 * upyunCodes[42900001]; // {status: 429, message: 'too many requests', category: 'rate_limited', action: 'throttle', delayMs: 1000, …}
 * ```
 */
export const upyunCodes = /* @__PURE__ */ withStatus({
  40001000: row('wrong uri', validation),
  40001001: row('wrong content-md5', validation),
  40001003: row('meta invalid', validation),
  40001004: row('folder args invalid', validation),
  40001005: row('iter args invalid', validation),
  40001006: row('type invalid', validation),
  40001007: row('block invalid', validation),
  40001008: row('list type not support', validation),
  40001009: row('invalid update time', validation),
  40001011: row('invalid append position', validation),
  40001021: row('invalid utf8 key', validation),
  40001041: row('request wrong type', validation),
  40001042: row('request wrong timestamp', validation),
  40001043: row('request wrong column', validation),
  40001044: row('request wrong list', validation),
  /** A 400 whose message says the record does not exist (research 2.8). */
  40001045: row('not found', notFound),
  40001046: row('wrong length', validation),
  40001047: row('wrong check column', validation),
  40001051: row('encode data error', validation),
  40001052: row('decode data error', validation),
  /** Seed: the file on the server changed during this upload; re-read and upload again, not a blind retry. */
  40001055: row('record has been changed', conflict),
  40001161: row('wrong range', validation),
  40001022: row('wrong multipart action', validation),
  40001023: row('wrong multipart uuid', validation),
  40001024: row('wrong multipart type', validation),
  40001025: row('wrong multipart length', validation),
  40001027: row('wrong multipart size', validation),
  /** Not the part the server expects next: the multipart upload resyncs from x-upyun-next-part-id. */
  40001030: row('wrong multipart part id', conflict),
  /** The part is uploaded already: the multipart upload skips it. */
  40001031: row('duplicate multipart part', conflict),
  40001032: row('oversize multipart part', validation),
  40001033: row('overflow multipart part', validation),
  40001034: row('unexpect multipart length', validation),
  /** The multipart upload expired (24 h) or was never initiated: the multipart upload restarts. */
  40001035: row('notfound multipart uuid', conflict),
  /** The multipart upload is complete already: the multipart upload counts the file as uploaded. */
  40001036: row('completed multipart', conflict),
  /** Parts are missing at complete: the multipart upload resyncs from x-upyun-next-part-id. */
  40001037: row('incomplete multipart parts', conflict),
  40001038: row('invalid append file', validation),
  40000000: row('storage bad request', validation),
  40000001: row('need save-key', validation),
  40000002: row('need body', validation),
  40000003: row('need bucket name', validation),
  40000004: row('need expiration', validation),
  40000005: row('need file', validation),
  40000006: row('content md5 not match', validation),
  40000007: row('need policy', validation),
  40000008: row('need signature', validation),
  40000009: row('decode policy error', validation),
  40000010: row('data too long for ext-param', validation),
  40000011: row('chunked request bodies not supported yet', validation),
  /** A server-side write failure answered with 400: retried like a 503 (research 2.8, unverified). */
  40000012: row('write file to fs error', transient),
  40000013: row('need content-md5 but no body provided', validation),
  40000014: row('need content-md5 but no content provided', validation),
  40000015: row('missing required arguments', validation),
  40000016: row('missing file_hash argument', validation),
  40000017: row('missing file_blocks argument', validation),
  40000018: row('too many file blocks', validation),
  40000019: row('missing file_size argument', validation),
  40000020: row('missing save_token argument', validation),
  40000021: row('missing block_index argument', validation),
  40000022: row('missing block_hash argument', validation),
  /** The block is stored already: the block upload counts it as done (research 2.8). */
  40000023: row('block already exists', conflict),
  /** Other blocks of the file are still uploading: ask again once they finish (research 2.8). */
  40000024: row('block not finished', notReady),
  40000025: row('file size not match', validation),
  40000026: row('block index out of range', validation),
  40000027: row('block size too small, at least 100KB', validation),
  40000028: row('block size too large, at most 5MB', validation),
  40000030: row('path encoding should be utf8', validation),
  40000031: row('filename should be utf8', validation),
  40000032: row('ffmpeg args error', validation),
  40000033: row('failed to read firstchunk', validation),
  40000034: row('client error', validation),
  40000035: row('need purge body', validation),
  40000036: row('uri bucket must be same as param bucket', validation),
  40000037: row('unknown service', validation),
  40000038: row('no boundary defined in Content-Type', validation),
  40000039: row('Content-Length is equal to 0', validation),
  40000040: row('source bucket not equal target bucket', validation),
  40000041: row('source key equals to target key', validation),
  40000042: row('source key wrong', validation),
  40000044: row('need metadata', validation),
  40010001: row('not enough arguments', validation),
  40010002: row('url not allowed', validation),
  40010003: row('tasks number error', validation),
  40010029: row('only 1~10 tasks supported in get', validation),
  40010033: row('decode tasks error', validation),
  40011091: row('invalid app name', validation),
  40011092: row('invalid file ttl', validation),
  40100001: row('need date header', auth),
  40100002: row('date offset error', auth),
  40100003: row('unknown realm in authorization header', auth),
  40100004: row('need authorization header', auth),
  40100005: row('signature error', auth),
  40100006: row('user not exists', auth),
  40100007: row('user blocked', auth),
  40100008: row('user blocked in this bucket', auth),
  40100009: row('user password error', auth),
  40100010: row('account not exist', auth),
  40100011: row('account blocked', auth),
  /** The bucket does not exist: new credentials will not help (research 2.8). */
  40100012: row('bucket not exist', notFound),
  40100013: row('bucket blocked', auth),
  /** The bucket was removed: new credentials will not help (research 2.8). */
  40100014: row('bucket removed', notFound),
  /** Authenticated, but the bucket accepts no writes. */
  40100015: row('bucket read only', permission),
  40100016: row('invalid date value in header', auth),
  /** Authenticated, but the operator lacks this permission. */
  40100017: row('user need permission', permission),
  40100018: row('account inactivate', auth),
  40100019: row('account forbidden', auth),
  40100020: row('account reject', auth),
  /** The account is overdue: a billing limit, not a credential problem (research 2.8). */
  40100021: row('overdue account', quota),
  40100022: row('uri prefix error', auth),
  40100023: row('uri postfix error', auth),
  40100024: row('expire error', auth),
  40100025: row('auth error', auth),
  /** UPYUN answers 403 for input it rejects: the file name has control characters (research 2.8). */
  40300001: row('file name contains invalid chars (\\r\\n\\t)', validation),
  /** An input limit, not a permission: shorten the path (research 2.8). */
  40300002: row('file path too long', validation),
  /** An input limit, not a permission: shorten the file name (research 2.8). */
  40300003: row('file name too long', validation),
  /** The bucket's storage limit is reached: waiting does not help (research 2.8). */
  40300004: row('bucket is full', quota),
  /** The directory still has entries: delete them first (research 2.8). */
  40300005: row('directory not empty', conflict),
  /** The signature or form policy expired: sign again (research 2.8). */
  40300006: row('authorization has expired', auth),
  /** The body does not match Content-MD5: upload again (research 2.8). */
  40300007: row('content md5 not match', validation),
  /** An input limit, not a permission: the file is below the allowed size (research 2.8). */
  40300008: row('file too small', validation),
  /** An input limit, not a permission: the file is above the allowed size (research 2.8). */
  40300009: row('file too large', validation),
  /** The bucket does not accept this file type (research 2.8). */
  40300010: row('file type error', validation),
  40300011: row('has no permission to delete', permission),
  /** A missing header, not a permission (research 2.8). */
  40300012: row('need content-type', validation),
  40300013: row('form api disabled', permission),
  /** A wrong parameter, not a permission (research 2.8). */
  40300014: row('order must be asc or desc', validation),
  /** The path names a directory where a file is expected (research 2.8). */
  40300015: row('path is not a file, maybe a directory', validation),
  /** A wrong parameter, not a permission (research 2.8). */
  40300016: row('content-secret only accept [a-zA-Z0-9]', validation),
  /** The thumbnail version is not configured for the bucket (research 2.8). */
  40300017: row('no thumb setting found for bucket', validation),
  /** The body is not an image (research 2.8). */
  40300018: row('not an image', validation),
  /** The image width is outside the allowed range (research 2.8). */
  40300019: row('image width too small or too big', validation),
  /** The image height is outside the allowed range (research 2.8). */
  40300020: row('image height too small or too big', validation),
  /** An image processing limit: waiting does not help (research 2.8). */
  40300021: row('image limit exceeded', quota),
  /** A wrong parameter, not a permission (research 2.8). */
  40300022: row('invalid image-width-range', validation),
  /** An input limit, not a permission: the file is too large (research 2.8). */
  40300024: row('exceed max size', validation),
  /** A wrong header, not a permission (research 2.8). */
  40300025: row('wrong content-type header', validation),
  /** A missing header, not a permission (research 2.8). */
  40300026: row('need content-length header', validation),
  /** An input limit, not a permission: the body is too large (research 2.8). */
  40300027: row('request body too big', validation),
  /** The signed request or form policy expired: sign again (research 2.8). */
  40300028: row('request has expired', auth),
  /** A malformed form policy, not a permission (research 2.8). */
  40300035: row('content-length of policy format error', validation),
  40400001: row('file or directory not found', notFound),
  /** A malformed base64 value answered with 404 (research 2.8). */
  40400002: row('base64 decoded err', validation),
  40401004: row('Not found, mark as deleted', notFound),
  40401005: row('Not found, block deleted', notFound),
  40401006: row('type invalid', notFound),
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
  42900001: row('too many requests', {...throttled, delayMs: 1_000}),
  /** A throttle on one path: wait at least 1 s (research 2.4). */
  42900002: row('too many requests of the same uri', {...throttled, delayMs: 1_000}),
  /** Not in the seed; the 2019 error table lists it: a bucket-wide throttle, wait at least 1 s (research 2.4). */
  42900003: row('too many requests of the same bucket', {...throttled, delayMs: 1_000}),
  /** The requester is banned: never retried, since more requests prolong the ban; stop the batch (research 2.4). */
  42900004: row('request banned', quota),
  /** A bandwidth cap: wait longer, at least 5 s, and lower concurrency (research 2.4). */
  42900005: row('bandwidth limit', {...throttled, delayMs: 5_000}),
  /** Too many failed signature checks: never retried, since more attempts make it worse (research 2.4). */
  42900006: row('too many auth check', auth),
  /** Another write or delete of the same file is in flight: refused, retried after 1 s (research 2.4). */
  42900007: row('concurrent put or delete', {...transient, minDelayMs: 1_000, processed: false}),
  /** A throttle on metadata requests: wait at least 1 s (research 2.4). */
  42900008: row('too many meta requests', {...throttled, delayMs: 1_000}),
  50300000: row('unknown error', transient),
  50300002: row('decode error', transient),
  /** Seed: a file can be modified only once per second; retried after at least 1 s. */
  50300007: row('capture file from fs error', {...transient, minDelayMs: 1_000}),
  50300009: row('get body temp file error', transient),
  50300010: row('read body temp file error', transient),
  50300011: row('capture file from ffmpeg error', transient),
  50300012: row('service error in thumb', transient),
  /** Seed: an internal service timed out; retried. */
  50300013: row('put file capture timeout', transient),
  50300014: row('get client socket error', transient),
  50300015: row('decode image info error', transient),
  50300016: row('get image info error', transient),
  50300017: row('failed to new md5', transient),
  50300018: row('failed to new form', transient),
  50300020: row('put file capture error', transient),
  50300022: row('new resource error', transient),
  50300023: row('connect to db error', transient),
  50300024: row('get master failed', transient),
  50300025: row('write info error', transient),
  50300026: row('get data error', transient),
  50300027: row('put file to fs error', transient),
  50300028: row('get file from fs error', transient),
  50300029: row('unknow error', transient),
  50300030: row('upstream closed connection', transient),
  50300031: row('read upstream timeout', transient),
  /** Wrong data on the server side: sending again will not help (research 2.8). */
  50300032: row('wrong data', serverFault),
  50300033: row('new resource error', transient),
  50300034: row('get info errors', transient),
  50300036: row('send to kafka error', transient),
  50300038: row('failed to new httpipe', transient),
  50300039: row('failed to get client body reader', transient),
  /** A server configuration fault: sending again will not help (research 2.8). */
  50300040: row('wrong config', serverFault),
  50300041: row('connect to db error', transient),
  50300042: row('delete path error', transient),
  50300043: row('put task to nsq error', transient),
  50300044: row('avalon list dir error', transient),
  /** An internal sync call did not complete: transient, retried (research 2.8). */
  59900001: row('sync call timeout', transient),
  /** An internal sync call did not complete: transient, retried (research 2.8). */
  59900002: row('sync call closed by target', transient),
  /** An internal sync call did not complete: transient, retried (research 2.8). */
  59900003: row('sync call failed', transient),
  /** An internal purge call did not complete: transient, retried (research 2.8). */
  59900004: row('purge timeout', transient),
  /** An internal purge call did not complete: transient, retried (research 2.8). */
  59900005: row('purge closed by target', transient),
  /** An internal purge call did not complete: transient, retried (research 2.8). */
  59900006: row('purge call failed', transient),
  /** An internal delete call did not complete: transient, retried (research 2.8). */
  59900007: row('async delete fail', transient),
  /** The connection was closed on the client side: transient, retried (research 2.8). */
  44400003: row('client abort', transient),
  /** The connection was closed on the client side: transient, retried (research 2.8). */
  44400004: row('put capture broken pipe', transient),
  /** The connection was closed on the client side: transient, retried (research 2.8). */
  44400005: row('connection reset by client', transient),
  40010030: row('invalid x-av-b header', validation),
  40010031: row('invalid x-av-ac header', validation),
  40010032: row('invalid x-av-f header', validation),
  40011001: row('invalid x-gmkerl-type', validation),
  40011002: row('invalid x-gmkerl-value', validation),
  40011003: row('invalid x-gmkerl-unsharp', validation),
  40011004: row('invalid x-gmkerl-quality', validation),
  40011005: row('invalid x-gmkerl-exif-switch', validation),
  40011006: row('invalid x-gmkerl-gifto', validation),
  40011007: row('invalid x-gmkerl-webp', validation),
  40011008: row('invalid x-gmkerl-format', validation),
  40011009: row('invalid x-gmkerl-crop', validation),
  40011010: row('invalid x-gmkerl-rotate', validation),
  40011011: row('invalid x-gmkerl-gaussblur', validation),
  40011012: row('invalid x-gmkerl-compress', validation),
  40011013: row('invalid x-gmkerl-progressive', validation),
  40011014: row('invalid x-gmkerl-noicc', validation),
  40011015: row('invalid x-gmkerl-watermark-switch', validation),
  40011016: row('invalid x-gmkerl-watermark-align', validation),
  40011017: row('invalid x-gmkerl-watermark-margin', validation),
  40011018: row('invalid x-gmkerl-watermark-opacity', validation),
  40011019: row('invalid x-gmkerl-watermark-animate', validation),
  40011020: row('invalid x-gmkerl-watermark-font', validation),
  40011021: row('invalid x-gmkerl-watermark-text', validation),
  40011022: row('invalid x-gmkerl-watermark-color', validation),
  40011023: row('invalid x-gmkerl-watermark-border', validation),
  40011024: row('invalid x-gmkerl-watermark-size', validation),
  40011025: row('invalid x-gmkerl-gradient-orientation', validation),
  40011026: row('invalid x-gmkerl-gradient-pos', validation),
  40011027: row('invalid x-gmkerl-gradient-startcolor', validation),
  40011028: row('invalid x-gmkerl-gradient-stopcolor', validation),
  40011029: row('invalid x-gmkerl-extract-func', validation),
  40011030: row('invalid x-gmkerl-extract-color-count', validation),
  40011031: row('invalid x-gmkerl-extract-offset', validation),
  40011032: row('invalid x-gmkerl-extract-palette', validation),
  40011033: row('invalid x-gmkerl-canvas', validation),
  40011034: row('invalid x-gmkerl-canvas-color', validation),
  40011035: row('invalid param in thumb', validation),
  40011050: row('invalid app name', validation),
  40011051: row('invalid x-upyun-part-id', validation),
  40011052: row('invalid x-upyun-multi-length', validation),
  40011053: row('invalid x-upyun-multi-type', validation),
  40011054: row('invalid x-upyun-part-size', validation),
  40011055: row('invalid multipart stage', validation),
  40011056: row('invalid x-upyun-multi-uuid', validation),
  40011057: row('invalid UTF8 Key', validation),
  /** The multipart upload id is unknown (expired after 24 h): the multipart upload restarts. */
  40011058: row('x-upyun-multi-uuid not found', conflict),
  /** The file is uploaded already: the multipart upload counts it as done. */
  40011059: row('file already upload', conflict),
  /** The assembled file does not match x-upyun-multi-md5: the multipart upload restarts. */
  40011060: row('file md5 not match', validation),
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
