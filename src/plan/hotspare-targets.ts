import type { HotspareTarget } from '../domain/types.js';
import type { InstanceInfo, TargetHealth } from '../ports/index.js';
import { STARTED_BY_TAG } from '../steps/launch-redirect.js';

/**
 * AWS as the source of truth for runs in effect: the instances registered in the target group that
 * carry hotspare's tags. Journals and locks live on one machine; these tags are seen by everyone
 * who reads the account, so a redirect instance left by `abandon`, a lost journal or another
 * operator's laptop is never counted as a web server.
 */

export const RUN_TAG = 'hotspare:run';
export const SPARE_TAG = 'hotspare:spare';

/** What a registered target is: a web server, a hotspare redirect instance, a spare, or something else. */
export type TargetRole = 'web' | 'redirect' | 'spare' | 'other';

export function roleOf(instance: Pick<InstanceInfo, 'tags'> | undefined, isWeb: boolean): TargetRole {
  if (instance?.tags[SPARE_TAG] !== undefined) return 'spare';
  if (instance?.tags[RUN_TAG] !== undefined) return 'redirect';
  return isWeb ? 'web' : 'other';
}

/** The registered targets (draining ones are leaving, so not counted) whose instances carry hotspare's tags. */
export function hotspareTargetsOf(
  health: readonly TargetHealth[],
  instances: readonly InstanceInfo[],
): HotspareTarget[] {
  const byId = new Map(instances.map((i) => [i.id, i]));
  const out: HotspareTarget[] = [];
  for (const t of health) {
    if (t.state === 'draining') continue;
    const instance = byId.get(t.id);
    const role = roleOf(instance, false);
    if (instance === undefined || (role !== 'redirect' && role !== 'spare')) continue;
    out.push({
      id: t.id,
      port: t.port,
      role,
      state: t.state,
      runId: instance.tags[RUN_TAG],
      startedBy: instance.tags[STARTED_BY_TAG],
      launchTime: instance.launchTime,
    });
  }
  return out;
}

/** A run in effect as AWS shows it: its id, who started it and when, and its registered instances. */
export interface RunInEffect {
  /** The launching run's id; for a spare, the id its preparation tagged (`spare-…`). */
  readonly runId: string;
  readonly startedBy?: string | undefined;
  /** ISO 8601: the run's start (from its id), else the earliest instance's launch. */
  readonly since?: string | undefined;
  readonly instances: readonly HotspareTarget[];
}

/** The start time a run id carries (`20261203T030000.000Z-…`), as ISO 8601. */
export function runIdTime(runId: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d{3}))?Z/.exec(runId);
  if (m === null) return undefined;
  const at = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number(m[7] ?? 0),
  );
  return Number.isFinite(at) ? new Date(at).toISOString() : undefined;
}

/** The tagged targets grouped by the run that launched them, oldest first. */
export function runsInEffect(targets: readonly HotspareTarget[]): RunInEffect[] {
  const groups = new Map<string, HotspareTarget[]>();
  for (const t of targets) {
    const key = t.runId ?? `unknown run (${t.id})`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups]
    .map(([runId, instances]) => {
      const launched = instances
        .map((i) => i.launchTime)
        .filter((t): t is string => t !== undefined)
        .sort()[0];
      return {
        runId,
        startedBy: instances.find((i) => i.startedBy !== undefined)?.startedBy,
        since: runIdTime(runId) ?? launched,
        instances,
      };
    })
    .sort((a, b) => (a.since ?? '').localeCompare(b.since ?? ''));
}

/** What this machine's journal knows to be in effect: the run in progress and the instances it journaled. */
export interface OwnRun {
  readonly runId?: string | undefined;
  readonly instanceIds?: readonly string[] | undefined;
}

/** The tagged targets that no run in progress here accounts for. */
export function unaccounted(targets: readonly HotspareTarget[], own: OwnRun = {}): HotspareTarget[] {
  const mine = new Set(own.instanceIds ?? []);
  return targets.filter((t) => !(own.runId !== undefined && t.runId === own.runId) && !mine.has(t.id));
}

