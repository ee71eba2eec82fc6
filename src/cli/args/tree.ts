import type { Io } from '../output/io.js';

/**
 * The command tree's shapes. Every command (and every `site` command) is declared once, in its own
 * file under `commands/`, with its arguments, its own typed flags, its help and its run function;
 * parsing, help, "did you mean" and shell completion all walk the tree (`commands/index.ts`).
 */

/** A flag's value as the tokenizer reads it: a string, every string of a repeated flag, or `true`. */
export type RawFlag = string | true | readonly string[] | undefined;

/** One flag: how it is written, what help says of it, and how its raw value becomes a typed one. */
export interface Flag<T> {
  /** `dry-run` for `--dry-run`. */
  readonly name: string;
  readonly short?: string | undefined;
  /** The value's name in help (`--hold SECONDS`); undefined for a flag that takes no value. */
  readonly value?: string | undefined;
  /** May be given more than once (all values kept). */
  readonly multiple?: boolean | undefined;
  /** The values shell completion offers. */
  readonly choices?: readonly string[] | undefined;
  /** Complete the value with a directory name. */
  readonly dir?: boolean | undefined;
  /** One line for `hotspare help COMMAND`. */
  readonly help: string;
  /** The typed value; throws a UsageError naming the flag and what was expected. */
  readonly read: (raw: RawFlag) => T;
}

/** A command's flags: the property its run function reads, and the flag. */
export type Flags = Readonly<Record<string, Flag<unknown>>>;

/** The typed values of a command's flags. */
export type FlagValues<F extends Flags> = { readonly [K in keyof F]: F[K] extends Flag<infer T> ? T : never };

/** What a command's words after its name are, for checks and shell completion. */
export type ArgKind = 'runbook' | 'run' | 'command' | 'shell' | 'path' | 'none';

export interface ArgSpec {
  /** The arguments as help writes them (`RUNBOOK`, `RUNBOOK...`, `URL --out DIR`). */
  readonly usage: string;
  /** A runbook argument is found without its `.yaml` too (see `runbookPath`). */
  readonly kind: ArgKind;
  /** How many it takes at most (at least is each command's own check, with its own message). */
  readonly max: number;
}

/** What a command's run function gets. */
export interface CommandInput<V> {
  /** The words after the command's name; runbook arguments resolved to their files. */
  readonly args: readonly string[];
  readonly flags: V;
  readonly io: Io;
  readonly env: NodeJS.ProcessEnv;
  /** The whole tree, for `help` and `completion`. */
  readonly root: Group;
}

export interface Command<F extends Flags> {
  readonly kind: 'command';
  /** The word that names it; '' for the root's default (the dashboard). */
  readonly name: string;
  readonly args: ArgSpec;
  /** One line for the overview. */
  readonly summary: string;
  /** What `hotspare help COMMAND` says it does. */
  readonly details: string;
  readonly flags: F;
  /** The exit-code line of its help, when not the run commands' one. */
  readonly exitCodes?: string | undefined;
  /** Resolves with the exit code. Imports what it needs when it runs, so help loads none of it. */
  run(input: CommandInput<FlagValues<F>>): Promise<number>;
}

/** A command whose flags' types are known only to itself (the tree holds many kinds). */
export type AnyCommand = Command<Flags>;

/** Words that name more commands (`site`), or the root. */
export interface Group {
  readonly kind: 'group';
  readonly name: string;
  readonly summary: string;
  readonly details: string;
  readonly children: readonly (AnyCommand | Group)[];
  /** The command run when the first word names none of the children (the root's dashboard). */
  readonly fallback?: AnyCommand | undefined;
  /** The flags it takes without a command (help and the like). */
  readonly flags: Flags;
  readonly exitCodes?: string | undefined;
}

export type Node = AnyCommand | Group;

/** Declares a command: its flags' types flow into its run function. */
export function defineCommand<F extends Flags>(command: Omit<Command<F>, 'kind'>): AnyCommand {
  // The parser reads the values with these same flags, so the run function gets the types it declared.
  return { kind: 'command', ...command } as unknown as AnyCommand;
}

export function defineGroup(group: Omit<Group, 'kind'>): Group {
  return { kind: 'group', ...group };
}

/** Every command under `group` (groups' commands included), with its words (`['site', 'publish']`). */
export function commandsOf(
  group: Group,
  path: readonly string[] = [],
): { readonly path: readonly string[]; readonly command: AnyCommand }[] {
  return group.children.flatMap((node) =>
    node.kind === 'group' ? commandsOf(node, [...path, node.name]) : [{ path: [...path, node.name], command: node }],
  );
}

/** Every flag in the tree by name (one flag, one meaning: `test/cli/command-tree.test.ts` checks it). */
export function allFlags(root: Group): ReadonlyMap<string, Flag<unknown>> {
  const all = new Map<string, Flag<unknown>>();
  const add = (flags: Flags): void => {
    for (const flag of Object.values(flags)) if (!all.has(flag.name)) all.set(flag.name, flag);
  };
  const visit = (group: Group): void => {
    add(group.flags);
    if (group.fallback !== undefined) add(group.fallback.flags);
    for (const node of group.children) node.kind === 'group' ? visit(node) : add(node.flags);
  };
  visit(root);
  return all;
}
