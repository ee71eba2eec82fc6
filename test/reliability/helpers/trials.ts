import { INTERNAL_ERROR, LEFT_LOOPBACK, STACK_FRAME } from './cli.js';
import {
  differencesFromOriginal,
  doubleLaunches,
  journalsIn,
  lastSeq,
  type AccountView,
  type Original,
} from './invariants.js';

/** Where a command is killed: after journal record `n` is on disk, or after its n-th mutating call returned. */
export interface CrashPoint {
  readonly after: 'record' | 'send';
  readonly n: number;
  /** What is at that point, for the report (e.g. `intent RunInstances`). */
  readonly label?: string | undefined;
}

export type Command = 'failover' | 'resume' | 'rollback';

/** How one command ended. */
export interface Ran {
  /** The crash point was reached and the process died there. */
  readonly killed: boolean;
  /** Finished as asked: exit 0 (failover and resume: failed over; rollback: rolled back). */
  readonly ok: boolean;
  /** What happened, for the report. */
  readonly detail: string;
  /** What the operator saw (the CLI's stdout and stderr; empty in-process). */
  readonly output: string;
}

/** One account (moto or the sandbox) and one journal directory, driven one command at a time. */
export interface Driver {
  readonly journalDir: string;
  readonly view: AccountView;
  readonly original: Original;
  run(command: Command, point?: CrashPoint): Promise<Ran>;
}

export type Recovery = 'resume, then rollback' | 'rollback alone';
export const RECOVERIES: readonly Recovery[] = ['resume, then rollback', 'rollback alone'];

export interface TrialResult {
  readonly name: string;
  /** Every invariant that did not hold; empty when the trial held. */
  readonly violations: readonly string[];
  /** Rollback runs the recovery used (0: the killed command had finished it; 2 when a second was needed or it never finished). */
  readonly rollbackAttempts: number;
  readonly kills: number;
}

export function pointName(point: CrashPoint): string {
  const where = point.after === 'record' ? `after record ${point.n}` : `after mutating call ${point.n} returned`;
  return point.label === undefined ? where : `${where} (${point.label})`;
}

/** The invariants that hold at any moment: every journal parses, no run has two live instances. */
async function always(d: Driver, when: string): Promise<string[]> {
  const { problems } = journalsIn(d.journalDir);
  return [...problems, ...(await doubleLaunches(d.view))].map((p) => `${when}: ${p}`);
}

/** The operator never sees an internal error or a stack trace, whatever went wrong. */
export function outputProblems(r: Ran, what: string): string[] {
  const problems: string[] = [];
  if (r.detail.startsWith('hung')) problems.push(`${what} hung: ${r.detail}`);
  if (INTERNAL_ERROR.test(r.output)) problems.push(`${what} reported an internal error: ${r.detail}`);
  if (STACK_FRAME.test(r.output)) problems.push(`${what} printed a stack trace: ${r.detail}`);
  if (LEFT_LOOPBACK.test(r.output)) problems.push(`${what} tried to reach beyond loopback: ${r.detail}`);
  return problems;
}

/**
 * Resume, which must complete the failover. A failover stopped before its first record (refused in
 * preflight) left no run, and a resume is then rightly refused: there is nothing to resume.
 */
async function resume(d: Driver, v: string[]): Promise<void> {
  if (journalsIn(d.journalDir).runs.at(-1) === undefined) return;
  const resumed = await d.run('resume');
  v.push(...outputProblems(resumed, 'resume'), ...(await always(d, 'after resume')));
  if (!resumed.ok) v.push(`resume did not complete the failover: ${resumed.detail}`);
}

/**
 * Roll back until the journal says rolled back, at most twice; returns the rollback runs used (0
 * when the killed command had already finished the rollback: a rollback is then refused, rightly).
 */
async function rollBack(d: Driver, v: string[], when: string): Promise<number> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    const latest = journalsIn(d.journalDir).runs.at(-1);
    // No run (it failed before its first record) or one already rolled back: a rollback is rightly refused.
    if (latest === undefined || latest.phase === 'rolled-back') return attempt - 1;
    const r = await d.run('rollback');
    v.push(...(await always(d, `${when}, rollback attempt ${attempt}`)));
    if (r.ok) return attempt;
    if (attempt === 2) v.push(`${when}: rollback did not finish within two attempts: ${r.detail}`);
  }
  return 2;
}

/** After a recovery: the original state, a rolled-back journal, and the next failover accepted (then rolled back). */
async function backToNormal(d: Driver, v: string[], when: string): Promise<void> {
  for (const p of await differencesFromOriginal(d.view, d.original)) v.push(`${when}: not the original state: ${p}`);
  const latest = journalsIn(d.journalDir).runs.at(-1);
  if (latest !== undefined && latest.phase !== 'rolled-back')
    v.push(`${when}: the journal says ${latest.phase}, not rolled-back`);
  const next = await d.run('failover');
  v.push(...(await always(d, `${when}, next failover`)));
  if (!next.ok) v.push(`${when}: the next failover was not accepted: ${next.detail}`);
  const clean = await d.run('rollback');
  if (!clean.ok) v.push(`${when}: the next failover's rollback failed: ${clean.detail}`);
  for (const p of await differencesFromOriginal(d.view, d.original))
    v.push(`${when}, after the next failover's rollback: ${p}`);
}

