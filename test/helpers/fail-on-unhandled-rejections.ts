import {afterAll, afterEach, beforeAll, expect} from 'vitest';

/** Makes every test of the calling file fail if any promise rejection went unhandled during it. */
export const failOnUnhandledRejections = (): void => {
  const rejections: unknown[] = [];
  const collect = (reason: unknown): void => {
    rejections.push(reason);
  };
  beforeAll(() => {
    process.on('unhandledRejection', collect);
  });
  afterEach(async () => {
    // Rejections surface a turn or two after the call settles; give them the chance.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(rejections).toEqual([]);
  });
  afterAll(() => {
    process.off('unhandledRejection', collect);
  });
};
