/**
 * @module Supametas.AI's business codes, one row per code of its error table.
 */
import type {CodeTable} from '../../core/define-vendor.ts';
import {validation} from '../../core/rule.ts';

/**
 * Every business code of Supametas.AI's error table, keyed by the code as on the wire (a string).
 * The messages are Supametas's own, as it sends them. Supametas answers them in HTTP 200 too, so
 * the code decides, never the status.
 *
 * @example
 * ```ts
 * supametasCodes.OPS40001; // {status: 400, message: '[getDemandFormat] 不合法', category: 'validation', action: 'fail'}
 * ```
 */
export const supametasCodes = {
  OPS40001: {status: 400, message: '[getDemandFormat] 不合法', ...validation},
  OPS40002: {status: 400, message: '[contentType] 不合法', ...validation},
  OPS40003: {status: 400, message: 'Field or customKeys 至少包含一个', ...validation},
  OPS40004: {status: 400, message: '参数值不正确', ...validation},
} as const satisfies CodeTable;

type TableSupametasCodeTable = typeof supametasCodes;

/**
 * The type of Supametas.AI's code table, by name: editors and `.d.ts` files show the name instead of spelling
 * out every row. An interface, since TypeScript shows an alias of a `typeof` by its expansion.
 */
export interface SupametasCodeTable extends TableSupametasCodeTable {}
