import { defineConfig } from 'vitest/config';

/**
 * The reliability suite (`npm run test:reliability`): crash matrices, the fault proxy and the
 * fuzzer, against the built CLI on moto and in-process on the sandbox. Kept out of `npm test`'s
 * default run so the normal suite stays fast; `.ci/run` runs both.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    // One test runs a whole matrix: minutes in CI, an hour or more with HOTSPARE_RELIABILITY=full.
    // A test that times out goes on in the background, so the bound must hold the whole matrix.
    testTimeout: process.env['HOTSPARE_RELIABILITY'] === 'full' ? 6 * 3_600_000 : 900_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // No AWS SDK Node-version warning from the workers in the test log (see the file).
    setupFiles: ['test/helpers/sdk-quiet.ts'],
    // Each file starts its own moto and CLI processes. The moto files keep a core busy each; the
    // in-process sandbox matrix mostly waits on its simulated clock, so it runs beside them.
    maxWorkers: 3,
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
  },
});
