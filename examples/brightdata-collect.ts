/**
 * @module BrightData: trigger a collection, poll its progress, stream the snapshot's records.
 */
import ky from 'ky';
import {withVendor} from '../src/index.ts';
import {createBrightdataSimulator, startBrightdataServer} from '../src/testing/index.ts';
import {brightdata, brightdataAuth, collect, snapshotRecords} from '../src/vendors/brightdata/index.ts';

// A job that takes 2 s, and a download that still answers 202 "building" once after `ready`.
const options = {apiKey: 'demo-key', startingMs: 500, readyAfterMs: 2_000, buildingDownloads: 1};
const sim = createBrightdataSimulator(options);
const server = await startBrightdataServer(sim);
const auth = brightdataAuth({apiKey: 'demo-key'});
const api = ky.create({prefix: server.url, ...withVendor(brightdata, {auth})});

try {
  const inputs = [{url: 'https://example.com/a'}, {url: 'https://example.com/b'}];
  const {snapshotId, response} = await collect(
    api,
    {datasetId: 'gd_demo', inputs},
    {
      // BrightData asks for 10 s between polls; the simulated job is short, so wait 500 ms at most.
      intervalMs: 500,
      maxIntervalMs: 500,
      format: 'ndjson',
      onPoll: ({status, elapsedMs}) => console.log(`  ${status} after ${elapsedMs} ms`),
    },
  );
  console.log(`snapshot ${snapshotId} ready`);
  for await (const record of snapshotRecords(response)) console.log('  record', JSON.stringify(record));
  console.log(`collected with ${sim.counters.requests.progress} progress requests`);
} finally {
  await server.close();
}
