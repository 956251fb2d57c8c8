/**
 * @module Turns a body read as text into the JSON value or string that `classify()` takes.
 */

/**
 * Parses text that looks like JSON; returns the text otherwise. Empty text becomes `undefined`.
 * Never throws.
 */
export const parseBody = (text: string | undefined): unknown => {
  if (text === undefined) {
    return undefined;
  }
  const trimmed = text.trim();
  if (trimmed.length === 0) {
    return undefined;
  }
  const first = trimmed[0];
  if (first === '{' || first === '[' || first === '"') {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
};

/** Whether text is an HTML page (a gateway's error page, say) rather than a vendor message. */
export const looksLikeHtml = (text: string): boolean =>
  /^\s*<(!doctype|html|head|body|\?xml|title|h1|center)/i.test(text);
