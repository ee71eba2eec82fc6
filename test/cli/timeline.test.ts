import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timelineMarkdown } from '../../src/cli/commands/timeline.js';
import { journalPath, memoryJournal } from '../../src/engine/journal.js';
import type { JournalRecord, OperatorIdentity } from '../../src/engine/journal-records.js';
import type { ErrorRecord } from '../../src/domain/errors.js';
import type { RunEnvironment } from '../../src/domain/types.js';

const BIN = 'dist/cli/bin.js';
const RUN_ID = '20261121T084100Z-3f9a';
const T0 = Date.UTC(2026, 10, 21, 8, 41, 0);
const TG_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/example-web-tg/73e2d6bc24d8a067';

const alice: OperatorIdentity = { user: 'alice', host: 'ops-laptop', pid: 4242 };
const bob: OperatorIdentity = { user: 'bob', host: 'bastion', pid: 77 };
const carol: OperatorIdentity = { user: 'carol', host: 'ops-desk', pid: 9 };

const env: RunEnvironment = {
  discovered: true,
  account: '123456789012',
  targetGroup: {
    arn: TG_ARN,
    name: 'example-web-tg',
    protocol: 'HTTP',
    port: 80,
    targetType: 'instance',
    healthCheck: {
      protocol: 'HTTP',
      path: '/',
      port: 'traffic-port',
      intervalSeconds: 10,
      timeoutSeconds: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
    },
    deregistrationDelaySeconds: 30,
    loadBalancerArns: [],
  },
  webTargets: [
    { id: 'i-0aaaaaaaaaaaaaaa1', port: 80 },
    { id: 'i-0bbbbbbbbbbbbbbb2', port: 80 },
  ],
  webInstances: [],
};

function throttled(message: string): ErrorRecord {
  return { name: 'ExternalError', kind: 'external', code: 'Throttling', message, retryable: true };
}

/**
 * A run that fails on a throttled RegisterTargets, is resumed by another operator and then rolled
 * back by a third, with one undo failing. Records are `seconds` apart from T0.
 */
function incident(): JournalRecord[] {
  const clock = { t: T0 };
  const j = memoryJournal(RUN_ID, [], () => clock.t);
  const at = (seconds: number) => (clock.t = T0 + seconds * 1000);
  const register = {
    service: 'elbv2' as const,
    operation: 'RegisterTargets',
    params: { TargetGroupArn: TG_ARN, Targets: [{ Id: 'i-0redirect000000001', Port: 80 }] },
  };
  at(0);
  j.append({
    kind: 'run-started',
    runbook: 'emergency-mode',
    runbookFile: 'runbooks/emergency-mode.yaml',
    runbookSha256: 'c0ffee0123456789abcdef0123456789abcdef0123456789abcdef0123456789',
    mode: 'live',
    operator: alice,
    steps: [
      { id: 'launch-redirect', type: 'launch-redirect', mutating: true },
      { id: 'register-redirect', type: 'register-redirect', mutating: true },
    ],
  });
  j.append({ kind: 'environment', env });
  at(1);
  j.append({ kind: 'step-started', stepId: 'launch-redirect', attempt: 1 });
  j.append({
    kind: 'intent',
    stepId: 'launch-redirect',
    attempt: 1,
    callId: 'launch-redirect/1/RunInstances',
    call: { service: 'ec2', operation: 'RunInstances', params: { InstanceType: 't3.micro' } },
  });
  at(3);
  j.append({
    kind: 'result',
    stepId: 'launch-redirect',
    attempt: 1,
    callId: 'launch-redirect/1/RunInstances',
    requestId: 'req-run-1111',
    outputs: { instanceId: 'i-0redirect000000001' },
  });
  at(26);
  j.append({
    kind: 'step-succeeded',
    stepId: 'launch-redirect',
    attempt: 1,
    outputs: { instanceId: 'i-0redirect000000001' },
  });
  j.append({ kind: 'step-started', stepId: 'register-redirect', attempt: 1 });
  j.append({
    kind: 'intent',
    stepId: 'register-redirect',
    attempt: 1,
    callId: 'register-redirect/1/RegisterTargets',
    call: register,
  });
  at(27);
  j.append({
    kind: 'call-failed',
    stepId: 'register-redirect',
    attempt: 1,
    callId: 'register-redirect/1/RegisterTargets',
    error: throttled('Rate exceeded | slow down\nretry later'),
  });
  j.append({ kind: 'step-failed', stepId: 'register-redirect', attempt: 1, error: throttled('Rate exceeded') });
  j.append({ kind: 'run-finished', outcome: 'failed' });
  at(120);
  j.append({ kind: 'run-resumed', operator: bob });
  j.append({ kind: 'step-started', stepId: 'register-redirect', attempt: 2 });
  j.append({
    kind: 'intent',
    stepId: 'register-redirect',
    attempt: 2,
    callId: 'register-redirect/2/RegisterTargets',
    call: register,
  });
  at(121);
  j.append({
    kind: 'result',
    stepId: 'register-redirect',
    attempt: 2,
    callId: 'register-redirect/2/RegisterTargets',
    requestId: 'req-reg-2222',
  });
  j.append({ kind: 'step-succeeded', stepId: 'register-redirect', attempt: 2, outputs: {} });
  j.append({ kind: 'verified', stepId: 'register-redirect', holds: true, detail: 'redirect instance registered' });
  j.append({ kind: 'run-finished', outcome: 'failed-over' });
  at(600);
  j.append({ kind: 'rollback-started', operator: carol });
  j.append({ kind: 'undo-started', stepId: 'register-redirect' });
  j.append({ kind: 'undo-failed', stepId: 'register-redirect', error: throttled('Rate exceeded') });
  j.append({ kind: 'undo-started', stepId: 'launch-redirect' });
  j.append({ kind: 'undo-succeeded', stepId: 'launch-redirect' });
  j.append({
    kind: 'rollback-finished',
    outcome: 'rollback-incomplete',
    failures: ['register-redirect: Rate exceeded'],
  });
  return j.records;
}

