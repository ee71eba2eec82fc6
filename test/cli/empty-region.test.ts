import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';
import { hotspare, requireBuiltCli } from '../helpers/cli.js';

beforeAll(requireBuiltCli);

describe('an empty --region', () => {
  // Found by the reliability fuzzer: `--region ''` reached the SDK, whose "Region is missing" was
  // reported as an internal error (exit 1). Nothing is sent either way: the endpoint is a closed port.
  it('is a usage error naming the flag, not an internal error', () => {
    const r = hotspare('status', 'runbooks/emergency-mode.yaml', '--region', '', '--endpoint-url', 'http://127.0.0.1:9', '--journal-dir', tempDir());
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
