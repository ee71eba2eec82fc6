import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderUserData } from '../../src/redirect/user-data.js';
import { BAD_DIR } from '../fixtures/runbooks/expected.js';
import { hotspare, requireBuiltCli } from '../helpers/cli.js';
import { sampleRedirect } from '../helpers/redirect-config.js';

const FILE = join(BAD_DIR, 'maintenance-url-unsafe.yaml');
const URL = 'https://maintenance.example.com/$(reboot);x';

/** What the live launch says when it renders the user data for this URL. */
function liveMessage(): string {
  try {
    renderUserData(sampleRedirect({ targetUrl: URL }));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the live launch accepted the URL');
}

describe('an unsafe maintenance URL is refused before anything runs, as the live launch refuses it', () => {
  requireBuiltCli();
  const expected = `${FILE}:7:8: maintenance.url: ${liveMessage()}`;

  it.each([
    ['validate', [FILE]],
    ['plan', [FILE]],
    ['failover --sandbox', ['failover', FILE, '--sandbox', '--yes', '--headless']],
    ['drill --sandbox', ['drill', FILE, '--sandbox', '--yes', '--headless']],
  ])('%s', (label, args) => {
    const r = label === 'validate' || label === 'plan' ? hotspare(label, ...args) : hotspare(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(expected);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
