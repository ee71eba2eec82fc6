#!/usr/bin/env node
// `npm start` runs this first: the CLI is bundled again (esbuild, a few seconds) only when a source
// or build file changed since the last bundle, so starting the sandbox does not wait for a build.
// `npm run build` (tsc's type check, then the bundle) is what `npm test` and `npm install` run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtFingerprint, sourcesFingerprint } from './sources-fingerprint.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const current = sourcesFingerprint(root);
if (existsSync(join(root, 'dist', 'cli', 'bin.js')) && builtFingerprint(root) === current) process.exit(0);
process.stderr.write('hotspare: sources changed since the last build; bundling the CLI again…\n');
const bundled = spawnSync(process.execPath, [join(root, 'scripts', 'bundle.mjs')], { stdio: 'inherit' });
process.exit(bundled.status ?? 1);
