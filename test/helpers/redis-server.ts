/**
 * @module Starts Debian's `redis-server` on a free loopback port in a temp dir, for tests and
 * benchmarks that need a real Redis. No system service is used or touched.
 */
import {type ChildProcess, execFileSync, spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** Where `redis-server` is, or `undefined` when it is not installed. */
export const redisServerBinary = (): string | undefined => {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], {encoding: 'utf8'}).trim() || undefined;
  } catch {
    return undefined;
  }
};

/** Why Redis tests skip, or `undefined` when they run. */
export const redisMissing = (): string | undefined =>
  redisServerBinary() === undefined
    ? 'redis-server is not installed (apt-get install redis-server); Redis tests skipped'
    : undefined;

/** A free loopback port (the kernel picks it; the listener closes before we use it). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

/** A running `redis-server`. */
export type RedisServer = {
  readonly port: number;
  readonly url: string;
  /** Stops it with SIGKILL (no goodbye to clients), and waits for the exit. */
  readonly kill: () => Promise<void>;
  /** Starts it again on the same port, empty (no persistence). */
  readonly restart: () => Promise<void>;
  /** Sends a signal (SIGSTOP makes it hang: commands time out; SIGCONT resumes it). */
  readonly signal: (signal: NodeJS.Signals) => void;
  /** Stops it and removes its directory. */
  readonly stop: () => Promise<void>;
};

const STARTUP_MS = 15_000;

const launch = (binary: string, port: number, dir: string, cluster: boolean): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ];
    if (cluster) {
      // One node that will own every slot: enough for a real Cluster client and CLUSTER KEYSLOT.
      args.push(
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, 'nodes.conf'),
        '--cluster-announce-ip',
        '127.0.0.1',
      );
    }
    const child = spawn(binary, args, {stdio: ['ignore', 'pipe', 'pipe']});
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start within ${STARTUP_MS} ms:\n${output}`));
    }, STARTUP_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });

const exited = (child: ChildProcess, signal: NodeJS.Signals): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    child.kill(signal);
  });

/**
 * Starts `redis-server` on a free loopback port, in its own temp dir; `cluster` starts it in
 * cluster mode (the caller assigns the slots).
 *
 * @example
 * ```ts
 * const redis = await startRedisServer();
 * const client = new Redis(redis.url);
 * await redis.stop();
 * ```
 */
export const startRedisServer = async ({cluster = false}: {cluster?: boolean} = {}): Promise<RedisServer> => {
  const binary = redisServerBinary();
  if (binary === undefined) {
    throw new Error('redis-server is not installed');
  }
  const dir = mkdtempSync(join(tmpdir(), 'ky-vendors-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(binary, port, dir, cluster);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: async () => {
      if (child !== undefined) {
        await exited(child, 'SIGKILL');
        child = undefined;
      }
    },
    restart: async () => {
      if (child !== undefined) {
        await exited(child, 'SIGKILL');
      }
      child = await launch(binary, port, dir, cluster);
    },
    signal: (signal) => {
      child?.kill(signal);
    },
    stop: async () => {
      if (child !== undefined) {
        child.kill('SIGCONT');
        await exited(child, 'SIGKILL');
        child = undefined;
      }
      rmSync(dir, {recursive: true, force: true});
    },
  };
};
