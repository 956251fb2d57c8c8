import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Timeouts catch hangs only: they leave a loaded 2-core machine the time the work takes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
