// What the bundle is made from, as one fingerprint: every file under src/ and the files that say
// how it is built, each by path, size and modification time. `scripts/bundle.mjs` writes it beside
// the bundle when it is done; `scripts/build-if-changed.mjs` bundles again only when it differs
// (a file edited, added or removed). Reading it costs a stat per file, a few milliseconds.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The files outside src/ that change what the bundle holds. */
const BUILD_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/bundle.mjs'];

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** The fingerprint of the sources under `root`, as hex. */
export function sourcesFingerprint(root) {
  const files = [...filesUnder(join(root, 'src')), ...BUILD_FILES.map((f) => join(root, f))]
    .map((f) => relative(root, f))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) {
    let stat;
    try {
      stat = statSync(join(root, file));
    } catch {
      hash.update(`${file} missing\n`);
      continue;
    }
    hash.update(`${file} ${stat.size} ${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** Where the bundle keeps the fingerprint of what it was made from. */
export function fingerprintFile(root) {
  return join(root, 'dist', 'cli', 'sources.sha256');
}

/** The fingerprint the bundle was made from, or undefined when there is none. */
export function builtFingerprint(root) {
  try {
    return readFileSync(fingerprintFile(root), 'utf8').trim();
  } catch {
    return undefined;
  }
}
