import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';

/**
 * `npm start` bundles the CLI only when a source changed since the last bundle. Run in a copy of
 * the project (its node_modules linked), so the tests' own dist/ is never rebuilt under them.
 */

const ROOT = process.cwd();

function copyProject(): string {
  const dir = tempDir('hotspare-start-');
  for (const part of [
    'src',
    'scripts',
    'runbooks',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
  ]) {
    cpSync(join(ROOT, part), join(dir, part), { recursive: true, preserveTimestamps: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
  return dir;
}

/** `npm start -- --version` in `dir`: its prestart step, then the CLI. */
function npmStart(dir: string): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' };
  const r = spawnSync('npm', ['start', '--silent', '--', '--version'], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm start', () => {
  it('bundles when there is no bundle or a source changed, and not otherwise', () => {
    const dir = copyProject();
    const bin = join(dir, 'dist', 'cli', 'bin.js');

    const first = npmStart(dir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain('bundling the CLI again');
    expect(first.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const built = statSync(bin).mtimeMs;

    const again = npmStart(dir);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('bundling');
    expect(statSync(bin).mtimeMs).toBe(built);

    // An edit (a newer modification time) is a change; so is a file added.
    const source = join(dir, 'src', 'ui', 'format.ts');
    const later = new Date(Date.now() + 5000);
    utimesSync(source, later, later);
    const edited = npmStart(dir);
    expect(edited.status, edited.stderr).toBe(0);
    expect(edited.stderr).toContain('bundling the CLI again');
    expect(existsSync(resolve(dir, 'dist', 'cli', 'sources.sha256'))).toBe(true);
  }, 240_000);
});
