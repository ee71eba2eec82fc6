import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../domain/errors.js';
import { systemClock } from '../domain/clock.js';
import type { Clock } from '../ports/index.js';
import type { JournalEntry, JournalRecord } from './journal-records.js';
import { asRecord } from './journal-schema.js';
import { ensureStateDir, stateFileError } from './state-files.js';

/** Where records go. The file implementation fsyncs each one before `append` returns. */
export interface Journal {
  readonly runId: string;
  /** Durable path (or a label for in-memory journals). */
  readonly path: string;
  append(entry: JournalEntry): JournalRecord;
  close(): void;
}

export interface ReadJournal {
  readonly records: readonly JournalRecord[];
  /** Bytes of a torn last line (a crash mid-write), ignored; 0 when the file ended cleanly. */
  readonly tornBytes: number;
  /** The last record is whole but has no newline after it: the next append must start a new line. */
  readonly missingNewline: boolean;
}

/** A journal file that cannot be trusted (not a torn tail: something in the middle). */
export class JournalCorruptError extends UsageError {}

/** Path of the journal file for a run. Run ids sort by time. */
export function journalPath(dir: string, runbook: string, runId: string): string {
  return join(dir, `${runbook}--${runId}.jsonl`);
}

function parseRecord(line: string): JournalRecord | undefined {
  try {
    return asRecord(JSON.parse(line));
  } catch {
    return undefined;
  }
}

/**
 * Parse a journal's text. Every line must be a whole record (see `journal-schema.ts`). A last line
 * without its newline that is not one is a torn write, reported in `tornBytes`; any other bad line
 * throws JournalCorruptError naming file and line.
 */
export function parseJournal(text: string, file: string): ReadJournal {
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const records: JournalRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const record = parseRecord(line);
    if (record === undefined) throw corrupt(file, i + 1);
    records.push(record);
  });
  if (last.trim() === '') return { records, tornBytes: 0, missingNewline: false };
  const record = parseRecord(last);
  if (record === undefined) return { records, tornBytes: Buffer.byteLength(last), missingNewline: false };
  return { records: [...records, record], tornBytes: 0, missingNewline: true };
}

function corrupt(file: string, lineNo: number): JournalCorruptError {
  return new JournalCorruptError(`${file}:${lineNo}: the journal is corrupt (not a journal record).`, {
    code: 'JournalCorrupt',
    nextSteps:
      'Do not edit journals by hand. Check the AWS console for the state of this run and repair the file or move it aside.',
  });
}

export function readJournal(file: string): ReadJournal {
  let text: string;
  try {
    text = nodeFs.readFileSync(file, 'utf8');
  } catch (error) {
    throw stateFileError(error, file, 'reading the journal');
  }
  return parseJournal(text, file);
}

/** The file operations a journal needs; tests pass their own to see what is synced when. */
export type JournalFs = Pick<
  typeof nodeFs,
  'openSync' | 'writeSync' | 'fsyncSync' | 'fstatSync' | 'ftruncateSync' | 'closeSync'
>;

export interface JournalOptions {
  /** Stamps each record's `at` (default: the system clock). */
  readonly clock?: Clock | undefined;
  readonly fs?: JournalFs | undefined;
  /** Called after each record is on disk (fsync'd); the reliability tests kill the process here. */
  readonly onAppended?: ((record: JournalRecord) => void) | undefined;
}

/**
 * Open (or create, mode 0600) a run's journal for appending. An existing torn tail is cut off
 * first so the next record starts on a line of its own, and the repair is journaled; a last record
 * without its newline gets one. Every append is written and fsync'd before it returns.
 */
export function openFileJournal(dir: string, runbook: string, runId: string, options: JournalOptions = {}): Journal {
  const fs = options.fs ?? nodeFs;
  const clock = options.clock ?? systemClock;
  ensureStateDir(dir);
  const path = journalPath(dir, runbook, runId);
  const io = <T>(doing: string, op: () => T): T => {
    try {
      return op();
    } catch (error) {
      throw stateFileError(error, path, doing);
    }
  };
  const fd = io('opening the journal', () => fs.openSync(path, 'a+', 0o600));
  const existing = io('reading the journal', () => (fs.fstatSync(fd).size > 0 ? readJournal(path) : undefined));
  let seq = existing?.records.at(-1)?.seq ?? 0;
  const write = (text: string): void => {
    io('writing the journal', () => {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    });
  };
  if (existing !== undefined && existing.tornBytes > 0) {
    io('repairing the journal', () => {
      fs.ftruncateSync(fd, fs.fstatSync(fd).size - existing.tornBytes);
      fs.fsyncSync(fd);
    });
  }
  if (existing?.missingNewline === true) write('\n');
  const journal: Journal = {
    runId,
    path,
    append(entry) {
      const record = { v: 1, seq: seq + 1, at: clock.now(), runId, ...entry } as JournalRecord;
      write(`${JSON.stringify(record)}\n`);
      seq += 1;
      options.onAppended?.(record);
      return record;
    },
    close: () => fs.closeSync(fd),
  };
  if (existing !== undefined && existing.tornBytes > 0)
    journal.append({ kind: 'torn-tail-repaired', bytes: existing.tornBytes });
  return journal;
}

/** An in-memory journal for tests and dry runs. */
export function memoryJournal(
  runId: string,
  records: JournalRecord[] = [],
  now: () => number = Date.now,
): Journal & { records: JournalRecord[] } {
  let seq = records.at(-1)?.seq ?? 0;
  return {
    runId,
    path: `memory:${runId}`,
    records,
    append(entry) {
      const record = { v: 1, seq: ++seq, at: now(), runId, ...entry } as JournalRecord;
      records.push(JSON.parse(JSON.stringify(record)) as JournalRecord);
      return record;
    },
    close: () => undefined,
  };
}

/** Journal files for a runbook (or all), oldest first. A missing directory holds none. */
export function listJournals(dir: string, runbook?: string): string[] {
  let names: string[];
  try {
    names = nodeFs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw stateFileError(error, dir, 'listing the journals in');
  }
  return names
    .filter((n) => n.endsWith('.jsonl') && (runbook === undefined || n.startsWith(`${runbook}--`)))
    .sort((a, b) => runIdOfFile(a).localeCompare(runIdOfFile(b)))
    .map((n) => join(dir, n));
}

function runIdOfFile(name: string): string {
  return name.slice(name.lastIndexOf('--') + 2);
}

/**
 * A sortable run id: UTC time to the millisecond plus a random suffix, e.g.
 * `20261121T084100.123Z-3f9a`. The milliseconds keep two runs started within one second (a fast
 * failover, rollback and failover again) in the order they started: the latest run is the last.
 */
export function newRunId(now: number = Date.now(), random: () => number = Math.random): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '');
  const suffix = Math.floor(random() * 0xffff)
    .toString(16)
    .padStart(4, '0');
  return `${stamp}-${suffix}`;
}
