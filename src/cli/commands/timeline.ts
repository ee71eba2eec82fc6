import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../../domain/errors.js';
import type { JournalRecord } from '../../engine/journal-records.js';
import { ALWAYS, journalDir, json, sandbox } from '../args/flags.js';
import { runbookPath } from '../args/parse.js';
import { defineCommand, type FlagValues } from '../args/tree.js';
import type { Io } from '../output/io.js';
import { jsonText } from '../output/json-out.js';
import { stateDir } from '../session/state-dir.js';

const flags = { json, journalDir, sandbox, ...ALWAYS };

function when(at: number, start: number): string {
  const t = new Date(at)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return `${t} | +${Math.round((at - start) / 1000)} s`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function describe(r: JournalRecord): [string, string] {
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
      return [
        r.unattended === true
          ? `Step **${r.stepId}** **NOT DONE**: ${r.reason}`
          : `Step **${r.stepId}** skipped: ${r.reason}`,
        '',
      ];
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
      return [
        `Run closed without a full rollback by ${r.operator.user}@${r.operator.host}; left in AWS: ${r.leftovers.join('; ') || 'nothing'}`,
        '',
      ];
    case 'undo-failed':
      return [`Undo of ${r.stepId} failed: ${r.error.message}`, ''];
    case 'rollback-finished':
      return [`Rollback finished: **${r.outcome}**${r.failures.length ? ` (${r.failures.join('; ')})` : ''}`, ''];
    case 'torn-tail-repaired':
      return [`A torn last record (${r.bytes} bytes, a crash mid-write) was cut off`, ''];
    case 'interrupted':
      return [`**Interrupted**: ${r.detail}`, ''];
    case 'environment':
      return [`Environment read: ${r.env.targetGroup.name}, web ${r.env.webTargets.map((t) => t.id).join(', ')}`, ''];
  }
}

/** One row of the timeline: when, who, what, the request id, and the journal record itself. */
export interface TimelineEntry {
  readonly at: number;
  readonly elapsedSeconds: number;
  readonly who: string;
  readonly what: string;
  readonly requestId?: string | undefined;
  readonly record: JournalRecord;
}

function firstRecord(records: readonly JournalRecord[]): Extract<JournalRecord, { kind: 'run-started' }> {
  const first = records[0];
  if (first === undefined || first.kind !== 'run-started')
    throw new UsageError('That journal does not start with a run.', { code: 'JournalCorrupt' });
  return first;
}

/** The timeline's rows, each credited to the operator who was acting then. Pure. */
export function timelineEntries(records: readonly JournalRecord[]): TimelineEntry[] {
  const first = firstRecord(records);
  let who = `${first.operator.user}@${first.operator.host}`;
  return records.map((r) => {
    if (r.kind === 'run-resumed' || r.kind === 'rollback-started') who = `${r.operator.user}@${r.operator.host}`;
    const [what, requestId] = describe(r);
    return {
      at: r.at,
      elapsedSeconds: Math.round((r.at - first.at) / 1000),
      who,
      what,
      ...(requestId === '' ? {} : { requestId }),
      record: r,
    };
  });
}

/** A Markdown incident timeline from a run's journal: who, what, when, request ids. Pure. */
export function timelineMarkdown(records: readonly JournalRecord[]): string {
  const first = firstRecord(records);
  const out = [
    `# Incident timeline: ${first.runbook}, run ${first.runId}`,
    '',
    `- Runbook: \`${first.runbookFile}\` (sha256 ${first.runbookSha256.slice(0, 12)}…), mode ${first.mode}`,
    `- Started by ${first.operator.user}@${first.operator.host} at ${new Date(first.at).toISOString()}`,
    '',
    '| Time (UTC) | Elapsed | Who | What | Request id |',
    '|---|---|---|---|---|',
  ];
  for (const e of timelineEntries(records))
    out.push(`| ${when(e.at, first.at)} | ${cell(e.who)} | ${cell(e.what)} | ${cell(e.requestId ?? '')} |`);
  return out.join('\n');
}

