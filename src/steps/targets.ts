import type { ApiCall } from '../domain/types.js';
import { UsageError } from '../domain/errors.js';
import type { Target } from '../ports/index.js';
import type { DescribeContext, StepContext } from './types.js';
import { stateOf } from './journal-contract.js';
import { launchRedirectJournal } from './launch-redirect.journal.js';

/**
 * Targets as the steps register, journal and show them. The one place that decides what a target
 * looks like on the wire: an Availability Zone is sent only for `ip` target groups (ELBv2 refuses it
 * for instance targets and needs the registered one repeated for IP targets).
 */

/** A target as journaled: `null` where the API gave no port or AZ. */
export type TargetJson = { id: string; port: number | null; availabilityZone: string | null };

/** The redirect instance launched earlier in this run, as a target on the target group's port. */
/** The redirect instance's id once the run launched (or started) it, else a placeholder: for the calls shown. */
export function knownRedirectId(ctx: DescribeContext): string {
  const id = ctx.outputsOf?.('launch-redirect')?.['instanceId'];
  return typeof id === 'string' ? id : '<redirect instance>';
}

export function redirectTarget(ctx: StepContext): Target {
  const launched = ctx.outputsOf('launch-redirect');
  const id = launched === undefined ? undefined : stateOf(launchRedirectJournal, launched).instanceId;
  if (id === undefined) {
    throw new UsageError('No redirect instance in this run: a launch-redirect step must run first.', {
      code: 'MissingRedirectInstance',
      nextSteps: 'Put launch-redirect before this step in the runbook.',
    });
  }
  return { id, port: ctx.env.targetGroup.port };
}

/** The targets a step journaled under `targets` (read through its journal schema). */
export function targetsOf(
  journaled:
    | readonly { id: string; port?: number | null | undefined; availabilityZone?: string | null | undefined }[]
    | undefined,
): Target[] {
  return (journaled ?? []).map((o) => ({
    id: o.id,
    port: o.port ?? undefined,
    availabilityZone: o.availabilityZone ?? undefined,
  }));
}

export function targetJson(targets: readonly Target[]): TargetJson[] {
  return targets.map((t) => ({ id: t.id, port: t.port ?? null, availabilityZone: t.availabilityZone ?? null }));
}

/** Targets as the API takes them: an Availability Zone only for `ip` target groups. */
export function forApi(targetType: string, targets: readonly Target[]): Target[] {
  return targets.map((t) => (targetType === 'ip' ? t : { id: t.id, port: t.port }));
}

export function registerCall(tgArn: string, targets: readonly Target[] | string): ApiCall {
  const list =
    typeof targets === 'string'
      ? [{ Id: targets }]
      : targets.map((t) => ({ Id: t.id, Port: t.port, AvailabilityZone: t.availabilityZone }));
  return { service: 'elbv2', operation: 'RegisterTargets', params: { TargetGroupArn: tgArn, Targets: list } };
}

export function deregisterCall(tgArn: string, targets: readonly Target[] | string): ApiCall {
  return { ...registerCall(tgArn, targets), operation: 'DeregisterTargets' };
}
