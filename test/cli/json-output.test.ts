import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, hotspare, hotspareIn, requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';

/** `--json` wherever a command takes it: one JSON document (or one event per line), times as ISO 8601. */

beforeAll(requireBuiltCli);

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('validate --json', () => {
  it('valid files: one object, exit 0', () => {
    const r = hotspare('validate', 'runbooks/emergency-mode.yaml', 'runbooks/dns-failover', '--json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      valid: true,
      files: [
        {
          file: 'runbooks/emergency-mode.yaml',
          valid: true,
          runbook: 'emergency-mode',
          steps: expect.any(Number),
          warnings: [],
        },
        {
          file: 'runbooks/dns-failover.yaml',
          valid: true,
          runbook: 'dns-failover',
          steps: expect.any(Number),
          warnings: [],
        },
      ],
    });
  });

  it('a bad file: its problems with file, line, column and path, exit 2, nothing on stderr', () => {
    const bad = join(tempDir(), 'bad.yaml');
    writeFileSync(bad, 'name: Bad Name\nregion: us-east-1\n');
    const r = hotspare('validate', bad, 'runbooks/sandbox.yaml', '--json');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('');
    const body = JSON.parse(r.stdout) as {
      valid: boolean;
      files: {
        file: string;
        valid: boolean;
        problems?: { file: string; line: number; column: number; path: string }[];
      }[];
    };
    expect(body.valid).toBe(false);
    expect(body.files.map((f) => f.valid)).toEqual([false, true]);
    expect(body.files[0]!.problems).toContainEqual({
      file: bad,
      line: 1,
      column: 7,
      path: 'name',
      message: expect.stringContaining('kebab-case'),
    });
  });
});

describe('timeline --json and events with --json', () => {
  it('a sandbox run: every event time and every timeline time is an ISO 8601 string', async () => {
    const env = cleanEnv(tempDir('hotspare-json-'));
    const journalDir = join(tempDir(), 'journal');
    const run = await hotspareIn(
      { env },
      'failover',
      'runbooks/sandbox',
      '--sandbox',
      '--yes',
      '--speed',
      '50',
      '--traffic-rate',
      '5',
      '--journal-dir',
      journalDir,
      '--json',
    );
    expect(run.status, run.stderr).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; at?: unknown; runId?: string });
    const timed = events.filter((e) => e.at !== undefined);
    expect(timed.length).toBeGreaterThan(10);
    for (const e of timed) expect([e.type, e.at]).toEqual([e.type, expect.stringMatching(ISO)]);
    const runId = events.find((e) => e.type === 'run-started')?.runId ?? '';

    const t = await hotspareIn({ env }, 'timeline', runId, '--journal-dir', journalDir, '--json');
    expect(t.status, t.stderr).toBe(0);
    const timeline = JSON.parse(t.stdout) as {
      runId: string;
      startedAt: string;
      startedBy: string;
      entries: { at: string; who: string; what: string; record: { at: string; kind: string } }[];
    };
    expect(timeline.runId).toBe(runId);
    expect(timeline.startedAt).toMatch(ISO);
    expect(timeline.entries.length).toBeGreaterThan(5);
    for (const e of timeline.entries) {
      expect(e.at).toMatch(ISO);
      expect(e.record.at).toBe(e.at);
    }
    expect(timeline.entries.at(-1)?.what).toBe('Run finished: **failed-over**');
  });
});

describe('iam-policy --json', () => {
  it('is the policy document on one line; without --json it is indented', () => {
    const json = hotspare('iam-policy', 'runbooks/emergency-mode', '--json');
    expect(json.status).toBe(0);
    expect(json.stdout.trim().split('\n')).toHaveLength(1);
    const text = hotspare('iam-policy', 'runbooks/emergency-mode');
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(text.stdout));
    expect(text.stdout.split('\n').length).toBeGreaterThan(5);
  });
});

describe('plan --json', () => {
  it('one estimate for a DNS failover: the run and the strategy comparison agree', () => {
    const r = hotspare('plan', 'runbooks/dns-failover.yaml', '--json');
    expect(r.status).toBe(0);
    const { plan } = JSON.parse(r.stdout) as {
      plan: { expectedSeconds: number; strategies: { strategy: string; timeToMitigationSeconds: number }[] };
    };
    const dns = plan.strategies.find((s) => s.strategy === 'dns-failover');
    expect(plan.expectedSeconds).toBe(dns?.timeToMitigationSeconds);
    const text = hotspare('plan', 'runbooks/dns-failover.yaml').stdout;
    const header = /expected ~(\d+) s/.exec(text)?.[1];
    const strategy = /Route 53 record to the static site: ~(\d+) s/.exec(text)?.[1];
    expect(header).toBe(strategy);
  });
});