/** `run 2026…-ab12 started by alice@ops-1 at 2026-12-03 03:00 UTC: i-0abc (redirect, healthy)`. */
export function runInEffectText(run: RunInEffect): string {
  const who = run.startedBy === undefined ? '' : ` started by ${run.startedBy}`;
  const since =
    run.since === undefined ? '' : ` since ${run.since.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC')}`;
  const what = run.instances.map((i) => `${i.id} (${i.role}, ${i.state})`).join(', ');
  return `run ${run.runId}${who}${since}: ${what}`;
}

/** Counts of the registered targets by role, each with how many are healthy. */
export interface RoleCounts {
  readonly web: { readonly healthy: number; readonly total: number };
  readonly redirect: { readonly healthy: number; readonly total: number };
  readonly spare: { readonly healthy: number; readonly total: number };
  readonly other: { readonly healthy: number; readonly total: number };
}

/**
 * The registered targets (draining ones left out) counted by role. `isWeb` says which ids the
 * runbook calls web servers; an untagged target it does not name is `other`.
 */
export function roleCounts(
  health: readonly TargetHealth[],
  instances: readonly InstanceInfo[],
  isWeb: (id: string) => boolean,
): RoleCounts {
  const byId = new Map(instances.map((i) => [i.id, i]));
  const counts = {
    web: { healthy: 0, total: 0 },
    redirect: { healthy: 0, total: 0 },
    spare: { healthy: 0, total: 0 },
    other: { healthy: 0, total: 0 },
  };
  for (const t of health) {
    if (t.state === 'draining') continue;
    const c = counts[roleOf(byId.get(t.id), isWeb(t.id))];
    c.total++;
    if (t.state === 'healthy') c.healthy++;
  }
  return counts;
}

/** `web 3/3 healthy · redirect 1/1 healthy`: roles with no target are left out, except web servers. */
export function roleCountsText(counts: RoleCounts): string {
  const part = (name: string, c: { healthy: number; total: number }): string =>
    `${name} ${c.healthy}/${c.total} healthy`;
  return [
    part('web', counts.web),
    ...(counts.redirect.total > 0 ? [part('redirect', counts.redirect)] : []),
    ...(counts.spare.total > 0 ? [part('spare', counts.spare)] : []),
    ...(counts.other.total > 0 ? [part('other', counts.other)] : []),
  ].join(' · ');
}

/**
 * The danger of tagged targets no run in progress accounts for, in words: what it does to visitors
 * and what to do. Undefined when there are none.
 */
export function strayDanger(
  stray: readonly HotspareTarget[],
  registered: number,
  targetGroupArn: string,
): string | undefined {
  if (stray.length === 0) return undefined;
  const runs = runsInEffect(stray);
  const share =
    registered > 0 ? ` (about ${stray.length} in ${registered} visitors are sent to the maintenance site)` : '';
  const redirects = stray.filter((t) => t.role === 'redirect').map((t) => t.id);
  const spares = stray.filter((t) => t.role === 'spare').map((t) => t.id);
  const commands = [
    `aws elbv2 deregister-targets --target-group-arn ${targetGroupArn} --targets ${stray.map((t) => (t.port === undefined ? `Id=${t.id}` : `Id=${t.id},Port=${t.port}`)).join(' ')}`,
    ...(redirects.length > 0 ? [`aws ec2 terminate-instances --instance-ids ${redirects.join(' ')}`] : []),
    ...(spares.length > 0 ? [`aws ec2 stop-instances --instance-ids ${spares.join(' ')}`] : []),
  ];
  return (
    `hotspare instance${stray.length === 1 ? '' : 's'} registered in the target group with no run in progress here${share}: ` +
    `${runs.map(runInEffectText).join('; ')}. If it is another operator's run, leave it to them (a team shares one journal directory: see the README); ` +
    `if it was left by abandon or a lost journal, remove it: ${commands.join(' && ')}`
  );
}
