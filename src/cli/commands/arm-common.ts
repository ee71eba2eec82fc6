import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../domain/errors.js';
import type { ArmJournal, ArmJournalEntry, ArmPorts } from '../../arm/arm.js';
import type { Runbook } from '../../runbook/schema.js';
import { AWS, dryRun, help, journalDir, json, withHelp, yes } from '../args/flags.js';
import type { FlagValues } from '../args/tree.js';
import type { Io } from '../output/io.js';

/** The flags of `arm` and `disarm`. */
export const armFlags = {
  yes,
  dryRun: withHelp(dryRun, 'read what exists and print the plan; send nothing'),
  journalDir: withHelp(journalDir, 'where arm journals the record it replaces (default: the state directory)'),
  ...AWS,
  json: withHelp(json, 'one JSON report on stdout'),
  help,
};
export type ArmFlags = FlagValues<typeof armFlags>;

/** The runbook, loaded; a usage error without one. */
export async function loadArmRunbook(file: string | undefined, command: string): Promise<Runbook> {
  if (file === undefined)
    throw new UsageError(`Name a runbook: hotspare ${command} RUNBOOK`, { code: 'MissingRunbook' });
  const { loadRunbook } = await import('../../runbook/load.js');
  const { runbook } = await loadRunbook(file);
  if (runbook.armed === undefined)
    throw new UsageError(`${file}: the runbook has no armed section: nothing to ${command}.`, {
      code: 'InvalidRunbook',
    });
  return runbook;
}

/** Route 53 and CloudFront of the account the runbook names. */
export async function openArmPorts(
  opts: import('../account/aws-setup.js').AwsFlags,
  env: NodeJS.ProcessEnv,
  runbook: Runbook,
): Promise<ArmPorts> {
  const [{ awsSetup }, aws] = await Promise.all([import('../account/aws-setup.js'), import('../../aws/index.js')]);
  const setup = await awsSetup(opts, runbook.region, env);
  setup.prepare();
  const options = { region: setup.region, profile: setup.profile, endpointUrl: setup.endpointUrl };
  const armed = await aws.createArmedPorts(options);
  return { ...armed, distributions: aws.createEdgePorts(options).distributions };
}

/** `armed/NAME.jsonl` under the journal folder: 0600 in a 0700 folder, one JSON record a line. */
export async function armJournal(
  opts: ArmFlags,
  env: NodeJS.ProcessEnv,
  runbook: Runbook,
): Promise<ArmJournal & { file: string }> {
  const { stateDir } = await import('../session/state-dir.js');
  const dir = join(opts.journalDir ?? stateDir(env), 'armed');
  const file = join(dir, `${runbook.name.replace(/[^A-Za-z0-9.-]/g, '_')}.jsonl`);
  return {
    file,
    read: () =>
      existsSync(file)
        ? readFileSync(file, 'utf8')
            .split('\n')
            .flatMap((line) => {
              if (line.trim() === '') return [];
              try {
                return [JSON.parse(line) as ArmJournalEntry];
              } catch {
                return [];
              }
            })
        : [],
    append: (entry) => {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`, { mode: 0o600 });
    },
  };
}

/** Shown and confirmed: true to go on; --yes goes on, no terminal without --yes is refused. */
export async function confirmChanges(io: Io, opts: ArmFlags, question: string): Promise<boolean> {
  if (opts.yes) return true;
  if (io.stdin.isTTY !== true)
    throw new UsageError('These changes need a confirmation: run it on a terminal, or pass --yes (automation).', {
      code: 'NeedsConfirmation',
    });
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    io.err(question);
    const answer = await new Promise<string | undefined>((resolve) => {
      rl.once('line', (line) => resolve(line.trim().toLowerCase()));
      rl.once('close', () => resolve(undefined));
    });
    if (answer === 'y' || answer === 'yes') return true;
    io.err('Nothing changed.');
    return false;
  } finally {
    rl.close();
  }
}

/** What `status` says of an armed runbook: armed or not, the health check and the records, or why it could not tell. */
export async function armedStatus(
  opts: import('../account/aws-setup.js').AwsFlags,
  env: NodeJS.ProcessEnv,
  runbook: Runbook,
): Promise<Record<string, unknown> | undefined> {
  if (runbook.armed === undefined || runbook.dns === undefined) return undefined;
  const arm = await import('../../arm/arm.js');
  try {
    const ports = await openArmPorts(opts, env, runbook);
    const state = await arm.readArmState(ports, runbook);
    const estimate = arm.planArm(runbook, state).estimate;
    if (state.kind === 'unarmed') return { armed: false, records: [state.original], estimate };
    // The checkers' verdict; a failed read leaves it out rather than the armed state.
    const checkers = await ports.healthChecks.status(state.healthCheckId).catch(() => undefined);
    return {
      armed: true,
      healthCheckId: state.healthCheckId,
      records: state.pair,
      estimate,
      ...(checkers === undefined ? {} : { checkers }),
    };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return { armed: null, problem: error.message };
  }
}
