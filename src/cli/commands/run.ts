import { exitCodeForOutcome, type EngineEvent, type RunOutcome } from '../../engine/events.js';
import { automaticOperator, type Operator } from '../../engine/operator.js';
import { openSession } from '../../engine/session.js';
import type { Session } from '../../engine/session-types.js';
import type { CliOptions } from '../args.js';
import type { CliContext } from '../context.js';
import { hazardLine } from '../plan-text.js';
import { createPrinter, type Write } from '../printer.js';
import { createPromptOperator } from '../prompt-operator.js';
import { feedTraffic } from '../traffic-feed.js';
import { statusText } from './status.js';

export type RunCommand = 'failover' | 'resume' | 'rollback' | 'drill' | 'dashboard';

export interface Io {
  readonly stdin: NodeJS.ReadableStream;
  readonly out: Write;
  readonly err: Write;
}

function sessionOptions(ctx: CliContext, emit: (e: EngineEvent) => void, operator: Operator, env: NodeJS.ProcessEnv) {
  return {
    loaded: ctx.loaded,
    runbook: ctx.runbook,
    ports: ctx.ports,
    mode: ctx.mode,
    journalDir: ctx.journalDir,
    emit,
    operator,
    identity: ctx.identity,
    pollIntervalMs: ctx.pollIntervalMs,
    healthyTimeoutMs: ctx.healthyTimeoutMs,
    crashAfterOperation: env['HOTSPARE_CRASH_AFTER'],
    signal: ctx.signal,
  };
}

/**
 * Failover, verify, hold, roll back: a game day in one process. A failover that failed and was
 * rolled back by the operator's decision still counts as a failed drill.
 */
export async function drill(session: Session, holdSeconds: number, log: (message: string) => void): Promise<RunOutcome> {
  const first = await session.failover();
  if (first !== 'failed-over') return first === 'rolled-back' ? 'failed' : first;
  if (holdSeconds > 0) {
    log(`Holding in maintenance mode for ${holdSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, holdSeconds * 1000));
  }
  return session.rollback();
}

async function dispatch(command: RunCommand, session: Session, opts: CliOptions, log: (m: string) => void): Promise<RunOutcome> {
  switch (command) {
    case 'failover':
      return opts.dryRun ? session.dryRun() : session.failover();
    case 'resume':
      return session.resume();
    case 'rollback':
      return session.rollback();
    case 'drill':
      return drill(session, opts.holdSeconds, log);
    case 'dashboard':
      return 'dry-run-complete';
  }
}

/** The headless runner: the same session and engine, a line printer instead of the dashboard. */
export async function runHeadless(command: RunCommand, ctx: CliContext, opts: CliOptions, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const print = createPrinter(io.out, opts.json);
  const prompts = opts.yes ? undefined : createPromptOperator(io.stdin, opts.json ? io.err : io.out);
  const operator = prompts ?? automaticOperator(command === 'drill' ? 'rollback' : 'stop');
  const log = (message: string): void => print({ type: 'log', level: 'info', message, at: Date.now() });
  try {
    const session = await openSession(sessionOptions(ctx, print, operator, env));
    if (command === 'dashboard') {
      io.out(await statusText(ctx, session.env));
      return 0;
    }
    if (!opts.json && (command === 'failover' || command === 'drill')) for (const h of session.plan.hazards) io.out(hazardLine(h));
    const traffic = ctx.sandbox?.traffic;
    const unsubscribe = traffic === undefined ? undefined : feedTraffic(traffic, print, false);
    traffic?.start();
    const outcome = await dispatch(command, session, opts, log);
    if (traffic !== undefined) {
      await traffic.stop();
      unsubscribe?.();
      const totals = traffic.totals();
      print({ type: 'traffic-summary', total: totals.total, failed: totals.failed });
    }
    return exitCodeForOutcome(outcome);
  } finally {
    prompts?.close();
  }
}

export { sessionOptions };
