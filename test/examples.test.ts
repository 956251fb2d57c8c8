/**
 * @module Runs every example and the demo as child processes, so none of them goes stale.
 */
import {execFile} from 'node:child_process';
import {readdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, test} from 'vitest';
import {redisMissing} from './helpers/redis-server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

type Run = {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
};

/** At most two child processes at once: the examples and the demo wait on real sockets and timers. */
const slots = (() => {
  let free = 2;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    else free--;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next === undefined) free++;
      else next();
    }
  };
})();

/** Runs `node <file>` from the project root; the child is killed after `timeoutMs`. */
const run = (file: string, timeoutMs: number): Promise<Run> =>
  slots(
    () =>
      new Promise<Run>((resolve) => {
        execFile(
          process.execPath,
          [file],
          {cwd: root, timeout: timeoutMs, env: {...process.env, NO_COLOR: '1'}},
          (error, stdout, stderr) => {
            const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
            resolve({code, stdout, stderr});
          },
        );
      }),
  );

/** Examples that start child processes of their own get longer than the usual 30 s. */
const TIMEOUTS_MS: Readonly<Record<string, number>> = {'crash-and-resume.ts': 180_000, 'fleet.ts': 180_000};

/** Each example and the lines its output must contain. */
const EXAMPLES: Readonly<Record<string, readonly RegExp[]>> = {
  'drop-in-hooks.ts': [
    /^stored 4 files through \d+ throttles?$/m,
    /^with the hooks: NotFoundError: upyun 40400001/m,
  ],
  'brightdata-collect.ts': [
    /^snapshot s_\w+ ready$/m,
    /^ {2}record \{"url":"https:\/\/example\.com\/b","index":1\}$/m,
  ],
  'upyun-batch-upload.ts': [/^uploaded 80, failed 0$/m, /^\d+ requests: \d+ throttled \(429\)/m],
  'upload-status.ts': [
    /^done 20\/80 failed 0 rate (open|[\d.]+\/s) queued \d+ throttles \d+$/m,
    /^final: done 80\/80 failed 0 rate [\d.]+\/s queued 0 throttles [1-9]\d*$/m,
  ],
  'upyun-resumable-upload.ts': [
    /^interrupted: 2 MiB in, resuming from part 2$/m,
    /^stored \/videos\/talk\.mp4 in 4 parts \(HTTP 201\)$/m,
  ],
  'huawei-with-token.ts': [/^tokens issued: 2, expired-token answers: 1, busy answers: [1-9]\d*$/m],
  'supametas-task.ts': [/^task report\.md ended SUCCESS after \d+ queries$/m],
  'custom-vendor.ts': [/^ {2}rate_limited: retrying$/m, /^ValidationError: acme invalid_request validation/m],
  'testing-kit.ts': [
    /^over a socket: a\.txt, b\.txt, c\.txt \(51 bytes\), 7 requests$/m,
    /^in process: +a\.txt, b\.txt, c\.txt \(51 bytes\), 7 requests$/m,
    /^signature failures: 0$/m,
  ],
  // Acceptance of resumable jobs: a worker killed with SIGKILL mid-part and mid-poll, restarted
  // from its saved state: the file is intact, no stored part is sent again (part 2 was on the wire
  // when the worker died, so it is sent twice and stored once), one trigger and one job.
  'crash-and-resume.ts': [
    /^upload: first worker ended by SIGKILL while sending part 2$/m,
    /^upload: saved token resumes at part 2$/m,
    /^upload: stored intact; sends per part 0:1 1:1 2:2 3:1; parts stored 4$/m,
    /^collect: first worker ended by SIGKILL while polling$/m,
    /^worker: 2 records from s_\w+$/m,
    /^collect: triggers 1, jobs 1, downloads 1$/m,
  ],
  // Needs redis-server (or REDIS_URL): without it the example says so and exits 0.
  'fleet.ts':
    redisMissing() === undefined
      ? [
          /^4 workers uploaded 60, failed 0$/m,
          /^\d+ requests, \d+ throttled \(429\), \d+ Redis round trips$/m,
        ]
      : [/^skipped: redis-server is not installed/m],
  'error-handling.ts': [
    /^wrong password, not retried: AuthError: upyun 40100005/m,
    /^first upload: ok$/m,
    /^throttled past the deadline: RateLimitError, retry after \d{4}-/m,
    /^unknown task: ValidationError OPS40004 in an HTTP 200$/m,
  ],
};

