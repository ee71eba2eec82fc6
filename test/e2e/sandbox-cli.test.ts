import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../src/engine/journal.js';
import { summarize } from '../../src/engine/run-summary.js';
import { tempDir } from '../helpers/engine.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
/** Fast enough for CI: a whole drill takes a second or two. */
const FAST = ['--sandbox', '--yes', '--speed', '50', '--traffic-rate', '60'];

function hotspare(args: readonly string[]) {
  const journalDir = tempDir('hotspare-e2e-');
  const r = spawnSync(process.execPath, [BIN, ...args, '--journal-dir', journalDir], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, journalDir };
}

function jsonEvents(stdout: string): { type: string; [k: string]: unknown }[] {
  return stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string });
}

function onlyRun(journalDir: string) {
  const files = readdirSync(journalDir).filter((f) => f.endsWith('.jsonl'));
  expect(files).toHaveLength(1);
  return summarize(readJournal(join(journalDir, files[0]!)).records);
}

describe('hotspare on the sandbox, end to end', () => {
  it('the default drill fails over and back with 0 failed requests', () => {
    const r = hotspare(['drill', ...FAST, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const events = jsonEvents(r.stdout);
    const outcomes = events.filter((e) => e.type === 'run-finished').map((e) => e['outcome']);
    expect(outcomes).toEqual(['failed-over', 'rolled-back']);
    const summary = events.find((e) => e.type === 'traffic-summary');
    expect(summary).toBeDefined();
    expect(Object.keys(summary!)).toEqual(['type', 'total', 'failed']);
    expect(summary!['total'] as number).toBeGreaterThan(20);
    expect(summary!['failed']).toBe(0);
    expect(onlyRun(r.journalDir).phase).toBe('rolled-back');
  });

  it('the classic "deregister first" order opens a window of 503s', () => {
    const r = hotspare(['drill', 'runbooks/classic-order.yaml', ...FAST]);
    expect(r.code).toBe(0);
    const m = /^traffic: (\d+) requests, (\d+) failed$/m.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/DANGER: Zero healthy targets for about \d+ s/);
  });

  it('--headless with no command prints origin health and exits', () => {
    const r = hotspare(['--sandbox', '--headless', '--speed', '50']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Target group sandbox-web-tg .*: web 3\/3 healthy/);
    expect(r.stdout).toMatch(/Listener HTTP:\d+ default action: forward/);
  });
});

describe('sandbox faults, end to end', () => {
  it('access-denied: names the missing IAM action, exit 1, run left resumable', () => {
    const r = hotspare(['failover', ...FAST, '--fault', 'access-denied']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('may not call elasticloadbalancing:RegisterTargets');
    expect(r.stdout).toContain('hotspare iam-policy RUNBOOK');
    const run = onlyRun(r.journalDir);
    expect(run.phase).toBe('stopped');
    expect(run.steps.find((s) => s.id === 'register-redirect')?.state).toBe('failed');
    expect(run.steps.find((s) => s.id === 'launch-redirect')?.state).toBe('succeeded');
  });

  it('capacity: falls back to the next instance type and completes', () => {
    const r = hotspare(['failover', ...FAST, '--fault', 'capacity']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no capacity for t3.micro; trying t3a.micro');
    expect(onlyRun(r.journalDir).steps.find((s) => s.id === 'launch-redirect')?.outputs?.['instanceType']).toBe(
      't3a.micro',
    );
  });

  it('throttle: reads are retried with a warning and the drill completes', () => {
    const r = hotspare(['drill', ...FAST, '--fault', 'throttle']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /warn: AWS is throttling \w+ requests \(rate exceeded\)\. Slowing down: next try in \d+(\.\d+)? s/,
    );
  });

  it('redirect-unhealthy: the wait times out with next steps; web servers were never removed', () => {
    const r = hotspare(['failover', ...FAST, '--fault', 'redirect-unhealthy']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Timed out after \d+ s waiting for i-\w+ to be healthy/);
    expect(r.stdout).toMatch(/^traffic: \d+ requests, 0 failed$/m);
    const run = onlyRun(r.journalDir);
    expect(run.phase).toBe('stopped');
    expect(run.steps.find((s) => s.id === 'deregister-web')?.state).toBe('pending');
  });

  it('origin-500: the outage shows in the traffic, and failover stops it', () => {
    const r = hotspare(['failover', ...FAST, '--fault', 'origin-500', '--json']);
    expect(r.code).toBe(0);
    const events = jsonEvents(r.stdout);
    const summary = events.find((e) => e.type === 'traffic-summary')!;
    expect(summary['failed'] as number).toBeGreaterThan(0);
    expect(events.some((e) => e.type === 'run-finished' && e['outcome'] === 'failed-over')).toBe(true);
  });

  it('an unknown fault is a usage error', () => {
    const r = hotspare(['failover', ...FAST, '--fault', 'meteor']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown fault "meteor"');
  });
});

describe('other strategies on the sandbox, end to end', () => {
  it('listener redirect: failover and rollback with 0 failed requests, listener restored', () => {
    const r = hotspare(['drill', 'runbooks/listener-redirect.yaml', ...FAST, '--hold', '1', '--json']);
    expect(r.code).toBe(0);
    const events = jsonEvents(r.stdout);
    expect(events.filter((e) => e.type === 'run-finished').map((e) => e['outcome'])).toEqual([
      'failed-over',
      'rolled-back',
    ]);
    const summary = events.find((e) => e.type === 'traffic-summary')!;
    expect(summary['total'] as number).toBeGreaterThan(20);
    expect(summary['failed']).toBe(0);
    const run = onlyRun(r.journalDir);
    const step = run.steps.find((s) => s.id === 'set-listener-redirect')!;
    expect(step.state).toBe('undone');
    expect(step.outputs?.['previousActions']).toEqual([
      { Type: 'forward', TargetGroupArn: expect.stringMatching(/targetgroup\/example-web-tg\//) },
    ]);
  });

  it('DNS failover: the record moves to the static site, visitors follow, rollback restores it', () => {
    const r = hotspare(['drill', 'runbooks/dns-failover.yaml', ...FAST, '--hold', '1', '--json']);
    expect(r.code).toBe(0);
    const events = jsonEvents(r.stdout);
    expect(events.filter((e) => e.type === 'run-finished').map((e) => e['outcome'])).toEqual([
      'failed-over',
      'rolled-back',
    ]);
    expect(events.find((e) => e.type === 'traffic-summary')!['failed']).toBe(0);
    const step = onlyRun(r.journalDir).steps.find((s) => s.id === 'dns-failover')!;
    expect(step.outputs?.['previous']).toMatchObject({ name: 'www.example.com', type: 'A' });
    expect(step.state).toBe('undone');
  });
});

describe('a scripted outage', () => {
  it('--outage-after makes the web servers fail mid-run; without --sandbox it is a usage error', () => {
    const r = hotspare(['failover', ...FAST, '--outage-after', '0', '--json']);
    expect(r.code).toBe(0);
    expect(jsonEvents(r.stdout).find((e) => e.type === 'traffic-summary')!['failed'] as number).toBeGreaterThan(0);
    const bad = hotspare(['failover', 'runbooks/emergency-mode.yaml', '--outage-after', '5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('only work with --sandbox');
  });
});
