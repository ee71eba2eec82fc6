import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, hotspareIn, requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';

/**
 * Words an engineer at 3 a.m. could misread (issue 20, item 8), through the built CLI: what the
 * plan says before anything happens, and a runbook file that is not there.
 */

beforeAll(requireBuiltCli);

function env(): NodeJS.ProcessEnv {
  return cleanEnv(tempDir('hotspare-wording-'));
}

describe('the plan says what will happen, not what has', () => {
  let plan: string;
  beforeAll(async () => {
    const r = await hotspareIn({ env: env() }, 'plan', 'runbooks/sandbox.yaml', '--sandbox');
    expect(r.status, r.stderr).toBe(0);
    plan = r.stdout;
  });

  it('an Auto Scaling group "will be" frozen', () => {
    expect(plan).toContain('Auto Scaling group sandbox-drill-web will be frozen for the maintenance');
    expect(plan).not.toContain('is frozen');
  });

  it('a step that launches a new instance says "Launch", not "Start"', () => {
    expect(plan).toMatch(/^2\. launch-redirect: Launch the redirect instance \(builtin, t3\.micro\)/m);
  });

  it('a DNS rollback without a known TTL prints no "unknown s"', () => {
    expect(plan).not.toContain('unknown s');
    expect(plan).toContain("clients follow within the record's TTL");
  });
});

describe('a runbook file that is not there', () => {
  it('is named without a line and column, with what to check', async () => {
    for (const command of ['validate', 'plan']) {
      const r = await hotspareIn({ env: env() }, command, 'runbooks/does-not-exist.yaml');
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('runbooks/does-not-exist.yaml: cannot read the runbook: no such file');
      expect(r.stderr).not.toContain(':1:1');
      expect(r.stderr).not.toContain('Fix the runbook');
    }
    const plan = await hotspareIn({ env: env() }, 'plan', 'runbooks/does-not-exist.yaml');
    expect(plan.stderr).toContain('next: Check the path');
  });
});