/** The table rows (not the header) of a Markdown timeline, each split into its cells; `\|` stays inside a cell. */
function rows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Time'))
    .map((l) => l.slice(2, -2).split(/ (?<!\\)\| /));
}

describe('timelineMarkdown', () => {
  const md = timelineMarkdown(incident());

  it('heads the timeline with the runbook, run, file, hash and who started it', () => {
    const lines = md.split('\n');
    expect(lines[0]).toBe(`# Incident timeline: emergency-mode, run ${RUN_ID}`);
    expect(md).toContain('- Runbook: `runbooks/emergency-mode.yaml` (sha256 c0ffee012345…), mode live');
    expect(md).toContain('- Started by alice@ops-laptop at 2026-11-21T08:41:00.000Z');
    expect(md).toContain('| Time (UTC) | Elapsed | Who | What | Request id |\n|---|---|---|---|---|');
  });

  it('has one row per record, each with five cells', () => {
    const table = rows(md);
    expect(table).toHaveLength(incident().length);
    for (const row of table) expect(row, row.join(' | ')).toHaveLength(5);
  });

  it('gives the time, elapsed seconds and operator of each row', () => {
    const table = rows(md);
    expect(table[0]!.slice(0, 3)).toEqual(['2026-11-21 08:41:00Z', '+0 s', 'alice@ops-laptop']);
    const resumed = table.find((r) => r[3]!.startsWith('Run resumed'))!;
    expect(resumed.slice(0, 3)).toEqual(['2026-11-21 08:43:00Z', '+120 s', 'bob@bastion']);
    const rollback = table.find((r) => r[3]!.startsWith('Rollback started'))!;
    expect(rollback.slice(1, 3)).toEqual(['+600 s', 'carol@ops-desk']);
  });

  it('credits each step to the operator who ran it', () => {
    const who = (what: string) => rows(md).find((r) => r[3] === what)?.[2];
    expect(who('Step **launch-redirect** started')).toBe('alice@ops-laptop');
    expect(who('Step **register-redirect** started (attempt 2)')).toBe('bob@bastion');
    expect(who('Undone launch-redirect')).toBe('carol@ops-desk');
  });

  it('puts request ids in their own column', () => {
    const withIds = rows(md).filter((r) => r[4] !== '');
    expect(withIds.map((r) => r[4])).toEqual(['req-run-1111', 'req-reg-2222']);
    expect(withIds[0]![3]).toBe('✓ launch-redirect/1/RunInstances done {"instanceId":"i-0redirect000000001"}');
  });

  it('shows the calls, failures and outcomes', () => {
    const what = rows(md).map((r) => r[3]);
    expect(what).toContain('→ ec2 RunInstances (launch-redirect)');
    expect(what).toContain('Step **register-redirect** failed: Rate exceeded');
    expect(what).toContain('Run finished: **failed**');
    expect(what).toContain('Run finished: **failed-over**');
    expect(what).toContain('Verified register-redirect: redirect instance registered');
    expect(what).toContain('Environment read: example-web-tg, web i-0aaaaaaaaaaaaaaa1, i-0bbbbbbbbbbbbbbb2');
    expect(what).toContain('Rollback finished: **rollback-incomplete** (register-redirect: Rate exceeded)');
  });

  it('keeps a message with a pipe or a newline inside its cell', () => {
    const failed = rows(md).find((r) => r[3]!.includes('slow down'))!;
    expect(failed[3]).toBe('✗ register-redirect/1/RegisterTargets failed: Rate exceeded \\| slow down retry later');
    expect(md.split('\n').filter((l) => l.startsWith('retry later'))).toEqual([]);
  });

  it('refuses a journal that does not start with a run', () => {
    expect(() => timelineMarkdown([])).toThrow(/does not start with a run/);
    expect(() => timelineMarkdown(incident().slice(1))).toThrow(/does not start with a run/);
  });
});

