import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { COMMANDS } from '../../src/cli/help.js';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { UsageError } from '../../src/ports/errors.js';

function usageError(argv: string[]): UsageError {
  try {
    parseCli(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`parseCli(${JSON.stringify(argv)}) should have thrown`);
}

describe('parseCli', () => {
  it('defaults every flag', () => {
    expect(parseCli([])).toEqual({
      command: 'dashboard',
      positionals: [],
      yes: false,
      dryRun: false,
      headless: false,
      json: false,
      journalDir: undefined,
      region: undefined,
      profile: undefined,
      endpointUrl: undefined,
      sandbox: false,
      speed: undefined,
      faults: [],
      trafficRate: undefined,
      holdSeconds: 0,
      discover: false,
      help: false,
      version: false,
      debug: false,
    });
  });

  it.each([...COMMANDS])('knows the %s command and keeps the rest as positionals', (command) => {
    const opts = parseCli([command, 'runbooks/emergency-mode.yaml']);
    expect(opts.command).toBe(command);
    expect(opts.positionals).toEqual(['runbooks/emergency-mode.yaml']);
  });

  it('a runbook file alone opens the dashboard', () => {
    expect(parseCli(['runbooks/emergency-mode.yaml'])).toMatchObject({ command: 'dashboard', positionals: ['runbooks/emergency-mode.yaml'] });
    expect(parseCli(['my-site.yml', '--sandbox'])).toMatchObject({ command: 'dashboard', positionals: ['my-site.yml'], sandbox: true });
  });

  it('validate takes many files', () => {
    expect(parseCli(['validate', 'a.yaml', 'b.yaml', 'c.yml']).positionals).toEqual(['a.yaml', 'b.yaml', 'c.yml']);
  });

  it('reads flags anywhere on the line', () => {
    const opts = parseCli(['--yes', 'failover', '--dry-run', 'rb.yaml', '--headless', '--region', 'eu-west-1', '--profile', 'ops']);
    expect(opts).toMatchObject({ command: 'failover', positionals: ['rb.yaml'], yes: true, dryRun: true, headless: true, region: 'eu-west-1', profile: 'ops' });
  });

  it('reads the short flags', () => {
    expect(parseCli(['-y', 'rollback', 'rb.yaml'])).toMatchObject({ yes: true, command: 'rollback' });
    expect(parseCli(['-h']).help).toBe(true);
    expect(parseCli(['-V']).version).toBe(true);
  });

  it('reads the state, AWS and output flags', () => {
    const opts = parseCli(['timeline', 'RUN', '--journal-dir', '/var/lib/hotspare', '--json', '--endpoint-url', 'http://127.0.0.1:5000', '--discover']);
    expect(opts).toMatchObject({ journalDir: '/var/lib/hotspare', json: true, endpointUrl: 'http://127.0.0.1:5000', discover: true });
    expect(parseCli(['plan', 'rb.yaml', '--journal-dir=/tmp/j']).journalDir).toBe('/tmp/j');
  });

  it('collects every --fault and reads the sandbox numbers', () => {
    const opts = parseCli(['drill', '--sandbox', '--fault', 'throttle', '--fault', 'capacity', '--speed', '10', '--traffic-rate', '2.5', '--hold', '30']);
    expect(opts).toMatchObject({ command: 'drill', sandbox: true, faults: ['throttle', 'capacity'], speed: 10, trafficRate: 2.5, holdSeconds: 30 });
    expect(parseCli(['drill', '--hold', '0', '--traffic-rate', '0'])).toMatchObject({ holdSeconds: 0, trafficRate: 0 });
    expect(parseCli(['drill', '--speed', '0.5']).speed).toBe(0.5);
  });
});

describe('parseCli errors', () => {
  it('an unknown command is a usage error that lists the commands', () => {
    const e = usageError(['failvoer', 'rb.yaml']);
    expect(e.message).toContain('Unknown command "failvoer"');
    for (const c of COMMANDS) expect(e.message).toContain(c);
    expect(e.code).toBe('BadCommand');
    expect(exitCodeFor(e)).toBe(2);
  });

  it('a runbook without a .yaml or .yml name is taken for a command', () => {
    expect(usageError(['runbook.json']).message).toContain('Unknown command "runbook.json"');
  });

  it('an unknown flag is a usage error that names it', () => {
    const e = usageError(['plan', 'rb.yaml', '--jsonn']);
    expect(e.message).toContain('--jsonn');
    expect(e.message).toMatch(/[^.]\. See `hotspare --help`\.$/);
    expect(e.code).toBe('BadFlag');
    expect(exitCodeFor(e)).toBe(2);
  });

  it('a string flag without its value is a usage error', () => {
    expect(usageError(['timeline', 'RUN', '--journal-dir']).message).toContain('--journal-dir');
    expect(usageError(['--region']).message).toContain('--region');
  });

  it('a boolean flag given a value is a usage error', () => {
    expect(usageError(['failover', 'rb.yaml', '--yes=no']).message).toContain('--yes');
  });

  it.each([
    ['--traffic-rate', 'NaN'],
    ['--hold', 'Infinity'],
    ['--hold', '10s'],
  ])('%s %s is not a non-negative number', (flag, value) => {
    const e = usageError(['drill', flag, value]);
    expect(e.message).toBe(`${flag} expects a non-negative number, got "${value}".`);
    expect(e.code).toBe('BadFlag');
  });

  it.each([
    ['fast'],
    ['0'],
    ['-1'],
  ])('--speed=%s is not a positive number', (value) => {
    const e = usageError(['drill', '--sandbox', `--speed=${value}`]);
    expect(e.message).toBe(`--speed expects a positive number, got "${value}".`);
    expect(exitCodeFor(e)).toBe(2);
  });

  it('a negative number is refused', () => {
    expect(usageError(['drill', '--hold=-1']).message).toBe('--hold expects a non-negative number, got "-1".');
    // without "=", a value starting with a dash looks like another flag
    const e = usageError(['drill', '--hold', '-1']);
    expect(e.message).toContain("'--hold=-XYZ'");
    expect(e.message).not.toContain('..');
  });
});
