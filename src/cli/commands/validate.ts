import { UsageError } from '../../domain/errors.js';
import type { RunbookError } from '../../runbook/load.js';
import { ALWAYS, json } from '../args/flags.js';
import { defineCommand } from '../args/tree.js';
import type { Io } from '../output/io.js';
import { jsonText } from '../output/json-out.js';

/** One file's verdict, as `validate --json` prints it. */
type Validated =
  | {
      readonly file: string;
      readonly valid: true;
      readonly runbook: string;
      readonly steps: number;
      readonly warnings: RunbookError['problems'];
    }
  | { readonly file: string; readonly valid: false; readonly problems: RunbookError['problems'] };

async function validateFile(file: string): Promise<Validated> {
  const { RunbookError, loadRunbook } = await import('../../runbook/load.js');
  try {
    const { runbook, warnings } = await loadRunbook(file);
    return { file, valid: true, runbook: runbook.name, steps: runbook.steps.length, warnings: warnings ?? [] };
  } catch (error) {
    if (!(error instanceof RunbookError)) throw error;
    return { file, valid: false, problems: error.problems };
  }
}

/**
 * `hotspare validate FILE...`: 0 when every file is valid, 2 otherwise; every problem printed (with
 * --json: one object, `{ valid, files: [...] }`, on stdout).
 */
export async function validateCommand(files: readonly string[], io: Io, asJson = false): Promise<number> {
  if (files.length === 0)
    throw new UsageError('Name at least one runbook file: hotspare validate RUNBOOK...', { code: 'MissingRunbook' });
  const results: Validated[] = [];
  for (const file of files) results.push(await validateFile(file));
  const valid = results.every((r) => r.valid);
  if (asJson) io.out(jsonText({ valid, files: results }));
  else {
    const { formatProblem } = await import('../../runbook/load.js');
    for (const r of results) {
      if (r.valid) {
        io.out(
          `ok ${r.file} (${r.runbook}: ${r.steps} steps)${r.warnings.length === 0 ? '' : `, ${r.warnings.length} warning(s)`}`,
        );
        for (const w of r.warnings) io.err(`warning: ${formatProblem(w)}`);
      } else io.err(r.problems.map(formatProblem).join('\n'));
    }
  }
  return valid ? 0 : 2;
}

export const validate = defineCommand({
  name: 'validate',
  args: { usage: 'RUNBOOK...', kind: 'runbook', max: Infinity },
  summary: 'check runbook files; errors name file:line:col and the field',
  details:
    'Validates each runbook and prints file:line:col for every problem, and for every warning (what is valid but will not work as it should, such as an http:// maintenance URL Chrome warns about; a warning does not change the exit code). Exit 0 when all are valid, 2 otherwise. With --json: one object, {"valid", "files": [{"file", "valid", "runbook", "steps", "warnings"} or {"file", "valid", "problems"}]}.',
  flags: { json, ...ALWAYS },
  run: ({ args, flags, io }) => validateCommand(args, io, flags.json),
});
