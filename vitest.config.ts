import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The reliability suite has its own run (`npm run test:reliability`, vitest.reliability.config.ts).
    exclude: [...configDefaults.exclude, 'test/reliability/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // No AWS SDK Node-version warning from the workers in the test log (see the file).
    setupFiles: ['test/helpers/sdk-quiet.ts'],
    // ink renders only the last frame when it sees CI set (is-in-ci, read at import): the dashboard
    // tests are about the interactive frames an operator sees, so they run as in a terminal.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
  },
});
