/**
 * @module Small measuring helpers for the benchmarks: rounds, medians, tables. Nothing asserts.
 */
import {execFile} from 'node:child_process';

/** Median of a list of numbers. */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** The `q` quantile (0–1) of a list of numbers, interpolated between neighbours. */
export const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const lower = sorted[low] ?? 0;
  const upper = sorted[Math.min(low + 1, sorted.length - 1)] ?? lower;
  return lower + (upper - lower) * (at - low);
};

/** Runs `count` calls of `task` with `concurrency` in flight; returns elapsed milliseconds. */
export const timeRequests = async (
  count: number,
  concurrency: number,
  task: (i: number) => Promise<unknown>,
) => {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({length: concurrency}, async () => {
      while (next < count) {
        const i = next++;
        await task(i);
      }
    }),
  );
  return performance.now() - started;
};

/** Prints rows as an aligned text table. */
export const printTable = (title: string, rows: readonly Record<string, string | number>[]): void => {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first);
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\n${title}`);
  console.log(line(columns));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(columns.map((column) => String(row[column]))));
};

/** Formats a number with a fixed count of decimals. */
export const fixed = (value: number, digits = 2): string => value.toFixed(digits);

/** What a child process printed as JSON on its last line, or why it could not be read. */
export type ChildResult<T> = {ok: true; value: T} | {ok: false; error: string};

/**
 * Runs `script` in a fresh Node process with `args` and parses the JSON on the last line of its
 * stdout. A crash, a timeout or unreadable output comes back as `{ok: false}` with the reason, so
 * one bad cell is reported instead of ending the run.
 */
export const runChild = <T>(
  script: string,
  args: readonly string[],
  {nodeFlags = [], timeoutMs = 300_000}: {nodeFlags?: readonly string[]; timeoutMs?: number} = {},
): Promise<ChildResult<T>> => {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeFlags, script, ...args],
      {encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024},
      (error, stdout, stderr) => {
        if (error !== null) {
          const reason = stderr.split('\n').find((line) => /error/i.test(line)) ?? error.message;
          resolve({ok: false, error: `exit ${error.code ?? error.signal}: ${reason.trim()}`});
          return;
        }
        try {
          resolve({ok: true, value: JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as T});
        } catch (parseError) {
          resolve({ok: false, error: `unreadable output: ${String(parseError)}`});
        }
      },
    );
  });
};
