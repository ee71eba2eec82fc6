import { createHash } from 'node:crypto';
import type { Clock } from '../ports/index.js';
import type { Distributions, InvalidationInfo } from '../ports/edge.js';
import { PENDING_FILE, type PublishPlan } from './publish-plan.js';

export { runbookDistribution } from '../runbook/maintenance-https.js';
export { findMaintenanceDistribution } from './maintenance-edge.js';

/**
 * After a publish, CloudFront's edge caches keep the old objects until they expire: one
 * invalidation of exactly the paths the publish changed (uploads and deletes, the home page and
 * the manifest among them) makes the new copy visible everywhere once it is Completed.
 */

/** CloudFront takes at most this many paths in one invalidation; past it, one wildcard (`/*`) is sent. */
export const MAX_INVALIDATION_PATHS = 3000;

/** How long `--wait` waits for an invalidation by default (CloudFront usually takes under a minute or two). */
export const DEFAULT_INVALIDATION_WAIT_MS = 10 * 60_000;

/** A key as the URL paths visitors request it by: `about/index.html` is also `/about/`, `index.html` also `/`. */
function pathsOfKey(key: string): string[] {
  const path = `/${key.split('/').map(encodeURIComponent).join('/')}`;
  if (key === 'index.html') return ['/', path];
  return key.endsWith('/index.html') ? [path.slice(0, -'index.html'.length), path] : [path];
}

/** The paths a publish changed, in upload order then deletes; the pending list (never visited) is left out. */
export function invalidationPaths(plan: Pick<PublishPlan, 'uploads' | 'deletes'>): string[] {
  const keys = [...plan.uploads.map((u) => u.key), ...plan.deletes].filter((k) => k !== PENDING_FILE);
  const paths = [...new Set(keys.flatMap(pathsOfKey))];
  return paths.length > MAX_INVALIDATION_PATHS ? ['/*'] : paths;
}

/** The caller reference of a publish's invalidation: the same publish asks for the same one (CloudFront returns it again). */
export function callerReferenceOf(publishedAt: string | undefined, paths: readonly string[]): string {
  return `hotspare-${createHash('sha256')
    .update(`${publishedAt ?? ''}\n${paths.join('\n')}`)
    .digest('hex')
    .slice(0, 32)}`;
}

export interface InvalidationReport {
  readonly distributionId: string;
  readonly invalidation: InvalidationInfo;
  readonly paths: readonly string[];
  /** Whether it was waited for, and it completed. */
  readonly waited: boolean;
  readonly completed: boolean;
  readonly requestIds: readonly string[];
}

export interface InvalidateOptions {
  readonly distributions: Distributions;
  readonly distributionId: string;
  readonly plan: Pick<PublishPlan, 'uploads' | 'deletes' | 'manifest'>;
  /** Wait until it is Completed, at most this long. */
  readonly waitMs?: number | undefined;
  readonly clock: Clock;
  readonly pollMs?: number | undefined;
  readonly onProgress?: ((status: string) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** One invalidation of the publish's changed paths (none when nothing changed); waits when asked. */
export async function invalidatePublish(options: InvalidateOptions): Promise<InvalidationReport | undefined> {
  const paths = invalidationPaths(options.plan);
  if (paths.length === 0) return undefined;
  const { distributions, distributionId, clock } = options;
  const made = await distributions.createInvalidation(
    distributionId,
    paths,
    callerReferenceOf(options.plan.manifest.publishedAt, paths),
  );
  let invalidation = made.invalidation;
  const requestIds = made.requestId === undefined ? [] : [made.requestId];
  if (options.waitMs === undefined)
    return {
      distributionId,
      invalidation,
      paths,
      waited: false,
      completed: invalidation.status === 'Completed',
      requestIds,
    };
  const started = clock.now();
  const poll = options.pollMs ?? 5000;
  while (invalidation.status !== 'Completed' && clock.now() - started < options.waitMs) {
    options.onProgress?.(
      `invalidation ${invalidation.id} ${invalidation.status} (${Math.round((clock.now() - started) / 1000)} s)`,
    );
    await clock.sleep(Math.min(poll, Math.max(0, options.waitMs - (clock.now() - started))), options.signal);
    invalidation = await distributions.getInvalidation(distributionId, invalidation.id);
  }
  return {
    distributionId,
    invalidation,
    paths,
    waited: true,
    completed: invalidation.status === 'Completed',
    requestIds,
  };
}

/** One line for the report. */
export function invalidationText(r: InvalidationReport): string {
  const what = `CloudFront invalidation ${r.invalidation.id} of ${r.paths.length} path(s) on ${r.distributionId}`;
  if (r.completed) return `${what}: Completed, visitors get the new copy everywhere.`;
  if (r.waited)
    return `${what}: still ${r.invalidation.status} after the wait; visitors may get the old copy from CloudFront's caches until it completes.`;
  return `${what}: ${r.invalidation.status}; visitors may get the old copy from CloudFront's caches until it completes (--wait waits for it).`;
}
