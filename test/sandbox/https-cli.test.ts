import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');

/** The built CLI with its own state directory (never the user's). */
function hotspare(args: readonly string[], state = tempDir('hotspare-https-')) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: state },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, state };
}

describe('the https:// maintenance site in the sandbox, through the built CLI', () => {
  it('plan --sandbox names the HTTPS hazard of a world with no distribution, and none by default', () => {
    const bare = hotspare(['plan', 'runbooks/sandbox.yaml', '--sandbox', '--fault', 'no-distribution']);
    expect(bare.stdout).toContain(
      'DANGER: No CloudFront distribution with maintenance.sandbox.invalid as an alternate domain name',
    );
    expect(bare.stdout).toContain('Run `hotspare site provision RUNBOOK`');
    const pending = hotspare(['plan', 'runbooks/sandbox.yaml', '--sandbox', '--fault', 'certificate-pending']);
    expect(pending.stdout).toMatch(
      /DANGER: The certificate arn:aws:acm:us-east-1:\d{12}:certificate\/\S+ for maintenance\.sandbox\.invalid is PENDING_VALIDATION/,
    );
    const deploying = hotspare(['plan', 'runbooks/sandbox.yaml', '--sandbox', '--fault', 'distribution-in-progress']);
    expect(deploying.stdout).toMatch(/Distribution E[A-Z0-9]+ is InProgress/);
    const provisioned = hotspare(['plan', 'runbooks/sandbox.yaml', '--sandbox']);
    expect(provisioned.stdout).toMatch(
      /Maintenance site \(fresh\): .*HTTPS: certificate for maintenance\.sandbox\.invalid valid until \d{4}-\d\d-\d\d \(3\d\d days\), distribution E[A-Z0-9]+ Deployed, last invalidation Completed/,
    );
    expect(provisioned.stdout).not.toMatch(/(DANGER|WARNING|warning):.*(CloudFront|certificate)/i);
  });

  it('site provision --sandbox makes certificate, validation record, distribution and alias, journaled 0600; with everything in place it changes nothing', () => {
    const r = hotspare([
      'site',
      'provision',
      'runbooks/sandbox.yaml',
      '--sandbox',
      '--fault',
      'no-distribution',
      '--speed',
      '50',
      '--yes',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('distribution none');
    for (const call of [
      'acm RequestCertificate',
      'route53 ChangeResourceRecordSets UPSERT',
      'cloudfront CreateDistributionWithTags',
      'route53 ChangeResourceRecordSets UPSERT maintenance.sandbox.invalid AAAA alias Z2FDTNDATAQYW2',
    ])
      expect(r.stdout).toContain(`will call: ${call}`);
    expect(r.stdout).toMatch(
      /Done: maintenance\.sandbox\.invalid is served by distribution E[A-Z0-9]+ \(d[0-9a-f]+\.cloudfront\.net\)/,
    );
    const sandboxRoot = join(r.state, 'hotspare', 'sandbox');
    const [dir] = readdirSync(sandboxRoot);
    const journal = join(sandboxRoot, dir!, 'provision', 'sandbox-drill.jsonl');
    expect(statSync(journal).mode & 0o777).toBe(0o600);
    expect(readFileSync(journal, 'utf8')).toContain('CreateDistribution');
    const again = hotspare(['site', 'provision', 'runbooks/sandbox.yaml', '--sandbox', '--speed', '50', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to change: everything is in place.');
  });

  it('site provision --sandbox without a terminal and without --yes refuses, changing nothing', () => {
    const r = hotspare(['site', 'provision', 'runbooks/sandbox.yaml', '--sandbox', '--fault', 'no-distribution']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('need a confirmation');
  });
});
