import { describe, expect, it } from 'vitest';
import { allFlags, commandsOf, type Flag, type Group } from '../../src/cli/args/tree.js';
import { ROOT } from '../../src/cli/commands/index.js';

/** Every flag as each command (and group) declares it. */
function declarations(root: Group): [string, Flag<unknown>][] {
  const groups = (g: Group): Group[] => [g, ...g.children.flatMap((n) => (n.kind === 'group' ? groups(n) : []))];
  return [
    ...groups(root).flatMap((g) => [...Object.values(g.flags), ...Object.values(g.fallback?.flags ?? {})]),
    ...commandsOf(root).flatMap(({ command }) => Object.values(command.flags)),
  ].map((f) => [f.name, f]);
}

describe('the command tree', () => {
  it('gives each flag one meaning: every command that takes it reads it with the same reader, value and short form', () => {
    const first = allFlags(ROOT);
    for (const [name, flag] of declarations(ROOT)) {
      const one = first.get(name)!;
      expect([name, flag.read, flag.value, flag.short, flag.multiple]).toEqual([
        name,
        one.read,
        one.value,
        one.short,
        one.multiple,
      ]);
    }
  });

  it('names each command once, and each command names each flag once', () => {
    const paths = commandsOf(ROOT).map((c) => c.path.join(' '));
    expect(new Set(paths).size).toBe(paths.length);
    for (const { path, command } of commandsOf(ROOT)) {
      const names = Object.values(command.flags).map((f) => f.name);
      expect([path.join(' '), new Set(names).size]).toEqual([path.join(' '), names.length]);
    }
  });

  it('gives every command a summary, details and --help', () => {
    for (const { path, command } of commandsOf(ROOT)) {
      expect([path.join(' '), command.summary.length > 0, command.details.length > 0]).toEqual([
        path.join(' '),
        true,
        true,
      ]);
      expect(Object.values(command.flags).some((f) => f.name === 'help')).toBe(true);
    }
  });
});
