/**
 * @module Huawei Cloud `SDK-HMAC-SHA256` request signatures (AK/SK), computed with Web Crypto.
 */

const encoder = new TextEncoder();

/** The algorithm name, first line of the string to sign and scheme of the `Authorization` header. */
export const AKSK_ALGORITHM = 'SDK-HMAC-SHA256';

/** The payload hash the gateway accepts instead of a body hash (the SDK core sends it for non-JSON bodies). */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** SHA-256 of the empty body, hex. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** What one AK/SK signature covers. */
export type AkSkSignInput = {
  /** The HTTP method (`GET`). */
  readonly method: string;
  /** The full request URL; its path and query are signed. */
  readonly url: string | URL;
  /** The headers to sign, `host` and `x-sdk-date` included. Names are compared lower case. */
  readonly headers: Headers;
  /** Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`. */
  readonly payloadHash: string;
  /** The `X-Sdk-Date` value, `YYYYMMDDTHHmmssZ`. */
  readonly sdkDate: string;
};

/** A computed signature and the texts it was made from (for debugging a 401 `verify aksk signature fail`). */
export type AkSkSignature = {
  /** The `Authorization` header value. */
  readonly authorization: string;
  /** Hex HMAC-SHA256 of `stringToSign`. */
  readonly signature: string;
  /** The signed header names, lower case, `;`-separated. */
  readonly signedHeaders: string;
  /** The canonical request. */
  readonly canonicalRequest: string;
  /** `SDK-HMAC-SHA256\n<date>\n<hex sha256 of the canonical request>`. */
  readonly stringToSign: string;
};

/**
 * A date in the `X-Sdk-Date` form, `YYYYMMDDTHHmmssZ` (UTC).
 *
 * @example
 * ```ts
 * sdkDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))); // '20240102T030405Z'
 * ```
 */
export const sdkDate = (date: Date): string =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/**
 * Percent-encodes every byte except RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`), as
 * the SDK core's `urlEncode` does (`encodeURIComponent` also leaves `! ' ( ) *`).
 *
 * @example
 * ```ts
 * akskEncode("a b!*"); // 'a%20b%21%2A'
 * ```
 */
export const akskEncode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape is signed as sent rather than refused: the gateway will say what it thinks.
    return segment;
  }
};

/**
 * The canonical URI: each path segment encoded once (decoded first, so `%E4%B8%AD` and `中` sign
 * alike), always ending in `/`.
 *
 * @example
 * ```ts
 * canonicalUri('/v1/p/data packages'); // '/v1/p/data%20packages/'
 * ```
 */
export const canonicalUri = (pathname: string): string => {
  const path = pathname
    .split('/')
    .map((segment) => akskEncode(decodeSegment(segment)))
    .join('/');
  return path.endsWith('/') ? path : `${path}/`;
};

/** Code-unit order, the order of JavaScript's default `sort()`, which the SDK core uses. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The canonical query: keys sorted, each value of a repeated key sorted, `key=value` encoded and
 * joined with `&`.
 *
 * @example
 * ```ts
 * canonicalQuery(new URLSearchParams('b=2&a=z&a=y&usage')); // 'a=y&a=z&b=2&usage='
 * ```
 */
export const canonicalQuery = (params: URLSearchParams): string => {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    const values = grouped.get(key);
    if (values === undefined) {
      grouped.set(key, [value]);
    } else {
      values.push(value);
    }
  }
  return [...grouped.keys()]
    .sort(byCodeUnits)
    .flatMap((key) =>
      (grouped.get(key) ?? []).sort(byCodeUnits).map((value) => `${akskEncode(key)}=${akskEncode(value)}`),
    )
    .join('&');
};

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * Hex SHA-256 of a body.
 *
 * @example
 * ```ts
 * await sha256Hex(''); // 'e3b0c442…b855'
 * ```
 */
export const sha256Hex = async (data: string | ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<string> =>
  hex(await crypto.subtle.digest('SHA-256', typeof data === 'string' ? encoder.encode(data) : data));

/**
 * Imports the HMAC-SHA256 key of a secret key (SK).
 *
 * @example
 * ```ts
 * const key = await importAkSkKey(process.env.HUAWEI_SK ?? '');
 * ```
 */
export const importAkSkKey = (sk: string): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', encoder.encode(sk), {name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);

/**
 * Signs one request: canonical request (method, URI, query, headers, signed header names,
 * payload hash), its SHA-256, the string to sign, and the HMAC-SHA256 of that with the SK.
 *
 * @example
 * ```ts
 * const {authorization} = await signAkSk(key, 'my-ak', {method: 'GET', url, headers, payloadHash: EMPTY_BODY_SHA256, sdkDate: '20240102T030405Z'});
 * // 'SDK-HMAC-SHA256 Access=my-ak, SignedHeaders=host;x-sdk-date, Signature=…'
 * ```
 */
export const signAkSk = async (key: CryptoKey, ak: string, input: AkSkSignInput): Promise<AkSkSignature> => {
  const url = new URL(input.url);
  // `Headers` yields lower-case names in code-unit order and joins repeated values with ", ".
  const headers = [...input.headers];
  const signedHeaders = headers.map(([name]) => name).join(';');
  const canonicalHeaders = headers.map(([name, value]) => `${name}:${value}\n`).join('');
  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.searchParams),
    canonicalHeaders,
    signedHeaders,
    input.payloadHash,
  ].join('\n');
  const stringToSign = [AKSK_ALGORITHM, input.sdkDate, await sha256Hex(canonicalRequest)].join('\n');
  const signature = hex(await crypto.subtle.sign('HMAC', key, encoder.encode(stringToSign)));
  return {
    authorization: `${AKSK_ALGORITHM} Access=${ak}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    signature,
    signedHeaders,
    canonicalRequest,
    stringToSign,
  };
};
