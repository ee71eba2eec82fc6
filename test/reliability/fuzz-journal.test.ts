import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timelineMarkdown } from '../../src/cli/commands/timeline.js';
import { parseJournal } from '../../src/engine/journal.js';
import { latestRun } from '../../src/engine/runs.js';
import { summarize, hasStarted } from '../../src/engine/run-summary.js';
import { HotspareError } from '../../src/domain/errors.js';
import { requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';
import { describeRun, INTERNAL_ERROR, LEFT_LOOPBACK, runCli, STACK_FRAME, type CliRun } from './helpers/cli.js';
import { damagedJournal } from './helpers/journal-damage.js';
import { deadPid } from './helpers/sandbox-crash.js';
import { figures, FULL } from './helpers/matrix.js';

/**
 * The fuzzer over damaged journals and journal directories: real journals (a finished failover, a
 * run killed in the middle, a drill that rolled back) truncated, bytes flipped, lines duplicated,
 * removed, swapped, JSON that is not a record inserted. In-process, reading them either works or
 * fails with hotspare's own usage error; through the built CLI, status, resume, rollback and
 * timeline exit 0-3 with a clear message, never an internal error, a stack or a hang.
 */
const IN_PROCESS_RUNS = FULL ? 20_000 : 2000;
const CLI_CASES = FULL ? 150 : 8;
const SEED =
  process.env['HOTSPARE_FUZZ_SEED'] === undefined ? Date.now() % 2 ** 31 : Number(process.env['HOTSPARE_FUZZ_SEED']);
const RUNBOOK = join(process.cwd(), 'runbooks/sandbox.yaml');
const NAME = 'sandbox-drill';
const SANDBOX = ['--sandbox', '--speed', '1000', '--headless'];

interface Base {
  readonly what: string;
  readonly file: string;
  readonly bytes: Buffer;
}

let work: string;
const bases: Base[] = [];
const counts = { inProcess: 0, cliCases: 0, cliRuns: 0, fixedCases: 0 };

function cli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, { home: work, timeoutMs: 45_000, env });
}

async function baseJournal(what: string, args: readonly string[], env: Record<string, string> = {}): Promise<void> {
  const dir = join(work, `base-${bases.length}`);
  await cli([...args, RUNBOOK, ...SANDBOX, '--yes', '--journal-dir', dir], env);
  const name = readdirSync(dir).find((n) => n.endsWith('.jsonl'));
  if (name === undefined) throw new Error(`no journal for ${what}`);
  bases.push({ what, file: name, bytes: readFileSync(join(dir, name)) });
}

beforeAll(async () => {
  requireBuiltCli();
  work = tempDir('hotspare-fuzz-journal-');
  await baseJournal('a finished failover', ['failover']);
  await baseJournal('a failover killed after record 10', ['failover'], { HOTSPARE_TEST_KILL_AFTER_RECORD: '10' });
  await baseJournal('a drill, rolled back', ['drill', '--hold', '0']);
});

afterAll(() => figures({ matrix: 'fuzz journals', ...counts, seed: SEED }));

/** What the CLI must never do, whatever the journal holds. */
function problems(runs: readonly CliRun[]): string[] {
  return runs.flatMap((r) => {
    const output = `${r.stdout}${r.stderr}`;
    const bad =
      r.hung ||
      r.status === null ||
      r.status > 3 ||
      INTERNAL_ERROR.test(output) ||
      STACK_FRAME.test(output) ||
      LEFT_LOOPBACK.test(output);
    return bad ? [describeRun(r)] : [];
  });
}

/** Every command that reads a journal, on the journal directory `dir`. */
async function everyReader(dir: string, file: string): Promise<CliRun[]> {
  const on = [RUNBOOK, ...SANDBOX, '--journal-dir', dir];
  const runs = [
    await cli(['status', ...on]),
    await cli(['resume', ...on, '--yes']),
    await cli(['rollback', ...on, '--yes']),
    await cli(['timeline', join(dir, file), '--journal-dir', dir]),
  ];
  counts.cliRuns += runs.length;
  return runs;
}

