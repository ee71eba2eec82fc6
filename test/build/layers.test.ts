import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers of docs/architecture.md, checked on every import of src/ (static, re-export and dynamic):
 * only aws/ talks to the SDK, only ui/ (and the CLI that starts it) draws with ink, the ui never reaches
 * AWS, and nothing below the CLI reaches up into it.
 */

const SRC = join(import.meta.dirname, '../../src');

interface Import {
  readonly file: string;
  /** The src/ folder of the importing file. */
  readonly layer: string;
  /** `pkg:<name>` for a package, else the src/ folder imported. */
  readonly target: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The specifiers a module imports: `import … from`, `export … from` and `import('…')`. */
function specifiers(text: string): string[] {
  const found = text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/gms);
  return [...found].map((m) => (m[1] ?? m[2])!);
}

function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

const IMPORTS: Import[] = sourceFiles(SRC).flatMap((path) => {
  const file = relative(SRC, path);
  const layer = file.split('/')[0]!;
  return specifiers(readFileSync(path, 'utf8')).map((spec) => ({
    file,
    layer,
    target: spec.startsWith('.')
      ? relative(SRC, normalize(join(dirname(path), spec))).split('/')[0]!
      : `pkg:${packageOf(spec)}`,
  }));
});

const crossing = (ok: (i: Import) => boolean): string[] =>
  IMPORTS.filter((i) => !ok(i)).map((i) => `${i.file} -> ${i.target}`);

describe('the layers hold in every import of src/', () => {
  it('only aws/ imports the AWS SDK', () => {
    expect(crossing((i) => !i.target.startsWith('pkg:@aws-sdk/') || i.layer === 'aws')).toEqual([]);
  });

  it("only ui/ and the CLI import ink; react only there and in the store's provider", () => {
    expect(crossing((i) => i.target !== 'pkg:ink' || i.layer === 'ui' || i.layer === 'cli')).toEqual([]);
    expect(
      crossing((i) => i.target !== 'pkg:react' || ['ui', 'cli'].includes(i.layer) || i.file === 'store/context.tsx'),
    ).toEqual([]);
  });

  it('the engine, steps, plan and the layers below import no ui/ and no cli/', () => {
    const below = [
      'engine',
      'steps',
      'plan',
      'runbook',
      'domain',
      'ports',
      'store',
      'probe',
      'redirect',
      'site',
      'aws',
      'sandbox',
    ];
    expect(crossing((i) => !below.includes(i.layer) || (i.target !== 'ui' && i.target !== 'cli'))).toEqual([]);
  });

  it('the ui never calls AWS: no aws/ and no SDK', () => {
    expect(crossing((i) => i.layer !== 'ui' || (i.target !== 'aws' && !i.target.startsWith('pkg:@aws-sdk/')))).toEqual(
      [],
    );
  });

  it('aws/ is wired in by the CLI alone (everything else sees the ports)', () => {
    expect(crossing((i) => i.target !== 'aws' || i.layer === 'aws' || i.layer === 'cli')).toEqual([]);
  });

  it('sees static, re-exported and dynamic imports, and the files it checks', () => {
    expect(
      specifiers("import type { A } from './a.js';\nexport { b } from '../b/c.js';\nconst m = await import('ink');"),
    ).toEqual(['./a.js', '../b/c.js', 'ink']);
    expect(IMPORTS.some((i) => i.file === 'aws/ec2.ts' && i.target === 'pkg:@aws-sdk/client-ec2')).toBe(true);
    expect(IMPORTS.some((i) => i.layer === 'cli' && i.target === 'ui')).toBe(true);
  });
});
