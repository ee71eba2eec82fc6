import { existsSync } from 'node:fs';
import { UsageError } from '../../ports/errors.js';
import { listJournals, readJournal } from '../../engine/journal.js';
import type { JournalRecord } from '../../engine/journal-records.js';
import type { Io } from './run.js';

function when(at: number, start: number): string {
  const t = new Date(at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return `${t} | +${Math.round((at - start) / 1000)} s`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function what(r: JournalRecord): [string, string] {
  switch (r.kind) {
    case 'run-started':
      return [`Run started (${r.mode}) from ${r.runbookFile}`, ''];
    case 'run-resumed':
      return [`Run resumed by ${r.operator.user}@${r.operator.host}`, ''];
    case 'step-started':
      return [`Step **${r.stepId}** started${r.attempt > 1 ? ` (attempt ${r.attempt})` : ''}`, ''];
    case 'intent':
      return [`→ ${r.call.service} ${r.call.operation} (${r.stepId})`, ''];
    case 'result':
      return [`✓ ${r.callId} done${r.outputs ? ` ${JSON.stringify(r.outputs)}` : ''}`, r.requestId ?? ''];
    case 'call-failed':
      return [`✗ ${r.callId} failed: ${r.error.message}`, ''];
    case 'step-succeeded':
      return [`Step **${r.stepId}** succeeded`, ''];
    case 'step-failed':
      return [`Step **${r.stepId}** failed: ${r.error.message}`, ''];
    case 'step-skipped':
      return [`Step **${r.stepId}** skipped: ${r.reason}`, ''];
    case 'verified':
      return [`${r.holds ? 'Verified' : 'Not verified'} ${r.stepId}: ${r.detail}`, ''];
    case 'run-finished':
      return [`Run finished: **${r.outcome}**`, ''];
    case 'rollback-started':
      return [`Rollback started by ${r.operator.user}@${r.operator.host}`, ''];
    case 'undo-started':
      return [`Undo ${r.stepId}`, ''];
    case 'undo-succeeded':
      return [`Undone ${r.stepId}${r.detail === undefined ? '' : ` (${r.detail})`}`, ''];
    case 'undo-skipped':
      return [`Not undone: ${r.stepId} (${r.reason})`, ''];
    case 'run-abandoned':
      return [`Run closed without a full rollback by ${r.operator.user}@${r.operator.host}; left in AWS: ${r.leftovers.join('; ') || 'nothing'}`, ''];
    case 'undo-failed':
      return [`Undo of ${r.stepId} failed: ${r.error.message}`, ''];
    case 'rollback-finished':
      return [`Rollback finished: **${r.outcome}**${r.failures.length ? ` (${r.failures.join('; ')})` : ''}`, ''];
    case 'torn-tail-repaired':
      return [`A torn last record (${r.bytes} bytes, a crash mid-write) was cut off`, ''];
    case 'environment':
      return [`Environment read: ${r.env.targetGroup.name}, web ${r.env.webTargets.map((t) => t.id).join(', ')}`, ''];
  }
}

/** A Markdown incident timeline from a run's journal: who, what, when, request ids. Pure. */
export function timelineMarkdown(records: readonly JournalRecord[]): string {
  const first = records[0];
  if (first === undefined || first.kind !== 'run-started') throw new UsageError('That journal does not start with a run.', { code: 'JournalCorrupt' });
  const out = [
    `# Incident timeline: ${first.runbook}, run ${first.runId}`,
    '',
    `- Runbook: \`${first.runbookFile}\` (sha256 ${first.runbookSha256.slice(0, 12)}…), mode ${first.mode}`,
    `- Started by ${first.operator.user}@${first.operator.host} at ${new Date(first.at).toISOString()}`,
    '',
    '| Time (UTC) | Elapsed | Who | What | Request id |',
    '|---|---|---|---|---|',
  ];
  let who = `${first.operator.user}@${first.operator.host}`;
  for (const r of records) {
    if (r.kind === 'run-resumed' || r.kind === 'rollback-started') who = `${r.operator.user}@${r.operator.host}`;
    const row = what(r);
    if (row !== undefined) out.push(`| ${when(r.at, first.at)} | ${cell(who)} | ${cell(row[0])} | ${cell(row[1])} |`);
  }
  return out.join('\n');
}

/** `hotspare timeline RUN`: RUN is a journal file or a run id in the journal directory. */
export function timelineCommand(run: string | undefined, journalDir: string, io: Io): number {
  if (run === undefined) throw new UsageError('Name a run: hotspare timeline RUN (a run id or a journal file).', { code: 'MissingRun' });
  const file = existsSync(run) ? run : listJournals(journalDir).find((f) => f.endsWith(`--${run}.jsonl`));
  if (file === undefined) throw new UsageError(`No journal for run ${run} in ${journalDir}.`, { code: 'NoSuchRun', nextSteps: 'Pass --journal-dir, or the journal file itself.' });
  const { records, tornBytes } = readJournal(file);
  io.out(timelineMarkdown(records));
  if (tornBytes > 0) io.err(`note: the journal's last line is torn (${tornBytes} bytes, a crash mid-write) and was ignored`);
  return 0;
}
