/**
 * @module `npm run bench`: every scenario in one run, printed as tables and written to
 * bench/results.json with the machine, Node version and date. Measures; never asserts.
 */
import {execFile} from 'node:child_process';
import {writeFile} from 'node:fs/promises';
import {cpus, totalmem} from 'node:os';
import {runGuard} from './guard.ts';
import {runHuaweiGateway} from './huawei-gateway.ts';
import {runMemory} from './memory.ts';
import {runOverhead} from './overhead.ts';
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

const overhead = await runOverhead();
const throttledBatch = await runThrottledBatch();
const huaweiGateway = await runHuaweiGateway();
const throttleGuard = await runGuard();
const polling = await runPolling();
console.log(polling);
const memory = await runMemory();

const out = new URL('./results.json', import.meta.url);
await writeFile(
  out,
  `${JSON.stringify(
    {machine, overhead, throttledBatch, huaweiGateway, throttleGuard, polling, memory},
    (_, value) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value),
    2,
  )}\n`,
);
console.log(`\nWrote ${out.pathname}`);
