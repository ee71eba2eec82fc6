import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { readJournal } from '../../../src/engine/journal.js';
import type { JournalRecord } from '../../../src/engine/journal-records.js';
import type { CrashPoint, TrialResult } from './trials.js';

/**
 * How much of each matrix runs. `HOTSPARE_RELIABILITY=full` runs every point; the default (what CI
 * runs) keeps the whole sandbox matrix and, on moto, the points listed in `motoCiPoints`.
 */
export const FULL = process.env['HOTSPARE_RELIABILITY'] === 'full';

function label(r: JournalRecord): string {
  const step = 'stepId' in r ? ` ${r.stepId}` : '';
  const op = r.kind === 'intent' ? ` ${r.call.operation}` : '';
  return `${r.kind}${step}${op}`;
}

/** The records of the latest journal in `dir`. */
export function latestRecords(dir: string): JournalRecord[] {
  const latest = readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .at(-1);
  if (latest === undefined) throw new Error(`no journal in ${dir}`);
  return [...readJournal(join(dir, latest)).records];
}

/**
 * Every crash point of a command whose records are `records`: after each record, and after each
 * mutating call (between its intent and its result). Record numbers count from 1 at the first one.
 */
export function crashPoints(records: readonly JournalRecord[]): CrashPoint[] {
  const afterRecord = records.map((r, i): CrashPoint => ({ after: 'record', n: i + 1, label: label(r) }));
  const intents = records.filter((r) => r.kind === 'intent');
  const afterSend = intents.map(
    (r, i): CrashPoint => ({ after: 'send', n: i + 1, label: `${label(r)} sent, result not journaled` }),
  );
  return [...afterRecord, ...afterSend];
}

/** The failover's and the rollback's records of a complete run (failover, then rollback). */
export function splitRun(records: readonly JournalRecord[]): { failover: JournalRecord[]; rollback: JournalRecord[] } {
  const at = records.findIndex((r) => r.kind === 'rollback-started');
  if (at < 0) throw new Error('the baseline run was not rolled back');
  return { failover: records.slice(0, at), rollback: records.slice(at) };
}

/** Figures for the README: one JSON line per matrix, to `HOTSPARE_RELIABILITY_REPORT` when set, and a line on stdout. */
export function report(
  matrix: string,
  results: readonly TrialResult[],
  extra: Readonly<Record<string, number>> = {},
): void {
  const held = results.filter((r) => r.violations.length === 0).length;
  const secondAttempt = results.filter((r) => r.rollbackAttempts === 2).length;
  const kills = results.reduce((n, r) => n + r.kills, 0);
  figures({
    matrix,
    trials: results.length,
    kills,
    held,
    failed: results.length - held,
    rollbackNeededSecondAttempt: secondAttempt,
    ...extra,
  });
}

/** One line of figures: on stdout, and appended to `HOTSPARE_RELIABILITY_REPORT` when set. */
export function figures(line: Readonly<Record<string, unknown>>): void {
  console.log(`reliability: ${JSON.stringify(line)}`);
  const file = process.env['HOTSPARE_RELIABILITY_REPORT'];
  if (file !== undefined && file !== '') appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/** A trial that did not hold is printed as it happens (the assertion lists them all at the end). */
export function logFailure(result: TrialResult): void {
  if (result.violations.length > 0)
    console.log(`reliability: trial did not hold: ${result.name}\n  ${result.violations.join('\n  ')}`);
}

/** Every violation of every trial, one per line, for one assertion that names them all. */
export function violations(results: readonly TrialResult[]): string[] {
  return results.flatMap((r) => r.violations.map((v) => `${r.name}: ${v}`));
}

/** The records after which CI kills on moto: both ends of a failover, each side of every mutating call. */
export const CI_FAILOVER_RECORDS: ReadonlySet<string> = new Set(['run-started', 'intent', 'result', 'run-finished']);
/** The same for a rollback: before every undo call is sent, and its last record. */
export const CI_ROLLBACK_RECORDS: ReadonlySet<string> = new Set(['intent', 'rollback-finished']);

/**
 * The moto points CI runs (a real process per command makes each trial cost seconds): every kill
 * between a call and its result, and after the records of `kinds`. `HOTSPARE_RELIABILITY=full`
 * runs them all.
 */
export function motoCiPoints(points: readonly CrashPoint[], kinds: ReadonlySet<string>): CrashPoint[] {
  if (FULL) return [...points];
  return points.filter((p) => p.after === 'send' || kinds.has((p.label ?? '').split(' ')[0] ?? ''));
}
