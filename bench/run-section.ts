/**
 * @module One section of `npm run bench`, run so that its failure is reported, not fatal: a
 * transient error (a ky `TimeoutError` on a busy machine) in one section must not lose the others.
 */

/** What a section ended in: its result, or the error it failed with (as text, for results.json). */
export type SectionOutcome<T> =
  | {readonly name: string; readonly ok: true; readonly value: T}
  | {readonly name: string; readonly ok: false; readonly error: string};

/**
 * Runs `run`; on failure prints the error and resolves with it instead of rejecting.
 *
 * @example
 * ```ts
 * const overhead = await runSection('overhead', runOverhead);
 * if (!overhead.ok) console.error(overhead.error);
 * ```
 */
export const runSection = async <T>(
  name: string,
  run: () => Promise<T>,
  log: (line: string) => void = console.error,
): Promise<SectionOutcome<T>> => {
  try {
    return {name, ok: true, value: await run()};
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log(`\nSection "${name}" failed, the others go on: ${text}`);
    return {name, ok: false, error: text};
  }
};
