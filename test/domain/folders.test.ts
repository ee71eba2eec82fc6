import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The bottom of the layer picture (docs/architecture.md): `ports/` holds the interfaces and the
 * plain shapes they carry, types only, and imports nothing else; `domain/` holds the shared rules,
 * errors and shapes, and imports nothing but itself and the ports' types.
 */

const SRC = join(import.meta.dirname, '../../src');

function sources(folder: string): { file: string; text: string }[] {
  return readdirSync(join(SRC, folder))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: `${folder}/${f}`, text: readFileSync(join(SRC, folder, f), 'utf8') }));
}

/** Every `import ... from '...'` and `export ... from '...'` of a module: whether it is type-only, and the specifier. */
function imports(text: string): { typeOnly: boolean; from: string }[] {
  return [...text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)].map((m) => ({
    typeOnly: m[2] !== undefined,
    from: m[3]!,
  }));
}

describe('ports/ and domain/', () => {
  it('ports/ is types only: interfaces and shapes, no code', () => {
    for (const { file, text } of sources('ports')) {
      expect(text, file).not.toMatch(/^export\s+(const|let|var|function|class|enum|default|async)\b/m);
      for (const i of imports(text)) expect({ file, ...i }).toMatchObject({ typeOnly: true });
    }
  });

  it('ports/ imports nothing but ports/', () => {
    for (const { file, text } of sources('ports')) {
      for (const i of imports(text)) expect(i.from.startsWith('./'), `${file} imports ${i.from}`).toBe(true);
    }
  });

  it('domain/ imports nothing but domain/ and the types of ports/', () => {
    for (const { file, text } of sources('domain')) {
      for (const i of imports(text)) {
        const ok = i.from.startsWith('./') || (i.from.startsWith('../ports/') && i.typeOnly);
        expect(ok, `${file} imports ${i.from}`).toBe(true);
      }
    }
  });

  it('sees the imports it checks', () => {
    expect(imports("import type { A } from './a.js';\nimport { b,\n  c } from '../ports/b.js';")).toEqual([
      { typeOnly: true, from: './a.js' },
      { typeOnly: false, from: '../ports/b.js' },
    ]);
  });
});
