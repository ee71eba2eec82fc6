import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ExternalError, UsageError } from '../../../domain/errors.js';
import { AWS, countFlag, dryRun, help, journalDir, json, SANDBOX_WORLD, withHelp, yes } from '../../args/flags.js';
import { defineCommand, type FlagValues } from '../../args/tree.js';
import type { Io } from '../../output/io.js';
import { jsonText } from '../../output/json-out.js';

const flags = {
  yes,
  dryRun: withHelp(dryRun, 'read what exists and print the plan; send nothing'),
  certificateWait: countFlag(
    'certificate-wait',
    'SECONDS',
    'wait at most this long for the certificate to be ISSUED (default 900); rerun to go on',
    0,
  ),
  journalDir,
  ...AWS,
  ...SANDBOX_WORLD,
  json: withHelp(json, 'one JSON report on stdout'),
  help,
};
type Flags = FlagValues<typeof flags>;

async function confirm(io: Io, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    io.err(question);
    const answer = await new Promise<string | undefined>((resolve) => {
      rl.once('line', (line) => resolve(line.trim().toLowerCase()));
      rl.once('close', () => resolve(undefined));
    });
    return answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
}

async function provisionCommand(
  file: string | undefined,
  opts: Flags,
  io: Io,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  if (file === undefined)
    throw new UsageError('Name a runbook: hotspare site provision RUNBOOK', { code: 'MissingRunbook' });
  const [{ loadRunbook }, provision, { stateDir }] = await Promise.all([
    import('../../../runbook/load.js'),
    import('../../../site/provision.js'),
    import('../../session/state-dir.js'),
  ]);
  const { runbook } = await loadRunbook(file);
  const target = provision.provisionTarget(runbook);
  if (typeof target === 'string') throw new UsageError(`${file}: ${target}`, { code: 'InvalidRunbook' });
  const account = await openAccount(opts, env, runbook, stateDir(env));
  try {
    return await provisionIn(account, file, target, opts, io, stateDir(env));
  } finally {
    await account.close();
  }
}

type ProvisionModule = typeof import('../../../site/provision.js');
type Account = Awaited<ReturnType<typeof openAccount>>;

/** The real account (AWS's edge and Route 53), or with --sandbox the simulated one. */
async function openAccount(
  opts: Flags,
  env: NodeJS.ProcessEnv,
  runbook: import('../../../runbook/schema.js').Runbook,
  state: string,
): Promise<{
  readonly ports: import('../../../site/provision.js').ProvisionPorts;
  readonly journalDir?: string;
  close(): Promise<void>;
}> {
  if (opts.sandbox) {
    const { sandboxProvision } = await import('../../sandbox/provision-ports.js');
    return sandboxProvision(runbook, { faults: opts.faults, speed: opts.speed }, state);
  }
  const [{ awsSetup }, { createAwsPorts }, { systemClock }] = await Promise.all([
    import('../../account/aws-setup.js'),
    import('../../../aws/index.js'),
    import('../../../domain/clock.js'),
  ]);
  const setup = await awsSetup(opts, runbook.region, env);
  setup.prepare();
  const aws = createAwsPorts({ region: setup.region, profile: setup.profile, endpointUrl: setup.endpointUrl });
  return { ports: { edge: aws.edge, dns: aws.dns, clock: systemClock }, close: () => Promise.resolve() };
}

