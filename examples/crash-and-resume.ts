/**
 * @module Jobs that survive a crash: a worker is killed with SIGKILL in the middle of a multipart
 * upload and of a BrightData wait, and a new worker continues each job from what the first saved.
 *
 * Run without arguments it is the supervisor: it starts the simulators, runs the worker (this same
 * file, `worker upload|collect <url> <state file>`) as a child process, kills it, starts it again.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import ky from 'ky';
import {withVendor} from '../src/index.ts';
import {
  createBrightdataSimulator,
  createUpyunSimulator,
  startBrightdataServer,
  startUpyunServer,
  upyunError,
} from '../src/testing/index.ts';
import {
  brightdata,
  collect,
  resumeCollect,
  type SnapshotHandle,
  snapshotJson,
} from '../src/vendors/brightdata/index.ts';
import {
  type ResumeToken,
  resumeUpload,
  uploadResumable,
  upyun,
  upyunAuth,
} from '../src/vendors/upyun/index.ts';

const MiB = 1024 * 1024;
const credentials = {operator: 'uploader', password: 'demo-password'};
const inputs = [{url: 'https://example.com/a'}, {url: 'https://example.com/b'}];

/** The file both workers upload: the same bytes in every process. */
const fileBytes = (): Uint8Array<ArrayBuffer> =>
  Uint8Array.from({length: 4 * MiB}, (_, index) => index % 251);

/** A worker: continues from the state file if there is one, else starts; saves its state as it goes. */
const worker = async (job: string, url: string, stateFile: string): Promise<void> => {
  const saved: unknown = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : undefined;
  // Written synchronously: the state is on disk before the next request goes out.
  const save = (state: unknown): void => writeFileSync(stateFile, JSON.stringify(state));
  if (job === 'upload') {
    const api = ky.create({prefix: url, ...withVendor(upyun, {auth: upyunAuth(credentials)})});
    const onProgress = ({resumeToken}: {resumeToken: ResumeToken}) => save(resumeToken);
    const body = fileBytes();
    const result =
      saved === undefined
        ? await uploadResumable(api, {bucket: 'videos', path: 'talk.mp4', body, partSize: MiB, onProgress})
        : await resumeUpload(api, saved as ResumeToken, {body, onProgress});
    console.log(`worker: upload complete (HTTP ${result.status})`);
    return;
  }
  const api = ky.create({prefix: url, ...withVendor(brightdata)});
  const options = {intervalMs: 200, format: 'json' as const};
  const result =
    saved === undefined
      ? await collect(api, {datasetId: 'gd_demo', inputs}, {...options, timeoutMs: 60_000, onHandle: save})
      : await resumeCollect(api, saved as SnapshotHandle, {intervalMs: 200});
  const records = (await snapshotJson(result.response)) as unknown[];
  console.log(`worker: ${records.length} records from ${result.snapshotId}`);
};

const self = fileURLToPath(import.meta.url);

/** Runs the worker as a child process; resolves with how it ended. */
const startWorker = (job: string, url: string, stateFile: string) => {
  const child = spawn(process.execPath, [self, 'worker', job, url, stateFile], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const ended = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)),
  );
  return {child, ended};
};

const supervise = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'ky-vendors-crash-'));
  let current: ChildProcess | undefined;
  // UPYUN: the first worker is killed while part 2 is on the wire, before UPYUN stores it.
  const partSends = new Map<string, number>();
  let killDuringPart: string | undefined = '2';
  const upyunSim = createUpyunSimulator({
    credentials,
    transientErrorRate: 0,
    intercept: ({stage, headers}) => {
      if (stage !== 'upload') return undefined;
      const part = headers.get('x-upyun-part-id') ?? '?';
      partSends.set(part, (partSends.get(part) ?? 0) + 1);
      if (part !== killDuringPart) return undefined;
      killDuringPart = undefined;
      current?.kill('SIGKILL');
      return upyunError(50000000, 'never delivered: the client is gone');
    },
  });
  // BrightData: the first worker is killed after its third progress poll.
  const bdSim = createBrightdataSimulator({startingMs: 200, readyAfterMs: 2_500});
  let killAfterPolls: number | undefined = 3;
  const bdServed = {
    ...bdSim,
    handle: (request: Parameters<typeof bdSim.handle>[0]) => {
      const response = bdSim.handle(request);
      if (killAfterPolls !== undefined && bdSim.counters.requests.progress >= killAfterPolls) {
        killAfterPolls = undefined;
        current?.kill('SIGKILL');
      }
      return response;
    },
  };
  const upyunServer = await startUpyunServer(upyunSim);
  const bdServer = await startBrightdataServer(bdServed);
  try {
    const uploadState = join(dir, 'upload.json');
    let run = startWorker('upload', upyunServer.url, uploadState);
    current = run.child;
    console.log(`upload: first worker ended by ${await run.ended} while sending part 2`);
    const token = JSON.parse(readFileSync(uploadState, 'utf8')) as ResumeToken;
    console.log(`upload: saved token resumes at part ${token.nextPartId}`);
    run = startWorker('upload', upyunServer.url, uploadState);
    current = run.child;
    console.log(`upload: second worker ${await run.ended}`);
    const stored = upyunSim.files.get('/videos/talk.mp4');
    const intact = stored?.body !== undefined && Buffer.from(stored.body).equals(Buffer.from(fileBytes()));
    const sends = [...partSends.entries()]
      .sort()
      .map(([part, count]) => `${part}:${count}`)
      .join(' ');
    console.log(
      `upload: stored ${intact ? 'intact' : 'CORRUPT'}; sends per part ${sends}; parts stored ${upyunSim.counters.multipartParts}`,
    );

    const collectState = join(dir, 'job.json');
    run = startWorker('collect', bdServer.url, collectState);
    current = run.child;
    console.log(`collect: first worker ended by ${await run.ended} while polling`);
    run = startWorker('collect', bdServer.url, collectState);
    current = run.child;
    console.log(`collect: second worker ${await run.ended}`);
    console.log(
      `collect: triggers ${bdSim.counters.requests.trigger}, jobs ${bdSim.counters.jobsCreated}, downloads ${bdSim.counters.requests.snapshot}`,
    );
  } finally {
    current?.kill('SIGKILL');
    await upyunServer.close();
    await bdServer.close();
    rmSync(dir, {recursive: true, force: true});
  }
};

const [mode, job, url, stateFile] = process.argv.slice(2);
if (mode === 'worker' && job !== undefined && url !== undefined && stateFile !== undefined) {
  await worker(job, url, stateFile);
} else {
  await supervise();
}
