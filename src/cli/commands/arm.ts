import { defineCommand } from '../args/tree.js';
import type { Io } from '../output/io.js';
import { jsonText } from '../output/json-out.js';
import { armFlags, armJournal, confirmChanges, loadArmRunbook, openArmPorts, type ArmFlags } from './arm-common.js';

async function armCommand(file: string | undefined, opts: ArmFlags, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const runbook = await loadArmRunbook(file, 'arm');
  const arm = await import('../../arm/arm.js');
  const ports = await openArmPorts(opts, env, runbook);
  const journal = await armJournal(opts, env, runbook);
  const state = await arm.readArmState(ports, runbook);
  const https = state.kind === 'unarmed' ? await arm.checkSecondaryServesHttps(ports, runbook) : undefined;
  const plan = arm.planArm(runbook, state);
  const lines = [
    `${runbook.dns!.recordName}: ${state.kind === 'armed' ? `armed (health check ${state.healthCheckId})` : 'not armed'}`,
    `Fails over by itself in ${plan.estimate}`,
    ...(https === undefined ? [] : [`Secondary over HTTPS: ${https}`]),
    ...(plan.calls.length === 0
      ? ['Nothing to change: already armed.']
      : plan.calls.map((c, i) => `${i + 1}. will call: ${c}`)),
  ];
  const report = { runbook: runbook.name, state: state.kind, estimate: plan.estimate, calls: plan.calls };
  if (plan.calls.length === 0 || opts.dryRun) {
    if (opts.json) io.out(jsonText({ ...report, dryRun: opts.dryRun, changed: false }));
    else for (const l of lines) io.out(l);
    return 0;
  }
  if (!opts.json) for (const l of lines) io.out(l);
  if (!(await confirmChanges(io, opts, 'Arm the automatic failover? [y/N] '))) return 1;
  const result = await arm.applyArm(ports, runbook, plan, journal);
  if (opts.json) io.out(jsonText({ ...report, dryRun: false, ...result, journal: journal.file }));
  else
    io.out(
      `Armed: health check ${result.healthCheckId}, Route 53 change ${result.changeId ?? '?'}. \`hotspare disarm ${file}\` restores the record. Journal: ${journal.file}`,
    );
  return 0;
}

/** `hotspare arm RUNBOOK`: a Route 53 health check on the live site and the failover pair for dns.recordName. */
export const arm = defineCommand({
  name: 'arm',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'arm the automatic failover: a Route 53 health check and PRIMARY/SECONDARY records',
  details:
    "Arms the failover Route 53 does by itself, with nobody at a terminal: a string-match health check on the live site (armed.healthCheck: path, port, protocol, the marker only the live site carries, interval, failure threshold) and, in one change batch, dns.recordName's alias record to the load balancer replaced by a PRIMARY alias to the same load balancer (evaluate target health, the health check) and a SECONDARY alias to armed.secondary (default dns.failoverValue). Shows the expected time to fail over. Reads first: arming an armed site changes nothing; anything else than one alias record to the load balancer (or hotspare's pair) is refused naming what was found (ArmUnexpectedRecord), and for an https:// site a secondary that is not a CloudFront distribution carrying the site's host (ArmSecondaryCannotServeHttps). The record as it was is journaled before anything is sent (state directory armed/NAME.jsonl, 0600), and each call before and after; `hotspare disarm RUNBOOK` restores it. IAM: route53:ListResourceRecordSets, route53:ChangeResourceRecordSets, route53:ListHealthChecks, route53:CreateHealthCheck, cloudfront:ListDistributions.",
  flags: armFlags,
  run: ({ args, flags, io, env }) => armCommand(args[0], flags, io, env),
});
