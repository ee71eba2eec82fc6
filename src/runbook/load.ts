import { open } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../domain/errors.js';
import { runbookSchema, STEP_TYPES, type Runbook } from './schema.js';
import { closest, describeIssue, knownKeysAt } from './messages.js';
import { MAX_NESTING, tooDeepAt } from './nesting.js';
import { runbookWarnings } from './maintenance-https.js';

/** One thing wrong with a runbook, located in its file. */
export interface RunbookProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Field path such as `redirectServer.instanceType`, or '' for the document. */
  readonly path: string;
  readonly message: string;
}

/** A runbook that failed to load; `message` lists every problem as `file:line:col: path: message`. */
export class RunbookError extends UsageError {
  readonly problems: readonly RunbookProblem[];
  constructor(problems: readonly RunbookProblem[], nextSteps = 'Fix the runbook and run `hotspare validate` again.') {
    super(problems.map(formatProblem).join('\n'), { code: 'InvalidRunbook', nextSteps });
    this.problems = problems;
  }
}

/** `file:line:col: path: message`; a problem with the file as a whole (line 0) is `file: message`. */
export function formatProblem(p: RunbookProblem): string {
  return `${p.file}${p.line === 0 ? '' : `:${p.line}:${p.column}`}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`;
}

export interface LoadedRunbook {
  readonly runbook: Runbook;
  readonly file: string;
  /** sha256 of the file's bytes, journaled so a resume can tell the runbook changed. */
  readonly sha256: string;
  /** What will work less well than it should (an http:// maintenance URL), located like problems. */
  readonly warnings?: readonly RunbookProblem[] | undefined;
}

/** A runbook is a few kilobytes; anything larger is not one. */
export const MAX_RUNBOOK_BYTES = 256 * 1024;

function fileProblem(file: string, message: string): RunbookError {
  return new RunbookError([{ file, line: 1, column: 1, path: '', message }]);
}

/** A runbook file that cannot be opened: no line to point at, and nothing in it to fix. */
function unreadable(file: string, error: unknown): RunbookError {
  return new RunbookError(
    [{ file, line: 0, column: 0, path: '', message: `cannot read the runbook: ${readReason(error)}` }],
    `Check the path (${file}, from ${process.cwd()}): RUNBOOK is a YAML file, and its .yaml may be left out.`,
  );
}

function readReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The runbook's text. Only a regular file of at most MAX_RUNBOOK_BYTES is read: a FIFO, a device
 * (`/dev/urandom`) or a directory is refused before any byte is read, so nothing can hang or fill memory.
 */
async function readRunbookText(file: string): Promise<string> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not block; it is refused just below.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw unreadable(file, error);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw fileProblem(file, 'expected a regular file (a YAML runbook), not a device, FIFO, socket or directory');
    if (stat.size > MAX_RUNBOOK_BYTES)
      throw fileProblem(file, `the file is ${stat.size} bytes; a runbook is at most ${MAX_RUNBOOK_BYTES} bytes`);
    const bytes = await handle.readFile();
    if (bytes.length > MAX_RUNBOOK_BYTES)
      throw fileProblem(file, `the file is larger than ${MAX_RUNBOOK_BYTES} bytes; a runbook is smaller`);
    return bytes.toString('utf8');
  } catch (error) {
    if (error instanceof RunbookError) throw error;
    throw fileProblem(file, `cannot read the runbook: ${readReason(error)}`);
  } finally {
    await handle.close();
  }
}

/** Read, parse and validate a runbook file. Throws RunbookError (a usage error) naming file:line:col. */
export async function loadRunbook(file: string): Promise<LoadedRunbook> {
  const text = await readRunbookText(file);
  const { runbook, warnings } = parseLocated(text, file);
  return { runbook, file, sha256: createHash('sha256').update(text).digest('hex'), warnings };
}

/** Aliases a runbook may resolve: a runbook needs a handful; thousands are an attack. */
const MAX_ALIASES = 100;

/**
 * The YAML document. The parser recurses once per nesting level: thousands of levels can exhaust
 * the stack in the parser itself (it reports most such cases as a YAML error, but not all).
 */
function parseYaml(text: string, lineCounter: LineCounter, file: string) {
  try {
    return parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    const reason = firstLine(error instanceof Error ? error.message : String(error));
    throw new RunbookError([
      { file, line: 1, column: 1, path: '', message: `not valid YAML: ${reason} (nested too deep?)` },
    ]);
  }
}

/** Parse and validate runbook text; `file` is only used in messages. */
export function parseRunbook(text: string, file: string): Runbook {
  return parseLocated(text, file).runbook;
}

