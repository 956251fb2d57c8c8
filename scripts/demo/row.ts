/** @module One row of the demo's summary table: what a vendor section reports when it is done. */

/** One row of the summary table. */
export type Row = {
  readonly vendor: string;
  readonly scenario: string;
  readonly requests: number;
  readonly retries: string;
  readonly outcome: string;
  readonly elapsedMs: number;
};