describe('hotspare timeline', () => {
  let dir: string;
  let file: string;

  function hotspare(...args: string[]) {
    return spawnSync(process.execPath, [BIN, ...args], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 20_000,
    });
  }

  beforeAll(() => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does).`);
    dir = mkdtempSync(join(tmpdir(), 'hotspare-timeline-'));
    file = journalPath(dir, 'emergency-mode', RUN_ID);
    writeFileSync(
      file,
      incident()
        .map((r) => `${JSON.stringify(r)}\n`)
        .join(''),
    );
    // another run of another runbook in the same directory
    const other = incident().map((r) => ({ ...r, runId: '20261120T101010Z-0001' }));
    writeFileSync(
      journalPath(dir, 'classic-order', '20261120T101010Z-0001'),
      other.map((r) => `${JSON.stringify(r)}\n`).join(''),
    );
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the Markdown timeline of a run found by id in --journal-dir', () => {
    const r = hotspare('timeline', RUN_ID, '--journal-dir', dir);
    expect(r.stderr).toBe('');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${timelineMarkdown(incident())}\n`);
    expect(r.stdout).toContain(`run ${RUN_ID}`);
    expect(r.stdout).toContain('| alice@ops-laptop | Step **launch-redirect** started |');
    expect(r.stdout).toContain('| bob@bastion |');
    expect(r.stdout).toMatch(/\| req-reg-2222 \|$/m);
  });

  it('takes a journal file instead of a run id', () => {
    const r = hotspare('timeline', file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${timelineMarkdown(incident())}\n`);
  });

  it('prints what it has of a torn journal and says so', () => {
    const torn = journalPath(dir, 'emergency-mode', '20261121T090000Z-beef');
    const records = incident().map((r) => ({ ...r, runId: '20261121T090000Z-beef' }));
    writeFileSync(
      torn,
      records
        .slice(0, 5)
        .map((r) => `${JSON.stringify(r)}\n`)
        .join(''),
    );
    appendFileSync(torn, JSON.stringify(records[5]).slice(0, 30));
    const r = hotspare('timeline', '20261121T090000Z-beef', '--journal-dir', dir);
    expect(r.status, r.stderr).toBe(0);
    expect(rows(r.stdout)).toHaveLength(5);
    expect(r.stderr).toContain('torn (30 bytes');
  });

  it('an unknown run exits 2 and names the run and the directory', () => {
    const r = hotspare('timeline', '20990101T000000Z-dead', '--journal-dir', dir);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`No journal for run 20990101T000000Z-dead in ${dir}`);
    expect(r.stderr).toContain('next: Pass --journal-dir');
  });

  it('a missing journal directory is an unknown run, not a crash', () => {
    const r = hotspare('timeline', RUN_ID, '--journal-dir', join(dir, 'nope'));
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('No journal for run');
  });

  it('without a run shows the latest run; with none at all exits 2', () => {
    const r = hotspare('timeline', '--journal-dir', dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# Incident timeline: emergency-mode, run /);
    const empty = mkdtempSync(join(tmpdir(), 'hotspare-timeline-empty-'));
    const none = hotspare('timeline', '--journal-dir', empty);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain(`No run in ${empty}.`);
  });

  it('a corrupt journal exits 2 naming the file and line', () => {
    const bad = journalPath(dir, 'emergency-mode', '20261121T100000Z-0bad');
    const lines = incident().map((r) => JSON.stringify({ ...r, runId: '20261121T100000Z-0bad' }));
    lines.splice(2, 0, 'this is not json');
    writeFileSync(bad, `${lines.join('\n')}\n`);
    const r = hotspare('timeline', '20261121T100000Z-0bad', '--journal-dir', dir);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${bad}:3: the journal is corrupt`);
  });
});
