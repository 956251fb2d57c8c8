/**
 * @module `ky-vendors/testing/msw`: every vendor simulator as msw request handlers. msw is an
 * optional peer dependency needed by this entry only; `ky-vendors/testing` (simulators, loopback
 * servers, in-process fetches) works with ky alone.
 */
export type {BrightdataHandlersOptions} from './brightdata/handlers.ts';
export {brightdataHandlers} from './brightdata/handlers.ts';
export type {HuaweiHandlersOptions} from './huawei/handlers.ts';
export {huaweiHandlers} from './huawei/handlers.ts';
export {toMswHandlers} from './shared/handlers.ts';
export type {SupametasHandlersOptions} from './supametas/handlers.ts';
export {supametasHandlers} from './supametas/handlers.ts';
export type {UpyunHandlersOptions} from './upyun/handlers.ts';
export {upyunHandlers} from './upyun/handlers.ts';
