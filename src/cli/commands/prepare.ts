import { UsageError } from '../../domain/errors.js';
import { ALWAYS, AWS, dryRun, journalDir, SANDBOX_WORLD } from '../args/flags.js';
import { defineCommand, type FlagValues } from '../args/tree.js';
import type { Io } from '../output/io.js';
import { invocationOf, shellWord } from '../output/next-commands.js';
import type { PrepareJournal } from './prepare-journal.js';

const flags = { dryRun, journalDir, ...AWS, ...SANDBOX_WORLD, ...ALWAYS };

/** The default wait for a spare to install, check itself and power off. */
const DEFAULT_PREPARE_TIMEOUT_SECONDS = 600;

/** The signals that interrupt a preparation: Ctrl-C, `kill`, the terminal closing. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * `hotspare prepare RUNBOOK`: keep a stopped, checked spare ready for the runbook's launch-redirect
 * step, so the failover is a StartInstances and a registration (see `steps/prepare-spare.ts`). A
 * run of its own in the journal (`runs`, `timeline`): every mutating call journaled before and after
 * it is sent. Interrupted, it journals the interruption, says what it left in AWS and how to clean
 * up, and exits 128+N. With --dry-run only the launch permission is checked and nothing is journaled.
 */
async function prepareCommand(
  file: string | undefined,
  opts: FlagValues<typeof flags>,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  if (file === undefined && !opts.sandbox)
    throw new UsageError('Name a runbook: hotspare prepare RUNBOOK', { code: 'MissingRunbook' });
  const [{ openContext }, { discoverEnvironment }, { prepareSpare }, { openPrepareJournal }] = await Promise.all([
    import('../session/context.js'),
    import('../../plan/environment.js'),
    import('../../steps/prepare-spare.js'),
    import('./prepare-journal.js'),
  ]);
  const ctx = await openContext(opts, env, file);
  let journal: PrepareJournal | undefined;
  let held: { id: string; state: string } | undefined;
  const inv = invocationOf(file, opts);
  const located: [string, string | undefined][] = [
    ['--journal-dir', opts.journalDir],
    ['--region', inv.region],
    ['--profile', inv.profile],
    ['--endpoint-url', inv.endpointUrl],
  ];
  const again = [
    'hotspare',
    'prepare',
    ...(file === undefined ? [] : [file]),
    ...(inv.sandbox ? ['--sandbox'] : []),
    ...located.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value])),
  ]
    .map(shellWord)
    .join(' ');
  const onSignal = (signal: (typeof SIGNALS)[number]): void => {
    const code = 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const)[signal];
    const left = held === undefined ? 'nothing launched yet' : `${held.id} (${held.state}, never checked)`;
    journal?.interrupted(signal, `left ${left}`);
    io.err(`hotspare: prepare interrupted by ${signal}: it left ${left} in AWS; the spare is not ready.`);
    if (journal !== undefined) io.err(`Prepare run ${journal.runId} is journaled as interrupted.`);
    if (held !== undefined) {
      const where = [
        ...(inv.region === undefined ? [] : ['--region', inv.region]),
        ...(inv.profile === undefined ? [] : ['--profile', inv.profile]),
        ...(inv.endpointUrl === undefined ? [] : ['--endpoint-url', inv.endpointUrl]),
      ].map(shellWord);
      io.err(
        `next: run \`${again}\` again to wait for it and check it, or clean up: aws ec2 terminate-instances --instance-ids ${held.id}${where.length === 0 ? '' : ` ${where.join(' ')}`}`,
      );
    }
    process.exit(code);
  };
  const handlers = SIGNALS.map((s) => [s, () => onSignal(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  try {
    if (!ctx.runbook.steps.some((s) => s.type === 'launch-redirect')) {
      throw new UsageError(`Runbook ${ctx.runbook.name} has no launch-redirect step: there is no spare to prepare.`, {
        code: 'NoLaunchStep',
      });
    }
    const environment = await discoverEnvironment(ctx.runbook, ctx.ports);
    const timeoutSeconds = ctx.runbook.polling?.healthyTimeoutSeconds ?? DEFAULT_PREPARE_TIMEOUT_SECONDS;
    if (opts.dryRun !== true) journal = openPrepareJournal(ctx);
    const open = journal;
    try {
      const result = await prepareSpare({
        runbook: ctx.runbook,
        env: environment,
        ports: ctx.ports,
        pollIntervalMs: ctx.pollIntervalMs ?? (ctx.runbook.polling?.intervalSeconds ?? 2) * 1000,
        timeoutMs: ctx.healthyTimeoutMs ?? timeoutSeconds * 1000,
        progress: (line) => io.out(line),
        dryRun: opts.dryRun,
        signal: ctx.signal,
        mutate: open?.mutate,
        holding: (instance) => void (held = { id: instance.id, state: instance.state }),
        runId: open?.runId,
      });
      open?.succeeded(result.instanceId);
      if (result.outcome !== 'dry-run') {
        const how = result.outcome === 'ready' ? 'was already prepared' : 'is prepared';
        io.out(
          `Spare ${result.instanceId} ${how}, checked and stopped: launch-redirect starts it instead of launching (no install, no way out needed).`,
        );
      }
      return 0;
    } catch (error) {
      open?.failed(error);
      throw error;
    }
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
    journal?.close();
    await ctx.close();
  }
}

export const prepare = defineCommand({
  name: 'prepare',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'keep a stopped spare redirect instance ready',
  details:
    "Before an incident: launches the redirect instance for the target group as it is now, with its server installed and configured; the instance checks its own health answer and powers itself off, and prepare then tags it hotspare:spare-checked. Only a checked spare is used: at incident time launch-redirect starts it (no install, no way out needed) and rollback stops it again. prepare says how long it will wait (the runbook's polling.healthyTimeoutSeconds, default 600 s) and journals a run of its own (hotspare runs lists it); interrupted (Ctrl-C, SIGTERM), it says which instance it left and how to clean up, and exits 128+N. Run it again after changing the target group, the maintenance URL or the server: a spare made for another config is not used, and is replaced.",
  flags,
  run: ({ args, flags, io, env }) => prepareCommand(args[0], flags, io, env),
});
