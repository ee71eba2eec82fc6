import fc from 'fast-check';
import { stringify } from 'yaml';

/**
 * Generators for the runbook fuzzer: valid runbooks mutated, as objects and as text (damaged
 * journals: `journal-damage.ts`). Mutations are plain data (`at` is a fraction of the input), so fast-check can shrink
 * them and print a failing case that reproduces.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Nesting deep enough to exhaust the parser's stack. How far the parser gets depends on how much
 * stack its caller left: the CLI reports "not valid YAML: Maximum call stack size exceeded" (exit
 * 2), but deep inside the test runner V8 can abort the whole worker ("RegExpCompiler Allocation
 * failed") when the stack runs out while a regular expression is compiled. So these are fed to the
 * CLI only, as an operator would.
 */
export const DEEP_NESTING: readonly string[] = [
  `${'['.repeat(4000)}\n`,
  `${'{a: '.repeat(2000)}\n`,
  `${'- '.repeat(3000)}x\n`,
];

/** YAML that has broken parsers: alias bombs, tags, merge keys, odd bytes, huge scalars. */
export const HOSTILE_YAML: readonly string[] = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
  'x: !!js/function "function () { return 1 }"\n',
  'x: !!binary aGVsbG8=\n',
  'x: !!python/object/apply:os.system ["true"]\n',
  'base: &base {region: us-east-1}\nmerged:\n  <<: *base\n',
  '--- \nname: a\n---\nname: b\n',
  '%YAML 1.1\n---\nname: x\n',
  '? [a, b]\n: c\n',
  'a: &x b\nc: *y\n',
  '\uFEFFname: bom\n',
  'name: "\u0000"\n',
  '\ttabbed: indent\n',
  'name: x\r\nregion: us-east-1\r\n',
  'x: !!float .nan\ny: !!int 0x7fffffffffffffff\n',
  `description: "${'y'.repeat(200_000)}"\n`,
  `${'k'.repeat(5000)}: v\n`,
  'steps: *undefined_alias\n',
];

/** Values that a runbook field should never accept, or only just. */
const odd = fc.oneof(
  fc.constantFrom<Json>(
    '',
    ' ',
    '-1',
    '0',
    '1e309',
    'NaN',
    'null',
    '~',
    'yes',
    '../../etc/passwd',
    'arn:',
    'http://',
    'i-',
    'ami-',
    '💥',
    'a'.repeat(300),
  ),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 40 }),
);

export type ObjectMutation =
  | { readonly op: 'delete'; readonly at: number }
  | { readonly op: 'set'; readonly at: number; readonly value: Json }
  | { readonly op: 'add-key'; readonly at: number; readonly key: string; readonly value: Json }
  | { readonly op: 'typo'; readonly at: number; readonly char: string }
  | { readonly op: 'wrap'; readonly at: number };

export type TextMutation =
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'delete-range'; readonly at: number; readonly length: number }
  | { readonly op: 'duplicate-line'; readonly at: number }
  | { readonly op: 'flip-byte'; readonly at: number; readonly byte: number }
  | { readonly op: 'hostile'; readonly which: number; readonly prepend: boolean }
  | { readonly op: 'deep'; readonly which: number; readonly prepend: boolean };

export const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

export const objectMutation: fc.Arbitrary<ObjectMutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fraction }),
  fc.record({ op: fc.constant('set' as const), at: fraction, value: odd }),
  fc.record({
    op: fc.constant('add-key' as const),
    at: fraction,
    key: fc.oneof(
      fc.constantFrom('stpes', 'regoin', 'id', 'type', '__proto__', 'constructor', 'extra'),
      fc.string({ maxLength: 12 }),
    ),
    value: odd,
  }),
  fc.record({ op: fc.constant('typo' as const), at: fraction, char: fc.string({ minLength: 1, maxLength: 1 }) }),
  fc.record({ op: fc.constant('wrap' as const), at: fraction }),
);

