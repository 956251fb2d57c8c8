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
    'BrightData reports most errors as plain-text messages, so rows are matched by message and keyed by a slug. Errors hide in 2xx: a 202 from the snapshot endpoint means "not ready, try again in 10s", a 200 from the progress endpoint can say `status: "failed"`.',
  ],
  [
    upyun,
    'UPYUN (USS REST API)',
    'UPYUN answers `{msg, code, id}` with an eight-digit numeric code whose first three digits are the HTTP status; bodiless responses (HEAD) carry the code in `X-Error-Code`. Unknown codes fall back by their first three digits.',
  ],
  [
    huaweiCloud,
    'Huawei Cloud (Octopus and the API gateway)',
    'Huawei answers `{error_code, error_msg, request_id?}`. Gateway codes come as `APIGW.NNNN` or `APIG.NNNN` (the same codes) and are reported as `APIGW.NNNN`. The code wins over the HTTP status: several Octopus codes contradict theirs.',
  ],
  [
    supametas,
    'Supametas.AI',
    'Supametas wraps every answer in `{code, message, data}`; `code: "0"` is success and any other code is an error, whatever the HTTP status (errors arrive in HTTP 200 too).',
  ],
];

/** The generated pages, in a stable order. */
export const codeDocs = (): readonly VendorDoc[] =>
  pages.map(([vendor, title, intro]) => renderVendorDoc(vendor, title, intro, codeNotes(vendor.name)));
