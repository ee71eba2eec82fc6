import { describe, expect, it } from 'vitest';
import { parseSiteArgs, siteArgv } from '../../src/cli/commands/site/index.js';
import { bar, createProgressLine, formatBytes } from '../../src/cli/output/progress-line.js';

describe('site arguments', () => {
  it('finds the site command after leading flags, and only as the first word', () => {
    expect(siteArgv(['site', 'check', 'dir'])).toEqual(['check', 'dir']);
    expect(siteArgv(['--sandbox', 'site', 'refresh', 'r.yaml'])).toEqual(['--sandbox', 'refresh', 'r.yaml']);
    expect(siteArgv(['--region', 'eu-west-1', 'site', 'publish', 'd'])).toEqual(['--region', 'eu-west-1', 'publish', 'd']);
    expect(siteArgv(['plan', 'site'])).toBeUndefined();
    expect(siteArgv(['runbooks/site.yaml'])).toBeUndefined();
    expect(siteArgv([])).toBeUndefined();
  });

  it('parses every flag into typed options', () => {
    const opts = parseSiteArgs(['snapshot', 'https://x/', '--out', 'd', '--depth', '0', '--max-pages', '5', '--timeout', '3', '--dynamic', '/a', '--dynamic', '/b', '--start-path', '/s', '--banner', 'B']);
    expect(opts).toMatchObject({ sub: 'snapshot', target: 'https://x/', out: 'd', maxDepth: 0, maxPages: 5, timeoutMs: 3000, dynamicPrefixes: ['/a', '/b'], startPaths: ['/s'], banner: 'B', json: false });
    expect(parseSiteArgs(['publish', 'd', '--bucket', 'b', '--website', '--dry-run', '--endpoint-url', 'http://127.0.0.1:1'])).toMatchObject({ bucket: 'b', website: true, dryRun: true, endpointUrl: 'http://127.0.0.1:1' });
    expect(parseSiteArgs([])).toBeUndefined();
  });

  it('rejects what a subcommand does not take, with the reason', () => {
    expect(() => parseSiteArgs(['check', 'd', '--force'])).toThrow(/--force is not a flag of `hotspare site check`/);
    expect(() => parseSiteArgs(['publish', 'a', 'b'])).toThrow(/takes one argument; got also "b"/);
    expect(() => parseSiteArgs(['snapshot', 'u', '--max-pages', '0'])).toThrow(/--max-pages expects a whole number of at least 1, got "0"/);
    expect(() => parseSiteArgs(['snapshot', 'u', '--nope'])).toThrow('Unknown flag --nope. See `hotspare help site snapshot`.');
    expect(() => parseSiteArgs(['snapshot', 'u', '--dynamc', '/a'])).toThrow('Unknown flag --dynamc. Did you mean --dynamic? See `hotspare help site snapshot`.');
    expect(() => parseSiteArgs(['publish', 'd', '--force'])).toThrow('--force is not a flag of `hotspare site publish` (it is one of `hotspare site refresh`).');
    expect(() => parseSiteArgs(['publis', 'd'])).toThrow(/^Unknown site command "publis"\. Did you mean "publish"\?/);
  });
});

describe('progress line', () => {
  it('draws a bar and sizes', () => {
    expect(bar(5, 10)).toBe('[##########----------]');
    expect(bar(0, 0)).toBe('[--------------------]');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(16_100)).toBe('16.1 kB');
    expect(formatBytes(2_500_000)).toBe('2.5 MB');
  });

  it('rewrites one line in place and clears it; writes nothing when disabled', () => {
    const out: string[] = [];
    const line = createProgressLine((c) => out.push(c), true, 0);
    line.update('abc');
    line.update('d');
    line.done();
    expect(out).toEqual(['\rabc', '\rd  ', '\r \r']);
    const off: string[] = [];
    createProgressLine((c) => off.push(c), false).update('x');
    expect(off).toEqual([]);
  });
});
