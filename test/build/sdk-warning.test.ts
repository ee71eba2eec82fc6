import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The test log carries no AWS SDK NodeVersionSupportWarning: the vitest workers build SDK clients
 * in-process (fixtures on moto, adapter tests), and the CLI children turn it off themselves
 * (test/cli/node-support.test.ts). A test file that builds clients is run by vitest as `npm test`
 * runs it, with the switch absent from the environment, and its output is read.
 */
describe("the AWS SDK's Node version warning in the test log", () => {
  it('is not printed by the vitest workers', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'];
    delete env['VITEST'];
    delete env['VITEST_WORKER_ID'];
    delete env['VITEST_POOL_ID'];
    const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/aws/route53.test.ts'], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const log = `${r.stdout}\n${r.stderr}`;
    expect(r.status, log).toBe(0);
    expect(log).toMatch(/Tests\s+\d+ passed/);
    expect(log).not.toContain('NodeVersionSupportWarning');
  }, 150_000);
});
