import type { z } from 'zod';
import { runbookSchema } from './schema.js';

export { closest, editDistance } from './closest.js';

type AnySchema = z.core.$ZodType;
interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  innerType?: AnySchema;
  element?: AnySchema;
  options?: AnySchema[];
  in?: AnySchema;
}

function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The keys the schema allows for the mapping at `path` (steps resolved by their `type`). */
export function knownKeysAt(path: readonly string[], raw: unknown): string[] {
  let schema: AnySchema | undefined = runbookSchema;
  let value: unknown = raw;
  for (const seg of [...path, '']) {
    schema = unwrap(schema, value);
    if (seg === '' || schema === undefined) break;
    const def = defOf(schema);
    schema = def.type === 'array' ? def.element : def.shape?.[seg];
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[seg] : undefined;
  }
  const def = schema === undefined ? undefined : defOf(schema);
  return def?.shape === undefined ? [] : Object.keys(def.shape);
}

function unwrap(schema: AnySchema | undefined, value: unknown): AnySchema | undefined {
  let s = schema;
  for (;;) {
    if (s === undefined) return undefined;
    const def = defOf(s);
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') s = def.innerType;
    else if (def.type === 'pipe') s = def.in;
    else if (def.type === 'union' && def.options !== undefined) {
      const type = value !== null && typeof value === 'object' ? (value as { type?: unknown }).type : undefined;
      s = def.options.find((o) => {
        const t = defOf(o).shape?.['type'];
        return t !== undefined && (defOf(t) as { values?: unknown[] }).values?.includes(type);
      });
    } else return s;
  }
}

/** An operator-facing sentence for one schema issue. */
export function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const got = value === undefined ? 'nothing' : JSON.stringify(value);
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined
        ? `required: expected ${article(issue.expected)}`
        : `expected ${article(issue.expected)}, got ${got}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${got}`;
    case 'invalid_format':
      return `expected ${issue.message}${value === undefined ? '' : `, got ${got}`}`;
    case 'custom':
      return issue.message;
    case 'too_small':
      return issue.origin === 'array'
        ? `expected at least ${String(issue.minimum)} item(s)`
        : issue.origin === 'string'
          ? `expected ${issue.message.startsWith('Too small') ? 'a non-empty string' : issue.message}`
          : `expected at least ${String(issue.minimum)}, got ${got}`;
    case 'too_big':
      return `expected at most ${String(issue.maximum)}, got ${got}`;
    case 'invalid_union':
      return `expected ${issue.message}, got ${got}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  const map: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping',
    record: 'a mapping',
  };
  return map[expected] ?? expected;
}
