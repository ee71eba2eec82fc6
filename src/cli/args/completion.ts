import { UsageError } from '../../ports/errors.js';
import { closest } from '../../runbook/messages.js';
import { COMMAND_TABLE, COMMANDS, DASHBOARD, type ArgKind } from './command-table.js';
import { SITE_ALLOWED, SITE_FLAGS } from '../commands/site/index.js';
import { SITE_SUBCOMMANDS } from '../commands/site/help.js';
import { FLAGS } from './flags.js';

/**
 * Shell completion scripts, written from the same tables the parser reads: the commands, each
 * command's own flags, the values of --fault, runbook files for RUNBOOK. Static: a Tab never starts
 * node.
 */

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

interface Case {
  /** `plan`, `site-publish`, or `dashboard` for a line that starts with a runbook. */
  readonly key: string;
  readonly flags: readonly string[];
  readonly args: ArgKind | 'path' | 'site';
}

function cases(): Case[] {
  const dashed = (names: readonly string[]): string[] => names.map((n) => `--${n}`);
  return [
    { key: 'dashboard', flags: dashed(DASHBOARD.flags), args: 'runbook' },
    ...COMMANDS.map((c) => ({ key: c, flags: dashed(COMMAND_TABLE[c].flags), args: COMMAND_TABLE[c].argKind })),
    { key: 'site', flags: ['--help'], args: 'site' as const },
    ...SITE_SUBCOMMANDS.map((s) => ({ key: `site-${s}`, flags: dashed(SITE_ALLOWED[s]), args: s === 'refresh' ? ('runbook' as const) : ('path' as const) })),
  ];
}

/** Flags whose value is the next word, so it is not taken for a command. */
function valueFlags(): string[] {
  const all = { ...SITE_FLAGS, ...FLAGS } as Record<string, { type: string }>;
  return Object.keys(all).filter((n) => all[n]?.type === 'string').map((n) => `--${n}`);
}

const WORDS = [...COMMANDS, 'site'].join(' ');
const FAULTS = FLAGS.fault.choices.join(' ');
const DIR_FLAGS = '--journal-dir|--out';

function bashArgs(kind: Case['args']): string {
  switch (kind) {
    case 'runbook':
      return '_hotspare_runbooks';
    case 'path':
      return 'COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null';
    case 'command':
      return `COMPREPLY=($(compgen -W "${WORDS}" -- "$cur"))`;
    case 'shell':
      return `COMPREPLY=($(compgen -W "${SHELLS.join(' ')}" -- "$cur"))`;
    case 'site':
      return `COMPREPLY=($(compgen -W "${SITE_SUBCOMMANDS.join(' ')}" -- "$cur"))`;
    case 'run':
    case 'none':
      return 'COMPREPLY=()';
  }
}

function bash(): string {
  const all = cases();
  const flagCases = all.map((c) => `    ${c.key}) flags="${c.flags.join(' ')}" ;;`).join('\n');
  const argCases = all.map((c) => `    ${c.key}) ${bashArgs(c.args)} ;;`).join('\n');
  return `# hotspare completion for bash: source <(hotspare completion bash)
_hotspare_runbooks() {
  COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X '!*.yaml' -- "$cur") $(compgen -f -X '!*.yml' -- "$cur"))
  compopt -o filenames 2>/dev/null
}
_hotspare() {
  local cur prev key="" w i flags=""
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      ${valueFlags().join('|')}) ((i++)); continue ;;
      -*) continue ;;
    esac
    if [[ -z "$key" ]]; then
      case " ${WORDS} " in *" $w "*) key="$w" ;; *) key=dashboard ;; esac
    elif [[ "$key" == site ]]; then
      key="site-$w"
    fi
  done
  case "$prev" in
    --fault) COMPREPLY=($(compgen -W "${FAULTS}" -- "$cur")); return ;;
    ${DIR_FLAGS}) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
    ${valueFlags().join('|')}) COMPREPLY=(); return ;;
  esac
  if [[ -z "$key" && "$cur" != -* ]]; then
    _hotspare_runbooks
    COMPREPLY+=($(compgen -W "${WORDS}" -- "$cur"))
    return
  fi
  case "\${key:-dashboard}" in
${flagCases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    return
  fi
  case "$key" in
${argCases}
  esac
}
complete -F _hotspare hotspare
`;
}

function zshArgs(kind: Case['args']): string {
  switch (kind) {
    case 'runbook':
      return "_files -g '*.(yaml|yml)'";
    case 'path':
      return '_files';
    case 'command':
      return `compadd -- ${WORDS}`;
    case 'shell':
      return `compadd -- ${SHELLS.join(' ')}`;
    case 'site':
      return `compadd -- ${SITE_SUBCOMMANDS.join(' ')}`;
    case 'run':
    case 'none':
      return 'return 1';
  }
}

function zsh(): string {
  const all = cases();
  const flagCases = all.map((c) => `    ${c.key}) flags=(${c.flags.join(' ')}) ;;`).join('\n');
  const argCases = all.map((c) => `    ${c.key}) ${zshArgs(c.args)} ;;`).join('\n');
  return `#compdef hotspare
# hotspare completion for zsh: source <(hotspare completion zsh), after compinit
_hotspare() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]} key="" w i
  local -a flags commands
  commands=(${WORDS})
  for (( i = 2; i < CURRENT; i++ )); do
    w=\${words[i]}
    case $w in
      ${valueFlags().join('|')}) (( i++ )); continue ;;
      -*) continue ;;
    esac
    if [[ -z $key ]]; then
      if (( \${commands[(Ie)$w]} )); then key=$w; else key=dashboard; fi
    elif [[ $key == site ]]; then
      key=site-$w
    fi
  done
  case $prev in
    --fault) compadd -- ${FAULTS}; return ;;
    ${DIR_FLAGS}) _files -/; return ;;
    ${valueFlags().join('|')}) return 1 ;;
  esac
  if [[ -z $key && $cur != -* ]]; then
    compadd -- $commands
    _files -g '*.(yaml|yml)'
    return
  fi
  case \${key:-dashboard} in
${flagCases}
  esac
  if [[ $cur == -* ]]; then
    compadd -- $flags
    return
  fi
  case $key in
${argCases}
  esac
}
compdef _hotspare hotspare
`;
}

/** The completion script for `shell`. */
export function completionScript(shell: string | undefined): string {
  if (shell === 'bash') return bash();
  if (shell === 'zsh') return zsh();
  const near = shell === undefined ? undefined : closest(shell, SHELLS);
  throw new UsageError(shell === undefined ? 'Name the shell: hotspare completion bash|zsh' : `No completion for "${shell}".${near === undefined ? '' : ` Did you mean "${near}"?`} Shells: ${SHELLS.join(', ')}.`, {
    code: 'BadArgument',
  });
}
