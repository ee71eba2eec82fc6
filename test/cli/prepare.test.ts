import { describe, expect, it } from 'vitest';
import { hotspare, requireBuiltCli } from '../helpers/cli.js';

describe('hotspare prepare', () => {
  requireBuiltCli();

  it('prepares a spare on the sandbox: launched, checked, powered off', () => {
    const r = hotspare('prepare', 'runbooks/sandbox.yaml', '--sandbox', '--speed', '50');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^launched i-[0-9a-f]{17} \(t3\.micro, ami-00000000000000000\): installing and checking builtin, then powering off$/m,
    );
    expect(r.stdout).toMatch(
      /^Spare i-[0-9a-f]{17} is prepared, checked and stopped: launch-redirect starts it instead of launching/m,
    );
  });

  it('--dry-run checks the launch and launches nothing', () => {
    const r = hotspare('prepare', 'runbooks/sandbox.yaml', '--sandbox', '--dry-run');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'dry run: RunInstances t3.micro from ami-00000000000000000 in subnet-00000000000000000 is permitted; nothing launched',
    );
  });

  it('refuses a runbook with no launch-redirect step, and one that names no file', () => {
    const none = hotspare('prepare', 'runbooks/listener-redirect.yaml', '--sandbox');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('has no launch-redirect step: there is no spare to prepare');
    const missing = hotspare('prepare');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('Name a runbook: hotspare prepare RUNBOOK');
  });
});