const textMutationBase = [
  fc.record({ op: fc.constant('truncate' as const), at: fraction }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fraction,
    text: fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(':', '- ', '&a ', '*a', '!!str ', '{', ']', '"', "'", '#', '\n  ', '\t', '|\n', '>-\n'),
    ),
  }),
  fc.record({ op: fc.constant('delete-range' as const), at: fraction, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('duplicate-line' as const), at: fraction }),
  fc.record({ op: fc.constant('flip-byte' as const), at: fraction, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    op: fc.constant('hostile' as const),
    which: fc.nat({ max: HOSTILE_YAML.length - 1 }),
    prepend: fc.boolean(),
  }),
] as const;

/** Text mutations; `deep` adds the deep-nesting snippets (for the CLI only, see DEEP_NESTING). */
export function textMutation(deep: boolean): fc.Arbitrary<TextMutation> {
  const deepOne = fc.record({
    op: fc.constant('deep' as const),
    which: fc.nat({ max: DEEP_NESTING.length - 1 }),
    prepend: fc.boolean(),
  });
  return deep ? fc.oneof(...textMutationBase, deepOne) : fc.oneof(...textMutationBase);
}

interface Slot {
  readonly parent: Json[] | { [key: string]: Json };
  readonly key: string | number;
}

/** Every place in `root` a value sits, depth first. */
function slots(root: Json): Slot[] {
  const out: Slot[] = [];
  const walk = (node: Json): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push({ parent: node, key: i });
        walk(child);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        out.push({ parent: node, key });
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

function mutateObject(root: Json, m: ObjectMutation): void {
  const all = slots(root);
  const slot = all[Math.floor(m.at * all.length)];
  if (slot === undefined) return;
  const { parent, key } = slot;
  const get = (): Json => (parent as Record<string | number, Json>)[key] ?? null;
  const set = (v: Json): void => void ((parent as Record<string | number, Json>)[key] = v);
  switch (m.op) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      return;
    case 'set':
      return set(m.value);
    case 'add-key': {
      const target = get();
      if (target !== null && typeof target === 'object' && !Array.isArray(target))
        Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      return;
    }
    case 'typo': {
      if (Array.isArray(parent) || typeof key !== 'string') return;
      const value = parent[key] ?? null;
      delete parent[key];
      parent[`${key}${m.char}`] = value;
      return;
    }
    case 'wrap':
      return set([get()]);
  }
}

function mutateText(text: string, m: TextMutation): string {
  const at = (f: number): number => Math.floor(f * text.length);
  switch (m.op) {
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'insert':
      return text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
    case 'delete-range':
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
    case 'duplicate-line': {
      const lines = text.split('\n');
      const i = Math.floor(m.at * lines.length);
      return [...lines.slice(0, i + 1), lines[i] ?? '', ...lines.slice(i + 1)].join('\n');
    }
    case 'flip-byte': {
      const bytes = Buffer.from(text, 'utf8');
      if (bytes.length === 0) return text;
      bytes[Math.floor(m.at * bytes.length)] = m.byte;
      return bytes.toString('latin1');
    }
    case 'hostile':
    case 'deep': {
      const snippet = (m.op === 'deep' ? DEEP_NESTING : HOSTILE_YAML)[m.which] ?? '';
      return m.prepend ? snippet + text : `${text}\n${snippet}`;
    }
  }
}

/** A runbook file's text: a valid runbook, mutated as an object, written as YAML, then mutated as text. */
export function runbookText(bases: readonly Json[], options: { readonly deepNesting: boolean }): fc.Arbitrary<string> {
  return fc
    .record({
      base: fc.nat({ max: bases.length - 1 }),
      objectMutations: fc.array(objectMutation, { maxLength: 4 }),
      textMutations: fc.array(textMutation(options.deepNesting), { maxLength: 3 }),
    })
    .map(({ base, objectMutations, textMutations }) => {
      const doc = structuredClone(bases[base] ?? null);
      for (const m of objectMutations) mutateObject(doc, m);
      return textMutations.reduce(mutateText, stringify(doc));
    });
}
