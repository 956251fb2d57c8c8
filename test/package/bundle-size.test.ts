import {describe, expect, test} from 'vitest';
import {bundleCases, measureBundle} from '../../scripts/bundle-size.ts';

// Bundle sizes are deterministic (same sources, same esbuild): a byte limit here is not a timing
// assertion. The generous timeout only covers esbuild on a busy machine.
describe('what an application ships (esbuild, minified, ky external)', () => {
  test.each(bundleCases)(
    '$name stays within $limitBytes bytes',
    {timeout: 60_000},
    async ({source, limitBytes}) => {
      const {bytes} = await measureBundle(source);
      expect(bytes).toBeLessThanOrEqual(limitBytes);
    },
  );

  test('the vendors parse with zod/v4/core and zod/mini: no classic zod API and no locale in a bundle', {
    timeout: 60_000,
  }, async () => {
    const {byInput, bytes} = await measureBundle("export * from './src/index.ts';");
    const zodBytes = byInput['node_modules/zod'] ?? 0;
    expect(zodBytes).toBeGreaterThan(0);
    // Classic zod with its locales is about 450 KB; zod as the vendors use it, under 30 KB.
    expect(zodBytes).toBeLessThan(30_000);
    expect(bytes).toBeGreaterThan(zodBytes);
  });

  test('the code tables ship their messages but not the notes of the docs', {timeout: 60_000}, async () => {
    const {text} = await measureBundle("export {upyun} from './src/index.ts';");
    expect(text).toContain('bucket is full');
    // The note above 40300004 in src/vendors/upyun/codes.ts, shown in docs/vendors/upyun.md.
    expect(text).not.toContain('storage limit is reached');
  });
});
