import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';
import { hotspare, requireBuiltCli } from '../helpers/cli.js';

beforeAll(requireBuiltCli);

const NESTS = [
  `${'- '.repeat(3000)}x\n`,
  `${'['.repeat(4000)}\n`,
  `${'{a: '.repeat(2000)}\n`,
  `steps:\n${'- ['.repeat(1000)}\n`,
  `${'? '.repeat(2000)}x\n`,
];

describe('a runbook nested deeper than the YAML parser can follow', () => {
  // Found by the reliability fuzzer: 3000 nested block sequences and one more line made the parser
  // itself throw (RangeError), reported as an internal error with exit 1.
  it('is an invalid runbook (exit 2), not an internal error', () => {
    const file = join(tempDir(), 'deep.yaml');
    writeFileSync(file, `${'- '.repeat(3000)}x\ny\n`);
    const r = hotspare('validate', file);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:1:1: not valid YAML`);
  });

  // Also found by the fuzzer: several such files in one `validate` made V8 abort the process now
  // and then (SIGABRT, "RegExpCompiler Allocation failed", 4 runs in 40), when the stack ran out
  // inside the parser. They are refused before the parser sees them.
  it('is refused before parsing, file by file, with where it gets too deep', () => {
    const dir = tempDir();
    const files = NESTS.map((text, i) => {
      const file = join(dir, `deep-${i}.yaml`);
      writeFileSync(file, text);
      return file;
    });
    const r = hotspare('validate', ...files, ...files);
    expect(r.status).toBe(2);
    for (const file of files)
      expect(r.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+: not valid YAML: nested more than 64 levels deep`));
    expect(r.stderr).not.toMatch(/internal error|Maximum call stack/);
  });
});
