import { RunbookError, loadRunbook } from '../../runbook/load.js';
import { UsageError } from '../../ports/errors.js';
import type { Io } from './run.js';

/** `hotspare validate FILE...`: 0 when every file is valid, 2 otherwise; every problem printed. */
export async function validateCommand(files: readonly string[], io: Io): Promise<number> {
  if (files.length === 0) throw new UsageError('Name at least one runbook file: hotspare validate RUNBOOK...', { code: 'MissingRunbook' });
  let bad = 0;
  for (const file of files) {
    try {
      const { runbook } = await loadRunbook(file);
      io.out(`ok ${file} (${runbook.name}: ${runbook.steps.length} steps)`);
    } catch (error) {
      if (!(error instanceof RunbookError)) throw error;
      bad++;
      io.err(error.message);
    }
  }
  return bad === 0 ? 0 : 2;
}