/** The timeline as `--json` prints it (times become ISO 8601 strings on output). */
export function timelineJson(records: readonly JournalRecord[], journal: string, tornBytes: number) {
  const first = firstRecord(records);
  return {
    runId: first.runId,
    runbook: first.runbook,
    runbookFile: first.runbookFile,
    runbookSha256: first.runbookSha256,
    mode: first.mode,
    startedBy: `${first.operator.user}@${first.operator.host}`,
    startedAt: first.at,
    journal,
    tornBytes,
    entries: timelineEntries(records),
  };
}

/**
 * `hotspare timeline [RUN]`: RUN is a run id, a journal file, or a runbook file (its latest run);
 * left out, the latest run. Searched in --journal-dir, else the state directory, or with --sandbox
 * the sandbox runs, newest first.
 */
async function timelineCommand(
  run: string | undefined,
  opts: FlagValues<typeof flags>,
  env: NodeJS.ProcessEnv,
  io: Io,
): Promise<number> {
  const { journalDirsToRead, sandboxRoot } = await import('../sandbox/journal-dirs.js');
  const dirs = journalDirsToRead(opts, stateDir(env));
  const file = await journalFor(run, dirs);
  if (file === undefined) {
    const where =
      opts.journalDir === undefined && opts.sandbox
        ? `the sandbox runs (${sandboxRoot(stateDir(env))})`
        : dirs.join(', ');
    throw new UsageError(run === undefined ? `No run in ${where}.` : `No journal for run ${run} in ${where}.`, {
      code: 'NoSuchRun',
      nextSteps: opts.sandbox
        ? 'Pass the journal file itself, or --journal-dir.'
        : 'Pass --journal-dir, --sandbox for sandbox runs, or the journal file itself.',
    });
  }
  const { records, tornBytes } = (await import('../../engine/journal.js')).readJournal(file);
  io.out(opts.json ? jsonText(timelineJson(records, file, tornBytes)) : timelineMarkdown(records));
  if (tornBytes > 0)
    io.err(`note: the journal's last line is torn (${tornBytes} bytes, a crash mid-write) and was ignored`);
  return 0;
}

/** The journal RUN names, searched in `dirs` in order. */
async function journalFor(run: string | undefined, dirs: readonly string[]): Promise<string | undefined> {
  const { listJournals } = await import('../../engine/journal.js');
  if (run === undefined) return newest(dirs.map((d) => listJournals(d).at(-1)));
  if (run.endsWith('.jsonl') && existsSync(run)) return run;
  const runbook = runbookPath(run);
  if (existsSync(runbook) && statSync(runbook).isFile()) {
    const { runbook: rb } = await (await import('../../runbook/load.js')).loadRunbook(runbook);
    return newest(dirs.map((d) => listJournals(d, rb.name).at(-1)));
  }
  for (const dir of dirs) {
    const file = listJournals(dir).find((f) => f.endsWith(`--${run}.jsonl`));
    if (file !== undefined) return file;
  }
  return undefined;
}

/** The file with the latest run id (ids sort by time), of those found. */
function newest(files: readonly (string | undefined)[]): string | undefined {
  const runId = (f: string): string => f.slice(f.lastIndexOf('--') + 2);
  return files.filter((f): f is string => f !== undefined).sort((a, b) => runId(b).localeCompare(runId(a)))[0];
}

export const timeline = defineCommand({
  name: 'timeline',
  args: { usage: '[RUN]', kind: 'run', max: 1 },
  summary: "Markdown incident timeline from a run's journal (default: the latest run)",
  details:
    "Prints a Markdown incident timeline (who, what, when, request ids) from a run's journal. RUN is a run id, a journal file or a runbook file (its latest run); left out, the latest run of all. With --sandbox the sandbox runs are searched (newest first). With --json: one object with the run and its entries, times as ISO 8601 strings.",
  flags,
  run: ({ args, flags, io, env }) => timelineCommand(args[0], flags, env, io),
});
