import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../ports/errors.js';
import { runbookSchema, STEP_TYPES, type Runbook } from './schema.js';
import { closest, describeIssue, knownKeysAt } from './messages.js';

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
  constructor(problems: readonly RunbookProblem[]) {
    super(problems.map(formatProblem).join('\n'), {
      code: 'InvalidRunbook',
      nextSteps: 'Fix the runbook and run `hotspare validate` again.',
    });
    this.problems = problems;
  }
}

export function formatProblem(p: RunbookProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`;
}

export interface LoadedRunbook {
  readonly runbook: Runbook;
  readonly file: string;
  /** sha256 of the file's bytes, journaled so a resume can tell the runbook changed. */
  readonly sha256: string;
}

/** Read, parse and validate a runbook file. Throws RunbookError (a usage error) naming file:line:col. */
export async function loadRunbook(file: string): Promise<LoadedRunbook> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new RunbookError([{ file, line: 1, column: 1, path: '', message: `cannot read the runbook: ${reason}` }]);
  }
  const runbook = parseRunbook(text, file);
  return { runbook, file, sha256: createHash('sha256').update(text).digest('hex') };
}

/** Parse and validate runbook text; `file` is only used in messages. */
export function parseRunbook(text: string, file: string): Runbook {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const syntaxError = doc.errors[0];
  if (syntaxError !== undefined) {
    // Only the first: the parser's later errors are almost always echoes of it (one tab gives seven).
    throw new RunbookError([{ file, ...at(syntaxError.pos[0]), path: '', message: `not valid YAML: ${firstLine(syntaxError.message)}` }]);
  }
  const raw = normalizeSteps(doc.toJS());
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const start = doc.contents?.range[0] ?? 0;
    throw new RunbookError([{ file, ...at(start), path: '', message: 'expected a YAML mapping with name, region, steps, ...' }]);
  }
  const result = runbookSchema.safeParse(raw);
  if (result.success) return result.data;
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
    if (node !== undefined && node !== null && typeof node === 'object' && 'range' in (node as object)) return node as Node;
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
