import { defineConfig } from 'vitest/config';
import { SLOW_SUITES } from './test/slow-suites.js';

/** The slow end-to-end matrices (`npm run test:e2e`; test/slow-suites.ts says which and why). */
export default defineConfig({
  test: {
    include: [...SLOW_SUITES],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // No AWS SDK Node-version warning from the workers in the test log (see the file).
    setupFiles: ['test/helpers/sdk-quiet.ts'],
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
  },
});
