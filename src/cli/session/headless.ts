import type { EngineEvent } from '../../engine/events.js';
import { automaticOperator, type Operator } from '../../engine/operator.js';
import { performSessionAction, type SessionActionOptions } from '../../engine/session-action.js';
import { openSession } from '../../engine/session.js';
import type { SessionOptions } from '../../engine/session-types.js';
import type { TestHooks } from '../../engine/test-hooks.js';
import { UsageError } from '../../domain/errors.js';
import type { CliContext } from './context.js';
import { exitCodeForOutcome } from '../output/exit-codes.js';
import { hazardLine } from '../output/plan-text.js';
import { colorEnabled } from '../output/color.js';
import { createPrinter } from '../output/printer.js';
import type { Io } from '../output/io.js';
import type { SessionCommand, SessionLine } from './session-line.js';
import { createPromptOperator } from './prompt-operator.js';
import { feedTraffic } from '../sandbox/traffic-feed.js';
import { invocationOf } from '../output/next-commands.js';
import { statusJson, statusText } from '../output/status-text.js';
import { jsonText } from '../output/json-out.js';
import { processGuard } from '../process-guard.js';

/**
 * Hooks for the reliability suite, from `HOTSPARE_TEST_KILL_AFTER_RECORD` / `_SEND` (see
 * `engine/test-hooks.ts`); undefined in normal use.
 */
export function testHooksFrom(env: NodeJS.ProcessEnv): TestHooks | undefined {
  const record = env['HOTSPARE_TEST_KILL_AFTER_RECORD'];
  const send = env['HOTSPARE_TEST_KILL_AFTER_SEND'];
  const stall = env['HOTSPARE_TEST_STALL_AFTER_SEND'];
  if (record === undefined && send === undefined && stall === undefined) return undefined;
  const asNumber = (v: string | undefined): number | undefined =>
    v === undefined || !/^\d+$/.test(v) ? undefined : Number(v);
  return {
    killAfterRecord: asNumber(record),
    killAfterSend: asNumber(send) ?? send,
    stallAfterSend: asNumber(stall) ?? stall,
  };
}

export function sessionOptions(
  ctx: CliContext,
  emit: (e: EngineEvent) => void,
  operator: Operator,
  env: NodeJS.ProcessEnv,
): SessionOptions {
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
    signal: ctx.signal,
    inFlight: processGuard()?.inFlight,
    testHooks: testHooksFrom(env),
  };
}

/** What the commands need beyond the session: dry run, the drill's hold, the clock and the abort signal. */
export function commandOptions(
  ctx: CliContext,
  opts: SessionLine,
  log: (message: string) => void,
): SessionActionOptions {
  return { dryRun: opts.dryRun, holdSeconds: opts.holdSeconds ?? 0, clock: ctx.ports.clock, signal: ctx.signal, log };
}

/**
 * A live rollback sends traffic back to the web servers: without a terminal to confirm on, it needs
 * `--yes` (automation says so explicitly).
 */
export function refuseUnconfirmedRollback(
  command: SessionCommand,
  ctx: Pick<CliContext, 'mode'>,
  opts: SessionLine,
  io: Io,
): void {
  if (command !== 'rollback' || ctx.mode !== 'live' || opts.yes || opts.dryRun || io.stdin.isTTY === true) return;
  throw new UsageError('A live rollback must be confirmed, and there is no terminal to confirm on.', {
    code: 'RollbackNeedsConfirmation',
    nextSteps:
      'Run it in a terminal to review and confirm each undo, or pass --yes to roll back without asking (for automation).',
  });
}

/** The headless runner: the same session and engine, a line printer instead of the dashboard. */
export async function runHeadless(
  command: SessionCommand,
  ctx: CliContext,
  opts: SessionLine,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  refuseUnconfirmedRollback(command, ctx, opts, io);
  const print = createPrinter(io.out, {
    json: opts.json,
    color: colorEnabled(env, process.stdout),
    invocation: invocationOf(opts.runbook, opts),
  });
  const prompts = opts.yes ? undefined : createPromptOperator(io.stdin, opts.json ? io.err : io.out);
  const operator = prompts ?? automaticOperator(command === 'drill' ? 'rollback' : 'stop');
  const log = (message: string): void => print({ type: 'log', level: 'info', message, at: ctx.ports.clock.now() });
  if (ctx.mode === 'sandbox') log(`Sandbox journal: ${ctx.journalDir}`);
  if (ctx.regionLabel !== ctx.region)
    print({ type: 'log', level: 'warn', message: `Region ${ctx.regionLabel}.`, at: ctx.ports.clock.now() });
  try {
    // A rollback, resume or abandon works from the run's journal: the account is read only if it must be.
    const readAccount =
      command === 'rollback' || command === 'resume' || command === 'abandon' ? 'when-needed' : 'at-open';
    const session = await openSession({ ...sessionOptions(ctx, print, operator, env), readAccount });
    if (command === 'dashboard') {
      io.out(opts.json ? jsonText(await statusJson(ctx, session.env)) : await statusText(ctx, session.env));
      return 0;
    }
    if (!opts.json && (command === 'failover' || command === 'drill'))
      for (const h of session.plan.hazards) io.out(hazardLine(h));
    const traffic = ctx.sandbox?.traffic;
    const unsubscribe = traffic === undefined ? undefined : feedTraffic(traffic, print, false);
    traffic?.start();
    const outcome = await performSessionAction(session, command, commandOptions(ctx, opts, log));
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
