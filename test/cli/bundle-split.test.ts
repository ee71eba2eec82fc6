import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';

/**
 * The built CLI loads only what a command needs: each chunk it loads is named in a log by a module
 * loader hook, and each chunk's source map says which sources it holds.
 */

beforeAll(requireBuiltCli);

/** The sources (from the source maps) of every chunk of the bundle that `args` loads. */
function sourcesLoadedBy(...args: string[]): string[] {
  const dir = tempDir();
  const log = join(dir, 'loaded.txt');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, url + '\\n');\n  return next(url, context);\n}\n`,
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
  );
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, BIN, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const chunks = readFileSync(log, 'utf8')
    .split('\n')
    .filter((u) => u.includes('/dist/cli/'));
  expect(chunks.length).toBeGreaterThan(1);
  return chunks.flatMap(
    (url) => (JSON.parse(readFileSync(`${new URL(url).pathname}.map`, 'utf8')) as { sources: string[] }).sources,
  );
}

const HEAVY = [
  /node_modules\/ink\//,
  /node_modules\/react\//,
  /node_modules\/@aws-sdk\//,
  /src\/engine\/(?!in-flight)/,
  /src\/ui\//,
  /src\/sandbox\/(?!faults)/,
];

describe('the bundle splits per command', () => {
  it.each([
    [['--help']],
    [['help', 'site', 'publish']],
    [['validate', 'runbooks/sandbox.yaml', 'runbooks/emergency-mode.yaml']],
  ])('hotspare %j loads no engine, no dashboard, no SDK', (args) => {
    const sources = sourcesLoadedBy(...args);
    expect(sources.some((s) => s.includes('src/cli/main.ts'))).toBe(true);
    expect(sources.filter((s) => HEAVY.some((h) => h.test(s)))).toEqual([]);
  });

  it.each([[['--help']], [['help', 'site', 'publish']], [['site', 'snapshot', '--help']]])(
    'hotspare %j loads no runbook schema (zod)',
    (args) => {
      expect(
        sourcesLoadedBy(...args).filter((s) => /node_modules\/zod\//.test(s) || s.includes('src/runbook/schema.ts')),
      ).toEqual([]);
    },
  );

  it('validate loads the runbook schema (the check can fail)', () => {
    expect(sourcesLoadedBy('validate', 'runbooks/sandbox.yaml').some((s) => /node_modules\/zod\//.test(s))).toBe(true);
  });

  it('a command that needs them does load them (the check can fail)', () => {
    const sources = sourcesLoadedBy('plan', 'runbooks/sandbox.yaml', '--sandbox');
    expect(sources.some((s) => /src\/engine\//.test(s) || /src\/sandbox\/world/.test(s))).toBe(true);
  });
});