// One suite, so the demo and the examples share the two slots instead of running one after the other.
describe('examples and demo', () => {
  // The demo takes about half a minute on an idle machine; the limits below only catch a hang.
  test.concurrent('npm run demo narrates the four vendors and ends with plain ky beside the policy', async () => {
    const result = await run('scripts/demo.ts', 240_000);
    expect(result.code, result.stderr).toBe(0);
    const {stdout} = result;
    for (const title of ['[1/4] BrightData', '[2/4] UPYUN', '[3/4] Huawei Cloud', '[4/4] Supametas.AI']) {
      expect(stdout).toContain(title);
    }
    // Both clients, side by side, for every section. What plain ky loses depends on timing (a slow
    // machine throttles itself); what the policy delivers does not.
    expect(stdout).toContain('Summary: plain ky (its default retry) beside ky-vendors');
    expect(stdout).toMatch(/^vendor +\| client +\| requests \| lost +\| wrong failures \| outcome$/m);
    const sides = [
      ['BrightData', 'records', 3, '3 records, 1 job paid'],
      ['UPYUN', 'uploads', 240, '240/240 stored'],
      ['Huawei Cloud', 'calls', 15, '15/15 ok; AuthError APIGW.0301'],
      ['Supametas.AI', 'tasks', 1, 'ValidationError caught; SUCCESS'],
    ] as const;
    for (const [vendor, unit, total, delivered] of sides) {
      const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const pair = new RegExp(
        `^${literal(vendor)} +\\| plain ky +\\| \\d+ +\\| \\d+/${total} ${unit} +\\| \\d+ +\\| \\S.*\\n +\\| ky-vendors +\\| \\d+ +\\| 0/${total} ${unit} +\\| 0 +\\| ${literal(delivered)}$`,
        'm',
      );
      expect(stdout).toMatch(pair);
    }
    // The plain runs that cannot depend on timing: a POST throttled at the trigger is not resent,
    // and an error in an HTTP 200 is data to plain ky.
    expect(stdout).toMatch(
      /^BrightData +\| plain ky +\| 1 +\| 3\/3 records +\| 1 +\| HTTPError 429 at the trigger$/m,
    );
    expect(stdout).toMatch(
      /^Supametas\.AI +\| plain ky +\| \d+ +\| \d\/1 tasks +\| [12] +\| OPS40001 read as data; /m,
    );
    // Piped, the progress is one line per event: no carriage returns or escape codes.
    expect(stdout).not.toContain('\r');
    expect(stdout).not.toContain('\u001B[');
  }, 300_000);

  test.concurrent('every file in examples/ has an entry here', () => {
    const files = readdirSync(new URL('../examples/', import.meta.url)).filter((file) =>
      file.endsWith('.ts'),
    );
    expect(files.sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  test.concurrent.each(Object.entries(EXAMPLES))(
    'example %s exits 0 and prints its result',
    async (file, lines) => {
      const result = await run(`examples/${file}`, TIMEOUTS_MS[file] ?? 120_000);
      expect(result.code, result.stderr).toBe(0);
      for (const line of lines) expect(result.stdout).toMatch(line);
      // No password or key the examples use reaches their output.
      expect(result.stdout).not.toMatch(/demo-password|right-password|demo-key|demo-access-key/);
    },
    300_000,
  );
});
