/** @module Prints the demo's summary: plain ky and the policy side by side, per vendor section. */
import {seconds} from './format.ts';
import {out} from './narrator.ts';
import type {Outcome, Row} from './row.ts';

const cellsOf = (row: Row, client: string, outcome: Outcome, first: boolean): string[] => [
  first ? row.vendor : '',
  client,
  String(outcome.requests),
  `${outcome.lost}/${row.total} ${row.unit}`,
  String(outcome.wrongFailures),
  outcome.result,
];

/** The summary as a plain-text table: two lines per vendor, plain ky first. */
export const printSummaryTable = (rows: readonly Row[]): void => {
  const header = ['vendor', 'client', 'requests', 'lost', 'wrong failures', 'outcome'];
  const cells = rows.flatMap((row) => [
    cellsOf(row, 'plain ky', row.plain, true),
    cellsOf(row, 'ky-vendors', row.policy, false),
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
  out.say(
    'Summary: plain ky (its default retry) beside ky-vendors, each on a fresh simulator with the same seed',
  );
  out.say(format(header));
  out.say(widths.map((width) => '-'.repeat(width)).join('-|-'));
  for (const line of cells) out.say(format(line));
  out.say('');
  out.say('lost: work not delivered. wrong failures: errors thrown for a wait the vendor asked for, or');
  out.say('vendor errors handed over as data.');
  for (const row of rows) out.say(`${row.vendor}: ${row.scenario} (${seconds(row.elapsedMs)} for both runs)`);
};
