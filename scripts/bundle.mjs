#!/usr/bin/env node
// Bundles the CLI into dist/cli/bin.js (the package's `bin`), after `tsc` has checked and compiled
// src/ into dist/. One ESM entry plus chunks beside it: every `import()` in the sources (a command's
// modules, an AWS service's client, the dashboard) becomes a chunk loaded only when it is needed,
// and the SDK's ES modules are tree-shaken to the commands hotspare sends. The chunks sit in
// dist/cli/ itself so `import.meta.url`-relative paths (../../package.json, ../../runbooks/) hold
// in every one of them. See docs/performance.md.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprintFile, sourcesFingerprint } from './sources-fingerprint.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');

// Read before bundling: a source saved while esbuild runs then counts as changed next time.
const fingerprint = sourcesFingerprint(root);
mkdirSync(outdir, { recursive: true });

// Chunks of an earlier bundle: their names carry a content hash, so stale ones would pile up.
for (const file of readdirSync(outdir)) if (file.startsWith('chunk-')) rmSync(join(outdir, file));

const result = await build({
  absWorkingDir: root,
  entryPoints: { bin: 'src/cli/bin.ts' },
  outdir,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The SDK's ES module builds tree-shake; their CommonJS builds do not.
  mainFields: ['module', 'main'],
  minify: true,
  // Error classes and components keep their names (error reports, React's messages).
  keepNames: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  // Bundled CommonJS modules (React, some of the SDK's dependencies) call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __hotspareRequire } from 'node:module'; const require = __hotspareRequire(import.meta.url);",
  },
  // ink loads React's devtools only when DEV=true; they are not a dependency of hotspare.
  external: ['react-devtools-core'],
  allowOverwrite: true,
  metafile: true,
  logLevel: 'warning',
});

// What this bundle was made from: `npm start` bundles again only when it changes (build-if-changed.mjs).
writeFileSync(fingerprintFile(root), `${fingerprint}\n`);

if (process.argv.includes('--analyze')) {
  const { analyzeMetafile } = await import('esbuild');
  console.log(await analyzeMetafile(result.metafile));
}
