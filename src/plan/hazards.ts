import type { Runbook } from '../runbook/schema.js';
import { stepIdOf } from '../runbook/schema.js';
import type { RunEnvironment } from '../domain/types.js';
import { bootSeconds, type Timeline } from './timeline.js';
import { maintenanceHazards } from './maintenance-hazards.js';
import { httpsHazards } from './https-hazards.js';
import { listenerHazards } from './listener-hazards.js';
import { bypassHazards } from './bypass-hazards.js';
import { scalingHazards } from './scaling-hazards.js';
import { redirectHazards } from './redirect-hazards.js';
import { runInEffectHazards } from './run-in-effect-hazards.js';
import type { Hazard, PlannedStep } from './types.js';

function stepOf(runbook: Runbook, type: string): string | undefined {
  const step = runbook.steps.find((s) => s.type === type);
  return step === undefined ? undefined : stepIdOf(step);
}

/** The zero-healthy-target window the order opens, if any. */
function windowHazard(runbook: Runbook, env: RunEnvironment, tl: Timeline): Hazard | undefined {
  if (tl.webOutAt === undefined) return undefined;
  const alternatives = [tl.redirectHealthyAt, tl.listenerAt].filter((t): t is number => t !== undefined);
  const servingAt = alternatives.length === 0 ? undefined : Math.min(...alternatives);
  const stepId = stepOf(runbook, 'deregister-web');
  if (servingAt === undefined) {
    if (tl.dnsAt !== undefined && tl.dnsAt <= tl.webOutAt) return undefined;
    return {
      code: 'site-left-without-targets',
      severity: 'danger',
      stepId,
      message:
        'The web servers are deregistered and nothing takes their place: the load balancer answers 503 until rollback.',
    };
  }
  const seconds = Math.round(servingAt - tl.webOutAt);
  if (seconds <= 0) return undefined;
  return {
    code: 'zero-healthy-window',
    severity: 'danger',
    stepId,
    expectedSeconds: seconds,
    message: windowMessage(runbook, env, tl, servingAt, seconds),
  };
}

/** Say what closes the window: the listener step, or the redirect instance's boot and first health check. */
function windowMessage(
  runbook: Runbook,
  env: RunEnvironment,
  tl: Timeline,
  servingAt: number,
  seconds: number,
): string {
  const head = `Zero healthy targets for about ${seconds} s: `;
  const tail = ' Visitors get 503s meanwhile.';
  if (servingAt === tl.listenerAt) {
    return `${head}the web servers leave the target group before the listener is pointed at the maintenance site.${tail} Put the listener step before deregister-web.`;
  }
  const interval = env.targetGroup.healthCheck.intervalSeconds;
  return (
    `${head}the web servers leave the target group at ~${Math.round(tl.webOutAt ?? 0)} s and the redirect instance is healthy only at ~${Math.round(servingAt)} s ` +
    `(boot ~${bootSeconds(runbook)} s from its launch, then one passing health check, up to ${interval} s apart).${tail} ` +
    'Launch, register and wait for the redirect instance first (see runbooks/emergency-mode.yaml).'
  );
}

function undoHazards(steps: readonly PlannedStep[]): Hazard[] {
  return steps
    .filter((s) => s.mutating && s.undo === undefined)
    .map((s) => ({
      code: 'no-undo' as const,
      severity: 'warning' as const,
      stepId: s.id,
      message: `Step ${s.id} cannot be undone by rollback.`,
    }));
}

function orderHazards(runbook: Runbook, tl: Timeline): Hazard[] {
  const out: Hazard[] = [];
  if (tl.launched && !tl.registered) {
    out.push({
      code: 'orphan-instance',
      severity: 'warning',
      stepId: stepOf(runbook, 'launch-redirect'),
      message: 'The redirect instance is launched but never registered: it would serve nothing and cost money.',
    });
  }
  const mutates = runbook.steps.some(
    (s) => s.type !== 'manual' && s.type !== 'verify-maintenance' && s.type !== 'wait-redirect-healthy',
  );
  if (mutates && !runbook.steps.some((s) => s.type === 'verify-maintenance')) {
    out.push({
      code: 'unverified',
      severity: 'warning',
      message: 'No verify-maintenance step: nothing checks that visitors really reach the maintenance site.',
    });
  }
  if (runbook.dns !== undefined && runbook.steps.some((s) => s.type === 'dns-failover') && runbook.dns.ttl > 300) {
    out.push({
      code: 'long-dns-ttl',
      severity: 'warning',
      stepId: stepOf(runbook, 'dns-failover'),
      message: `The record's TTL is ${runbook.dns.ttl} s: resolvers keep the old answer that long, and rollback takes as long to reach everyone.`,
    });
  }
  return out;
}

function environmentHazards(env: RunEnvironment): Hazard[] {
  const out: Hazard[] = [];
  if (!env.discovered) {
    out.push({
      code: 'defaults-assumed',
      severity: 'info',
      message:
        'Health-check settings are the ALB defaults (30 s interval, 300 s deregistration delay): the account was not read. Pass --discover (or --sandbox / --endpoint-url) to use the real ones.',
    });
  } else if (env.webTargets.length === 1) {
    out.push({ code: 'single-web-target', severity: 'info', message: 'Only one web server is registered.' });
  }
  return out;
}

/** Everything the operator must know before running this plan. Pure. */
export function analyseHazards(
  runbook: Runbook,
  env: RunEnvironment,
  steps: readonly PlannedStep[],
  tl: Timeline,
): Hazard[] {
  const window = windowHazard(runbook, env, tl);
  return [
    ...runInEffectHazards(env),
    ...(window ? [window] : []),
    ...redirectHazards(runbook, env),
    ...maintenanceHazards(env),
    ...httpsHazards(runbook, env),
    ...scalingHazards(runbook, env),
    ...listenerHazards(runbook, env),
    ...bypassHazards(runbook, env),
    ...orderHazards(runbook, tl),
    ...undoHazards(steps),
    ...environmentHazards(env),
  ];
}
