import { parseArgs } from 'node:util';
import { UsageError } from '../../domain/errors.js';
import { closest } from '../../runbook/closest.js';
import type { Flag, RawFlag } from './tree.js';

export interface ReadFlags {
  /** By flag name (`dry-run`): string values, repeated ones as arrays, booleans as true. */
  readonly values: Readonly<Record<string, RawFlag>>;
  readonly positionals: readonly string[];
}

/** Which flags a command takes, and how to name it in messages. */
export interface FlagScope {
  /** Every flag the program knows (so a flag of another command is told apart from a typo). */
  readonly known: ReadonlyMap<string, Flag<unknown>>;
  /** The command's own. */
  readonly allowed: readonly string[];
  /** `hotspare plan`, for messages. */
  readonly command: string;
  /** Where its flags are listed: `hotspare help plan`. */
  readonly helpCommand: string;
  /** The commands that do take a flag, for "--hold is a flag of drill". */
  readonly owners?: ((flag: string) => readonly string[]) | undefined;
  /** Report nothing: only tell flag values from positionals (before the command is known). */
  readonly lenient?: boolean | undefined;
}

function bad(message: string): UsageError {
  return new UsageError(message, { code: 'BadFlag' });
}

/** The sentence for a flag the command does not take: a typo of one it takes, or another command's. */
function unknownFlag(raw: string, name: string, scope: FlagScope): UsageError {
  if (scope.known.has(name)) {
    const owners = scope.owners?.(name) ?? [];
    const elsewhere = owners.length === 0 ? '' : ` (it is one of \`${owners.join('`, `')}\`)`;
    return bad(`${raw} is not a flag of \`${scope.command}\`${elsewhere}. See \`${scope.helpCommand}\`.`);
  }
  const near = closest(name, scope.allowed);
  return bad(
    `Unknown flag ${raw}.${near === undefined ? '' : ` Did you mean --${near}?`} See \`${scope.helpCommand}\`.`,
  );
}

/**
 * Read argv's flags for one command: every flag must be one the command takes, string flags need a
 * value (`--hold -1` reads -1, a value that is a known flag is refused), boolean flags take none.
 * Errors are one sentence with a "did you mean" (never Node's parseArgs text).
 */
export function readFlags(argv: readonly string[], scope: FlagScope): ReadFlags {
  const options = Object.fromEntries(
    [...scope.known].map(([name, f]) => [
      name,
      {
        type: f.value === undefined ? ('boolean' as const) : ('string' as const),
        ...(f.short === undefined ? {} : { short: f.short }),
      },
    ]),
  );
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, RawFlag> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    // Short flags arrive under their long name (`-y` as `yes`).
    const name = token.name;
    const spec = scope.known.get(name);
    if (scope.lenient === true) continue;
    if (spec === undefined || !scope.allowed.includes(name)) throw unknownFlag(token.rawName, name, scope);
    values[name] = flagValue(token.rawName, spec, token.value, scope, values[name]);
  }
  return { values, positionals };
}

function flagValue(
  raw: string,
  spec: Flag<unknown>,
  value: string | undefined,
  scope: FlagScope,
  before: RawFlag,
): RawFlag {
  if (spec.value === undefined) {
    if (value !== undefined) throw bad(`${raw} takes no value (got "${value}"). See \`${scope.helpCommand}\`.`);
    return true;
  }
  const name = spec.value;
  if (value === undefined) throw bad(`${raw} needs a value: ${raw} ${name}. See \`${scope.helpCommand}\`.`);
  if (value.startsWith('-') && scope.known.has(value.replace(/^--?/, '').split('=')[0] ?? '')) {
    throw bad(`${raw} needs a value: ${raw} ${name} (${value} is a flag). See \`${scope.helpCommand}\`.`);
  }
  if (spec.multiple === true) return [...(Array.isArray(before) ? before : []), value];
  return value;
}
