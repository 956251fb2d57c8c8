/**
 * @module The vendors whose code tables are published in docs/vendors, and their pages.
 */
import type {Vendor} from '../src/core/define-vendor.ts';
import {brightdata} from '../src/vendors/brightdata/brightdata.ts';
import {huaweiCloud} from '../src/vendors/huawei/huawei-cloud.ts';
import {supametas} from '../src/vendors/supametas/supametas.ts';
import {upyun} from '../src/vendors/upyun/upyun.ts';
import {codeNotes} from './code-notes.ts';
import {renderVendorDoc, type VendorDoc} from './render-code-docs.ts';

const pages: readonly (readonly [Vendor, string, string])[] = [
  [
    brightdata,
    'BrightData (Web Scraper API, datasets v3)',
    'BrightData reports most errors as plain-text messages, so rows are matched by message and keyed by a slug. Errors hide in 2xx: a 202 from the snapshot endpoint means "not ready, try again in 10s", a 200 from the progress endpoint can say `status: "failed"`, and `canceled` / `cancelled` on progress or delivery ends a wait as `job_canceled`. For comparison, the published `@brightdata/sdk` 0.2.0 (checked by running it against the simulator) polls progress with a random 10–30 s sleep and no deadline, ends only on `ready` or `failed` (so it polls a cancelled job forever), throws `snapshot is not ready yet` on the 202 that can follow `ready` instead of waiting, and retries through undici\'s retry interceptor, which resends GET only: the trigger POST is never resent.',
  ],
  [
    upyun,
    'UPYUN (USS REST API)',
    'UPYUN answers `{msg, code, id}` with an eight-digit numeric code whose first three digits are the HTTP status; bodiless responses (HEAD) carry the code in `X-Error-Code`. Unknown codes fall back by their first three digits.',
  ],
  [
    huaweiCloud,
    'Huawei Cloud (Octopus and the API gateway)',
    'Huawei answers `{error_code, error_msg, request_id?}` or `{error: {code, message}}`, read as the official SDK core reads them: the nested `error.code` before the flat `error_code`, `error.message ?? error_msg`, numeric codes kept, the request id from the `X-Request-Id` header first, and `encoded_authorization_message` on `authorizationMessage`. Gateway codes come as `APIGW.NNNN` or `APIG.NNNN` (the same codes) and are reported as `APIGW.NNNN`. The code wins over the HTTP status: several Octopus codes contradict theirs.',
  ],
  [
    supametas,
    'Supametas.AI',
    'Supametas wraps every answer in `{code, message, data}`; `code: "0"` is success and any other code is an error, whatever the HTTP status. Its docs document only the success envelope and the OPS40001–OPS40004 table below; the rest is **assumed**: that an error may arrive in an HTTP 200, that unknown `OPS4xxxx` / `OPS5xxxx` codes mean 400 / 500, that 401 and 404 answers carry `{code: "401" | "404", message}`, and the pace of `waitForTask()` (no polling interval is published). Chinese messages get the English meaning of the table beside them in `message`. `createFileTask()` and `createImageTask()` send the documented fields of `file-task` and `image-task` and refuse a bad input with `SupametasInputError` before sending.',
  ],
];

/** The generated pages, in a stable order. */
export const codeDocs = (): readonly VendorDoc[] =>
  pages.map(([vendor, title, intro]) => renderVendorDoc(vendor, title, intro, codeNotes(vendor.name)));
