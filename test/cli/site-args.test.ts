import { describe, expect, it } from 'vitest';
import { parseLine } from '../../src/cli/args/parse.js';
import { ROOT } from '../../src/cli/commands/index.js';
import { bar, createProgressLine, formatBytes } from '../../src/cli/output/progress-line.js';

/** A line as the site tests read it: the command's words, its arguments, its typed flags. */
function parse(argv: string[]): { path: string; args: readonly string[]; flags: Readonly<Record<string, unknown>> } {
  const line = parseLine(argv, ROOT);
  return { path: line.path.join(' '), args: line.args, flags: line.flags };
}

describe('site arguments', () => {
  it('finds the site command after leading flags, and only as the first word', () => {
    expect(parse(['site', 'check', 'dir'])).toMatchObject({ path: 'site check', args: ['dir'] });
    expect(parse(['--sandbox', 'site', 'refresh', 'r.yaml'])).toMatchObject({
      path: 'site refresh',
      args: ['r.yaml'],
      flags: { sandbox: true },
    });
    expect(parse(['--region', 'eu-west-1', 'site', 'publish', 'd'])).toMatchObject({
      path: 'site publish',
      args: ['d'],
      flags: { region: 'eu-west-1' },
    });
    expect(parse(['plan', 'site'])).toMatchObject({ path: 'plan', args: ['site'] });
    expect(parse(['runbooks/site.yaml'])).toMatchObject({ path: '', args: ['runbooks/site.yaml'] });
    expect(parse([])).toMatchObject({ path: '', args: [] });
  });

  it('parses every flag into typed options', () => {
    const opts = parse([
      'site',
      'snapshot',
      'https://x/',
      '--out',
      'd',
      '--depth',
      '0',
      '--max-pages',
      '5',
      '--timeout',
      '3',
      '--dynamic',
      '/a',
      '--dynamic',
      '/b',
      '--start-path',
      '/s',
      '--banner',
      'B',
    ]);
    expect(opts).toMatchObject({
      path: 'site snapshot',
      args: ['https://x/'],
      flags: {
        out: 'd',
        depth: 0,
        maxPages: 5,
        timeout: 3,
        dynamicPrefixes: ['/a', '/b'],
        startPaths: ['/s'],
        banner: 'B',
        json: false,
      },
    });
    expect(
      parse(['site', 'publish', 'd', '--bucket', 'b', '--website', '--dry-run', '--endpoint-url', 'http://127.0.0.1:1'])
        .flags,
    ).toMatchObject({ bucket: 'b', website: true, dryRun: true, endpointUrl: 'http://127.0.0.1:1' });
    expect(parseLine(['site'], ROOT).node.kind).toBe('group');
  });

  it('rejects what a subcommand does not take, with the reason', () => {
    expect(() => parse(['site', 'check', 'd', '--force'])).toThrow(/--force is not a flag of `hotspare site check`/);
    expect(() => parse(['site', 'publish', 'a', 'b'])).toThrow(
      '`hotspare site publish` takes one argument (DIR --bucket B); got also "b".',
    );
    expect(() => parse(['site', 'snapshot', 'u', '--max-pages', '0'])).toThrow(
      /--max-pages expects a whole number of at least 1, got "0"/,
    );
    expect(() => parse(['site', 'snapshot', 'u', '--nope'])).toThrow(
      'Unknown flag --nope. See `hotspare help site snapshot`.',
    );
    expect(() => parse(['site', 'snapshot', 'u', '--dynamc', '/a'])).toThrow(
      'Unknown flag --dynamc. Did you mean --dynamic? See `hotspare help site snapshot`.',
    );
    expect(() => parse(['site', 'publish', 'd', '--force'])).toThrow(
      '--force is not a flag of `hotspare site publish` (it is one of `hotspare site refresh`).',
    );
    expect(() => parse(['site', 'publis', 'd'])).toThrow(/^Unknown site command "publis"\. Did you mean "publish"\?/);
  });

  it('refuses an empty --region, --profile or --endpoint-url, as every other command does', () => {
    expect(() => parse(['site', 'publish', 'd', '--region', ''])).toThrow(/The AWS region is empty/);
    expect(() => parse(['site', 'refresh', 'r.yaml', '--profile', ' '])).toThrow(/The profile name is empty/);
    expect(() => parse(['site', 'publish', 'd', '--endpoint-url='])).toThrow(/The endpoint URL is empty/);
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
