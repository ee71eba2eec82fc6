import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';
import { hotspare, requireBuiltCli } from '../helpers/cli.js';

beforeAll(requireBuiltCli);

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
});
