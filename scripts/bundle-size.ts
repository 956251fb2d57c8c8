/**
 * @module What an application ships: the minified bundle of an import from this package, built
 * with esbuild (ky external, as the application has its own). The sizes are deterministic, so
 * `test/package/bundle-size.test.ts` guards them; `npm run size` prints the table in
 * bench/RESULTS.md.
 */
import {resolve} from 'node:path';
import {build} from 'esbuild';

const root = resolve(import.meta.dirname, '..');

/** One import an application makes, and the most bytes its minified bundle may take. */
export type BundleCase = {
  readonly name: string;
  /** The module an application writes, importing from `src/` (what `dist/` is built from). */
  readonly source: string;
  readonly limitBytes: number;
};

/** The imports guarded, from the core alone to every vendor at once. */
export const bundleCases: readonly BundleCase[] = [
  // About 3% over what each measures today: a guard against growth, not a goal. The goal for
  // `{withVendor, upyun}` is 60 KB, and its limit is that goal (3% over would not hold it): 67.9 KB
  // before the envelopes were built on zod/v4/core and read through Standard Schema `validate`,
  // UPYUN's usual rows written as bare messages and its code checked by `wireCode` alone; 60.9 KB
  // after; 63.3 KB once fleet pacing, paced throttles outside the retry limit and the thinner
  // success path landed; 59.8 KB since error bodies are read by `readOnce()` too (read-body.ts
  // gone), fleet pacing is handed to the limiter by the Redis store (`Store.pacing`) instead of
  // living in the core limiter, UPYUN's 403 and 429 rows took their status's usual handling, and
  // the core lost repeated code (`Infinity`, `dataProperty()`, one options literal).
  // bench/RESULTS.md has what it is made of.
  {name: 'core: `{withVendor}`', source: "export {withVendor} from './src/index.ts';", limitBytes: 40_900},
  {
    name: '`{withVendor, upyun}`',
    source: "export {withVendor, upyun} from './src/index.ts';",
    limitBytes: 60_000,
  },
  // Each vendor entry whole (definition, auth, every operation) with the core.
  ...(
    [
      ['brightdata', 88_400],
      ['upyun', 74_600],
      ['huawei', 76_900],
      ['supametas', 78_800],
    ] as const
  ).map(([vendor, limitBytes]) => ({
    name: `\`ky-vendors/${vendor}\` (every export) + \`withVendor\``,
    source: `export * from './src/vendors/${vendor}/index.ts'; export {withVendor} from './src/index.ts';`,
    limitBytes,
  })),
  {name: '`ky-vendors` (every export)', source: "export * from './src/index.ts';", limitBytes: 99_200},
];

/** A bundle's size, what it is made of (bytes per package or source folder) and its text. */
export type BundleSize = {
  readonly bytes: number;
  readonly byInput: Readonly<Record<string, number>>;
  readonly text: string;
};

// `node_modules/zod/v4/core/util.js` → `node_modules/zod`; `src/ky/read-body.ts` → `src/ky`.
const group = (input: string): string => input.split('/').slice(0, 2).join('/');

/**
 * Bundles `source` as a browser application would (ESM, minified, ky external) and measures it.
 *
 * @example
 * ```ts
 * const {bytes} = await measureBundle("export {withVendor} from './src/index.ts';");
 * ```
 */
export const measureBundle = async (source: string): Promise<BundleSize> => {
  const result = await build({
    stdin: {contents: source, resolveDir: root, loader: 'ts', sourcefile: 'app.ts'},
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external: ['ky'],
    write: false,
    metafile: true,
    outfile: 'app.js',
    logLevel: 'silent',
  });
  const bytes = result.outputFiles.reduce((total, file) => total + file.contents.byteLength, 0);
  const byInput: Record<string, number> = {};
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, {bytesInOutput}] of Object.entries(output.inputs)) {
      const key = group(input);
      byInput[key] = (byInput[key] ?? 0) + bytesInOutput;
    }
  }
  return {bytes, byInput, text: result.outputFiles.map((file) => file.text).join('\n')};
};

const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;

/** The Markdown table of every case: size, limit, and zod's share. */
export const bundleTable = async (): Promise<string> => {
  const rows = ['| Import | Minified | Limit | of which zod |', '|---|---|---|---|'];
  for (const {name, source, limitBytes} of bundleCases) {
    const {bytes, byInput} = await measureBundle(source);
    rows.push(`| ${name} | ${kb(bytes)} | ${kb(limitBytes)} | ${kb(byInput['node_modules/zod'] ?? 0)} |`);
  }
  return rows.join('\n');
};

if (import.meta.main) {
  console.log(await bundleTable());
}
