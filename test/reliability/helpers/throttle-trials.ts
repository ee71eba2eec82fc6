import type { FaultProxy } from './fault-proxy.js';
import {
  differencesFromOriginal,
  failedOverProblems,
  journalsIn,
  type AccountView,
  type Original,
} from './invariants.js';
import type { TrialResult } from './trials.js';
import { outputProblems, type Driver } from './trials.js';

/** A command the throttling matrix runs under throttling. */
export type ThrottledCommand = 'failover' | 'resume' | 'rollback';

/** The reads a command sends: every Describe, List and Get (the operations AWS throttles while others poll). */
export function readsIn(operations: readonly string[]): string[] {
  return [...new Set(operations.filter((op) => /^(Describe|List|Get)/.test(op)))];
}

/** How the account looks after a finished failover of each strategy. */
export type FailedOverCheck = (view: AccountView, original: Original) => Promise<string[]>;

/** The redirect instance serving alone; the listener or the record changed from the original. */
export const FAILED_OVER: Readonly<Record<string, FailedOverCheck>> = {
  'redirect instance': failedOverProblems,
  'listener redirect': async (view, original) =>
    JSON.stringify(await view.listenerActions()) === JSON.stringify(original.listener)
      ? ['the listener still has its original default action']
      : [],
  'DNS failover': async (view, original) =>
    JSON.stringify(await view.dnsRecord()) === JSON.stringify(original.record)
      ? ['the DNS record is still the original']
      : [],
};

/** Runs `command` with every one of `operation`'s next `times` requests throttled, then stops throttling. */
async function throttled(d: Driver, proxy: FaultProxy, command: ThrottledCommand, operation: string, times: number) {
  const before = proxy.injected.length;
  proxy.inject({ operation, kind: 'throttle', times });
  try {
    const ran = await d.run(command);
    return { ran, injected: proxy.injected.length - before };
  } finally {
    proxy.clear();
  }
}

/**
 * One trial: bring the run to where `command` starts (a failover for rollback; a failover killed
 * after its launch went out for resume), run `command` with `operation` throttled `times` times in
 * a row, and check the exit code against AWS: exit 0 and the state the command promises (failed
 * over, or the original state), the journal agreeing; never a silent or false success. Then put
 * the account back (rollback) and check it is the original.
 */
export async function throttleTrial(
  d: Driver,
  proxy: FaultProxy,
  command: ThrottledCommand,
  operation: string,
  times: number,
  failedOver: FailedOverCheck,
): Promise<TrialResult & { injected: number }> {
  const name = `${operation} throttled x${times} during ${command}`;
  const v: string[] = [];
  if (command === 'rollback' && !(await d.run('failover')).ok) v.push('the failover before the trial failed');
  if (command === 'resume') {
    const killed = await d.run('failover', { after: 'send', n: 1, label: 'the first mutating call' });
    if (!killed.killed) v.push(`the failover before the trial was not killed: ${killed.detail}`);
  }
  const { ran, injected } = await throttled(d, proxy, command, operation, times);
  if (injected === 0) v.push(`${command} never sent ${operation} (${ran.detail})`);
  v.push(...outputProblems(ran, command));
  const latest = journalsIn(d.journalDir).runs.at(-1);
  if (!ran.ok) v.push(`${command} did not finish under throttling (it must slow down, not give up): ${ran.detail}`);
  else if (command === 'rollback') {
    for (const p of await differencesFromOriginal(d.view, d.original))
      v.push(`rollback exited 0 but AWS is not the original: ${p}`);
    if (latest?.phase !== 'rolled-back') v.push(`rollback exited 0 but the journal says ${latest?.phase ?? 'nothing'}`);
  } else {
    for (const p of await failedOver(d.view, d.original))
      v.push(`${command} exited 0 but AWS is not failed over: ${p}`);
    if (latest?.phase !== 'failed-over')
      v.push(`${command} exited 0 but the journal says ${latest?.phase ?? 'nothing'}`);
  }
  // Back to the original state for the next trial.
  const run = journalsIn(d.journalDir).runs.at(-1);
  if (run !== undefined && run.phase !== 'rolled-back') {
    const back = await d.run('rollback');
    if (!back.ok) v.push(`the rollback after the trial failed: ${back.detail}`);
  }
  for (const p of await differencesFromOriginal(d.view, d.original)) v.push(`after the trial's rollback: ${p}`);
  return {
    name,
    violations: v,
    rollbackAttempts: command === 'rollback' ? 1 : 0,
    kills: command === 'resume' ? 1 : 0,
    injected,
  };
}
