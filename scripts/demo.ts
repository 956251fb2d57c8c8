/**
 * @module `npm run demo`: each vendor's policy at work against its loopback simulator, narrated,
 * ending with a table of plain ky beside the policy. No keys, no network; about half a minute.
 *
 * Run with `node scripts/demo.ts` (Node 24 strips the types). On a terminal the progress of each
 * section is one line updated in place; piped, every event is a line of its own.
 */
import {brightdataSection} from './demo/brightdata-section.ts';
import {seconds} from './demo/format.ts';
import {huaweiSection} from './demo/huawei-section.ts';
import {out} from './demo/narrator.ts';
import {printSummaryTable} from './demo/summary-table.ts';
import {supametasSection} from './demo/supametas-section.ts';
import {upyunSection} from './demo/upyun-section.ts';

const started = Date.now();
out.say('ky-vendors demo: four vendors, each against its simulator on 127.0.0.1 (no keys, no network).');
const rows = [
  await brightdataSection(),
  await upyunSection(),
  await huaweiSection(),
  await supametasSection(),
];
printSummaryTable(rows);
out.say('');
out.say(`Done in ${seconds(Date.now() - started)}.`);
