import { ExternalError, HotspareError } from '../ports/errors.js';
import type { Ports } from '../ports/index.js';
import { retryRead } from '../ports/retry.js';
import type { Runbook } from '../runbook/schema.js';
import { stepIdOf } from '../runbook/schema.js';
import { readMaintenanceSite } from '../site/readiness.js';
import { launchSpec } from '../steps/launch-redirect.js';
import type { RunEnvironment } from '../steps/types.js';

export interface PreflightCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** Passed, but the operator should know (a stale maintenance site): shown as a warning, never blocks. */
  readonly warning?: boolean | undefined;
}

type Check = () => Promise<string>;

function checksFor(runbook: Runbook, env: RunEnvironment, ports: Ports, runId: string): [string, Check][] {
  const types = new Set(runbook.steps.map((s) => s.type));
  const checks: [string, Check][] = [
    ['target group', () => Promise.resolve(`${env.targetGroup.name}: port ${env.targetGroup.port}, health check every ${env.targetGroup.healthCheck.intervalSeconds} s`)],
    [
      'web servers',
      () =>
        env.webTargets.length > 0 || !types.has('deregister-web')
          ? Promise.resolve(`${env.webTargets.length} registered: ${env.webTargets.map((t) => t.id).join(', ')}`)
          : Promise.reject(new ExternalError('The web servers resolve to no registered target.', { code: 'NoWebTargets', nextSteps: 'Check webServers in the runbook against the target group.' })),
    ],
  ];
  if (runbook.loadBalancer.listener !== undefined) {
    checks.push(['listener', () => Promise.resolve(`${env.listener?.protocol ?? '?'}:${env.listener?.port ?? '?'} (${env.listener?.defaultActions.length ?? 0} default action(s))`)]);
  }
  const launch = runbook.steps.find((s) => s.type === 'launch-redirect');
  if (launch !== undefined) {
    const spec = launchSpec({ runbook, env, runId }, stepIdOf(launch), runbook.redirectServer?.instanceType ?? '');
    checks.push(['launch permission (EC2 DryRun)', async () => (await ports.compute.checkLaunch(spec), `${spec.imageId} in ${spec.subnetId}: permitted`)]);
  }
  const dns = runbook.dns;
  if (dns !== undefined && types.has('dns-failover')) {
    checks.push([
      'hosted zone and record',
      async () => {
        if (!(await ports.dns.hasHostedZone(dns.hostedZoneId))) throw new ExternalError(`Hosted zone ${dns.hostedZoneId} was not found.`, { code: 'HostedZoneNotFound' });
        const record = await ports.dns.getRecord(dns.hostedZoneId, dns.recordName, dns.type);
        return record === undefined ? `${dns.recordName} ${dns.type} does not exist yet (rollback deletes it)` : `${dns.recordName} ${dns.type} exists`;
      },
    ]);
  }
  return checks;
}

/**
 * Read-only checks before any mutation, run concurrently: every referenced resource exists, the web
 * servers resolve to at least one target, and launching is permitted (EC2 DryRun). Throws the first
 * failure (an ExternalError with next steps) after all have run; returns every result otherwise.
 * The maintenance site (with a site inspector) is read too: stale, missing or broken is a `warning`,
 * never a failure — an outage is no time to refuse the way out.
 */
export async function preflight(runbook: Runbook, env: RunEnvironment, ports: Ports, runId: string): Promise<PreflightCheck[]> {
  const checks = checksFor(runbook, env, ports, runId);
  const site = readMaintenanceSite(runbook, ports.site);
  const results = await Promise.all(
    checks.map(async ([name, run]) => {
      try {
        return { name, ok: true, detail: await retryRead(ports.clock, run), error: undefined };
      } catch (error) {
        return { name, ok: false, detail: error instanceof Error ? error.message : String(error), error };
      }
    }),
  );
  const failed = results.find((r) => !r.ok);
  if (failed !== undefined) {
    if (failed.error instanceof HotspareError) throw failed.error;
    throw new ExternalError(`Preflight check "${failed.name}" failed: ${failed.detail}`, { code: 'PreflightFailed' });
  }
  const maintenance = await site;
  const siteCheck = maintenance === undefined ? [] : [{ name: 'maintenance site', ok: true, detail: maintenance.summary, warning: maintenance.state !== 'fresh' }];
  return [...results.map(({ name, ok, detail }) => ({ name, ok, detail })), ...siteCheck];
}
