import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';
import { BIN, hotspare, requireBuiltCli, type Ran } from '../helpers/cli.js';

/** The built CLI with credentials in the environment (so an empty region is the only problem). */
function hotspareWith(extra: Record<string, string>, ...args: string[]): Ran {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env['AWS_ENDPOINT_URL'];
  delete env['AWS_PROFILE'];
  delete env['AWS_REGION'];
  delete env['AWS_DEFAULT_REGION'];
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(requireBuiltCli);

describe('an empty --region', () => {
  // Found by the reliability fuzzer: `--region ''` reached the SDK, whose "Region is missing" was
  // reported as an internal error (exit 1). Nothing is sent either way: the endpoint is a closed port.
  it('is a usage error naming the flag, not an internal error', () => {
    const r = hotspare(
      'status',
      'runbooks/emergency-mode.yaml',
      '--region',
      '',
      '--endpoint-url',
      'http://127.0.0.1:9',
      '--journal-dir',
      tempDir(),
    );
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/region is empty/i);
  });

  it.each([
    ['--profile', /profile name is empty/i],
    ['--endpoint-url', /endpoint URL is empty/i],
  ])('%s with an empty value is a usage error too', (flag, message) => {
    const r = hotspare('status', 'runbooks/emergency-mode.yaml', flag, '', '--journal-dir', tempDir());
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('an empty --region on a site command', () => {
  // The site commands parsed their flags apart from the rest and took `--region ''` as no region
  // (the next source, then us-east-1): one tree of flags now reads it the same way everywhere.
  it('is the same usage error, before anything is sent', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'index.html'), '<h1>maintenance</h1>');
    const r = hotspareWith(
      { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_EC2_METADATA_DISABLED: 'true' },
      'site',
      'publish',
      dir,
      '--bucket',
      'b',
      '--region',
      '',
      '--endpoint-url',
      'http://127.0.0.1:9',
    );
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/region is empty/i);
  });
});
