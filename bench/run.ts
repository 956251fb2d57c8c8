/**
 * @module `npm run bench`: every scenario in one run, printed as tables and written to
 * bench/results.json with the machine, Node version and date. Measures; never asserts.
 */
import {execFile} from 'node:child_process';
import {writeFile} from 'node:fs/promises';
import {cpus, totalmem} from 'node:os';
import {bundleTable} from '../scripts/bundle-size.ts';
import {runGuard} from './guard.ts';
import {runHuaweiGateway} from './huawei-gateway.ts';
import {runMemory} from './memory.ts';
import {runObserverCost} from './observer-cost.ts';
import {runOverhead} from './overhead.ts';
import {runSection, type SectionOutcome} from './run-section.ts';
import {runThrottledBatch} from './throttled-batch.ts';

/** The polling bench installs a virtual clock, so it runs in a process of its own. */
const runPolling = () =>
  new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [new URL('./polling.ts', import.meta.url).pathname], (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  date: new Date().toISOString(),
};
console.log(
  `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.date}`,
);

// Each section on its own: one that fails (a transient timeout on a busy machine) is reported
// here and in results.json, and the others still run.
const overhead = await runSection('overhead', runOverhead);
const observerCost = await runSection('observer cost', async () => runObserverCost());
const throttledBatch = await runSection('throttled batch', runThrottledBatch);
const huaweiGateway = await runSection('huawei gateway', runHuaweiGateway);
const throttleGuard = await runSection('throttle guard', runGuard);
const polling = await runSection('polling', runPolling);
if (polling.ok) console.log(polling.value);
const memory = await runSection('memory', runMemory);
const bundleSize = await runSection('bundle size', bundleTable);
if (bundleSize.ok) console.log(`\nBundle size (esbuild, minified, ky external)\n${bundleSize.value}`);

const sections = [
  overhead,
  observerCost,
  throttledBatch,
  huaweiGateway,
  throttleGuard,
  polling,
  memory,
  bundleSize,
];
const result = <T>(section: SectionOutcome<T>) => (section.ok ? section.value : {error: section.error});
const out = new URL('./results.json', import.meta.url);
await writeFile(
  out,
  `${JSON.stringify(
    {
      machine,
      overhead: result(overhead),
      observerCost: result(observerCost),
      throttledBatch: result(throttledBatch),
      huaweiGateway: result(huaweiGateway),
      throttleGuard: result(throttleGuard),
      polling: result(polling),
      memory: result(memory),
      bundleSize: result(bundleSize),
    },
    (_, value) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value),
    2,
  )}\n`,
);
console.log(`\nWrote ${out.pathname}`);
const failed = sections.filter((section) => !section.ok);
if (failed.length > 0) {
  console.error(`\n${failed.length} section(s) failed: ${failed.map((section) => section.name).join(', ')}`);
  process.exitCode = 1;
}
