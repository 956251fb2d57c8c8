/**
 * @module UPYUN's error codes (USS REST API), one row per code, in the order of UPYUN's error table.
 */
import type {CodeTable} from '../../core/define-vendor.ts';
import {
  auth,
  conflict,
  notFound,
  notReady,
  permission,
  quota,
  serverFault,
  throttled,
  transient,
  validation,
} from '../../core/rule.ts';

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
export const upyunCodes = {
  40001000: {status: 400, message: 'wrong uri', ...validation},
  40001001: {status: 400, message: 'wrong content-md5', ...validation},
  40001003: {status: 400, message: 'meta invalid', ...validation},
  40001004: {status: 400, message: 'folder args invalid', ...validation},
  40001005: {status: 400, message: 'iter args invalid', ...validation},
  40001006: {status: 400, message: 'type invalid', ...validation},
  40001007: {status: 400, message: 'block invalid', ...validation},
  40001008: {status: 400, message: 'list type not support', ...validation},
  40001009: {status: 400, message: 'invalid update time', ...validation},
  40001011: {status: 400, message: 'invalid append position', ...validation},
  40001021: {status: 400, message: 'invalid utf8 key', ...validation},
  40001041: {status: 400, message: 'request wrong type', ...validation},
  40001042: {status: 400, message: 'request wrong timestamp', ...validation},
  40001043: {status: 400, message: 'request wrong column', ...validation},
  40001044: {status: 400, message: 'request wrong list', ...validation},
  /** A 400 whose message says the record does not exist (research 2.8). */
  40001045: {
    status: 400,
    message: 'not found',
    ...notFound,
  },
  40001046: {status: 400, message: 'wrong length', ...validation},
  40001047: {status: 400, message: 'wrong check column', ...validation},
  40001051: {status: 400, message: 'encode data error', ...validation},
  40001052: {status: 400, message: 'decode data error', ...validation},
  /** Seed: the file on the server changed during this upload; re-read and upload again, not a blind retry. */
  40001055: {
    status: 400,
    message: 'record has been changed',
    ...conflict,
  },
  40001161: {status: 400, message: 'wrong range', ...validation},
  40001022: {status: 400, message: 'wrong multipart action', ...validation},
  40001023: {status: 400, message: 'wrong multipart uuid', ...validation},
  40001024: {status: 400, message: 'wrong multipart type', ...validation},
  40001025: {status: 400, message: 'wrong multipart length', ...validation},
  40001027: {status: 400, message: 'wrong multipart size', ...validation},
  /** Not the part the server expects next: the multipart upload resyncs from x-upyun-next-part-id. */
  40001030: {
    status: 400,
    message: 'wrong multipart part id',
    ...conflict,
  },
  /** The part is uploaded already: the multipart upload skips it. */
  40001031: {
    status: 400,
    message: 'duplicate multipart part',
    ...conflict,
  },
  40001032: {status: 400, message: 'oversize multipart part', ...validation},
  40001033: {status: 400, message: 'overflow multipart part', ...validation},
  40001034: {status: 400, message: 'unexpect multipart length', ...validation},
  /** The multipart upload expired (24 h) or was never initiated: the multipart upload restarts. */
  40001035: {
    status: 400,
    message: 'notfound multipart uuid',
    ...conflict,
  },
  /** The multipart upload is complete already: the multipart upload counts the file as uploaded. */
  40001036: {
    status: 400,
    message: 'completed multipart',
    ...conflict,
  },
  /** Parts are missing at complete: the multipart upload resyncs from x-upyun-next-part-id. */
  40001037: {
    status: 400,
    message: 'incomplete multipart parts',
    ...conflict,
  },
  40001038: {status: 400, message: 'invalid append file', ...validation},
  40000000: {status: 400, message: 'storage bad request', ...validation},
  40000001: {status: 400, message: 'need save-key', ...validation},
  40000002: {status: 400, message: 'need body', ...validation},
  40000003: {status: 400, message: 'need bucket name', ...validation},
  40000004: {status: 400, message: 'need expiration', ...validation},
  40000005: {status: 400, message: 'need file', ...validation},
  40000006: {status: 400, message: 'content md5 not match', ...validation},
  40000007: {status: 400, message: 'need policy', ...validation},
  40000008: {status: 400, message: 'need signature', ...validation},
  40000009: {status: 400, message: 'decode policy error', ...validation},
  40000010: {status: 400, message: 'data too long for ext-param', ...validation},
  40000011: {status: 400, message: 'chunked request bodies not supported yet', ...validation},
  /** A server-side write failure answered with 400: retried like a 503 (research 2.8, unverified). */
  40000012: {
    status: 400,
    message: 'write file to fs error',
    ...transient,
  },
  40000013: {status: 400, message: 'need content-md5 but no body provided', ...validation},
  40000014: {status: 400, message: 'need content-md5 but no content provided', ...validation},
  40000015: {status: 400, message: 'missing required arguments', ...validation},
  40000016: {status: 400, message: 'missing file_hash argument', ...validation},
  40000017: {status: 400, message: 'missing file_blocks argument', ...validation},
  40000018: {status: 400, message: 'too many file blocks', ...validation},
  40000019: {status: 400, message: 'missing file_size argument', ...validation},
  40000020: {status: 400, message: 'missing save_token argument', ...validation},
  40000021: {status: 400, message: 'missing block_index argument', ...validation},
  40000022: {status: 400, message: 'missing block_hash argument', ...validation},
  /** The block is stored already: the block upload counts it as done (research 2.8). */
  40000023: {
    status: 400,
    message: 'block already exists',
    ...conflict,
  },
  /** Other blocks of the file are still uploading: ask again once they finish (research 2.8). */
  40000024: {
    status: 400,
    message: 'block not finished',
    ...notReady,
  },
  40000025: {status: 400, message: 'file size not match', ...validation},
  40000026: {status: 400, message: 'block index out of range', ...validation},
  40000027: {status: 400, message: 'block size too small, at least 100KB', ...validation},
  40000028: {status: 400, message: 'block size too large, at most 5MB', ...validation},
  40000030: {status: 400, message: 'path encoding should be utf8', ...validation},
  40000031: {status: 400, message: 'filename should be utf8', ...validation},
  40000032: {status: 400, message: 'ffmpeg args error', ...validation},
  40000033: {status: 400, message: 'failed to read firstchunk', ...validation},
  40000034: {status: 400, message: 'client error', ...validation},
  40000035: {status: 400, message: 'need purge body', ...validation},
  40000036: {status: 400, message: 'uri bucket must be same as param bucket', ...validation},
  40000037: {status: 400, message: 'unknown service', ...validation},
  40000038: {status: 400, message: 'no boundary defined in Content-Type', ...validation},
  40000039: {status: 400, message: 'Content-Length is equal to 0', ...validation},
  40000040: {status: 400, message: 'source bucket not equal target bucket', ...validation},
  40000041: {status: 400, message: 'source key equals to target key', ...validation},
  40000042: {status: 400, message: 'source key wrong', ...validation},
  40000044: {status: 400, message: 'need metadata', ...validation},
  40010001: {status: 400, message: 'not enough arguments', ...validation},
  40010002: {status: 400, message: 'url not allowed', ...validation},
  40010003: {status: 400, message: 'tasks number error', ...validation},
  40010029: {status: 400, message: 'only 1~10 tasks supported in get', ...validation},
  40010033: {status: 400, message: 'decode tasks error', ...validation},
  40011091: {status: 400, message: 'invalid app name', ...validation},
  40011092: {status: 400, message: 'invalid file ttl', ...validation},
  40100001: {status: 401, message: 'need date header', ...auth},
  40100002: {status: 401, message: 'date offset error', ...auth},
  40100003: {status: 401, message: 'unknown realm in authorization header', ...auth},
  40100004: {status: 401, message: 'need authorization header', ...auth},
  40100005: {status: 401, message: 'signature error', ...auth},
  40100006: {status: 401, message: 'user not exists', ...auth},
  40100007: {status: 401, message: 'user blocked', ...auth},
  40100008: {status: 401, message: 'user blocked in this bucket', ...auth},
  40100009: {status: 401, message: 'user password error', ...auth},
  40100010: {status: 401, message: 'account not exist', ...auth},
  40100011: {status: 401, message: 'account blocked', ...auth},
  /** The bucket does not exist: new credentials will not help (research 2.8). */
  40100012: {
    status: 401,
    message: 'bucket not exist',
    ...notFound,
  },
  40100013: {status: 401, message: 'bucket blocked', ...auth},
  /** The bucket was removed: new credentials will not help (research 2.8). */
  40100014: {
    status: 401,
    message: 'bucket removed',
    ...notFound,
  },
  /** Authenticated, but the bucket accepts no writes. */
  40100015: {
    status: 401,
    message: 'bucket read only',
    ...permission,
  },
  40100016: {status: 401, message: 'invalid date value in header', ...auth},
  /** Authenticated, but the operator lacks this permission. */
  40100017: {
    status: 401,
    message: 'user need permission',
    ...permission,
  },
  40100018: {status: 401, message: 'account inactivate', ...auth},
  40100019: {status: 401, message: 'account forbidden', ...auth},
  40100020: {status: 401, message: 'account reject', ...auth},
  /** The account is overdue: a billing limit, not a credential problem (research 2.8). */
  40100021: {
    status: 401,
    message: 'overdue account',
    ...quota,
  },
  40100022: {status: 401, message: 'uri prefix error', ...auth},
  40100023: {status: 401, message: 'uri postfix error', ...auth},
  40100024: {status: 401, message: 'expire error', ...auth},
  40100025: {status: 401, message: 'auth error', ...auth},
  /** UPYUN answers 403 for input it rejects: the file name has control characters (research 2.8). */
  40300001: {
    status: 403,
    message: 'file name contains invalid chars (\\r\\n\\t)',
    ...validation,
  },
  /** An input limit, not a permission: shorten the path (research 2.8). */
  40300002: {
    status: 403,
    message: 'file path too long',
    ...validation,
  },
  /** An input limit, not a permission: shorten the file name (research 2.8). */
  40300003: {
    status: 403,
    message: 'file name too long',
    ...validation,
  },
  /** The bucket's storage limit is reached: waiting does not help (research 2.8). */
  40300004: {
    status: 403,
    message: 'bucket is full',
    ...quota,
  },
  /** The directory still has entries: delete them first (research 2.8). */
  40300005: {
    status: 403,
    message: 'directory not empty',
    ...conflict,
  },
  /** The signature or form policy expired: sign again (research 2.8). */
  40300006: {
    status: 403,
    message: 'authorization has expired',
    ...auth,
  },
  /** The body does not match Content-MD5: upload again (research 2.8). */
  40300007: {
    status: 403,
    message: 'content md5 not match',
    ...validation,
  },
  /** An input limit, not a permission: the file is below the allowed size (research 2.8). */
  40300008: {
    status: 403,
    message: 'file too small',
    ...validation,
  },
  /** An input limit, not a permission: the file is above the allowed size (research 2.8). */
  40300009: {
    status: 403,
    message: 'file too large',
    ...validation,
  },
  /** The bucket does not accept this file type (research 2.8). */
  40300010: {
    status: 403,
    message: 'file type error',
    ...validation,
  },
  40300011: {status: 403, message: 'has no permission to delete', ...permission},
  /** A missing header, not a permission (research 2.8). */
  40300012: {
    status: 403,
    message: 'need content-type',
    ...validation,
  },
  40300013: {status: 403, message: 'form api disabled', ...permission},
  /** A wrong parameter, not a permission (research 2.8). */
  40300014: {
    status: 403,
    message: 'order must be asc or desc',
    ...validation,
  },
  /** The path names a directory where a file is expected (research 2.8). */
  40300015: {
    status: 403,
    message: 'path is not a file, maybe a directory',
    ...validation,
  },
  /** A wrong parameter, not a permission (research 2.8). */
  40300016: {
    status: 403,
    message: 'content-secret only accept [a-zA-Z0-9]',
    ...validation,
  },
  /** The thumbnail version is not configured for the bucket (research 2.8). */
  40300017: {
    status: 403,
    message: 'no thumb setting found for bucket',
    ...validation,
  },
  /** The body is not an image (research 2.8). */
  40300018: {
    status: 403,
    message: 'not an image',
    ...validation,
  },
  /** The image width is outside the allowed range (research 2.8). */
  40300019: {
    status: 403,
    message: 'image width too small or too big',
    ...validation,
  },
  /** The image height is outside the allowed range (research 2.8). */
  40300020: {
    status: 403,
    message: 'image height too small or too big',
    ...validation,
  },
  /** An image processing limit: waiting does not help (research 2.8). */
  40300021: {
    status: 403,
    message: 'image limit exceeded',
    ...quota,
  },
  /** A wrong parameter, not a permission (research 2.8). */
  40300022: {
    status: 403,
    message: 'invalid image-width-range',
    ...validation,
  },
  /** An input limit, not a permission: the file is too large (research 2.8). */
  40300024: {
    status: 403,
    message: 'exceed max size',
    ...validation,
  },
  /** A wrong header, not a permission (research 2.8). */
  40300025: {
    status: 403,
    message: 'wrong content-type header',
    ...validation,
  },
  /** A missing header, not a permission (research 2.8). */
  40300026: {
    status: 403,
    message: 'need content-length header',
    ...validation,
  },
  /** An input limit, not a permission: the body is too large (research 2.8). */
  40300027: {
    status: 403,
    message: 'request body too big',
    ...validation,
  },
  /** The signed request or form policy expired: sign again (research 2.8). */
  40300028: {
    status: 403,
    message: 'request has expired',
    ...auth,
  },
  /** A malformed form policy, not a permission (research 2.8). */
  40300035: {
    status: 403,
    message: 'content-length of policy format error',
    ...validation,
  },
  40400001: {status: 404, message: 'file or directory not found', ...notFound},
  /** A malformed base64 value answered with 404 (research 2.8). */
  40400002: {
    status: 404,
    message: 'base64 decoded err',
    ...validation,
  },
  40401004: {status: 404, message: 'Not found, mark as deleted', ...notFound},
  40401005: {status: 404, message: 'Not found, block deleted', ...notFound},
  40401006: {status: 404, message: 'type invalid', ...notFound},
  /** The path conflicts with an existing directory (research 2.8: 406 is a conflict). */
  40600001: {
    status: 406,
    message: 'dir not acceptable',
    ...conflict,
  },
  /** The folder exists already: a mkdir may count it as done (research 2.8). */
  40600002: {
    status: 406,
    message: 'folder already exists',
    ...conflict,
  },
  /** The bucket type does not support the form API: a configuration problem, not a state conflict. */
  40600003: {
    status: 406,
    message: 'single-copy bucket not support form api',
    ...validation,
  },
  40800001: {status: 408, message: 'read client request timeout', ...transient, processed: false},
  41200001: {status: 412, message: 'precondition failed', ...conflict},
  41300001: {status: 413, message: 'content length too large', ...validation},
  41500001: {status: 415, message: 'media type error, need content-type', ...validation},
  /** UPYUN asks clients to slow down and pause after each upload: wait at least 1 s (research 2.4). */
  42900001: {
    status: 429,
    message: 'too many requests',
    ...throttled,
    delayMs: 1_000,
  },
  /** A throttle on one path: wait at least 1 s (research 2.4). */
  42900002: {
    status: 429,
    message: 'too many requests of the same uri',
    ...throttled,
    delayMs: 1_000,
  },
  /** Not in the seed; the 2019 error table lists it: a bucket-wide throttle, wait at least 1 s (research 2.4). */
  42900003: {
    status: 429,
    message: 'too many requests of the same bucket',
    ...throttled,
    delayMs: 1_000,
  },
  /** The requester is banned: never retried, since more requests prolong the ban; stop the batch (research 2.4). */
  42900004: {
    status: 429,
    message: 'request banned',
    ...quota,
  },
  /** A bandwidth cap: wait longer, at least 5 s, and lower concurrency (research 2.4). */
  42900005: {
    status: 429,
    message: 'bandwidth limit',
    ...throttled,
    delayMs: 5_000,
  },
  /** Too many failed signature checks: never retried, since more attempts make it worse (research 2.4). */
  42900006: {
    status: 429,
    message: 'too many auth check',
    ...auth,
  },
  /** Another write or delete of the same file is in flight: refused, retried after 1 s (research 2.4). */
  42900007: {
    status: 429,
    message: 'concurrent put or delete',
    ...transient,
    minDelayMs: 1_000,
    processed: false,
  },
  /** A throttle on metadata requests: wait at least 1 s (research 2.4). */
  42900008: {
    status: 429,
    message: 'too many meta requests',
    ...throttled,
    delayMs: 1_000,
  },
  50300000: {status: 503, message: 'unknown error', ...transient},
  50300002: {status: 503, message: 'decode error', ...transient},
  /** Seed: a file can be modified only once per second; retried after at least 1 s. */
  50300007: {
    status: 503,
    message: 'capture file from fs error',
    ...transient,
    minDelayMs: 1_000,
  },
  50300009: {status: 503, message: 'get body temp file error', ...transient},
  50300010: {status: 503, message: 'read body temp file error', ...transient},
  50300011: {status: 503, message: 'capture file from ffmpeg error', ...transient},
  50300012: {status: 503, message: 'service error in thumb', ...transient},
  /** Seed: an internal service timed out; retried. */
  50300013: {
    status: 503,
    message: 'put file capture timeout',
    ...transient,
  },
  50300014: {status: 503, message: 'get client socket error', ...transient},
  50300015: {status: 503, message: 'decode image info error', ...transient},
  50300016: {status: 503, message: 'get image info error', ...transient},
  50300017: {status: 503, message: 'failed to new md5', ...transient},
  50300018: {status: 503, message: 'failed to new form', ...transient},
  50300020: {status: 503, message: 'put file capture error', ...transient},
  50300022: {status: 503, message: 'new resource error', ...transient},
  50300023: {status: 503, message: 'connect to db error', ...transient},
  50300024: {status: 503, message: 'get master failed', ...transient},
  50300025: {status: 503, message: 'write info error', ...transient},
  50300026: {status: 503, message: 'get data error', ...transient},
  50300027: {status: 503, message: 'put file to fs error', ...transient},
  50300028: {status: 503, message: 'get file from fs error', ...transient},
  50300029: {status: 503, message: 'unknow error', ...transient},
  50300030: {status: 503, message: 'upstream closed connection', ...transient},
  50300031: {status: 503, message: 'read upstream timeout', ...transient},
  /** Wrong data on the server side: sending again will not help (research 2.8). */
  50300032: {
    status: 503,
    message: 'wrong data',
    ...serverFault,
  },
  50300033: {status: 503, message: 'new resource error', ...transient},
  50300034: {status: 503, message: 'get info errors', ...transient},
  50300036: {status: 503, message: 'send to kafka error', ...transient},
  50300038: {status: 503, message: 'failed to new httpipe', ...transient},
  50300039: {status: 503, message: 'failed to get client body reader', ...transient},
  /** A server configuration fault: sending again will not help (research 2.8). */
  50300040: {
    status: 503,
    message: 'wrong config',
    ...serverFault,
  },
  50300041: {status: 503, message: 'connect to db error', ...transient},
  50300042: {status: 503, message: 'delete path error', ...transient},
  50300043: {status: 503, message: 'put task to nsq error', ...transient},
  50300044: {status: 503, message: 'avalon list dir error', ...transient},
  /** An internal sync call did not complete: transient, retried (research 2.8). */
  59900001: {
    status: 599,
    message: 'sync call timeout',
    ...transient,
  },
  /** An internal sync call did not complete: transient, retried (research 2.8). */
  59900002: {
    status: 599,
    message: 'sync call closed by target',
    ...transient,
  },
  /** An internal sync call did not complete: transient, retried (research 2.8). */
  59900003: {
    status: 599,
    message: 'sync call failed',
    ...transient,
  },
  /** An internal purge call did not complete: transient, retried (research 2.8). */
  59900004: {
    status: 599,
    message: 'purge timeout',
    ...transient,
  },
  /** An internal purge call did not complete: transient, retried (research 2.8). */
  59900005: {
    status: 599,
    message: 'purge closed by target',
    ...transient,
  },
  /** An internal purge call did not complete: transient, retried (research 2.8). */
  59900006: {
    status: 599,
    message: 'purge call failed',
    ...transient,
  },
  /** An internal delete call did not complete: transient, retried (research 2.8). */
  59900007: {
    status: 599,
    message: 'async delete fail',
    ...transient,
  },
  /** The connection was closed on the client side: transient, retried (research 2.8). */
  44400003: {
    status: 444,
    message: 'client abort',
    ...transient,
  },
  /** The connection was closed on the client side: transient, retried (research 2.8). */
  44400004: {
    status: 444,
    message: 'put capture broken pipe',
    ...transient,
  },
  /** The connection was closed on the client side: transient, retried (research 2.8). */
  44400005: {
    status: 444,
    message: 'connection reset by client',
    ...transient,
  },
  40010030: {status: 400, message: 'invalid x-av-b header', ...validation},
  40010031: {status: 400, message: 'invalid x-av-ac header', ...validation},
  40010032: {status: 400, message: 'invalid x-av-f header', ...validation},
  40011001: {status: 400, message: 'invalid x-gmkerl-type', ...validation},
  40011002: {status: 400, message: 'invalid x-gmkerl-value', ...validation},
  40011003: {status: 400, message: 'invalid x-gmkerl-unsharp', ...validation},
  40011004: {status: 400, message: 'invalid x-gmkerl-quality', ...validation},
  40011005: {status: 400, message: 'invalid x-gmkerl-exif-switch', ...validation},
  40011006: {status: 400, message: 'invalid x-gmkerl-gifto', ...validation},
  40011007: {status: 400, message: 'invalid x-gmkerl-webp', ...validation},
  40011008: {status: 400, message: 'invalid x-gmkerl-format', ...validation},
  40011009: {status: 400, message: 'invalid x-gmkerl-crop', ...validation},
  40011010: {status: 400, message: 'invalid x-gmkerl-rotate', ...validation},
  40011011: {status: 400, message: 'invalid x-gmkerl-gaussblur', ...validation},
  40011012: {status: 400, message: 'invalid x-gmkerl-compress', ...validation},
  40011013: {status: 400, message: 'invalid x-gmkerl-progressive', ...validation},
  40011014: {status: 400, message: 'invalid x-gmkerl-noicc', ...validation},
  40011015: {status: 400, message: 'invalid x-gmkerl-watermark-switch', ...validation},
  40011016: {status: 400, message: 'invalid x-gmkerl-watermark-align', ...validation},
  40011017: {status: 400, message: 'invalid x-gmkerl-watermark-margin', ...validation},
  40011018: {status: 400, message: 'invalid x-gmkerl-watermark-opacity', ...validation},
  40011019: {status: 400, message: 'invalid x-gmkerl-watermark-animate', ...validation},
  40011020: {status: 400, message: 'invalid x-gmkerl-watermark-font', ...validation},
  40011021: {status: 400, message: 'invalid x-gmkerl-watermark-text', ...validation},
  40011022: {status: 400, message: 'invalid x-gmkerl-watermark-color', ...validation},
  40011023: {status: 400, message: 'invalid x-gmkerl-watermark-border', ...validation},
  40011024: {status: 400, message: 'invalid x-gmkerl-watermark-size', ...validation},
  40011025: {status: 400, message: 'invalid x-gmkerl-gradient-orientation', ...validation},
  40011026: {status: 400, message: 'invalid x-gmkerl-gradient-pos', ...validation},
  40011027: {status: 400, message: 'invalid x-gmkerl-gradient-startcolor', ...validation},
  40011028: {status: 400, message: 'invalid x-gmkerl-gradient-stopcolor', ...validation},
  40011029: {status: 400, message: 'invalid x-gmkerl-extract-func', ...validation},
  40011030: {status: 400, message: 'invalid x-gmkerl-extract-color-count', ...validation},
  40011031: {status: 400, message: 'invalid x-gmkerl-extract-offset', ...validation},
  40011032: {status: 400, message: 'invalid x-gmkerl-extract-palette', ...validation},
  40011033: {status: 400, message: 'invalid x-gmkerl-canvas', ...validation},
  40011034: {status: 400, message: 'invalid x-gmkerl-canvas-color', ...validation},
  40011035: {status: 400, message: 'invalid param in thumb', ...validation},
  40011050: {status: 400, message: 'invalid app name', ...validation},
  40011051: {status: 400, message: 'invalid x-upyun-part-id', ...validation},
  40011052: {status: 400, message: 'invalid x-upyun-multi-length', ...validation},
  40011053: {status: 400, message: 'invalid x-upyun-multi-type', ...validation},
  40011054: {status: 400, message: 'invalid x-upyun-part-size', ...validation},
  40011055: {status: 400, message: 'invalid multipart stage', ...validation},
  40011056: {status: 400, message: 'invalid x-upyun-multi-uuid', ...validation},
  40011057: {status: 400, message: 'invalid UTF8 Key', ...validation},
  /** The multipart upload id is unknown (expired after 24 h): the multipart upload restarts. */
  40011058: {
    status: 400,
    message: 'x-upyun-multi-uuid not found',
    ...conflict,
  },
  /** The file is uploaded already: the multipart upload counts it as done. */
  40011059: {
    status: 400,
    message: 'file already upload',
    ...conflict,
  },
  /** The assembled file does not match x-upyun-multi-md5: the multipart upload restarts. */
  40011060: {
    status: 400,
    message: 'file md5 not match',
    ...validation,
  },
  /** Not the part the server expects next: the multipart upload resyncs from x-upyun-next-part-id. */
  40011061: {
    status: 400,
    message: 'part id error',
    ...conflict,
  },
  /** The part is complete already: the multipart upload skips to the next one. */
  40011062: {
    status: 400,
    message: 'part already complete',
    ...conflict,
  },
} as const satisfies CodeTable;

type TableUpyunCodeTable = typeof upyunCodes;

/**
 * The type of UPYUN's code table, by name: editors and `.d.ts` files show the name instead of spelling
 * out every row. An interface, since TypeScript shows an alias of a `typeof` by its expansion.
 */
export interface UpyunCodeTable extends TableUpyunCodeTable {}
