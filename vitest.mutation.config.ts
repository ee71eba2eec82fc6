import { defineConfig } from 'vitest/config';

/**
 * The tests mutation testing runs against src/engine and src/steps (`npm run test:mutation`): the
 * engine and step tests on in-memory fakes, which exercise every path of those folders without a
 * network, a built CLI or a terminal.
 */
export default defineConfig({
  test: {
    include: ['test/engine/**/*.test.ts', 'test/steps/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // No AWS SDK Node-version warning from the workers in the test log (see the file).
    setupFiles: ['test/helpers/sdk-quiet.ts'],
  },
});
