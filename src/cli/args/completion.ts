import { UsageError } from '../../domain/errors.js';
import { closest } from '../../runbook/closest.js';
import { allFlags, type ArgKind, type Flags, type Group } from './tree.js';

/**
 * Shell completion scripts, written by walking the command tree the parser reads: the commands,
 * each command's own flags, the values of a flag with choices (--fault), runbook files for RUNBOOK.
 * Static: a Tab never starts node.
 */

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

interface Case {
  /** `plan`, `site-publish`, `site` for a group's own words, or `dashboard` for a line that starts with a runbook. */
  readonly key: string;
  readonly flags: readonly string[];
  readonly args: ArgKind | 'group';
  /** A group's command words. */
  readonly words?: readonly string[] | undefined;
}

const dashed = (flags: Flags): string[] => Object.values(flags).map((f) => `--${f.name}`);

function cases(group: Group, prefix = ''): Case[] {
  const all: Case[] = [];
  if (group.fallback !== undefined)
    all.push({ key: 'dashboard', flags: dashed(group.fallback.flags), args: group.fallback.args.kind });
  for (const node of group.children) {
    const key = `${prefix}${node.name}`;
    if (node.kind === 'command') all.push({ key, flags: dashed(node.flags), args: node.args.kind });
    else
      all.push(
        { key, flags: dashed(node.flags), args: 'group', words: node.children.map((n) => n.name) },
        ...cases(node, `${key}-`),
      );
  }
  return all;
}

/** What every script needs from the tree. */
interface Words {
  readonly cases: readonly Case[];
  /** The root's command words. */
  readonly words: string;
  /** The groups among them (`site`), whose next word is one of their commands. */
  readonly groups: readonly string[];
  /** Flags whose value is the next word, so it is not taken for a command. */
  readonly valueFlags: string;
  /** Flags whose value is a directory. */
  readonly dirFlags: string;
  /** Flags with a fixed set of values, and the values. */
  readonly choices: readonly (readonly [string, string])[];
}

function wordsOf(root: Group): Words {
  const flags = [...allFlags(root).values()];
  return {
    cases: cases(root),
    words: root.children.map((n) => n.name).join(' '),
    groups: root.children.filter((n) => n.kind === 'group').map((n) => n.name),
    valueFlags: flags
      .filter((f) => f.value !== undefined)
      .map((f) => `--${f.name}`)
      .join('|'),
    dirFlags: flags
      .filter((f) => f.dir === true)
      .map((f) => `--${f.name}`)
      .join('|'),
    choices: flags
      .filter((f) => f.choices !== undefined)
      .map((f) => [`--${f.name}`, (f.choices ?? []).join(' ')] as const),
  };
}

function bashArgs(c: Case, w: Words): string {
  switch (c.args) {
    case 'runbook':
      return '_hotspare_runbooks';
    case 'path':
      return 'COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null';
    case 'command':
      return `COMPREPLY=($(compgen -W "${w.words}" -- "$cur"))`;
    case 'shell':
      return `COMPREPLY=($(compgen -W "${SHELLS.join(' ')}" -- "$cur"))`;
    case 'group':
      return `COMPREPLY=($(compgen -W "${(c.words ?? []).join(' ')}" -- "$cur"))`;
    case 'run':
    case 'none':
      return 'COMPREPLY=()';
  }
}

function bash(root: Group): string {
  const w = wordsOf(root);
  const flagCases = w.cases.map((c) => `    ${c.key}) flags="${c.flags.join(' ')}" ;;`).join('\n');
  const argCases = w.cases.map((c) => `    ${c.key}) ${bashArgs(c, w)} ;;`).join('\n');
  const groupSteps = w.groups.map((g) => `    elif [[ "$key" == ${g} ]]; then\n      key="${g}-$w"`).join('\n');
  const choiceCases = w.choices
    .map(([flag, values]) => `    ${flag}) COMPREPLY=($(compgen -W "${values}" -- "$cur")); return ;;`)
    .join('\n');
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
      ${w.valueFlags}) ((i++)); continue ;;
      -*) continue ;;
    esac
    if [[ -z "$key" ]]; then
      case " ${w.words} " in *" $w "*) key="$w" ;; *) key=dashboard ;; esac
${groupSteps}
    fi
  done
  case "$prev" in
${choiceCases}
    ${w.dirFlags}) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
    ${w.valueFlags}) COMPREPLY=(); return ;;
  esac
  if [[ -z "$key" && "$cur" != -* ]]; then
    _hotspare_runbooks
    COMPREPLY+=($(compgen -W "${w.words}" -- "$cur"))
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

function zshArgs(c: Case, w: Words): string {
  switch (c.args) {
    case 'runbook':
      return "_files -g '*.(yaml|yml)'";
    case 'path':
      return '_files';
    case 'command':
      return `compadd -- ${w.words}`;
    case 'shell':
      return `compadd -- ${SHELLS.join(' ')}`;
    case 'group':
      return `compadd -- ${(c.words ?? []).join(' ')}`;
    case 'run':
    case 'none':
      return 'return 1';
  }
}

function zsh(root: Group): string {
  const w = wordsOf(root);
  const flagCases = w.cases.map((c) => `    ${c.key}) flags=(${c.flags.join(' ')}) ;;`).join('\n');
  const argCases = w.cases.map((c) => `    ${c.key}) ${zshArgs(c, w)} ;;`).join('\n');
  const groupSteps = w.groups.map((g) => `    elif [[ $key == ${g} ]]; then\n      key=${g}-$w`).join('\n');
  const choiceCases = w.choices.map(([flag, values]) => `    ${flag}) compadd -- ${values}; return ;;`).join('\n');
  return `#compdef hotspare
# hotspare completion for zsh: source <(hotspare completion zsh), after compinit
_hotspare() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]} key="" w i
  local -a flags commands
  commands=(${w.words})
  for (( i = 2; i < CURRENT; i++ )); do
    w=\${words[i]}
    case $w in
      ${w.valueFlags}) (( i++ )); continue ;;
      -*) continue ;;
    esac
    if [[ -z $key ]]; then
      if (( \${commands[(Ie)$w]} )); then key=$w; else key=dashboard; fi
${groupSteps}
    fi
  done
  case $prev in
${choiceCases}
    ${w.dirFlags}) _files -/; return ;;
    ${w.valueFlags}) return 1 ;;
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

/** The completion script for `shell`, from the tree at `root`. */
export function completionScript(shell: string | undefined, root: Group): string {
  if (shell === 'bash') return bash(root);
  if (shell === 'zsh') return zsh(root);
  const near = shell === undefined ? undefined : closest(shell, SHELLS);
  throw new UsageError(
    shell === undefined
      ? 'Name the shell: hotspare completion bash|zsh'
      : `No completion for "${shell}".${near === undefined ? '' : ` Did you mean "${near}"?`} Shells: ${SHELLS.join(', ')}.`,
    {
      code: 'BadArgument',
    },
  );
}
