import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../ports/errors.js';
import type { JournalEntry, JournalRecord } from './journal-records.js';

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
}

/** A journal file that cannot be trusted (not a torn tail: something in the middle). */
export class JournalCorruptError extends UsageError {}

/** Path of the journal file for a run. Run ids sort by time. */
export function journalPath(dir: string, runbook: string, runId: string): string {
  return join(dir, `${runbook}--${runId}.jsonl`);
}

/**
 * Parse a journal's text. A last line without its newline that does not parse is a torn write and
 * is reported in `tornBytes`; any other bad line throws JournalCorruptError naming file and line.
 */
export function parseJournal(text: string, file: string): ReadJournal {
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const records: JournalRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    records.push(parseLine(line, file, i + 1));
  });
  let tornBytes = 0;
  if (last.trim() !== '') {
    try {
      records.push(JSON.parse(last) as JournalRecord);
    } catch {
      tornBytes = Buffer.byteLength(last);
    }
  }
  return { records, tornBytes };
}

function parseLine(line: string, file: string, lineNo: number): JournalRecord {
  try {
    const rec = JSON.parse(line) as JournalRecord;
    if (rec === null || typeof rec !== 'object' || rec.v !== 1 || typeof rec.kind !== 'string') throw new Error('not a record');
    return rec;
  } catch {
    throw new JournalCorruptError(`${file}:${lineNo}: the journal is corrupt (not a JSON record).`, {
      code: 'JournalCorrupt',
      nextSteps: 'Do not edit journals by hand. Check the AWS console for the state of this run and repair the file or move it aside.',
    });
  }
}

export function readJournal(file: string): ReadJournal {
  return parseJournal(readFileSync(file, 'utf8'), file);
}

/**
 * Open (or create, mode 0600) a run's journal for appending. An existing torn tail is cut off
 * first so the next record starts on a line of its own, and the repair is journaled.
 */
export function openFileJournal(dir: string, runbook: string, runId: string): Journal {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = journalPath(dir, runbook, runId);
  const fd = openSync(path, 'a+', 0o600);
  let seq = 0;
  let tornBytes = 0;
  if (fstatSync(fd).size > 0) {
    const read = readJournal(path);
    seq = read.records.at(-1)?.seq ?? 0;
    tornBytes = read.tornBytes;
    if (tornBytes > 0) {
      ftruncateSync(fd, fstatSync(fd).size - tornBytes);
      fsyncSync(fd);
    }
  }
  const journal: Journal = {
    runId,
    path,
    append(entry) {
      const record = { v: 1, seq: ++seq, at: Date.now(), runId, ...entry } as JournalRecord;
      writeSync(fd, `${JSON.stringify(record)}\n`);
      fsyncSync(fd);
      return record;
    },
    close: () => closeSync(fd),
  };
  if (tornBytes > 0) journal.append({ kind: 'torn-tail-repaired', bytes: tornBytes });
  return journal;
}

/** An in-memory journal for tests and dry runs. */
export function memoryJournal(runId: string, records: JournalRecord[] = [], now: () => number = Date.now): Journal & { records: JournalRecord[] } {
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

/** Journal files for a runbook, oldest first. */
export function listJournals(dir: string, runbook?: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.jsonl') && (runbook === undefined || n.startsWith(`${runbook}--`)))
    .sort((a, b) => runIdOfFile(a).localeCompare(runIdOfFile(b)))
    .map((n) => join(dir, n));
}

function runIdOfFile(name: string): string {
  return name.slice(name.lastIndexOf('--') + 2);
}

/** A sortable run id: UTC time plus a random suffix, e.g. `20261121T084100Z-3f9a`. */
export function newRunId(now: number = Date.now(), random: () => number = Math.random): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const suffix = Math.floor(random() * 0xffff).toString(16).padStart(4, '0');
  return `${stamp}-${suffix}`;
}
