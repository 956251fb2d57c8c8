/**
 * @module Huawei Cloud API gateway error codes (`APIGW.NNNN`, also sent as `APIG.NNNN`).
 */
import {
  auth,
  notFound,
  permission,
  quota,
  type Rule,
  row,
  serverFault,
  serverRetry,
  throttled,
  transient,
  validation,
} from '../../core/rule.ts';

/** The gateway FAQ's advice for throttling ("延时一小段时间（如2-5s）重试"): never resend sooner. */
const THROTTLE_FLOOR_MS = 2000;

/**
 * The gateway's codes from the API signing guide's error table, plus `APIGW.0202`/`APIGW.0203`
 * that only the API Gateway user guide lists (as `APIG.0202`/`APIG.0203`). Keys use the `APIGW.`
 * prefix; `huaweiCloud.normalizeCode` maps `APIG.` onto them.
 *
 * @example
 * ```ts
 * apigwCodes['APIGW.0308']; // {status: 429, ...throttled, delayMs: 2000}
 * ```
 */
export const apigwCodes = {
  'APIGW.0101': row(404, 'The API does not exist or has not been published in the environment.', notFound),
  /** A gateway configuration fault (the APIG table sends it as 500): resending does not help. */
  'APIGW.0103': row(404, 'The backend does not exist.', serverFault),
  /** A gateway configuration fault (the APIG table sends it as 500): nothing in the request to fix. */
  'APIGW.0104': row(400, 'The plug-ins do not exist.', serverFault),
  /** A gateway configuration fault (the APIG table sends it as 500): nothing in the request to fix. */
  'APIGW.0105': row(400, 'The backend configurations do not exist.', serverFault),
  'APIGW.0106': row(400, 'Orchestration error.', validation),
  /** One code for many statuses: too large (413/414/494) is the request; 500/502/504 are the backend, retried. */
  'APIGW.0201': {
    status: 400,
    message: 'API request error.',
    ...validation,
    byStatus: {
      413: {message: 'Request entity too large.', ...validation},
      414: {message: 'Request URI too large.', ...validation},
      494: {message: 'Request headers too large.', ...validation},
      500: {message: 'An unexpected error occurred.', ...transient},
      502: {message: 'Backend unavailable.', ...transient},
      504: {message: 'Backend timeout.', ...transient},
    },
  },
  /** Listed only in the API Gateway user guide, as APIG.0202. */
  'APIGW.0202': row(502, 'Backend unavailable.', transient),
  /** Listed only in the API Gateway user guide, as APIG.0203 (any 5xx). */
  'APIGW.0203': row(504, 'Backend timeout.', transient),
  /** Never resent: an AK/SK pair that fails five times in a row is locked for 5 minutes. */
  'APIGW.0301': row(401, 'Incorrect IAM authentication information.', auth),
  'APIGW.0302': row(403, 'The IAM user is not authorized to access the API.', permission),
  'APIGW.0303': row(401, 'Incorrect app authentication information.', auth),
  'APIGW.0304': row(403, 'The app is not authorized to access the API.', permission),
  'APIGW.0305': row(401, 'Incorrect authentication information.', auth),
  'APIGW.0306': row(403, 'API access denied.', permission),
  /** The token must be refreshed: huaweiAuth() fetches a new one once and resends once. */
  'APIGW.0307': row(401, 'The token must be updated.', auth),
  /** Waits out the window the message names ("limit:5,time:5 second"), at least 2 s as the FAQ advises. */
  'APIGW.0308': row(429, 'The throttling threshold has been reached.', {
    ...throttled,
    delayMs: THROTTLE_FLOOR_MS,
  }),
  'APIGW.0310': row(403, 'The project is unavailable.', permission),
  'APIGW.0311': row(401, 'Incorrect debugging authentication information.', auth),
  'APIGW.0401': row(403, 'Unknown client IP address.', permission),
  'APIGW.0402': row(403, 'The IP address is not authorized to access the API.', permission),
  'APIGW.0404': row(403, 'Access to the backend IP address has been denied.', permission),
  /** The app quota is used up: sent as 405, waiting does not help. */
  'APIGW.0501': row(405, 'The app quota has been used up.', quota),
  /** The app is frozen for insufficient balance: sent as 405, top up the account. */
  'APIGW.0502': row(405, 'The app has been frozen.', quota),
  'APIGW.0601': row(500, 'Internal server error.', serverRetry),
  'APIGW.0602': row(400, 'Bad request.', validation),
  /** A passing gateway fault: resolving the backend may succeed on the next attempt. */
  'APIGW.0605': row(500, 'Domain name resolution failed.', transient),
  /** A passing gateway fault: the configuration may load on the next attempt. */
  'APIGW.0606': row(500, 'Failed to load the API configurations.', transient),
  'APIGW.0607': row(400, 'The following protocol is supported: {xxx}', validation),
  /** A passing gateway fault: the tenant token may load on the next attempt. */
  'APIGW.0608': row(500, 'Failed to obtain the admin token.', transient),
  /** A gateway configuration fault: resending does not help. */
  'APIGW.0609': row(500, 'The VPC backend does not exist.', serverFault),
  'APIGW.0610': row(502, 'No backend available.', transient),
  /** A gateway configuration fault: resending does not help. */
  'APIGW.0611': row(500, 'The backend port does not exist.', serverFault),
  /** A gateway configuration fault (recursive API): resending does not help. */
  'APIGW.0612': row(500, 'An API cannot call itself.', serverFault),
  'APIGW.0613': row(503, 'The IAM service is currently unavailable.', transient),
  /** A gateway configuration fault: resending does not help. */
  'APIGW.0705': row(500, 'Backend signature calculation failed.', serverFault),
  'APIGW.0801': row(403, 'The service is unavailable in the currently selected region.', permission),
  'APIGW.0802': row(403, 'The IAM user is forbidden in the currently selected region.', permission),
} as const satisfies Readonly<Record<`APIGW.${string}`, Rule & {status: number; message: string}>>;
