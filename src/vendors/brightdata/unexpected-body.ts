/**
 * @module The error for a 2xx whose body is not what the endpoint documents.
 */
import {createVendorError} from '../../errors/create-vendor-error.ts';
import type {VendorError} from '../../errors/VendorError.ts';
import {brightdata} from './brightdata.ts';

/**
 * A `ServerError` (category `unknown`) for a success that carries no usable answer, such as a
 * trigger without `snapshot_id`: the request may have taken effect, so it is not resent.
 */
export const unexpectedBody = (response: Response, body: unknown, expected: string): VendorError =>
  createVendorError(
    {
      vendor: brightdata.name,
      action: 'fail',
      category: 'unknown',
      status: response.status,
      message: `Expected ${expected} in the response body`,
    },
    {envelope: body, url: response.url === '' ? undefined : response.url, response},
  );
