/**
 * @module Supametas.AI's business codes, one row per code of its error table.
 */
import type {CodeTable} from '../../core/define-vendor.ts';
import {validation} from '../../core/rule.ts';

/**
 * The English meaning of each business code, as the error table gives it in Chinese. Supametas
 * sends the Chinese text; `supametas` puts this meaning beside it in the error's `message`.
 *
 * @example
 * ```ts
 * SUPAMETAS_CODE_MEANINGS.OPS40004; // 'a parameter value is incorrect'
 * ```
 */
export const SUPAMETAS_CODE_MEANINGS = {
  OPS40001: 'getDemandFormat is invalid: "1" is JSON, "2" is Markdown',
  OPS40002: 'contentType is invalid: the request or file type is not accepted',
  OPS40003: 'at least one field or customKeys entry is required',
  OPS40004: 'a parameter value is incorrect',
} as const;

/**
 * Every business code of Supametas.AI's error table, keyed by the code as on the wire (a string).
 * The messages are Supametas's own, as it sends them. Which HTTP status carries them is not
 * documented (assumed: any, HTTP 200 included), so the code decides, never the status.
 *
 * @example
 * ```ts
 * supametasCodes.OPS40001; // {status: 400, message: '[getDemandFormat] 不合法', category: 'validation', action: 'fail'}
 * ```
 */
export const supametasCodes = {
  /** Meaning: getDemandFormat is invalid: "1" is JSON, "2" is Markdown. */
  OPS40001: {
    status: 400,
    message: '[getDemandFormat] 不合法',
    ...validation,
  },
  /** Meaning: contentType is invalid: the request or file type is not accepted. */
  OPS40002: {
    status: 400,
    message: '[contentType] 不合法',
    ...validation,
  },
  /** Meaning: at least one field or customKeys entry is required. */
  OPS40003: {
    status: 400,
    message: 'Field or customKeys 至少包含一个',
    ...validation,
  },
  /** Meaning: a parameter value is incorrect. */
  OPS40004: {
    status: 400,
    message: '参数值不正确',
    ...validation,
  },
} as const satisfies CodeTable;

type TableSupametasCodeTable = typeof supametasCodes;

/**
 * The type of Supametas.AI's code table, by name: editors and `.d.ts` files show the name instead of spelling
 * out every row. An interface, since TypeScript shows an alias of a `typeof` by its expansion.
 */
export interface SupametasCodeTable extends TableSupametasCodeTable {}
