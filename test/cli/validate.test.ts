import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hotspare, requireBuiltCli } from '../helpers/cli.js';
import { commandsOf } from '../../src/cli/args/tree.js';
import { ROOT } from '../../src/cli/commands/index.js';

/** Every command, `site` commands included, by its words. */
const COMMANDS = commandsOf(ROOT).map((c) => c.path.join(' '));
import { BAD_DIR, BAD_FIXTURES, GOOD_DIR } from '../fixtures/runbooks/expected.js';

beforeAll(requireBuiltCli);

describe('hotspare validate', () => {
  // One `validate` of every bad fixture: it checks each file it is given, one line per bad file.
  let all: ReturnType<typeof hotspare>;
  beforeAll(() => {
    all = hotspare('validate', ...Object.keys(BAD_FIXTURES).map((name) => join(BAD_DIR, name)));
  });

  it('exits 2 with nothing on stdout when every file is bad', () => {
    expect(all.status, all.stderr).toBe(2);
    expect(all.stdout).toBe('');
  });

  it.each(Object.entries(BAD_FIXTURES))('%s: file:line:col on stderr, one line', (name, want) => {
    const file = join(BAD_DIR, name);
    const lines = all.stderr
      .trimEnd()
      .split('\n')
      .filter((line) => line.startsWith(`${file}:`));
    expect(lines).toHaveLength(1);
    const prefix = `${file}:${want.line}:${want.column}: ${want.path === '' ? '' : `${want.path}: `}`;
    expect(lines[0]!.startsWith(prefix), `${lines[0]} should start with ${prefix}`).toBe(true);
    const message = lines[0]!.slice(prefix.length);
    if (typeof want.phrase === 'string') expect(message).toContain(want.phrase);
    else expect(message).toMatch(want.phrase);
  });

  it('names every bad file on stderr and nothing else', () => {
    const lines = all.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(Object.keys(BAD_FIXTURES).length);
  });

  it('prints the did-you-mean hint for a typo', () => {
    const r = hotspare('validate', join(BAD_DIR, 'instance-type-typo.yaml'));
    expect(r.stderr).toMatch(
      /^test\/fixtures\/runbooks\/bad\/instance-type-typo\.yaml:16:3: .*did you mean "instanceType"\?/,
    );
  });

  it('accepts every shipped runbook and every good fixture', () => {
    const files = [
      ...readdirSync('runbooks')
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => join('runbooks', f)),
      ...readdirSync(GOOD_DIR).map((f) => join(GOOD_DIR, f)),
    ];
    const r = hotspare('validate', ...files);
    expect(r.stderr).toBe('');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('ok runbooks/classic-order.yaml (classic-order: 5 steps)');
    expect(r.stdout).toContain('ok runbooks/emergency-mode.yaml (emergency-mode: 7 steps)');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(files.length);
  });

  it('checks every file it is given and fails if any is bad', () => {
    const r = hotspare(
      'validate',
      'runbooks/emergency-mode.yaml',
      join(BAD_DIR, 'bad-region.yaml'),
      join(BAD_DIR, 'bad-ami.yaml'),
    );
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toContain('ok runbooks/emergency-mode.yaml');
    expect(r.stderr).toContain('bad-region.yaml:3:9: region:');
    expect(r.stderr).toContain('bad-ami.yaml:15:12: redirectServer.imageId:');
  });

  it('names a missing file and exits 2', () => {
    const r = hotspare('validate', 'runbooks/does-not-exist.yaml');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^runbooks\/does-not-exist\.yaml: cannot read the runbook: no such file/);
  });

  it('needs at least one file', () => {
    const r = hotspare('validate');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/Name at least one runbook file/);
  });
});

describe('usage', () => {
  it.each([...COMMANDS])('%s --help exits 0 and prints its usage', (command) => {
    const r = hotspare(...command.split(' '), '--help');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.startsWith(`Usage: hotspare ${command}`)).toBe(true);
    expect(r.stderr).toBe('');
  });

  it('--help alone lists every command', () => {
    const r = hotspare('--help');
    expect(r.status, r.stderr).toBe(0);
    for (const command of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^hotspare ${command} `, 'm'));
  });

  it('-h works after a runbook too', () => {
    const r = hotspare('plan', 'runbooks/emergency-mode.yaml', '-h');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: hotspare plan RUNBOOK/);
  });

  it('--version prints the package version', () => {
    const r = hotspare('--version');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown command exits 2 and lists the commands', () => {
    const r = hotspare('failvoer', 'runbooks/emergency-mode.yaml');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('Unknown command "failvoer"');
    expect(r.stderr).toContain('failover');
    expect(r.stdout).toBe('');
  });

  it('an unknown flag exits 2 and names it', () => {
    const r = hotspare('plan', 'runbooks/emergency-mode.yaml', '--jsonn');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('--jsonn');
    expect(r.stderr).toContain('`hotspare help plan`');
  });

  it('a flag without its value exits 2', () => {
    const r = hotspare('timeline', 'some-run', '--journal-dir');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('--journal-dir');
  });
});
