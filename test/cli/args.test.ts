import { describe, expect, it } from 'vitest';
import { parseLine } from '../../src/cli/args/parse.js';
import { commandsOf } from '../../src/cli/args/tree.js';
import { ROOT } from '../../src/cli/commands/index.js';
import { exitCodeFor } from '../../src/cli/output/exit-codes.js';
import { UsageError } from '../../src/domain/errors.js';

/** The command words of the tree's top level (`site` is a group of commands). */
const COMMANDS = commandsOf(ROOT)
  .filter((c) => c.path.length === 1)
  .map((c) => c.path[0]!);

/** A line as the tests read it: the command (`dashboard` for none), its arguments, its typed flags. */
function parseCli(argv: string[]): Record<string, unknown> & { command: string; positionals: readonly string[] } {
  const line = parseLine(argv, ROOT);
  return { command: line.path.join(' ') || 'dashboard', positionals: line.args, ...line.flags };
}

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
      outageAfter: undefined,
      help: false,
      version: false,
      debug: false,
    });
    expect(parseCli(['drill']).holdSeconds).toBeUndefined();
    expect(parseCli(['plan']).discover).toBe(false);
  });

  it.each([...COMMANDS])('knows the %s command and keeps the rest as positionals', (command) => {
    const opts = parseCli([command, 'runbooks/emergency-mode.yaml']);
    expect(opts.command).toBe(command);
    expect(opts.positionals).toEqual(['runbooks/emergency-mode.yaml']);
  });

  it('a runbook file alone opens the dashboard', () => {
    expect(parseCli(['runbooks/emergency-mode.yaml'])).toMatchObject({
      command: 'dashboard',
      positionals: ['runbooks/emergency-mode.yaml'],
    });
    expect(parseCli(['my-site.yml', '--sandbox'])).toMatchObject({
      command: 'dashboard',
      positionals: ['my-site.yml'],
      sandbox: true,
    });
  });

  it('validate takes many files', () => {
    expect(parseCli(['validate', 'a.yaml', 'b.yaml', 'c.yml']).positionals).toEqual(['a.yaml', 'b.yaml', 'c.yml']);
  });

  it('reads flags anywhere on the line', () => {
    const opts = parseCli([
      '--yes',
      'failover',
      '--dry-run',
      'rb.yaml',
      '--headless',
      '--region',
      'eu-west-1',
      '--profile',
      'ops',
    ]);
    expect(opts).toMatchObject({
      command: 'failover',
      positionals: ['rb.yaml'],
      yes: true,
      dryRun: true,
      headless: true,
      region: 'eu-west-1',
      profile: 'ops',
    });
  });

  it('reads the short flags', () => {
    expect(parseCli(['-y', 'rollback', 'rb.yaml'])).toMatchObject({ yes: true, command: 'rollback' });
    expect(parseCli(['-h']).help).toBe(true);
    expect(parseCli(['-V']).version).toBe(true);
  });

  it('reads the state, AWS and output flags', () => {
    const opts = parseCli(['timeline', 'RUN', '--journal-dir', '/var/lib/hotspare', '--json']);
    expect(opts).toMatchObject({ journalDir: '/var/lib/hotspare', json: true });
    expect(parseCli(['plan', 'rb.yaml', '--endpoint-url', 'http://127.0.0.1:5000', '--discover'])).toMatchObject({
      endpointUrl: 'http://127.0.0.1:5000',
      discover: true,
    });
    expect(parseCli(['status', 'rb.yaml', '--journal-dir=/tmp/j']).journalDir).toBe('/tmp/j');
  });

  it('collects every --fault and reads the sandbox numbers', () => {
    const opts = parseCli([
      'drill',
      '--sandbox',
      '--fault',
      'throttle',
      '--fault',
      'capacity',
      '--speed',
      '10',
      '--traffic-rate',
      '2.5',
      '--hold',
      '30',
    ]);
    expect(opts).toMatchObject({
      command: 'drill',
      sandbox: true,
      faults: ['throttle', 'capacity'],
      speed: 10,
      trafficRate: 2.5,
      holdSeconds: 30,
    });
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
    expect(e.message).toBe('Unknown flag --jsonn. Did you mean --json? See `hotspare help plan`.');
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

  it.each([['fast'], ['0'], ['-1']])('--speed=%s is not a positive number', (value) => {
    const e = usageError(['drill', '--sandbox', `--speed=${value}`]);
    expect(e.message).toBe(`--speed expects a positive number, got "${value}".`);
    expect(exitCodeFor(e)).toBe(2);
  });

  it('a negative number is refused', () => {
    expect(usageError(['drill', '--hold=-1']).message).toBe('--hold expects a non-negative number, got "-1".');
    expect(usageError(['drill', '--hold', '-1']).message).toBe('--hold expects a non-negative number, got "-1".');
  });

  it('a string flag followed by another flag has no value', () => {
    expect(usageError(['drill', '--hold', '--yes']).message).toBe(
      '--hold needs a value: --hold SECONDS (--yes is a flag). See `hotspare help drill`.',
    );
  });

  it('each command takes only its own flags, and says whose a flag is', () => {
    expect(usageError(['plan', 'rb.yaml', '--hold', '3']).message).toBe(
      '--hold is not a flag of `hotspare plan` (it is one of `hotspare drill`). See `hotspare help plan`.',
    );
    expect(usageError(['validate', 'rb.yaml', '--sandbox']).message).toMatch(
      /^--sandbox is not a flag of `hotspare validate` \(it is one of `hotspare plan`, `hotspare failover`/,
    );
    expect(usageError(['iam-policy', 'rb.yaml', '--yes']).code).toBe('BadFlag');
  });

  it('an unknown command gets a "did you mean"', () => {
    expect(usageError(['failvoer', 'rb.yaml']).message).toMatch(
      /^Unknown command "failvoer"\. Did you mean "failover"\?/,
    );
    expect(usageError(['sit', 'publish']).message).toMatch(/Did you mean "site"\?/);
  });

  it('an unknown fault gets a "did you mean"', () => {
    expect(usageError(['drill', '--sandbox', '--fault', 'throtle']).message).toMatch(
      /^Unknown fault "throtle"\. Did you mean "throttle"\?/,
    );
  });

  it('more arguments than the command takes', () => {
    const e = usageError(['plan', 'a.yaml', 'b.yaml']);
    expect(e.message).toBe('`hotspare plan` takes one argument (RUNBOOK); got also "b.yaml".');
    expect(e.code).toBe('BadArgument');
  });
});
