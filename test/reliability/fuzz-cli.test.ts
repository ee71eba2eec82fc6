import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../helpers/cli.js';
import { describeRun, INTERNAL_ERROR, LEFT_LOOPBACK, runCli, STACK_FRAME, type CliRun } from './helpers/cli.js';
import { argvArbitrary, type ArgPlaces } from './helpers/fuzz-args.js';
import { figures, FULL } from './helpers/matrix.js';
import { newSite, startMotoWorld, type MotoWorld } from './helpers/moto-world.js';

/**
 * The fuzzer over command lines: random commands, positionals and flags (valid, edge and garbage
 * values) against the built CLI, with a real site in moto behind AWS_ENDPOINT_URL. Whatever the
 * command line, the CLI exits 0, 1, 2 or 3 with a message, never an internal error or a stack
 * (unless `--debug` asked for it), never hangs, and never reaches beyond loopback.
 */
const CASES = FULL ? 600 : 50;
const CONCURRENCY = 2;
const SEED =
  process.env['HOTSPARE_FUZZ_SEED'] === undefined ? Date.now() % 2 ** 31 : Number(process.env['HOTSPARE_FUZZ_SEED']);

let world: MotoWorld;
let page: Server;
let places: ArgPlaces;
let ran = 0;
const exits: Record<string, number> = {};

beforeAll(async () => {
  requireBuiltCli();
  world = await startMotoWorld();
  const site = await newSite(world);
  page = createServer((_, res) =>
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<html><body><h1>Shop</h1><a href="/about">about</a></body></html>'),
  );
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  const dir = join(world.work, 'args');
  mkdirSync(join(dir, 'a-directory'), { recursive: true });
  writeFileSync(join(dir, 'a-file'), 'not a directory');
  writeFileSync(join(dir, 'bad.yaml'), 'name: Not Kebab\nsteps: [launch-rocket]\n');
  places = {
    runbook: site.runbookFile,
    badRunbook: join(dir, 'bad.yaml'),
    missing: join(dir, 'missing.yaml'),
    directory: join(dir, 'a-directory'),
    file: join(dir, 'a-file'),
    journalDir: join(dir, 'journal'),
    pageUrl: `http://127.0.0.1:${(page.address() as AddressInfo).port}/`,
    endpoint: world.moto.endpoint,
  };
});

afterAll(async () => {
  figures({ matrix: 'fuzz command lines', cases: ran, exits, seed: SEED });
  await new Promise<void>((resolve) => page?.close(() => resolve()));
  await world?.stop();
});

function problem(r: CliRun): string | undefined {
  const output = `${r.stdout}${r.stderr}`;
  // `--debug` shows stacks by design.
  const stack = !r.args.includes('--debug') && STACK_FRAME.test(output);
  const bad =
    r.hung || r.status === null || r.status > 3 || INTERNAL_ERROR.test(output) || stack || LEFT_LOOPBACK.test(output);
  return bad ? describeRun(r) : undefined;
}

describe('fuzzer: command lines', () => {
  it(`exit 0-3 with a message, no internal error, no stack, no hang, loopback only (seed ${SEED})`, async () => {
    const cases = fc.sample(argvArbitrary(places), { numRuns: CASES, seed: SEED });
    const problems: string[] = [];
    for (let i = 0; i < cases.length; i += CONCURRENCY) {
      const runs = await Promise.all(
        cases.slice(i, i + CONCURRENCY).map((argv) =>
          runCli(argv, {
            home: join(world.work, 'args'),
            timeoutMs: 45_000,
            env: { AWS_ENDPOINT_URL: world.moto.endpoint },
          }),
        ),
      );
      ran += runs.length;
      for (const r of runs) {
        const code = r.hung ? 'hung' : String(r.status ?? r.signal);
        exits[code] = (exits[code] ?? 0) + 1;
        const p = problem(r);
        if (p !== undefined) problems.push(p);
      }
    }
    expect(problems).toEqual([]);
  });
});
