import { systemClock } from '../../domain/clock.js';
import { UsageError } from '../../domain/errors.js';
import type { Runbook } from '../../runbook/schema.js';
import type { SandboxFault } from '../../sandbox/index.js';
import type { ProvisionPorts } from '../../site/provision.js';
import { newSandboxJournalDir } from './journal-dirs.js';

/** The simulated account `site provision --sandbox` works on, and where it journals. */
export interface SandboxProvision {
  readonly ports: ProvisionPorts;
  /** `STATE/sandbox/<epoch ms>-<pid>`, like every sandbox process's journals. */
  readonly journalDir: string;
  close(): Promise<void>;
}

/**
 * Builds the sandbox for `runbook` (its faults and speed, e.g. `--fault no-distribution` for an
 * account where nothing is provisioned yet) and hands its edge and DNS to the same provisioning
 * code a real account gets. The sandbox lives as long as this process.
 */
export async function sandboxProvision(
  runbook: Runbook,
  opts: { readonly faults: readonly string[]; readonly speed?: number | undefined },
  stateDir: string,
): Promise<SandboxProvision> {
  const { startSandbox, SANDBOX_FAULTS } = await import('../../sandbox/index.js');
  const bad = opts.faults.find((f) => !(SANDBOX_FAULTS as readonly string[]).includes(f));
  if (bad !== undefined)
    throw new UsageError(`Unknown fault "${bad}". Faults: ${SANDBOX_FAULTS.join(', ')}.`, { code: 'BadFlag' });
  const sandbox = await startSandbox(runbook, { speed: opts.speed, faults: opts.faults as SandboxFault[] });
  return {
    ports: { edge: sandbox.edge, dns: sandbox.ports.dns, clock: systemClock },
    journalDir: newSandboxJournalDir(stateDir, Date.now(), process.pid),
    close: () => sandbox.stop(),
  };
}
