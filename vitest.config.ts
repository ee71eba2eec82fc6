import { configDefaults, defineConfig } from 'vitest/config';
import { SLOW_SUITES } from './test/slow-suites.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The reliability suite (`npm run test:reliability`) and the slow end-to-end matrices
    // (`npm run test:e2e`) have runs of their own; `.ci/run` runs all three.
    exclude: [...configDefaults.exclude, 'test/reliability/**', ...SLOW_SUITES],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time even on two cores: most tests wait on child processes (the CLI, moto, real
    // servers), and vitest's default there is one worker.
    maxWorkers: 2,
    // No AWS SDK Node-version warning from the workers in the test log (see the file).
    setupFiles: ['test/helpers/sdk-quiet.ts'],
    // ink renders only the last frame when it sees CI set (is-in-ci, read at import): the dashboard
    // tests are about the interactive frames an operator sees, so they run as in a terminal.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
  },
});
