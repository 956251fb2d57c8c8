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
  readonly elapsedMs: number;
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
        const started = Date.now();
        execFile(
          process.execPath,
          [file],
          {cwd: root, timeout: timeoutMs, env: {...process.env, NO_COLOR: '1'}},
          (error, stdout, stderr) => {
            const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
            resolve({code, stdout, stderr, elapsedMs: Date.now() - started});
          },
        );
      }),
  );

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

/** Examples that need longer than 30 s on a loaded machine: the fleet forks 4 worker processes. */
const TIMEOUT_MS: Readonly<Record<string, number>> = {'fleet.ts': 120_000};

// One suite, so the demo and the examples share the two slots instead of running one after the other.
describe('examples and demo', () => {
  test.concurrent('npm run demo narrates the four vendors and ends with the summary table, in under a minute', async () => {
    const result = await run('scripts/demo.ts', 60_000);
    expect(result.code, result.stderr).toBe(0);
    expect(result.elapsedMs).toBeLessThan(60_000);
    const {stdout} = result;
    for (const title of ['[1/4] BrightData', '[2/4] UPYUN', '[3/4] Huawei Cloud', '[4/4] Supametas.AI']) {
      expect(stdout).toContain(title);
    }
    expect(stdout).toMatch(
      /^vendor +\| scenario +\| requests \| retries \/ throttles +\| outcome +\| elapsed$/m,
    );
    expect(stdout).toMatch(
      /^BrightData +\| .+ \| \d+ +\| \d+ retr(y|ies), \d+ throttles?, \d+ polls? +\| 3 records, 1 job paid +\| [\d.]+ s$/m,
    );
    expect(stdout).toMatch(/^UPYUN +\| .+ \| \d+ +\| .+ \| 240\/240 stored +\| [\d.]+ s$/m);
    expect(stdout).toMatch(
      /^Huawei Cloud +\| .+ \| \d+ +\| .+ \| 15\/15 ok; AuthError APIGW\.0301 +\| [\d.]+ s$/m,
    );
    expect(stdout).toMatch(
      /^Supametas\.AI +\| .+ \| \d+ +\| .+ \| ValidationError caught; SUCCESS +\| [\d.]+ s$/m,
    );
    // Piped, the progress is one line per event: no carriage returns or escape codes.
    expect(stdout).not.toContain('\r');
    expect(stdout).not.toContain('\u001B[');
  }, 90_000);

  test.concurrent('every file in examples/ has an entry here', () => {
    const files = readdirSync(new URL('../examples/', import.meta.url)).filter((file) =>
      file.endsWith('.ts'),
    );
    expect(files.sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  test.concurrent.each(Object.entries(EXAMPLES))(
    'example %s exits 0 and prints its result',
    async (file, lines) => {
      const result = await run(`examples/${file}`, TIMEOUT_MS[file] ?? 30_000);
      expect(result.code, result.stderr).toBe(0);
      for (const line of lines) expect(result.stdout).toMatch(line);
      // No password or key the examples use reaches their output.
      expect(result.stdout).not.toMatch(/demo-password|right-password|demo-key|demo-access-key/);
    },
    150_000,
  );
});
