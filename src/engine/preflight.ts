import type { RunEnvironment } from '../domain/types.js';
import { ExternalError, HotspareError, RefusedError } from '../domain/errors.js';
import { runInEffectText, runsInEffect } from '../plan/hotspare-targets.js';
import type { Ports } from '../ports/index.js';
import { retryRead, type OnRetry } from '../domain/retry.js';
import type { Runbook } from '../runbook/schema.js';
import { stepDefinition } from '../steps/index.js';
import type { PreflightCheck } from '../steps/types.js';
import { readMaintenanceSite } from '../site/readiness.js';

export interface PreflightResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** Passed, but the operator should know (a stale maintenance site): shown as a warning, never blocks. */
  readonly warning?: boolean | undefined;
}

function check(name: string, run: () => Promise<string>): PreflightCheck {
  return { name, run };
}

/** The run-wide checks: the target group, the web servers and the listener as discovered. */
function runChecks(runbook: Runbook, env: RunEnvironment): PreflightCheck[] {
  const types = new Set(runbook.steps.map((s) => s.type));
  const tg = env.targetGroup;
  const checks = [
    check(
      'target group',
      async () => `${tg.name}: port ${tg.port}, health check every ${tg.healthCheck.intervalSeconds} s`,
    ),
    check('web servers', async () => {
      if (env.webTargets.length === 0 && types.has('deregister-web')) {
        throw new ExternalError('The web servers resolve to no registered target.', {
          code: 'NoWebTargets',
          nextSteps: 'Check webServers in the runbook against the target group.',
        });
      }
      return `${env.webTargets.length} registered: ${env.webTargets.map((t) => t.id).join(', ')}`;
    }),
  ];
  if (runbook.loadBalancer.listener !== undefined) {
    const l = env.listener;
    checks.push(
      check(
        'listener',
        async () => `${l?.protocol ?? '?'}:${l?.port ?? '?'} (${l?.defaultActions.length ?? 0} default action(s))`,
      ),
    );
  }
  return checks;
}

/** Every check of the run and of its steps (each step type knows what it needs: see `StepDefinition.preflight`). */
function checksFor(runbook: Runbook, env: RunEnvironment, ports: Ports, runId: string): PreflightCheck[] {
  const ctx = { runbook, env, runId, ports };
  return [
    ...runChecks(runbook, env),
    ...runbook.steps.flatMap((spec) => stepDefinition(spec.type).preflight?.(ctx, spec) ?? []),
  ];
}

/**
 * Read-only checks before any mutation, run concurrently: every referenced resource exists, the web
 * servers resolve to at least one target, and each step's own needs (EC2 DryRun for a launch, the
 * hosted zone for DNS). Throws the first failure (an ExternalError with next steps) after all have
 * run; returns every result otherwise. The maintenance site (with a site inspector) is read too:
 * stale, missing or broken is a `warning`, never a failure — an outage is no time to refuse the way out.
 */
export async function preflight(
  runbook: Runbook,
  env: RunEnvironment,
  ports: Ports,
  runId: string,
  onRetry?: OnRetry,
): Promise<PreflightResult[]> {
  refuseRunInEffect(env);
  const site = readMaintenanceSite(runbook, ports.site);
  const results = await Promise.all(
    checksFor(runbook, env, ports, runId).map(async ({ name, run }) => {
      try {
        return { name, ok: true, detail: await retryRead(run, { clock: ports.clock, onRetry }), error: undefined };
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
  const siteCheck =
    maintenance === undefined
      ? []
      : [{ name: 'maintenance site', ok: true, detail: maintenance.summary, warning: maintenance.state !== 'fresh' }];
  return [...results.map(({ name, ok, detail }) => ({ name, ok, detail })), ...siteCheck];
}

/**
 * A new failover while AWS shows hotspare instances in the target group (another operator's run, or
 * one left by abandon or a lost journal) would mix two runs: refused, naming the run from its tags.
 */
export function refuseRunInEffect(env: RunEnvironment): void {
  const tagged = env.hotspareTargets ?? [];
  if (tagged.length === 0) return;
  const runs = runsInEffect(tagged);
  throw new RefusedError(
    `AWS shows a hotspare run in effect on ${env.targetGroup.name}: ${runs.map(runInEffectText).join('; ')}.`,
    {
      code: 'RunInEffect',
      nextSteps:
        "If it is another operator's run, leave the failover to them (`hotspare status RUNBOOK` shows it; a team shares one journal directory, see the README). " +
        'If it was left by abandon or a lost journal, deregister and terminate those instances (`hotspare plan RUNBOOK --discover` gives the aws commands), then fail over.',
    },
  );
}
