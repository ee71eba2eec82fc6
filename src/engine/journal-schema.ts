import * as z from 'zod';
import type { JournalRecord, RecordKind } from './journal-records.js';

// A command reads a few journals once: interpreting the schemas costs less than compiling them
// first (zod's JIT); the runbook schema says the same (docs/performance.md).
z.config({ jitless: true });

/**
 * What a line must hold to count as a journal record: the envelope, a known kind and the fields
 * every reader relies on. Bodies (environment, outputs, errors) are checked loosely: they were
 * written by hotspare and are read back as they are.
 */
const envelope = { v: z.literal(1), seq: z.number().int().positive(), at: z.number(), runId: z.string().min(1) };
const step = { stepId: z.string().min(1) };
const attempt = { attempt: z.number().int().nonnegative() };
const call = { callId: z.string().min(1) };
const operator = z.looseObject({ user: z.string(), host: z.string(), pid: z.number() });
const error = z.looseObject({ message: z.string(), code: z.string() });

const KIND_SCHEMAS = {
  'run-started': z.looseObject({
    ...envelope,
    kind: z.literal('run-started'),
    runbook: z.string(),
    runbookFile: z.string(),
    runbookSha256: z.string(),
    mode: z.enum(['live', 'dry-run', 'sandbox']),
    operator,
    steps: z.array(z.looseObject({ id: z.string(), type: z.string(), mutating: z.boolean() })),
  }),
  'run-resumed': z.looseObject({ ...envelope, kind: z.literal('run-resumed'), operator }),
  environment: z.looseObject({
    ...envelope,
    kind: z.literal('environment'),
    env: z.looseObject({ targetGroup: z.looseObject({ arn: z.string() }) }),
  }),
  'step-started': z.looseObject({ ...envelope, ...step, ...attempt, kind: z.literal('step-started') }),
  intent: z.looseObject({
    ...envelope,
    ...step,
    ...attempt,
    ...call,
    kind: z.literal('intent'),
    call: z.looseObject({ service: z.string(), operation: z.string() }),
  }),
  result: z.looseObject({ ...envelope, ...step, ...attempt, ...call, kind: z.literal('result') }),
  'call-failed': z.looseObject({ ...envelope, ...step, ...attempt, ...call, kind: z.literal('call-failed'), error }),
  'step-succeeded': z.looseObject({
    ...envelope,
    ...step,
    ...attempt,
    kind: z.literal('step-succeeded'),
    outputs: z.record(z.string(), z.unknown()),
  }),
  'step-failed': z.looseObject({ ...envelope, ...step, ...attempt, kind: z.literal('step-failed'), error }),
  'step-skipped': z.looseObject({ ...envelope, ...step, kind: z.literal('step-skipped'), reason: z.string() }),
  verified: z.looseObject({
    ...envelope,
    ...step,
    kind: z.literal('verified'),
    holds: z.boolean(),
    detail: z.string(),
  }),
  'run-finished': z.looseObject({
    ...envelope,
    kind: z.literal('run-finished'),
    outcome: z.enum(['failed-over', 'failed', 'aborted']),
  }),
  'rollback-started': z.looseObject({ ...envelope, kind: z.literal('rollback-started'), operator }),
  'undo-started': z.looseObject({ ...envelope, ...step, kind: z.literal('undo-started') }),
  'undo-succeeded': z.looseObject({ ...envelope, ...step, kind: z.literal('undo-succeeded') }),
  'undo-failed': z.looseObject({ ...envelope, ...step, kind: z.literal('undo-failed'), error }),
  'undo-skipped': z.looseObject({ ...envelope, ...step, kind: z.literal('undo-skipped'), reason: z.string() }),
  'rollback-finished': z.looseObject({
    ...envelope,
    kind: z.literal('rollback-finished'),
    outcome: z.enum(['rolled-back', 'rollback-incomplete']),
    failures: z.array(z.string()),
  }),
  'run-abandoned': z.looseObject({
    ...envelope,
    kind: z.literal('run-abandoned'),
    operator,
    leftovers: z.array(z.string()),
  }),
  'torn-tail-repaired': z.looseObject({ ...envelope, kind: z.literal('torn-tail-repaired'), bytes: z.number() }),
  interrupted: z.looseObject({
    ...envelope,
    kind: z.literal('interrupted'),
    command: z.string(),
    by: z.enum(['operator', 'signal', 'stalled']),
    detail: z.string(),
  }),
} satisfies Record<RecordKind, z.ZodType>;

function isKind(kind: unknown): kind is RecordKind {
  return typeof kind === 'string' && Object.hasOwn(KIND_SCHEMAS, kind);
}

/** The record a parsed line holds, or undefined when it is not one (wrong shape, unknown kind, missing fields). */
export function asRecord(value: unknown): JournalRecord | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const kind = (value as { kind?: unknown }).kind;
  if (!isKind(kind)) return undefined;
  return KIND_SCHEMAS[kind].safeParse(value).success ? (value as JournalRecord) : undefined;
}
