import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLine } from '../../src/cli/args/parse.js';
import { allFlags, commandsOf } from '../../src/cli/args/tree.js';
import { commandHelp } from '../../src/cli/args/help.js';
import { ROOT } from '../../src/cli/commands/index.js';
import { hotspare, requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';

beforeAll(requireBuiltCli);

/** Node's own parseArgs wording, which the operator should never see. */
const RAW_PARSE_ARGS = /ERR_PARSE_ARGS|Unknown option '|argument is ambiguous|To specify an option argument/;

describe('arguments through the CLI', () => {
  it('an unknown command: exit 2, one short line with a "did you mean", no stack', () => {
    const r = hotspare('rolback', 'runbooks/emergency-mode.yaml');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^hotspare: Unknown command "rolback"\. Did you mean "rollback"\?/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a flag of another command, an unknown flag and a missing value: short messages, never parseArgs text', () => {
    const cases: [string[], string][] = [
      [
        ['plan', 'runbooks/emergency-mode.yaml', '--yes'],
        'hotspare: --yes is not a flag of `hotspare plan` (it is one of `hotspare failover`',
      ],
      [
        ['status', 'runbooks/emergency-mode.yaml', '--jsn'],
        'hotspare: Unknown flag --jsn. Did you mean --json? See `hotspare help status`.',
      ],
      [['drill', '--sandbox', '--hold'], 'hotspare: --hold needs a value: --hold SECONDS. See `hotspare help drill`.'],
      [
        ['failover', 'runbooks/emergency-mode.yaml', '--yes=no'],
        'hotspare: --yes takes no value (got "no"). See `hotspare help failover`.',
      ],
      [['site', 'publish', 'dir', '--forse'], 'hotspare: Unknown flag --forse. See `hotspare help site publish`.'],
    ];
    for (const [args, message] of cases) {
      const r = hotspare(...args);
      expect([args, r.status]).toEqual([args, 2]);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(RAW_PARSE_ARGS);
      expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    }
  });

  it('--json makes a parse error one JSON object', () => {
    const r = hotspare('plan', 'runbooks/emergency-mode.yaml', '--json', '--hold', '1');
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'BadFlag' }, exitCode: 2 });
  });

  it('a runbook path without .yaml works, for commands and for the dashboard', () => {
    const plan = hotspare('plan', 'runbooks/emergency-mode');
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Plan for emergency-mode');
    const valid = hotspare('validate', 'runbooks/emergency-mode', 'runbooks/classic-order');
    expect(valid.stdout).toContain('ok runbooks/emergency-mode.yaml (emergency-mode:');
    expect(valid.stdout).toContain('ok runbooks/classic-order.yaml (classic-order:');
    const dashboard = hotspare('runbooks/sandbox', '--sandbox', '--headless', '--journal-dir', tempDir());
    expect(dashboard.status, dashboard.stderr).toBe(0);
    expect(dashboard.stdout).toContain('Target group sandbox-web-tg');
  });

  it('a .yml runbook is found without its extension too', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'site.yml'), readFileSync('runbooks/emergency-mode.yaml'));
    expect(hotspare('validate', join(dir, 'site')).stdout).toContain(`ok ${join(dir, 'site.yml')}`);
  });

  it("hotspare help COMMAND is the command's --help; help site publish too", () => {
    const help = hotspare('help', 'drill');
    expect(help.status).toBe(0);
    expect(help.stdout).toBe(hotspare('drill', '--help').stdout);
    expect(help.stdout).toMatch(/^Usage: hotspare drill RUNBOOK \[flags\]/);
    expect(help.stdout).toContain('--hold SECONDS');
    expect(hotspare('help', 'site', 'publish').stdout).toBe(hotspare('site', 'publish', '--help').stdout);
    const bad = hotspare('help', 'rolback');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Did you mean "rollback"?');
  });

  it("the README's command section is `hotspare --help`", () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Commands'));
    const block = /```\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(hotspare('--help').stdout);
  });
});

describe('each command takes exactly the flags its help lists', () => {
  it.each(commandsOf(ROOT).map(({ path, command }) => [path.join(' '), path, command] as const))(
    '%s',
    (_, path, command) => {
      const help = commandHelp(command, path);
      for (const [flag, spec] of allFlags(ROOT)) {
        const listed = new RegExp(`^  (-\\w, )?--${flag}\\b`, 'm').test(help);
        const argv = [...path, ...(spec.value !== undefined ? [`--${flag}=1`] : [`--${flag}`])];
        let accepted = true;
        try {
          parseLine(argv, ROOT);
        } catch (error) {
          accepted = !/is not a flag of/.test((error as Error).message);
        }
        expect([flag, accepted]).toEqual([flag, listed]);
      }
      expect(Object.values(command.flags).map((f) => f.name)).toContain('help');
    },
  );
});

describe('shell completion', () => {
  const bash = (script: string, words: string[]): string[] => {
    const line = words.map((w) => `'${w}'`).join(' ');
    const r = spawnSync(
      'bash',
      [
        '-c',
        `source /dev/stdin <<'EOF'\n${script}\nEOF\nCOMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _hotspare; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter((l) => l !== '');
  };

  it("bash: commands, each command's own flags, fault names, runbook files", () => {
    const r = hotspare('completion', 'bash');
    expect(r.status).toBe(0);
    expect(bash(r.stdout, ['hotspare', 'fail'])).toEqual(['failover']);
    expect(bash(r.stdout, ['hotspare', 'drill', '--ho'])).toEqual(
      ['--hold', '--help'].filter((f) => f.startsWith('--ho')),
    );
    expect(bash(r.stdout, ['hotspare', 'plan', '--ho'])).toEqual([]);
    expect(bash(r.stdout, ['hotspare', '--region', 'us-east-1', 'plan', '--di'])).toEqual(['--discover']);
    expect(bash(r.stdout, ['hotspare', 'drill', '--fault', 'thr'])).toEqual(['throttle']);
    expect(bash(r.stdout, ['hotspare', 'plan', 'runbooks/emer'])).toEqual(['runbooks/emergency-mode.yaml']);
    expect(bash(r.stdout, ['hotspare', 'site', 'pu'])).toEqual(['publish']);
    expect(bash(r.stdout, ['hotspare', 'site', 'publish', '--buc'])).toEqual(['--bucket']);
    expect(bash(r.stdout, ['hotspare', 'completion', ''])).toEqual(['bash', 'zsh']);
  });

  it('zsh: the same words, offered with compadd', () => {
    const r = hotspare('completion', 'zsh');
    expect(r.status).toBe(0);
    const file = join(tempDir(), 'hotspare.zsh');
    writeFileSync(file, r.stdout);
    const zsh = (words: string[]): string => {
      const script = `compdef() { :; }; compadd() { [[ $1 == -- ]] && shift; print -r -- "$*"; }; _files() { print -r -- "files $*"; }; source ${file}; words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; _hotspare`;
      const out = spawnSync('zsh', ['-f', '-c', script], { encoding: 'utf8' });
      expect(out.stderr).toBe('');
      return out.stdout;
    };
    expect(zsh(['hotspare', 'drill', '--'])).toContain('--hold');
    expect(zsh(['hotspare', 'plan', '--'])).not.toContain('--hold');
    expect(zsh(['hotspare', 'drill', '--fault', ''])).toContain('throttle capacity');
    expect(zsh(['hotspare', 'plan', ''])).toContain('files -g *.(yaml|yml)');
    expect(zsh(['hotspare', ''])).toContain('failover');
  });

  it('another shell: a usage error with a "did you mean"', () => {
    const r = hotspare('completion', 'bsh');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('No completion for "bsh". Did you mean "bash"?');
  });
});
