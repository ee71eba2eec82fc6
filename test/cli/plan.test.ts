import { beforeAll, describe, expect, it } from 'vitest';
import { hotspare, requireBuiltCli } from '../helpers/cli.js';
import type { Plan } from '../../src/plan/types.js';
import type { RunEnvironment } from '../../src/domain/types.js';

/** The `~N s` a numbered step line of the text plan expects. */
function stepSeconds(text: string, stepId: string): number {
  const m = new RegExp(`^\\d+\\. ${stepId}: .*~(\\d+) s$`, 'm').exec(text);
  if (m === null) throw new Error(`no step line for ${stepId} in:\n${text}`);
  return Number(m[1]);
}

beforeAll(requireBuiltCli);

describe('hotspare plan', () => {
  it('classic-order: a DANGER line with the zero-healthy window', () => {
    const r = hotspare('plan', 'runbooks/classic-order.yaml');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const danger = r.stdout.split('\n').filter((l) => l.includes('DANGER'));
    expect(danger).toHaveLength(1);
    const m = /^ {2}DANGER: Zero healthy targets for about (\d+) s/.exec(danger[0]!);
    expect(m, danger[0]).not.toBeNull();
    // The launch starts once the deregistration step is done; then 40 s of boot and one 30 s interval (ALB default).
    expect(Number(m![1])).toBe(stepSeconds(r.stdout, 'deregister-web') + 40 + 30);
    expect(r.stdout).toContain('(ALB defaults: not read from the account)');
  });

  it('classic-order: the steps in runbook order with their calls and undo', () => {
    const r = hotspare('plan', 'runbooks/classic-order.yaml');
    expect(r.status, r.stderr).toBe(0);
    const numbered = r.stdout
      .split('\n')
      .filter((l) => /^\d+\. /.test(l))
      .map((l) => l.split(':')[0]);
    expect(numbered).toEqual([
      '1. deregister-web',
      '2. launch-redirect',
      '3. register-redirect',
      '4. wait-redirect-healthy',
      '5. verify-maintenance',
    ]);
    expect(r.stdout).toMatch(
      /^ {5}elbv2 DeregisterTargets \{"TargetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:<account>:targetgroup\/example-web-tg\/<id>"/m,
    );
    expect(r.stdout).toMatch(/^ {5}undo: ec2 DescribeInstances .*tag:hotspare:run.*; ec2 TerminateInstances/m);
    expect(r.stdout).toContain('"ClientToken":"hs-<run-id>-launch-redirect-t3.micro"');
  });

  it('emergency-mode: no DANGER', () => {
    const r = hotspare('plan', 'runbooks/emergency-mode.yaml');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Plan for emergency-mode');
    expect(r.stdout).not.toContain('DANGER');
    expect(r.stdout).toMatch(/^Hazards:$/m);
    expect(r.stdout).toMatch(/^ {2}\* Redirect instance in the target group/m);
    expect(r.stdout).toMatch(/^ {4}ALB listener redirect/m);
  });

  it('marks the listener strategies as used for a listener runbook', () => {
    const r = hotspare('plan', 'test/fixtures/runbooks/good/listener-redirect.yaml');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {2}\* ALB listener redirect/m);
    expect(r.stdout).toMatch(/^ {4}Redirect instance in the target group/m);
    expect(r.stdout).not.toContain('DANGER');
  });

  it('--json prints one parseable document with the plan and the environment', () => {
    const r = hotspare('plan', 'runbooks/classic-order.yaml', '--json');
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const { plan, environment } = JSON.parse(lines[0]!) as { plan: Plan; environment: RunEnvironment };
    expect(plan.runbook).toBe('classic-order');
    expect(plan.steps.map((s) => s.id)).toEqual([
      'deregister-web',
      'launch-redirect',
      'register-redirect',
      'wait-redirect-healthy',
      'verify-maintenance',
    ]);
    expect(environment.discovered).toBe(false);
    expect(environment.targetGroup.healthCheck.intervalSeconds).toBe(30);
    const window = plan.hazards.find((h) => h.code === 'zero-healthy-window');
    expect(window?.severity).toBe('danger');
    expect(window?.expectedSeconds).toBe(plan.steps[0]!.expectedSeconds + 40 + 30);
    // the text and the JSON tell the same story
    const text = hotspare('plan', 'runbooks/classic-order.yaml').stdout;
    expect(text).toContain(`about ${window!.expectedSeconds} s`);
  });

  it('--json for emergency-mode has no danger', () => {
    const r = hotspare('plan', 'runbooks/emergency-mode.yaml', '--json');
    expect(r.status, r.stderr).toBe(0);
    const { plan } = JSON.parse(r.stdout) as { plan: Plan };
    expect(plan.hazards.filter((h) => h.severity === 'danger')).toEqual([]);
    expect(plan.strategies.filter((s) => s.used).map((s) => s.strategy)).toEqual(['redirect-instance']);
  });

  it('an invalid runbook exits 2 with file:line:col', () => {
    const r = hotspare('plan', 'test/fixtures/runbooks/bad/bad-ami.yaml');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('hotspare: test/fixtures/runbooks/bad/bad-ami.yaml:15:12: redirectServer.imageId:');
    expect(r.stderr).toContain('next: Fix the runbook');
  });

  it('without a runbook (and no --sandbox) exits 2', () => {
    const r = hotspare('plan');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/Name a runbook/);
  });
});
