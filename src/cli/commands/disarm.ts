import { defineCommand } from '../args/tree.js';
import type { Io } from '../output/io.js';
import { jsonText } from '../output/json-out.js';
import { armFlags, armJournal, confirmChanges, loadArmRunbook, openArmPorts, type ArmFlags } from './arm-common.js';

async function disarmCommand(
  file: string | undefined,
  opts: ArmFlags,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const runbook = await loadArmRunbook(file, 'disarm');
  const arm = await import('../../arm/arm.js');
  const ports = await openArmPorts(opts, env, runbook);
  const journal = await armJournal(opts, env, runbook);
  const state = await arm.readArmState(ports, runbook);
  const plan = arm.planLeftover(
    arm.planDisarm(runbook, state, journal),
    state.kind === 'unarmed' ? await arm.leftoverHealthCheck(ports, journal) : undefined,
  );
  const lines = [
    `${runbook.dns!.recordName}: ${state.kind === 'armed' ? `armed (health check ${state.healthCheckId})` : 'not armed'}`,
    ...(plan.calls.length === 0
      ? ['Nothing to change: not armed.']
      : plan.calls.map((c, i) => `${i + 1}. will call: ${c}`)),
  ];
  const report = { runbook: runbook.name, state: state.kind, calls: plan.calls };
  if (plan.calls.length === 0 || opts.dryRun) {
    if (opts.json) io.out(jsonText({ ...report, dryRun: opts.dryRun, changed: false }));
    else for (const l of lines) io.out(l);
    return 0;
  }
  if (!opts.json) for (const l of lines) io.out(l);
  if (!(await confirmChanges(io, opts, 'Disarm the automatic failover? [y/N] '))) return 1;
  const result = await arm.applyDisarm(ports, runbook, plan, journal);
  if (opts.json) io.out(jsonText({ ...report, dryRun: false, ...result, journal: journal.file }));
  else
    io.out(`Disarmed: the record is back as it was before arm; the health check is deleted. Journal: ${journal.file}`);
  return 0;
}

/** `hotspare disarm RUNBOOK`: the record back exactly as it was before arm, the health check deleted. */
export const disarm = defineCommand({
  name: 'disarm',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'undo arm: the record exactly as it was, the health check deleted',
  details:
    "Puts dns.recordName back exactly as it was before `hotspare arm` changed it (read from arm's journal, state directory armed/NAME.jsonl) in one change batch that deletes hotspare's PRIMARY/SECONDARY pair, then deletes the health check arm created (read first). Shown and confirmed (--yes for automation, --dry-run shows the plan); each call journaled before and after. A site not armed changes nothing; an armed one without arm's journal is refused (ArmNoJournal). IAM: route53:ListResourceRecordSets, route53:ChangeResourceRecordSets, route53:GetHealthCheck, route53:DeleteHealthCheck.",
  flags: armFlags,
  run: ({ args, flags, io, env }) => disarmCommand(args[0], flags, io, env),
});
