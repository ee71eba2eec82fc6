// Writes docs/error-codes.md from the closed list in src/domain/error-codes.ts (compiled here by
// esbuild, in memory). test/domain/error-codes.test.ts checks that the document and the list are the same.
import { buildSync } from 'esbuild';
import { writeFileSync } from 'node:fs';

const compiled = buildSync({
  entryPoints: [new URL('../src/domain/error-codes.ts', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
});
const { ERROR_CODES } = await import(
  `data:text/javascript;base64,${Buffer.from(compiled.outputFiles[0].text).toString('base64')}`
);

const lines = [
  '# Error codes',
  '',
  'Every error hotspare reports carries one of these codes: in `--json` output as `error.code` (an',
  'error object, and the `error` of `step-failed`, `call`, `undo-failed` events), and in journal',
  "records. The list is closed and stable: a message's words may change, a code does not. The kind",
  'says whose move it is and sets the exit code (usage 2, refused 3, external and bug 1).',
  '',
  "An AWS error hotspare has no code of its own for is `AwsError`; AWS's own code is beside it in",
  '`awsCode` (e.g. `{"code": "AwsError", "awsCode": "PriorityInUse"}`). `BadCredentials` and',
  '`DeleteFailed` carry `awsCode` too. A journal written by a version before this list may hold',
  "other codes (AWS's own, an errno): they are shown as they were written.",
  '',
  'Generated from `src/domain/error-codes.ts` by `node scripts/error-codes-doc.mjs`.',
  '',
  '| code | kind | meaning |',
  '| --- | --- | --- |',
  ...Object.entries(ERROR_CODES).map(
    ([code, { kind, meaning }]) => `| \`${code}\` | ${kind} | ${meaning.replaceAll('|', '\\|')} |`,
  ),
  '',
];
writeFileSync(new URL('../docs/error-codes.md', import.meta.url), lines.join('\n'));
