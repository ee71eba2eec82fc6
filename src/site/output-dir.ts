import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../domain/errors.js';
import { MANIFEST_FILE } from './urls.js';

/**
 * A snapshot is written into a fresh folder beside `out` and swapped in only when complete, so a
 * crawl that fails half way never leaves a half-written site where the last good one was. An
 * existing `out` is replaced only when it is empty or a previous snapshot (it has a manifest).
 */
export async function writeAtomically(out: string, write: (dir: string) => Promise<void>): Promise<void> {
  const target = resolve(out);
  await assertReplaceable(target);
  await mkdir(dirname(target), { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const partial = join(dirname(target), `.${basename(target)}.partial-${stamp}`);
  await mkdir(partial);
  try {
    await write(partial);
    if (existsSync(target)) {
      const old = join(dirname(target), `.${basename(target)}.old-${stamp}`);
      await rename(target, old);
      await rename(partial, target);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(partial, target);
    }
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

async function assertReplaceable(target: string): Promise<void> {
  if (!existsSync(target)) return;
  let entries: string[];
  try {
    entries = await readdir(target);
  } catch {
    throw new UsageError(`${target} exists and is not a folder.`, {
      code: 'BadOutDir',
      nextSteps: 'Pass --out a folder path.',
    });
  }
  if (entries.length > 0 && !entries.includes(MANIFEST_FILE)) {
    throw new UsageError(
      `${target} is not empty and holds no snapshot (no ${MANIFEST_FILE}); refusing to replace it.`,
      {
        code: 'BadOutDir',
        nextSteps: 'Name a new or empty folder with --out, or a folder an earlier snapshot wrote.',
      },
    );
  }
}

/** Where `key` is under `dir`; refuses a key that would land outside `dir`. */
export function safePath(dir: string, key: string): string {
  const path = resolve(dir, key);
  const rel = relative(dir, path);
  if (rel === '' || rel.startsWith('..') || rel.includes(`..${sep}`))
    throw new Error(`unsafe path ${JSON.stringify(key)}`);
  return path;
}

/** Writes one file under `dir`, creating folders; refuses a key that would land outside `dir`. */
export async function writeKey(dir: string, key: string, body: Uint8Array): Promise<void> {
  const path = safePath(dir, key);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body);
}

/** Every file under `dir` as a key (`/`-separated, relative), sorted. */
export async function listKeys(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}