/**
 * Kill `failover` at `point`, recover as `recovery` says, and check every invariant: journals
 * parse, at most one live instance per run, the original state within two rollback attempts, and
 * the next failover accepted.
 */
export async function failoverCrashTrial(d: Driver, point: CrashPoint, recovery: Recovery): Promise<TrialResult> {
  const name = `failover killed ${pointName(point)}, recovered by ${recovery}`;
  const v: string[] = [];
  const killed = await d.run('failover', point);
  if (!killed.killed)
    return { name, violations: [`the kill did not happen: ${killed.detail}`], rollbackAttempts: 0, kills: 0 };
  v.push(...(await always(d, 'after the kill')));
  if (recovery === 'resume, then rollback') await resume(d, v);
  const attempts = await rollBack(d, v, 'recovery');
  await backToNormal(d, v, 'after recovery');
  return { name, violations: v, rollbackAttempts: attempts, kills: 1 };
}

/**
 * Fail over, kill `rollback` at `point` (record numbers count from the first rollback record),
 * roll back again, and check every invariant.
 */
export async function rollbackCrashTrial(d: Driver, point: CrashPoint): Promise<TrialResult> {
  const name = `rollback killed ${pointName(point)}`;
  const v: string[] = [];
  const failover = await d.run('failover');
  if (!failover.ok)
    return {
      name,
      violations: [`the failover before the trial failed: ${failover.detail}`],
      rollbackAttempts: 0,
      kills: 0,
    };
  const absolute = point.after === 'record' ? { ...point, n: lastSeq(d.journalDir) + point.n } : point;
  const killed = await d.run('rollback', absolute);
  if (!killed.killed)
    return { name, violations: [`the kill did not happen: ${killed.detail}`], rollbackAttempts: 0, kills: 0 };
  v.push(...(await always(d, 'after the kill')));
  const attempts = await rollBack(d, v, 'recovery');
  await backToNormal(d, v, 'after recovery');
  return { name, violations: v, rollbackAttempts: attempts, kills: 1 };
}

/** A fault for the proxy to inject while one command runs. */
export interface FaultCase {
  readonly during: 'failover' | 'rollback';
  readonly operation: string;
  readonly kind: string;
  /** How many matching requests get it (default 1). */
  readonly times?: number | undefined;
}

/** What a fault trial needs of the proxy: arm the fault, disarm it, and count what was injected. */
export interface FaultSwitch {
  arm(fault: FaultCase): void;
  disarm(): void;
  injectedCount(): number;
}

export function faultName(f: FaultCase, recovery?: Recovery): string {
  const times = f.times === undefined || f.times === 1 ? '' : ` x${f.times}`;
  return `${f.kind}${times} on ${f.operation} during ${f.during}${recovery === undefined ? '' : `, recovered by ${recovery}`}`;
}

/**
 * Run `fault.during` with the fault armed (every command goes through the proxy), then disarm it
 * and recover. The faulted command must end with a clear message (never an internal error or a
 * stack); afterwards every invariant must hold, the original state within two rollback attempts
 * (a faulted rollback counts as the first).
 */
export async function faultTrial(
  d: Driver,
  faults: FaultSwitch,
  fault: FaultCase,
  recovery: Recovery,
): Promise<TrialResult & { readonly injected: number }> {
  const name = faultName(fault, fault.during === 'failover' ? recovery : undefined);
  const v: string[] = [];
  if (fault.during === 'rollback') {
    const failover = await d.run('failover');
    if (!failover.ok)
      return {
        name,
        violations: [`the failover before the trial failed: ${failover.detail}`],
        rollbackAttempts: 0,
        kills: 0,
        injected: 0,
      };
  }
  const before = faults.injectedCount();
  faults.arm(fault);
  const faulted = await d.run(fault.during);
  faults.disarm();
  const injected = faults.injectedCount() - before;
  if (injected === 0) v.push(`the fault was never injected (${faulted.detail})`);
  v.push(...outputProblems(faulted, fault.during), ...(await always(d, `after the faulted ${fault.during}`)));
  let attempts: number;
  if (fault.during === 'failover') {
    if (recovery === 'resume, then rollback') await resume(d, v);
    attempts = await rollBack(d, v, 'recovery');
  } else if (faulted.ok) {
    attempts = 1;
  } else {
    const again = await d.run('rollback');
    v.push(...outputProblems(again, 'rollback'), ...(await always(d, 'after the second rollback')));
    if (!again.ok) v.push(`rollback did not finish within two attempts: ${again.detail}`);
    attempts = 2;
  }
  await backToNormal(d, v, 'after recovery');
  return { name, violations: v, rollbackAttempts: attempts, kills: 0, injected };
}