describe('fuzzer: damaged journals', () => {
  it('reading a damaged journal works or says it is corrupt (a usage error), never anything else', () => {
    const arb = fc
      .nat({ max: 2 })
      .chain((i) => damagedJournal(bases[i]!.bytes).map((d) => ({ ...d, base: bases[i]! })));
    let n = 0;
    fc.assert(
      fc.property(arb, ({ bytes, base }) => {
        counts.inProcess += 1;
        const dir = join(work, `in-process-${n++}`);
        mkdirSync(dir);
        writeFileSync(join(dir, base.file), bytes, { mode: 0o600 });
        try {
          const parsed = parseJournal(bytes.toString('utf8'), base.file);
          if (hasStarted(parsed.records)) {
            summarize(parsed.records);
            timelineMarkdown(parsed.records);
          }
          latestRun(dir, NAME);
        } catch (error) {
          if (!(error instanceof HotspareError) || error.kind !== 'usage') throw error;
        }
      }),
      { numRuns: IN_PROCESS_RUNS, seed: SEED },
    );
  });

  it(`status, resume, rollback and timeline on damaged journals: exit 0-3, a message, never an internal error (seed ${SEED})`, async () => {
    const arb = fc
      .nat({ max: 2 })
      .chain((i) => damagedJournal(bases[i]!.bytes).map((d) => ({ ...d, base: bases[i]! })));
    const cases = fc.sample(arb, { numRuns: CLI_CASES, seed: SEED });
    const found: string[] = [];
    for (const [i, c] of cases.entries()) {
      const dir = join(work, `cli-${i}`);
      mkdirSync(dir, { mode: 0o700 });
      writeFileSync(join(dir, c.base.file), c.bytes, { mode: 0o600 });
      counts.cliCases += 1;
      found.push(
        ...problems(await everyReader(dir, c.base.file)).map(
          (p) => `${c.base.what}, damaged ${JSON.stringify(c.damages)}:\n${p}`,
        ),
      );
    }
    expect(found).toEqual([]);
  });

  it('bad journal directories and locks: exit 0-3, a message, never an internal error', async () => {
    const base = bases[0]!;
    const cases: Record<string, (dir: string) => void> = {
      'the journal directory is a file': (dir) => writeFileSync(dir, 'not a directory'),
      'the journal directory is open to everyone (0777)': (dir) => {
        mkdirSync(dir);
        chmodSync(dir, 0o777);
        writeFileSync(join(dir, base.file), base.bytes, { mode: 0o600 });
      },
      'a lock that is not JSON': (dir) => {
        mkdirSync(dir, { mode: 0o700 });
        writeFileSync(join(dir, base.file), base.bytes, { mode: 0o600 });
        writeFileSync(join(dir, `${NAME}.lock`), '{not json', { mode: 0o600 });
      },
      'an empty lock, just created': (dir) => {
        mkdirSync(dir, { mode: 0o700 });
        writeFileSync(join(dir, base.file), base.bytes, { mode: 0o600 });
        writeFileSync(join(dir, `${NAME}.lock`), '', { mode: 0o600 });
      },
      'a lock held by a dead process, and its takeover guard left behind': (dir) => {
        mkdirSync(dir, { mode: 0o700 });
        writeFileSync(join(dir, base.file), base.bytes, { mode: 0o600 });
        const dead = {
          user: 'operator',
          host: hostname(),
          pid: deadPid(),
          runbook: NAME,
          command: 'failover',
          since: 0,
        };
        writeFileSync(join(dir, `${NAME}.lock`), JSON.stringify(dead), { mode: 0o600 });
        writeFileSync(join(dir, `${NAME}.lock.takeover`), JSON.stringify({ host: hostname(), pid: deadPid() }), {
          mode: 0o600,
        });
      },
      'an empty journal and a journal that is a directory': (dir) => {
        mkdirSync(dir, { mode: 0o700 });
        writeFileSync(join(dir, base.file), '', { mode: 0o600 });
        mkdirSync(join(dir, `${NAME}--29990101T000000.000Z-0000.jsonl`));
      },
    };
    const found: string[] = [];
    for (const [what, make] of Object.entries(cases)) {
      const dir = join(work, `fixed-${counts.fixedCases++}`);
      make(dir);
      found.push(...problems(await everyReader(dir, base.file)).map((p) => `${what}:\n${p}`));
    }
    expect(found).toEqual([]);
  });
});
