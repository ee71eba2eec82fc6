import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadRunbook, parseRunbook, RunbookError, type RunbookProblem } from '../../src/runbook/load.js';
import { BAD_DIR as BAD, BAD_FIXTURES, GOOD_DIR as GOOD } from '../fixtures/runbooks/expected.js';

async function problemsOf(file: string): Promise<readonly RunbookProblem[]> {
  const error = await loadRunbook(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `${file} should not load`).toBeInstanceOf(RunbookError);
  return (error as RunbookError).problems;
}

describe('bad runbooks', () => {
  it('has an expectation for every fixture and a fixture for every expectation', () => {
    const files = readdirSync(BAD)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(files).toEqual(Object.keys(BAD_FIXTURES).sort());
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  it.each(Object.entries(BAD_FIXTURES))('%s: exactly one problem, at the mistake', async (name, want) => {
    const file = join(BAD, name);
    const problems = await problemsOf(file);
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect(p).toMatchObject({ file, line: want.line, column: want.column, path: want.path });
    if (typeof want.phrase === 'string') expect(p!.message).toContain(want.phrase);
    else expect(p!.message).toMatch(want.phrase);
  });

  it('puts file:line:col in the error message, one line per problem', async () => {
    const file = join(BAD, 'status-code-307.yaml');
    const error = await loadRunbook(file).then(
      () => expect.unreachable('the runbook should not load'),
      (e: unknown) => e as RunbookError,
    );
    expect(error.message).toBe(`${file}:20:15: redirectServer.statusCode: expected one of 301, 302, got 307`);
    expect(error.kind).toBe('usage');
    expect(error.nextSteps).toContain('hotspare validate');
  });

  it('lists the keys that are allowed where an unknown key is', async () => {
    const [p] = await problemsOf(join(BAD, 'instance-type-typo.yaml'));
    expect(p!.message).toMatch(/expected one of: imageId, instanceType, subnetId,/);
  });

  it('reports every independent problem, sorted by position', () => {
    const text = [
      'name: Not_Kebab',
      'region: mars-1',
      'site: { url: https://www.example.com/ }',
      'maintenance: { url: https://m.example.com/, expectText: x }',
      'loadBalancer: { targetGroup: tg }',
      'webServers: { tags: { role: web } }',
      'steps: [verify-maintenance, {type: manual, text: ok, colour: red}]',
    ].join('\n');
    const error = (() => {
      try {
        parseRunbook(text, 'inline.yaml');
      } catch (e) {
        return e as RunbookError;
      }
      throw new Error('expected a RunbookError');
    })();
    expect(error.problems.map((p) => [p.line, p.column, p.path])).toEqual([
      [1, 7, 'name'],
      [2, 9, 'region'],
      [7, 54, 'steps.1.colour'],
    ]);
    expect(error.problems[2]!.message).not.toContain('did you mean');
  });

  it('names a missing file', async () => {
    const problems = await problemsOf('test/fixtures/runbooks/no-such-runbook.yaml');
    expect(problems).toEqual([
      {
        file: 'test/fixtures/runbooks/no-such-runbook.yaml',
        line: 0,
        column: 0,
        path: '',
        message: 'cannot read the runbook: no such file',
      },
    ]);
  });

  it('treats an empty file as not a mapping', () => {
    expect(() => parseRunbook('', 'empty.yaml')).toThrow(/^empty\.yaml:1:1: expected a YAML mapping/);
    expect(() => parseRunbook('just a string\n', 'scalar.yaml')).toThrow(/^scalar\.yaml:1:1: expected a YAML mapping/);
  });

  it('formats a document-level problem without a path', () => {
    expect(formatProblem({ file: 'f.yaml', line: 3, column: 4, path: '', message: 'm' })).toBe('f.yaml:3:4: m');
    expect(formatProblem({ file: 'f.yaml', line: 3, column: 4, path: 'a.b', message: 'm' })).toBe('f.yaml:3:4: a.b: m');
  });
});

describe('valid runbooks', () => {
  const shipped = readdirSync('runbooks')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join('runbooks', f));
  const good = readdirSync(GOOD)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(GOOD, f));

  it('ships at least the two documented runbooks', () => {
    expect(shipped).toEqual(expect.arrayContaining(['runbooks/classic-order.yaml', 'runbooks/emergency-mode.yaml']));
  });

  it.each([...shipped, ...good])('%s loads', async (file) => {
    const loaded = await loadRunbook(file);
    expect(loaded.file).toBe(file);
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded.runbook.steps.length).toBeGreaterThan(0);
  });

  it('turns bare step names into { type } and keeps object steps as written', async () => {
    const { runbook } = await loadRunbook(join(GOOD, 'listener-redirect.yaml'));
    expect(runbook.steps).toEqual([
      { type: 'set-listener-redirect', statusCode: 'HTTP_301', keepPath: true },
      { type: 'verify-maintenance' },
      { type: 'manual', id: 'tell-support', text: 'Tell support the site is in maintenance' },
      {
        type: 'set-listener-fixed-response',
        id: 'fixed-page',
        statusCode: 503,
        contentType: 'text/plain',
        body: 'Down for maintenance',
      },
      { type: 'deregister-web' },
    ]);
    expect(runbook.webServers).toEqual({ tags: { role: 'web', env: 'prod' } });
  });

  it('reads instance ids, fallback types and boot time', async () => {
    const { runbook } = await loadRunbook(join(GOOD, 'instance-ids.yaml'));
    expect(runbook.webServers).toEqual({ instanceIds: ['i-0123456789abcdef0', 'i-0fedcba9876543210'] });
    expect(runbook.redirectServer).toMatchObject({
      instanceType: 'm5.large',
      fallbackInstanceTypes: ['m5a.large', 'm6i.large'],
      bootSeconds: 90,
      statusCode: 301,
    });
    expect(runbook.polling).toEqual({ intervalSeconds: 2.5, healthyTimeoutSeconds: 600 });
  });

  it('reads a dns section', async () => {
    const { runbook } = await loadRunbook(join(GOOD, 'dns.yaml'));
    expect(runbook.dns).toEqual({
      hostedZoneId: '/hostedzone/Z0123456789ABCDEFGHIJ',
      recordName: 'www.example.com.au',
      type: 'CNAME',
      failoverValue: 'maintenance.example.com.au.s3-website-ap-southeast-2.amazonaws.com',
      ttl: 60,
    });
    expect(runbook.steps.map((s) => s.type)).toEqual(['dns-failover', 'verify-maintenance', 'manual']);
  });

  it('gives the same hash for the same bytes and another for other bytes', async () => {
    const a = await loadRunbook('runbooks/classic-order.yaml');
    const b = await loadRunbook('runbooks/classic-order.yaml');
    const c = await loadRunbook('runbooks/emergency-mode.yaml');
    expect(a.sha256).toBe(b.sha256);
    expect(a.sha256).not.toBe(c.sha256);
  });

  it('rejects a non-http URL scheme with one message', () => {
    const text = [
      'name: ftp-site',
      'region: us-east-1',
      'site: { url: "ftp://files.example.com/" }',
      'maintenance: { url: https://m.example.com/, expectText: x }',
      'loadBalancer: { targetGroup: tg }',
      'webServers: { tags: { role: web } }',
      'steps: [verify-maintenance]',
    ].join('\n');
    expect(() => parseRunbook(text, 'ftp.yaml')).toThrow(
      /^ftp\.yaml:3:14: site\.url: expected an http:\/\/ or https:\/\/ URL$/,
    );
  });
});
