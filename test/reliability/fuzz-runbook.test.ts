import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRunbook, RunbookError } from '../../src/runbook/load.js';
import { requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';
import { describeRun, INTERNAL_ERROR, runCli, STACK_FRAME } from './helpers/cli.js';
import { runbookText } from './helpers/fuzz.js';
import { figures, FULL } from './helpers/matrix.js';

/**
 * The fuzzer over runbooks: the shipped and fixture runbooks, mutated as objects (keys deleted,
 * renamed, added; values replaced with odd ones) and as text (truncated, bytes flipped, lines
 * duplicated, hostile YAML such as alias bombs and deep nesting). `validate` must say 0 or 2,
 * never an internal error, never a stack, never hang. In-process, `loadRunbook` must throw nothing
 * but a RunbookError (deep nesting is left to the CLI runs: see DEEP_NESTING).
 */
const IN_PROCESS_RUNS = FULL ? 20_000 : 2000;
const CLI_CASES = FULL ? 3000 : 450;
const BATCH = 30;
const counts = { inProcess: 0, cli: 0 };

function bases(): unknown[] {
  const files = [
    ...readdirSync('runbooks').map((f) => join('runbooks', f)),
    ...readdirSync('test/fixtures/runbooks/good').map((f) => join('test/fixtures/runbooks/good', f)),
  ].filter((f) => f.endsWith('.yaml'));
  return files.map((f) => parse(readFileSync(f, 'utf8')) as unknown);
}

describe('fuzzer: runbooks', () => {
  let dir: string;
  beforeAll(() => {
    requireBuiltCli();
    dir = tempDir('hotspare-fuzz-runbook-');
  });
  afterAll(() => figures({ matrix: 'fuzz runbooks', ...counts }));

  it('loading a runbook either succeeds or names what is wrong (a RunbookError), whatever the file holds', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(runbookText(bases() as never, { deepNesting: false }), async (text) => {
        const file = join(dir, `in-process-${n++}.yaml`);
        writeFileSync(file, text, 'latin1');
        counts.inProcess += 1;
        try {
          await loadRunbook(file);
        } catch (error) {
          if (!(error instanceof RunbookError)) throw error;
          expect(error.kind).toBe('usage');
          expect(error.message).toContain(file);
        }
      }),
      { numRuns: IN_PROCESS_RUNS },
    );
  });

  it('`hotspare validate` on mutated runbooks exits 0 or 2, names every file, never an internal error or a stack, never hangs', async () => {
    const texts = fc.sample(runbookText(bases() as never, { deepNesting: true }), CLI_CASES);
    const cliDir = join(dir, 'cli');
    mkdirSync(cliDir);
    const files = texts.map((text, i) => {
      const file = join(cliDir, `case-${i}.yaml`);
      writeFileSync(file, text, 'latin1');
      return file;
    });
    const problems: string[] = [];
    for (let i = 0; i < files.length; i += BATCH) {
      const batch = files.slice(i, i + BATCH);
      const r = await runCli(['validate', ...batch], { home: dir, timeoutMs: 60_000 });
      counts.cli += batch.length;
      const output = `${r.stdout}${r.stderr}`;
      if (r.hung || (r.status !== 0 && r.status !== 2) || INTERNAL_ERROR.test(output) || STACK_FRAME.test(output))
        problems.push(describeRun(r));
      const unnamed = batch.filter((f) => !output.includes(`ok ${f} (`) && !output.includes(`${f}:`));
      if (unnamed.length > 0) problems.push(`not reported: ${unnamed.join(', ')}\n${describeRun(r)}`);
    }
    expect(problems).toEqual([]);
  });
});
