/**
 * @module The shapes the BrightData simulator works on: requests, responses, jobs and counters.
 */

/** The endpoints the simulator serves, as its counters name them. */
export type SimEndpoint =
  | 'trigger'
  | 'scrape'
  | 'progress'
  | 'snapshot'
  | 'parts'
  | 'input'
  | 'cancel'
  | 'deliver'
  | 'delivery'
  | 'snapshots'
  | 'unknown';

/** Every endpoint, for building counters. */
export const SIM_ENDPOINTS: readonly SimEndpoint[] = [
  'trigger',
  'scrape',
  'progress',
  'snapshot',
  'parts',
  'input',
  'cancel',
  'deliver',
  'delivery',
  'snapshots',
  'unknown',
];

/** A request as the simulator sees it: already read, never a stream. */
export type SimRequest = {
  readonly method: string;
  /** An absolute URL, or a path with its query (`/datasets/v3/progress/s_1`). */
  readonly url: string;
  readonly headers?: Headers | Readonly<Record<string, string>>;
  readonly body?: string;
};

/** A response of the simulator, before an adapter turns it into a `Response` or a socket write. */
export type SimResponse = {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The adapter gzips the body (`compress=true` downloads). */
  readonly gzip?: boolean;
  /** The adapter sends this many bytes of the encoded body, then breaks the stream. */
  readonly truncateAtBytes?: number;
};

/** A response forced on the next requests of one endpoint (see `sim.inject()`). */
export type SimFault = {
  /** @default 500 */
  readonly status?: number;
  /** @default 'Internal server error' */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * How many requests get this answer.
   * @default 1
   */
  readonly count?: number;
  /**
   * Carry out the request first, then answer with the fault: the ambiguous failure where a POST
   * took effect but its caller cannot know.
   * @default false
   */
  readonly apply?: boolean;
};

/** One collection job. */
export type SimJob = {
  readonly id: string;
  readonly datasetId: string;
  readonly inputs: readonly unknown[];
  readonly createdAt: number;
  readyAt: number;
  readonly failMessage: string | undefined;
  canceledAt: number | undefined;
  /** Downloads answered 202 "building" after `ready` so far. */
  buildingAnswers: number;
};

/** One delivery to storage. */
export type SimDelivery = {
  readonly id: string;
  readonly snapshotId: string;
  readonly createdAt: number;
  readonly doneAt: number;
  readonly failed: boolean;
  readonly canceled: boolean;
  readonly extension: string;
};

/** One line of `sim.log`. */
export type SimLogEntry = {
  /** The simulator's clock when the request arrived. */
  readonly at: number;
  readonly method: string;
  readonly endpoint: SimEndpoint;
  readonly path: string;
  readonly status: number;
};

/** Counters for assertions; they only grow until `sim.reset()`. */
export type BrightdataSimulatorCounts = {
  /** Requests per endpoint, failed ones included. */
  readonly requests: Record<SimEndpoint, number>;
  /** Responses per HTTP status. */
  readonly statuses: Record<number, number>;
  /** 429 answers. */
  throttled: number;
  /** 5xx answers. */
  serverErrors: number;
  /** 401 answers. */
  unauthorized: number;
  /** Jobs created (trigger and scrape): each one a paid collection. */
  jobsCreated: number;
  /** Deliveries created. */
  deliveriesCreated: number;
};
