/**
 * @module MD5 (RFC 1321) as a small pure function: Web Crypto has no MD5, and UPYUN keys its
 * signatures with the MD5 hex of the operator password.
 */

// Per-round left-rotation amounts.
const SHIFTS = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9,
  14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15,
  21, 6, 10, 15, 21,
];

// floor(abs(sin(i + 1)) * 2^32), computed once instead of pasting 64 magic numbers.
const SINES = Array.from(
  {length: 64},
  (_, index) => Math.floor(Math.abs(Math.sin(index + 1)) * 2 ** 32) >>> 0,
);

const encoder = new TextEncoder();

/**
 * The MD5 digest of `input` (a string is encoded as UTF-8), as 16 raw bytes.
 *
 * @example
 * ```ts
 * md5(new Uint8Array()); // d41d8cd98f00b204e9800998ecf8427e as bytes
 * ```
 */
export const md5 = (input: string | Uint8Array): Uint8Array => {
  const data = typeof input === 'string' ? encoder.encode(input) : input;
  // Message + 0x80 + zero padding + 64-bit little-endian bit length, to a multiple of 64 bytes.
  const paddedLength = (((data.length + 8) >>> 6) + 1) << 6;
  const padded = new Uint8Array(paddedLength);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(paddedLength - 8, (data.length * 8) >>> 0, true);
  view.setUint32(paddedLength - 4, Math.floor(data.length / 0x20000000), true);

  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  const words = new Uint32Array(16);
  for (let offset = 0; offset < paddedLength; offset += 64) {
    for (let index = 0; index < 16; index++) {
      words[index] = view.getUint32(offset + index * 4, true);
    }
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let step = 0; step < 64; step++) {
      let f: number;
      let word: number;
      if (step < 16) {
        f = (b & c) | (~b & d);
        word = step;
      } else if (step < 32) {
        f = (d & b) | (~d & c);
        word = (5 * step + 1) % 16;
      } else if (step < 48) {
        f = b ^ c ^ d;
        word = (3 * step + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        word = (7 * step) % 16;
      }
      const sum = (a + f + (SINES[step] ?? 0) + (words[word] ?? 0)) >>> 0;
      const shift = SHIFTS[step] ?? 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) >>> 0;
    }
    a0 = (a0 + a) >>> 0;
    b0 = (b0 + b) >>> 0;
    c0 = (c0 + c) >>> 0;
    d0 = (d0 + d) >>> 0;
  }
  const digest = new Uint8Array(16);
  const out = new DataView(digest.buffer);
  out.setUint32(0, a0, true);
  out.setUint32(4, b0, true);
  out.setUint32(8, c0, true);
  out.setUint32(12, d0, true);
  return digest;
};

/** Lower-case hex of some bytes. */
export const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * The MD5 digest of `input` as 32 lower-case hex digits (UPYUN's `Content-MD5` and signing key).
 *
 * @example
 * ```ts
 * md5Hex('abc'); // '900150983cd24fb0d6963f7d28e17f72'
 * ```
 */
export const md5Hex = (input: string | Uint8Array): string => toHex(md5(input));
