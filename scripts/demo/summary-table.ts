/** @module Prints the demo's summary: one row per vendor section, as a plain-text table. */
import {seconds} from './format.ts';
import {out} from './narrator.ts';
import type {Row} from './row.ts';

/** The summary as a plain-text table. */
export const printSummaryTable = (rows: readonly Row[]): void => {
  const header = ['vendor', 'scenario', 'requests', 'retries / throttles', 'outcome', 'elapsed'];
  const cells = rows.map((row) => [
    row.vendor,
    row.scenario,
    String(row.requests),
    row.retries,
    row.outcome,
    seconds(row.elapsedMs),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column]?.length ?? 0)),
  );
  const format = (line: readonly string[]): string =>
    line
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join(' | ')
      .trimEnd();
  out.say('');
  out.say('Summary');
  out.say(format(header));
  out.say(widths.map((width) => '-'.repeat(width)).join('-|-'));
  for (const line of cells) out.say(format(line));
};