/** The runbook and its warnings, each located in the file. */
function parseLocated(text: string, file: string): { runbook: Runbook; warnings: RunbookProblem[] } {
  const lineCounter = new LineCounter();
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    const lines = text.slice(0, deep).split('\n');
    const position = { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
    throw new RunbookError([
      {
        file,
        ...position,
        path: '',
        message: `not valid YAML: nested more than ${MAX_NESTING} levels deep (a runbook needs a handful)`,
      },
    ]);
  }
  const doc = parseYaml(text, lineCounter, file);
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const syntaxError = doc.errors[0];
  if (syntaxError !== undefined) {
    // Only the first: the parser's later errors are almost always echoes of it (one tab gives seven).
    throw new RunbookError([
      { file, ...at(syntaxError.pos[0]), path: '', message: `not valid YAML: ${firstLine(syntaxError.message)}` },
    ]);
  }
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    // The yaml library refuses an alias bomb (a resource exhaustion attack) while resolving aliases.
    throw new RunbookError([
      {
        file,
        ...at(0),
        path: '',
        message: `too many YAML aliases (at most ${MAX_ALIASES} are resolved): ${firstLine(error instanceof Error ? error.message : String(error))}`,
      },
    ]);
  }
  const raw = normalizeSteps(js);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const start = doc.contents?.range[0] ?? 0;
    throw new RunbookError([
      { file, ...at(start), path: '', message: 'expected a YAML mapping with name, region, steps, ...' },
    ]);
  }
  const result = runbookSchema.safeParse(raw);
  if (result.success) {
    const warnings = runbookWarnings(result.data).map((w) => ({
      file,
      ...at(nearestNode(doc, w.path)?.range?.[0] ?? 0),
      path: w.path.join('.'),
      message: w.message,
    }));
    return { runbook: result.data, warnings };
  }
  const problems = withoutEchoes(result.error.issues.flatMap((issue) => problemsOf(issue, doc, raw, file, at)));
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  throw new RunbookError(problems);
}

interface LocatedProblem extends RunbookProblem {
  /** For an unknown key: the path of the known key it is probably a typo of. */
  readonly suggests?: string | undefined;
  /** A required field that is absent. */
  readonly missing?: boolean | undefined;
}

/** A misspelt key also leaves the real key missing; report the typo (which names it) once, not twice. */
function withoutEchoes(problems: readonly LocatedProblem[]): RunbookProblem[] {
  const suggested = new Set(problems.flatMap((p) => (p.suggests === undefined ? [] : [p.suggests])));
  return problems
    .filter((p) => !(p.missing === true && suggested.has(p.path)))
    .map(({ file, line, column, path, message }) => ({ file, line, column, path, message }));
}

/** Steps may be bare type names; turn them into `{ type }` so one schema checks both forms. */
function normalizeSteps(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || !('steps' in raw)) return raw;
  const steps = (raw as { steps: unknown }).steps;
  if (!Array.isArray(steps)) return raw;
  return { ...raw, steps: steps.map((s: unknown) => (typeof s === 'string' ? { type: s } : s)) };
}

type Locate = (offset: number) => { line: number; column: number };

function problemsOf(issue: z.core.$ZodIssue, doc: Document, raw: unknown, file: string, at: Locate): LocatedProblem[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(path, raw);
    return issue.keys.map((key) => {
      const node = keyNode(doc, path, key);
      const hint = closest(key, known);
      return {
        file,
        ...at(node?.range?.[0] ?? 0),
        path: [...path, key].join('.'),
        message: `unknown key "${key}"${hint === undefined ? '' : ` (did you mean "${hint}"?)`}; expected one of: ${known.join(', ')}`,
        suggests: hint === undefined ? undefined : [...path, hint].join('.'),
      };
    });
  }
  const node = nearestNode(doc, path);
  const message =
    issue.code === 'invalid_union' && issue.path.at(-1) === 'type'
      ? stepTypeMessage(valueAt(raw, path))
      : describeIssue(issue, valueAt(raw, path));
  const value = valueAt(raw, path);
  const missing = issue.code === 'invalid_type' && value === undefined;
  return [{ file, ...at(node?.range?.[0] ?? 0), path: path.join('.'), message, missing }];
}

function stepTypeMessage(given: unknown): string {
  const hint = typeof given === 'string' ? closest(given, [...STEP_TYPES]) : undefined;
  return `unknown step type${typeof given === 'string' ? ` "${given}"` : ''}${hint === undefined ? '' : ` (did you mean "${hint}"?)`}; expected one of: ${STEP_TYPES.join(', ')}`;
}

/** The node at `path`, or its nearest existing ancestor (for a missing field, the mapping that lacks it). */
function nearestNode(doc: Document, path: readonly string[]): Node | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n).map(keyOf), true);
    if (node !== undefined && node !== null && typeof node === 'object' && 'range' in (node as object))
      return node as Node;
  }
  return doc.contents ?? undefined;
}

function keyNode(doc: Document, path: readonly string[], key: string): Node | undefined {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path.map(keyOf), true);
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (pair !== undefined && isScalar(pair.key)) return pair.key;
  }
  return isMap(parent) || isSeq(parent) ? parent : undefined;
}

function keyOf(segment: string): string | number {
  return /^\d+$/.test(segment) ? Number(segment) : segment;
}

function valueAt(raw: unknown, path: readonly string[]): unknown {
  let v: unknown = raw;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
