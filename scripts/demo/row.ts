/** @module One row of the demo's summary table: what a vendor section reports when it is done. */

/** What one client made of a section's scenario. */
export type Outcome = {
  /** Requests the simulator received from this client. */
  readonly requests: number;
  /** Work the client did not deliver (records, uploads, calls, tasks), of the section's `total`. */
  readonly lost: number;
  /**
   * Failures misreported: an error thrown for a request the vendor asked to wait out or resend
   * (a 429, a 503, "too many running jobs"), or a vendor error handed over as data.
   */
  readonly wrongFailures: number;
  /** The result in a few words. */
  readonly result: string;
};

/** One section: plain ky with its default retry beside the policy, on the same simulator and seed. */
export type Row = {
  readonly vendor: string;
  readonly scenario: string;
  /** What `lost` counts (`'uploads'`, `'records'`, …). */
  readonly unit: string;
  readonly total: number;
  readonly plain: Outcome;
  readonly policy: Outcome;
  readonly elapsedMs: number;
};
