/**
 * @module Huawei Cloud Octopus error codes, one row per code of the service's error-code page.
 */
import {
  auth,
  conflict,
  notFound,
  notReady,
  permission,
  quota,
  type Rule,
  row,
  serverRetry,
  throttled,
  transient,
  validation,
} from '../../core/rule.ts';

/** Octopus names no wait for its "retry later" states; five seconds between looks keeps polling cheap. */
const BUSY_POLL_MS = 5000;

/** The gateway FAQ's advice for concurrency errors ("延时一小段时间（如2-5s）重试"): start at the low end. */
const THROTTLE_FLOOR_MS = 2000;

/**
 * Octopus (autonomous-driving cloud) codes, keyed as on the wire (`error_code`). The code wins
 * over the HTTP status: several codes contradict theirs (`octopus.202101` is a 400 that means
 * "retry later", `octopus.202213` a 500 that means "duplicate data").
 *
 * @example
 * ```ts
 * octopusCodes['octopus.202230']; // {status: 429, ...throttled, delayMs: 2000}
 * ```
 */
export const octopusCodes = {
  // Common codes, HTTP-level.
  'octopus.400000': row(400, 'Request parameter verification failed.', validation),
  'octopus.400001': row(401, 'The request token is invalid.', auth),
  'octopus.400003': row(403, 'Insufficient permission to operate.', permission),
  'octopus.400004': row(404, 'The resource does not exist.', notFound),
  'octopus.400005': row(405, 'The server denies the request using the current HTTP method.', validation),
  /** Seed: 请稍后重试 (retry later) or unbind the resource; retried within the retry limit, then ConflictError. */
  'octopus.400009': row(
    409,
    'The resource you requested is already in use, or the resource is bound to another resource.',
    {...conflict, action: 'retry'},
  ),
  /** Seed: 或稍后再试 (or try again later). */
  'octopus.400100': row(500, 'Internal server error.', serverRetry),
  'octopus.400102': row(502, 'The response received from the upstream server is invalid.', transient),
  'octopus.400104': row(
    504,
    'The server acting as a gateway or proxy cannot get the desired response within the specified time.',
    transient,
  ),

  // Common codes.
  'octopus.000001': row(400, 'Request parameter verification failed', validation),
  'octopus.000003': row(400, 'Request params [{key}:{value}] is invalid', validation),
  /** An object storage quota, sent as 400: waiting or resending does not help. */
  'octopus.000122': row(400, 'Insufficient object storage quota', quota),
  'octopus.000101': row(401, 'The request token header is missing', auth),
  /** Seed: 请更新请求头X-Auth-Token中的token; huaweiAuth() fetches a new token once and resends once. */
  'octopus.000102': row(401, 'The request token expires', auth),
  'octopus.000103': row(401, 'The request token is invalid', auth),
  'octopus.000111': row(403, 'Insufficient permission to operate', permission),
  'octopus.000112': row(403, 'Permission is denied', permission),
  'octopus.000113': row(403, 'Iam role is suspended, permission is denied', permission),
  'octopus.000114': row(403, 'Iam role is restricted, permission is denied', permission),
  'octopus.000115': row(403, 'Insufficient permission to operate service interfaces', permission),
  'octopus.000141': row(404, 'The resource does not exist', notFound),
  'octopus.000142': row(409, 'Resource has already existed', conflict),
  /** Seed: 请稍后重试 (retry later) or unbind the resource; retried within the retry limit, then ConflictError. */
  'octopus.000143': row(
    409,
    'The resource you requested is already in use, or the resource is bound to another resource',
    {...conflict, action: 'retry'},
  ),
  /** Seed: 或稍后再试 (or try again later). */
  'octopus.000002': row(500, 'Internal server error', serverRetry),
  /** Seed: 或稍后再试 (or try again later). */
  'octopus.000110': row(500, 'IAM access error', serverRetry),
  /** Seed: 或稍后再试 (or try again later). */
  'octopus.000121': row(500, 'Object storage access error', serverRetry),
  /** Seed: 或稍后再试 (or try again later). */
  'octopus.000131': row(500, 'Database access error', serverRetry),

  // Images.
  'octopus.007001': row(404, 'The image not exist or deleted.', notFound),
  /** Seed: 请稍后再试 (try again later): the image is busy; waitWhileBusy waits, a plain request throws NotReadyError. */
  'octopus.007004': row(409, 'Current image status do not support this action.', {
    ...notReady,
    delayMs: BUSY_POLL_MS,
  }),

  // Data: tags, scenarios, collections, packages, episodes, processors and jobs.
  'octopus.101001': row(400, 'Built-in Tag Edit Illegal', validation),
  /** A "does not exist" sent as 400. */
  'octopus.101004': row(400, 'Tag Does Not Exist', notFound),
  /** A name clash sent as 400. */
  'octopus.107001': row(400, 'Scenario Name is already exists', conflict),
  'octopus.102003': row(400, 'The collect yaml content error', validation),
  'octopus.102004': row(400, 'User do not agree the statement', validation),
  /** A "does not exist" sent as 400. */
  'octopus.102010': row(400, 'The data package is not found', notFound),
  'octopus.103005': row(
    400,
    'The bucket name specified in the request is invalid, which may have exceeded the maximum length, or contain special characters that are not allowed',
    validation,
  ),
  'octopus.108002': row(400, 'Time parameters is invalid', validation),
  'octopus.108008': row(400, 'Time interval is invalid', validation),
  /** A "does not exist" sent as 400. */
  'octopus.108009': row(400, 'The episode not exists', notFound),
  /** Seed: 请稍后重试 (retry later): the job is changing state; waitWhileBusy waits, a plain request throws NotReadyError. */
  'octopus.109004': row(403, 'The job status is abnormal', {...notReady, delayMs: BUSY_POLL_MS}),
  'octopus.109008': row(403, 'The user is different from the processor creation user', permission),
  'octopus.107002': row(404, 'Scenario is not exists', notFound),
  /** The package exists but lacks data types a scenario needs: a wrong input, not a missing resource. */
  'octopus.107003': row(404, 'The data package is missing the necessary data types', validation),
  'octopus.107004': row(404, 'Tag is not exist', notFound),
  'octopus.109001': row(404, 'The processor you requested does not exist', notFound),
  'octopus.109003': row(404, 'The job does not exist', notFound),
  'octopus.101002': row(409, 'Node In Use', conflict),
  /** A fixed limit on tag-tree depth: waiting does not help. */
  'octopus.101003': row(409, 'Level Exceed Limit', quota),
  'octopus.101005': row(409, 'Tag Name Already Exists', conflict),
  // The seed lists this code three times, once per kind of reference.
  'octopus.101006': row(
    409,
    'Tag Used In Segments / Tag Used In Packages / Tag Used In Data Warehouse',
    conflict,
  ),
  'octopus.102005': row(409, 'Can not restore deleted failed package', conflict),
  'octopus.102006': row(409, 'Collection status conflict', conflict),
  'octopus.102009': row(409, 'Package status conflict', conflict),
  /** Seed: 请稍后再试 (try again later): another scenario job runs; waitWhileBusy waits, a plain request throws NotReadyError. */
  'octopus.107005': row(409, 'There is already a running scenario job', {...notReady, delayMs: BUSY_POLL_MS}),
  'octopus.109002': row(409, 'The name of processor already exist', conflict),
  'octopus.109005': row(428, 'The job precondition unsatisfied', conflict),

  // Datasets and annotation.
  /** Seed: 请稍后重试 (retry later): a passing CCE fault, though sent as 400. */
  'octopus.202101': row(400, 'Cce interface error', transient),
  /** A name clash sent as 400. */
  'octopus.202201': row(400, 'Name has already exists', conflict),
  /** A "does not exist" sent as 400. */
  'octopus.202202': row(400, 'Dataset do not exist error', notFound),
  /** A "does not exist" sent as 400. */
  'octopus.202205': row(400, 'Dataset version does not exist error', notFound),
  /** Seed: 删除需从最新版本开始 (delete from the latest version first): a state conflict sent as 400. */
  'octopus.202207': row(400, 'This version is not the latest version', conflict),
  /** Seed: 请等待其他版本中的该标注任务执行完成后重试 (wait for the task, then retry); waitWhileBusy waits, a plain request throws NotReadyError. */
  'octopus.202210': row(400, 'This label task is being executed in other versions', {
    ...notReady,
    delayMs: BUSY_POLL_MS,
  }),
  /** Seed: 数据不允许重复 (duplicate data is not allowed): never retried, though sent as 500. */
  'octopus.202213': row(500, 'Data repeat', conflict),
  'octopus.202223': row(400, 'The dataset only support one version', validation),
  /** A "does not exist" sent as 400. */
  'octopus.202225': row(400, 'The data does not exist', notFound),
  /** Seed: 请稍等后重试 (wait, then retry) with no number; the gateway FAQ advises 2–5 s. */
  'octopus.202230': row(429, 'Too many request exceeds the threshold', {
    ...throttled,
    delayMs: THROTTLE_FLOOR_MS,
  }),
  /** A state conflict (dataset bound to an annotation task) sent as 400. */
  'octopus.202238': row(400, 'The dataset has already been associated with annotation task', conflict),
  /** An OBS storage quota, sent as 400: waiting or resending does not help. */
  'octopus.202239': row(400, 'The OBS quota is insufficient', quota),
} as const satisfies Readonly<Record<`octopus.${string}`, Rule & {status: number; message: string}>>;
