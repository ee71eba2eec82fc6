import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, hotspare, requireBuiltCli, type Ran } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';
import { startTestSite, type TestSite } from '../site/test-site.js';

interface RefreshJson {
  refused: boolean;
  snapshot: { pages: number; assets: number; bytes: number; pagesPerSecond: number };
  check: { ok: boolean };
  publish?: { uploads: { key: string; reason: string }[]; findings: { severity: string }[] };
  served?: string;
}

/** The built CLI run without blocking this process, which serves the test site the CLI crawls. */
function hotspareAsync(...args: string[]): Promise<Ran> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['AWS_ENDPOINT_URL'];
  delete env['AWS_PROFILE'];
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

describe('hotspare site, end to end on the built CLI', () => {
  let site: TestSite;
  beforeAll(async () => {
    requireBuiltCli();
    site = await startTestSite();
  });
  afterAll(() => site.close());

  it('site refresh runbooks/sandbox.yaml --sandbox: snapshot, check, publish to the simulated bucket, served over local HTTP', () => {
    const out = join(tempDir('hotspare-e2e-site-'), 'copy');
    const r = hotspare('site', 'refresh', 'runbooks/sandbox.yaml', '--sandbox', '--out', out, '--json');
    // Without a terminal only progress lines may come on stderr (the first at once, then every 5 s).
    expect(r.stderr).not.toContain('hotspare:');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as RefreshJson;
    expect(report.refused).toBe(false);
    expect(report.check.ok).toBe(true);
    expect(report.snapshot.pages).toBe(10);
    expect(report.publish?.uploads.at(-1)?.key).toBe('hotspare-manifest.json');
    expect(report.publish?.findings.map((f) => f.severity)).toEqual(['ok']);
    expect(report.served).toMatch(
      /^Maintenance site \(fresh\): snapshot \d+ min old \(max 24 h\); 3 page\(s\) and \d+ asset\(s\) answer$/,
    );
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain("We'll be right back: the shop is very busy.");
    expect(index).toMatch(/href="http:\/\/127\.0\.0\.1:\d+\/account\/"/);
    expect(index).toContain('href="products/kettle/"');
  });

  it('works the way `npm start -- site ...` passes it, with --sandbox before the command', () => {
    const r = hotspare(
      '--sandbox',
      'site',
      'refresh',
      'runbooks/sandbox.yaml',
      '--out',
      join(tempDir('hotspare-e2e-site-'), 'copy'),
      '--dry-run',
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Would publish to s3:\/\/maintenance\.sandbox\.invalid \(dry run: nothing sent\)/);
  });

  it('snapshot then check of a live site: exit 1 naming the broken link, and every form with its policy', async () => {
    const out = join(tempDir('hotspare-e2e-site-'), 'copy');
    const snap = await hotspareAsync(
      'site',
      'snapshot',
      `${site.origin}/`,
      '--out',
      out,
      '--dynamic',
      '/search',
      '--banner',
      'Back soon',
    );
    expect(snap.status).toBe(0);
    expect(snap.stdout).toMatch(/: 6 pages, 11 assets, [\d.]+ kB in [\d.]+ s \([\d.]+ pages\/s\)/);
    expect(snap.stdout).toContain(`404  ${site.origin}/missing  (linked from ${site.origin}/)`);
    expect(existsSync(join(out, 'hotspare-manifest.json'))).toBe(true);
    const check = hotspare('site', 'check', out);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('BROKEN  page /  link missing/  -> /missing/  404');
    expect(check.stdout).toMatch(
      /WARN {4}page \/ {2}form form 1 {2}GET http:\/\/127\.0\.0\.1:\d+\/search: left pointing at the live origin \(policy origin\)/,
    );
    expect(check.stdout).toContain('form    1 form(s) closed: replaced by a notice (form policy notice).');
    expect(check.stdout).toMatch(
      /form {4}page \/signup\/ {2}form #newsletter {2}POST https:\/\/forms\.example\.net\/f\/newsletter: submits to another site \(a hosted form service\)/,
    );
    expect(check.stdout).toContain('1 broken link(s), 0 form(s) that will fail.');
  });

  it('bad input: a clear message, exit 2, no stack trace', () => {
    const cases: [string[], RegExp][] = [
      [['site', 'snapshot', `${site.origin}/`], /Name the folder to write: hotspare site snapshot URL --out DIR/],
      [
        ['site', 'snapshot', 'not a url', '--out', tempDir()],
        /Expected the site to copy as an http:\/\/ or https:\/\/ URL, got "not a url"/,
      ],
      [['site', 'publish', 'no-such-dir', '--bucket', 'b'], /"no-such-dir" is not a folder/],
      [['site', 'check', '--bucket', 'b'], /--bucket is not a flag of `hotspare site check`/],
      [['site', 'launch'], /Unknown site command "launch". Site commands: snapshot, check, publish, refresh/],
      [
        ['site', 'snapshot', `${site.origin}/`, '--out', tempDir(), '--depth', 'deep'],
        /--depth expects a whole number of at least 0, got "deep"/,
      ],
      [
        ['site', 'refresh', 'runbooks/classic-order.yaml', '--sandbox', '--dry-run'],
        /names no maintenance.bucket to publish to/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = hotspare(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a sandbox drill fails over to the real copy: verify-maintenance checks its pages and assets', () => {
    const r = hotspare(
      'drill',
      '--sandbox',
      '--yes',
      '--speed',
      '50',
      '--json',
      '--journal-dir',
      tempDir('hotspare-e2e-drill-'),
    );
    expect(r.status).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; stepId?: string; detail?: string });
    const verified = events.find((e) => e.type === 'verification' && e.stepId === 'verify-maintenance');
    expect(verified?.detail).toMatch(
      /maintenance: 200.*marker found.*pages: snapshot \d+ min old \(max 24 h\); 3 page\(s\) and \d+ asset\(s\) answer/,
    );
  });

  it('plan --sandbox shows the maintenance site as read, before any change', () => {
    const r = hotspare('plan', '--sandbox');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^Maintenance site \(fresh\): snapshot \d+ min old \(max 24 h\); 3 page\(s\) and \d+ asset\(s\) answer; HTTPS: certificate for maintenance\.sandbox\.invalid valid until \d{4}-\d\d-\d\d \(3\d\d days\), distribution E[A-Z0-9]+ Deployed, last invalidation Completed$/m,
    );
  });

  it('every site command has --help', () => {
    for (const sub of ['snapshot', 'check', 'publish', 'refresh']) {
      const r = hotspare('site', sub, '--help');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Usage: hotspare site ${sub}`);
    }
    expect(hotspare('site').status).toBe(2);
  });
});
