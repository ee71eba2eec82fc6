import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../domain/clock.js';
import { toErrorRecord } from '../../domain/errors.js';
import type { EventSink } from '../../engine/events.js';
import type { Sandbox } from '../../sandbox/index.js';

/**
 * The sandbox dashboard's key for `hotspare site provision`: what the runbook's https://
 * maintenance host needs (certificate, validation records, distribution, alias), read first and
 * made where missing, through the same code as the command, on the simulated account. Each planned
 * change and its calls, the certificate's progress and the outcome go to the event log; every call
 * is journaled before and after it is sent (`JOURNAL_DIR/provision/RUNBOOK.jsonl`, 0600). The key
 * is the operator's confirmation, as `f` is for a failover. The readiness row follows on its next read.
 */
export function httpsProvisionKey(
  sandbox: Sandbox,
  emit: EventSink,
  journalDir: string,
): { key: string; label: string; run(): void } {
  let running = false;
  const log = (level: 'info' | 'warn' | 'error', message: string): void =>
    emit({ type: 'log', level, message, at: Date.now() });
  return {
    key: 'h',
    label: 'provision maintenance HTTPS',
    run: () => {
      if (running) return;
      running = true;
      void provision(sandbox, log, journalDir)
        .catch((error: unknown) => log('error', `Maintenance HTTPS: ${toErrorRecord(error).message}`))
        .finally(() => {
          running = false;
        });
    },
  };
}

async function provision(
  sandbox: Sandbox,
  log: (level: 'info' | 'warn' | 'error', message: string) => void,
  journalDir: string,
): Promise<void> {
  const p = await import('../../site/provision.js');
  const target = p.provisionTarget(sandbox.source);
  if (typeof target === 'string') return log('warn', `Maintenance HTTPS: ${target}`);
  const ports = { edge: sandbox.edge, dns: sandbox.ports.dns, clock: systemClock };
  const state = await p.readProvisionState(ports, target);
  const actions = p.planProvision(target, state);
  if (actions.length === 0) return log('info', `Maintenance HTTPS: nothing to change for ${target.host}.`);
  for (const [i, a] of actions.entries()) log('info', `Maintenance HTTPS ${i + 1}/${actions.length}: ${a.title}`);
  const dir = join(journalDir, 'provision');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const journal = join(dir, `${target.name}.jsonl`);
  let lastProgress = '';
  const result = await p.applyProvision(
    ports,
    target,
    state,
    {
      journal: (entry) =>
        appendFileSync(journal, `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`, { mode: 0o600 }),
      // One line per change of state, not one per poll.
      progress: (line) => {
        const head = line.replace(/, \d+ s of .*$/, '');
        if (head !== lastProgress) log('info', `Maintenance HTTPS: ${line}`);
        lastProgress = head;
      },
      print: (line) => log('info', `Maintenance HTTPS: ${line}`),
    },
    900_000 / sandbox.speed,
  );
  log(
    result.complete ? 'info' : 'warn',
    result.complete
      ? `Maintenance HTTPS: ${target.host} is served by distribution ${result.distributionId} (${result.distributionDomain}); it deploys in minutes.`
      : `Maintenance HTTPS: certificate ${result.certificateArn} still ${result.certificateStatus ?? '?'}; press h again to go on.`,
  );
}
