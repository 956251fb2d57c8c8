/**
 * @module Small measuring helpers for the benchmarks: rounds, medians, tables. Nothing asserts.
 */

/** Median of a list of numbers. */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
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