async function provisionIn(
  account: Account,
  file: string,
  target: Exclude<ReturnType<ProvisionModule['provisionTarget']>, string>,
  opts: Flags,
  io: Io,
  stateRoot: string,
): Promise<number> {
  const provision = await import('../../../site/provision.js');
  const { ports } = account;
  const state = await provision.readProvisionState(ports, target);
  const actions = provision.planProvision(target, state);
  const lines = [
    `Maintenance host ${target.host}${target.siteHost === undefined ? '' : ` and site host ${target.siteHost} (the dns-failover step points it at the distribution)`}: zone ${state.zone?.id ?? 'not in this account'}, certificate ${state.certificate === undefined ? 'none' : `${state.certificate.arn} ${state.certificate.status}`}, distribution ${state.distribution === undefined ? 'none' : `${state.distribution.id} ${state.distribution.status} (${state.distribution.domainName})`}`,
    ...(actions.length === 0
      ? ['Nothing to change: everything is in place.']
      : actions.flatMap((a, i) => [
          `${i + 1}. ${a.title}`,
          ...(a.changes ?? []).map((c) => `     change ${c}`),
          ...a.calls.map((c) => `     will call: ${c}`),
        ])),
  ];
  if (actions.length === 0 || opts.dryRun) {
    if (opts.json) io.out(jsonText({ host: target.host, dryRun: opts.dryRun, actions, changed: false }));
    else for (const l of lines) io.out(l);
    return 0;
  }
  if (!opts.json) for (const l of lines) io.out(l);
  if (!opts.yes) {
    if (io.stdin.isTTY !== true)
      throw new UsageError('These changes need a confirmation: run it on a terminal, or pass --yes (automation).', {
        code: 'NeedsConfirmation',
      });
    if (!(await confirm(io, 'Make these changes? [y/N] '))) {
      io.err('Nothing changed.');
      return 1;
    }
  }
  const dir = join(opts.journalDir ?? account.journalDir ?? stateRoot, 'provision');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const journal = join(dir, `${target.name}.jsonl`);
  const printed: string[] = [];
  const result = await provision.applyProvision(
    ports,
    target,
    state,
    {
      journal: (entry) =>
        appendFileSync(journal, `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`, { mode: 0o600 }),
      progress: (line) => io.err(line),
      print: (line) => printed.push(line),
    },
    (opts.certificateWait ?? 900) * 1000,
  );
  if (opts.json)
    io.out(jsonText({ host: target.host, dryRun: false, actions, changed: true, ...result, printed, journal }));
  else {
    for (const l of printed) io.out(l);
    io.out(
      result.complete
        ? `Done: ${target.host} is served by distribution ${result.distributionId} (${result.distributionDomain}) with certificate ${result.certificateArn}. Journal: ${journal}`
        : `The certificate ${result.certificateArn} is ${result.certificateStatus ?? '?'} after the wait: validation can take longer. Run \`hotspare site provision ${file}\` again to go on.`,
    );
  }
  if (!result.complete)
    throw new ExternalError(
      `Certificate ${result.certificateArn} not issued yet (${result.certificateStatus ?? '?'}).`,
      {
        code: 'CertificatePending',
        retryable: true,
        nextSteps: `Run \`hotspare site provision ${file}\` again once its DNS validation record is in place; it goes on where it stopped.`,
      },
    );
  return 0;
}

/** `hotspare site provision RUNBOOK`: the certificate, distribution and DNS the maintenance host needs for HTTPS. */
export const provision = defineCommand({
  name: 'provision',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'certificate, CloudFront distribution and DNS alias for the https:// maintenance site',
  details:
    "Makes what the runbook's https:// maintenance host needs, ahead of any outage, and adopts what exists: an ACM certificate for the host in us-east-1 (DNS validation; the records are written into the host's Route 53 zone when it is in the account, printed otherwise) waited for until ISSUED, a CloudFront distribution in front of the bucket's S3 website endpoint (the host as alternate domain name, redirect-to-https, index.html at the root, the copy's home page with a 404 for a missing page, maintenance.cloudfront.priceClass), and alias A and AAAA records. For a runbook with a dns-failover step and an https:// site, the site's host is a second alternate domain name of the distribution and a second name of the certificate: an ACM certificate cannot gain names, so when the one in place covers the maintenance host only a new one for both hosts is requested, validated (its records written into dns.hostedZoneId for the site's host), then the distribution is switched to it (the old one stays until you delete it); a certificate named in the runbook that does not cover both is refused (CertificateMissingNames). Every call is shown first and confirmed (--yes for automation), journaled before and after it is sent under the state directory's provision/; everything made is tagged hotspare:site and hotspare:managed-by, and `managed` finds them by those tags; with none tagged, a distribution that already carries the host is adopted: each setting that differs is shown, then it is updated with its ETag and tagged (two tagged, or a tagged one without the host, is refused naming both). A rerun reads first and changes nothing; one interrupted (or a certificate still pending) is completed by running it again. IAM: acm:ListCertificates, acm:DescribeCertificate, acm:RequestCertificate, acm:AddTagsToCertificate, cloudfront:ListDistributions, cloudfront:GetDistribution, cloudfront:CreateDistributionWithTags, cloudfront:GetDistributionConfig, cloudfront:UpdateDistribution, cloudfront:TagResource, cloudfront:ListTagsForResource, route53:ListHostedZonesByName, route53:ListResourceRecordSets, route53:ChangeResourceRecordSets.",
  flags,
  run: ({ args, flags, io, env }) => provisionCommand(args[0], flags, io, env),
});
