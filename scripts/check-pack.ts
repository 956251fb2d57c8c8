/**
 * @module `npm run check:pack`: proves `ky-vendors/testing` works with ky alone. Builds and packs
 * the package, installs the tarball with ky (and no msw) into a fresh app outside the repository,
 * then, in that app: imports `ky-vendors/testing`, starts every loopback server and sends one
 * request through `withVendor` to each; type-checks an import of `ky-vendors/testing` (its .d.ts
 * must not reach msw); and checks that `ky-vendors/testing/msw` is the entry that needs msw.
 *
 * Run with `node scripts/check-pack.ts [app-directory]`; it needs the npm registry for ky, zod and
 * p-retry. Exits non-zero on the first failed check.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const app =
  process.argv[2] === undefined ? mkdtempSync(join(tmpdir(), 'ky-vendors-pack-')) : resolve(process.argv[2]);
const TIMEOUT_MS = 300_000;

const run = (command: string, args: string[], cwd: string): string =>
  execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'inherit'],
  });

const step = (text: string): void => {
  console.log(`check-pack: ${text}`);
};

// The script that runs inside the app, with only ky-vendors, ky, zod and p-retry installed.
const START_EVERY_SERVER = `
import ky from 'ky';
import {brightdata, huaweiCloud, supametas, upyun, withVendor} from 'ky-vendors';
import * as testing from 'ky-vendors/testing';

const checks = [
  ['brightdata', testing.startBrightdataServer(testing.createBrightdataSimulator({apiKey: 'k'})),
    (url) => ky.create({prefix: url, headers: {authorization: 'Bearer k'}, ...withVendor(brightdata)})
      .get('datasets/v3/progress/s_none', {throwHttpErrors: false})],
  ['upyun', testing.startUpyunServer(testing.createUpyunSimulator({transientErrorRate: 0})),
    (url) => ky.create({prefix: url, ...withVendor(upyun)}).put('bucket/a.txt', {body: 'a'})],
  ['huawei', testing.startHuaweiServer(testing.createHuaweiSimulator({requireToken: false})),
    (url) => ky.create({prefix: url + '/v1.0/project', ...withVendor(huaweiCloud)})
      .get('data/packages', {throwHttpErrors: false})],
  ['supametas', testing.startSupametasServer(testing.createSupametasSimulator({accessKey: 'k'})),
    (url) => ky.create({prefix: url + testing.SUPAMETAS_BASE_PATH, headers: {'Access-Key': 'k'}, ...withVendor(supametas)})
      .post('query-task', {json: {taskId: 'none'}, throwHttpErrors: false})],
];
for (const [name, starting, send] of checks) {
  const server = await starting;
  try {
    if (!/^http:\\/\\/127\\.0\\.0\\.1:\\d+$/.test(server.url)) throw new Error(name + ': url is not the host root: ' + server.url);
    const response = await send(server.url).catch((error) => error.response ?? Promise.reject(error));
    console.log(name, server.url, response.status);
  } finally {
    await server.close();
  }
}
try {
  await import('ky-vendors/testing/msw');
  throw new Error('ky-vendors/testing/msw loaded without msw installed');
} catch (error) {
  if (error.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes("'msw'")) throw error;
  console.log('ky-vendors/testing/msw needs msw, as documented');
}
`;

const TYPES_ONLY = `
import {createUpyunSimulator, startUpyunServer, type UpyunSimulator} from 'ky-vendors/testing';
const sim: UpyunSimulator = createUpyunSimulator();
export const started = startUpyunServer(sim);
`;

step(`building and packing ${repo}`);
run('npm', ['run', 'build'], repo);
mkdirSync(app, {recursive: true});
const tarball = join(
  app,
  run('npm', ['pack', '--silent', '--pack-destination', app], repo).trim().split('\n').at(-1) ?? '',
);

step(`installing ${tarball} and ky (no msw) into ${app}`);
writeFileSync(
  join(app, 'package.json'),
  JSON.stringify({name: 'pack-check-app', private: true, type: 'module'}),
);
const kyRange = JSON.parse(run('npm', ['pkg', 'get', 'peerDependencies.ky'], repo)) as string;
run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, `ky@${kyRange}`], app);
if (existsSync(join(app, 'node_modules', 'msw')))
  throw new Error('msw was installed: the check needs an app without it');

step('importing ky-vendors/testing and starting every loopback server');
writeFileSync(join(app, 'start-every-server.mjs'), START_EVERY_SERVER);
console.log(run(process.execPath, ['start-every-server.mjs'], app).trim());

step('type-checking an import of ky-vendors/testing (its .d.ts must not reach msw)');
writeFileSync(join(app, 'types-only.ts'), TYPES_ONLY);
writeFileSync(
  join(app, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2023',
      lib: ['ES2023', 'DOM'],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      allowImportingTsExtensions: true,
    },
    files: ['types-only.ts'],
  }),
);
const tsc = join(repo, 'node_modules', '.bin', 'tsc');
run(tsc, ['-p', app], app);
// The control: the same check on the msw entry must fail for want of msw, or it proves nothing.
writeFileSync(join(app, 'types-only.ts'), "export {upyunHandlers} from 'ky-vendors/testing/msw';\n");
try {
  run(tsc, ['-p', app], app);
  throw new Error('ky-vendors/testing/msw type-checked without msw: the type check cannot see msw');
} catch (error) {
  const output = String((error as {stdout?: unknown}).stdout ?? '');
  if (!output.includes("Cannot find module 'msw'")) throw error;
}

step('all checks passed');
if (process.argv[2] === undefined) rmSync(app, {recursive: true, force: true});
