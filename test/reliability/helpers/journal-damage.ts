import fc from 'fast-check';
import { fraction } from './fuzz.js';

/** Ways a journal gets damaged: a crash, a full disk, a bad copy, a hand edit. */
export type JournalDamage =
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'flip-byte'; readonly at: number; readonly byte: number }
  | { readonly op: 'duplicate-line'; readonly at: number }
  | { readonly op: 'remove-line'; readonly at: number }
  | { readonly op: 'swap-lines'; readonly at: number; readonly with: number }
  | { readonly op: 'insert-line'; readonly at: number; readonly line: string }
  | { readonly op: 'append'; readonly text: string };

/** Lines that are JSON but not records, or barely records. */
export const NOT_RECORDS: readonly string[] = [
  'null',
  '123',
  '"text"',
  '[]',
  '{}',
  '{"v":1,"kind":"intent"}',
  '{"v":1,"seq":1,"at":0,"runId":"x","kind":"run-started"}',
  '{"v":2,"seq":99,"at":0,"runId":"x","kind":"future-kind"}',
  '{"v":1,"seq":"1","at":"now","runId":1,"kind":"result"}',
  '{"__proto__":{"polluted":true},"v":1}',
];

export const journalDamage: fc.Arbitrary<JournalDamage> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fraction }),
  fc.record({ op: fc.constant('flip-byte' as const), at: fraction, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('duplicate-line' as const), at: fraction }),
  fc.record({ op: fc.constant('remove-line' as const), at: fraction }),
  fc.record({ op: fc.constant('swap-lines' as const), at: fraction, with: fraction }),
  fc.record({
    op: fc.constant('insert-line' as const),
    at: fraction,
    line: fc.oneof(fc.constantFrom(...NOT_RECORDS), fc.json({ maxDepth: 2 }), fc.string({ maxLength: 30 })),
  }),
  fc.record({
    op: fc.constant('append' as const),
    text: fc.oneof(fc.constantFrom(...NOT_RECORDS), fc.string({ maxLength: 30 }), fc.constant('\n\n\n')),
  }),
);

/** Bytes as a string of one char per byte, and back: damage works on bytes, not characters. */
const asBytes = (b: Buffer): string => b.toString('latin1');
const toBuffer = (s: string): Buffer => Buffer.from(s, 'latin1');
const utf8 = (s: string): string => asBytes(Buffer.from(s, 'utf8'));

/** Apply damage to a journal's bytes. */
export function damage(bytes: Buffer, d: JournalDamage): Buffer {
  const text = asBytes(bytes);
  const lines = text.split('\n');
  const line = (f: number): number => Math.floor(f * Math.max(lines.length - 1, 1));
  switch (d.op) {
    case 'truncate':
      return bytes.subarray(0, Math.floor(d.at * bytes.length));
    case 'flip-byte': {
      const copy = Buffer.from(bytes);
      if (copy.length > 0) copy[Math.floor(d.at * copy.length)] = d.byte;
      return copy;
    }
    case 'duplicate-line': {
      const i = line(d.at);
      return toBuffer([...lines.slice(0, i + 1), lines[i] ?? '', ...lines.slice(i + 1)].join('\n'));
    }
    case 'remove-line': {
      const i = line(d.at);
      return toBuffer([...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'));
    }
    case 'swap-lines': {
      const [i, j] = [line(d.at), line(d.with)];
      const copy = [...lines];
      [copy[i], copy[j]] = [copy[j] ?? '', copy[i] ?? ''];
      return toBuffer(copy.join('\n'));
    }
    case 'insert-line': {
      const i = line(d.at);
      return toBuffer([...lines.slice(0, i), utf8(d.line), ...lines.slice(i)].join('\n'));
    }
    case 'append':
      return toBuffer(text + utf8(d.text));
  }
}

/** A damaged journal: one to three kinds of damage applied in turn. */
export function damagedJournal(journal: Buffer): fc.Arbitrary<{ damages: JournalDamage[]; bytes: Buffer }> {
  return fc.array(journalDamage, { minLength: 1, maxLength: 3 }).map((damages) => ({
    damages,
    bytes: damages.reduce(damage, journal),
  }));
}
