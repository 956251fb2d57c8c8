/**
 * @module UPYUN: a multipart upload that is interrupted after two parts and resumed from its token.
 */
import ky from 'ky';
import {upyun, withVendor} from '../src/index.ts';
import {createUpyunSimulator, startUpyunServer} from '../src/testing/index.ts';
import {ResumableUploadError, uploadResumable, upyunAuth} from '../src/vendors/upyun/index.ts';

const credentials = {operator: 'uploader', password: 'demo-password'};
// One request in ten fails with a transient 503: the policy resends each part it hits.
const sim = createUpyunSimulator({credentials, transientErrorRate: 0.1, seed: 5});
const server = await startUpyunServer(sim);
const api = ky.create({prefix: server.url, ...withVendor(upyun, {auth: upyunAuth(credentials)})});

const MiB = 1024 * 1024;
const file = {bucket: 'videos', path: 'talk.mp4', body: new Uint8Array(4 * MiB).fill(7), partSize: MiB};
const stop = new AbortController();

try {
  await uploadResumable(api, {
    ...file,
    signal: stop.signal,
    onProgress: ({uploadedBytes, nextPartId}) => {
      console.log(`  ${uploadedBytes / MiB} MiB stored`);
      if (nextPartId === 2) stop.abort(new Error('connection lost')); // say, the laptop went to sleep
    },
  });
} catch (error) {
  if (!(error instanceof ResumableUploadError)) throw error;
  const {resumeToken} = error;
  console.log(
    `interrupted: ${error.uploadedBytes / MiB} MiB in, resuming from part ${resumeToken.nextPartId}`,
  );
  const result = await uploadResumable(api, {...file, resumeToken});
  console.log(`stored /${result.bucket}/${result.path} in ${result.partCount} parts (HTTP ${result.status})`);
  console.log(`${sim.counters.transient} transient 503s on the way, each resent by the policy`);
} finally {
  await server.close();
}
