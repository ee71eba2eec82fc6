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

/**
 * The invalidation journal: a publish's invalidation is a mutation like any other, recorded when
 * planned (before the uploads), before CreateInvalidation is sent and after it answered, under its
 * caller reference. A publish that did not finish (a crash mid-upload, a lost answer, a refused call)
 * leaves one unfinished: the next publish reads first (the distribution's invalidations, by caller
 * reference) and sends it only when CloudFront does not have it, with its own changed paths.
 */
export interface InvalidationJournalEntry {
  /** ISO 8601. */
  readonly at: string;
  readonly phase: 'planned' | 'sending' | 'sent' | 'failed';
  readonly callerReference: string;
  readonly paths?: readonly string[] | undefined;
  readonly distributionId?: string | undefined;
  readonly invalidationId?: string | undefined;
  /** The caller references of unfinished invalidations this one also covers (their paths are in it). */
  readonly covers?: readonly string[] | undefined;
  /** For `sent`: found by its caller reference (an earlier call that had reached CloudFront), not created. */
  readonly found?: boolean | undefined;
  readonly error?: string | undefined;
}

export interface InvalidationJournal {
  read(): readonly InvalidationJournalEntry[];
  append(entry: Omit<InvalidationJournalEntry, 'at'>): void;
}

export interface UnfinishedInvalidation {
  readonly callerReference: string;
  readonly paths: readonly string[];
  /** Its last record: `planned` was never sent; `sending` or `failed` may have reached CloudFront. */
  readonly phase: 'planned' | 'sending' | 'failed';
  readonly distributionId?: string | undefined;
}

/** Every invalidation the journal shows planned or sent without an answer, oldest first. Pure. */
export function unfinishedInvalidations(entries: readonly InvalidationJournalEntry[]): UnfinishedInvalidation[] {
  const done = new Set<string>();
  for (const e of entries)
    if (e.phase === 'sent') for (const ref of [e.callerReference, ...(e.covers ?? [])]) done.add(ref);
  const open = new Map<string, UnfinishedInvalidation>();
  for (const e of entries) {
    if (e.phase === 'sent' || done.has(e.callerReference)) continue;
    const before = open.get(e.callerReference);
    open.delete(e.callerReference);
    open.set(e.callerReference, {
      callerReference: e.callerReference,
      paths: e.paths ?? before?.paths ?? [],
      phase: e.phase,
      distributionId: e.distributionId ?? before?.distributionId,
    });
  }
  return [...open.values()];
}

/** How many of a distribution's newest invalidations are read when looking one up by caller reference. */
const LOOKUP_DEPTH = 20;

/** The invalidation CloudFront already has under `callerReference` (among the newest), or undefined. Reads only. */
export async function invalidationByCallerReference(
  distributions: Distributions,
  distributionId: string,
  callerReference: string,
): Promise<InvalidationInfo | undefined> {
  const newest = (await distributions.listInvalidations(distributionId)).slice(0, LOOKUP_DEPTH);
  for (const summary of newest) {
    const full = await distributions.getInvalidation(distributionId, summary.id);
    if (full.callerReference === callerReference) return full;
  }
  return undefined;
}

export interface InvalidationReport {
  readonly distributionId: string;
  readonly invalidation: InvalidationInfo;
  readonly paths: readonly string[];
  /** Invalidations of earlier publishes that had not finished: found already made (ids), or sent within this one. */
  readonly recovered?: { readonly found: readonly string[]; readonly included: number } | undefined;
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
  /** Where the invalidation is journaled; without one nothing is recorded and nothing is recovered. */
  readonly journal?: InvalidationJournal | undefined;
}

/** The record a publish writes before its uploads, so that a crash before the invalidation is sent is not forgotten. */
export function plannedInvalidation(
  plan: Pick<PublishPlan, 'uploads' | 'deletes' | 'manifest'>,
): Omit<InvalidationJournalEntry, 'at'> | undefined {
  const paths = invalidationPaths(plan);
  if (paths.length === 0) return undefined;
  return { phase: 'planned', callerReference: callerReferenceOf(plan.manifest.publishedAt, paths), paths };
}

/**
 * One invalidation of the publish's changed paths (none when nothing changed); waits when asked.
 * With a journal: an earlier publish's unfinished invalidation is looked up first (by caller
 * reference) when it may have been sent, and its paths go into this one when CloudFront does not
 * have it; each call is journaled before and after it is sent.
 */
export async function invalidatePublish(options: InvalidateOptions): Promise<InvalidationReport | undefined> {
  const { distributions, distributionId, clock, journal } = options;
  const own = invalidationPaths(options.plan);
  // This publish's own record (planned before its uploads) is not an earlier one.
  const ownReference = callerReferenceOf(options.plan.manifest.publishedAt, own);
  const found: InvalidationInfo[] = [];
  const carried: UnfinishedInvalidation[] = [];
  for (const u of journal === undefined ? [] : unfinishedInvalidations(journal.read())) {
    if (u.callerReference === ownReference) continue;
    if (u.distributionId !== undefined && u.distributionId !== distributionId) continue;
    const made =
      u.phase === 'planned'
        ? undefined
        : await invalidationByCallerReference(distributions, distributionId, u.callerReference);
    if (made === undefined) carried.push(u);
    else {
      found.push(made);
      journal?.append({
        phase: 'sent',
        callerReference: u.callerReference,
        distributionId,
        invalidationId: made.id,
        found: true,
      });
    }
  }
  const paths = [...new Set([...own, ...carried.flatMap((u) => u.paths)])];
  const recovered =
    found.length === 0 && carried.length === 0
      ? undefined
      : { found: found.map((i) => i.id), included: carried.length };
  if (paths.length === 0) {
    const last = found.at(-1);
    return last === undefined
      ? undefined
      : {
          distributionId,
          invalidation: last,
          paths: last.paths ?? [],
          waited: false,
          completed: last.status === 'Completed',
          requestIds: [],
          recovered,
        };
  }
  const callerReference = callerReferenceOf(options.plan.manifest.publishedAt, paths);
  const covers = [ownReference, ...carried.map((u) => u.callerReference)].filter((ref) => ref !== callerReference);
  journal?.append({ phase: 'sending', callerReference, paths, distributionId, covers });
  let made: Awaited<ReturnType<Distributions['createInvalidation']>>;
  try {
    made = await distributions.createInvalidation(distributionId, paths, callerReference);
  } catch (error) {
    journal?.append({
      phase: 'failed',
      callerReference,
      distributionId,
      error: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
  journal?.append({ phase: 'sent', callerReference, distributionId, invalidationId: made.invalidation.id, covers });
  let invalidation = made.invalidation;
  const requestIds = made.requestId === undefined ? [] : [made.requestId];
  if (options.waitMs === undefined)
    return {
      distributionId,
      invalidation,
      paths,
      recovered,
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
    recovered,
    waited: true,
    completed: invalidation.status === 'Completed',
    requestIds,
  };
}

/** One line for the report. */
export function invalidationText(r: InvalidationReport): string {
  const earlier =
    r.recovered === undefined
      ? ''
      : [
          r.recovered.found.length === 0
            ? ''
            : ` (an earlier publish's invalidation ${r.recovered.found.join(', ')} had reached CloudFront: not sent again)`,
          r.recovered.included === 0
            ? ''
            : ` (with the paths of ${r.recovered.included} earlier publish(es) whose invalidation was never sent)`,
        ].join('');
  const what = `CloudFront invalidation ${r.invalidation.id} of ${r.paths.length} path(s) on ${r.distributionId}${earlier}`;
  if (r.completed) return `${what}: Completed, visitors get the new copy everywhere.`;
  if (r.waited)
    return `${what}: still ${r.invalidation.status} after the wait; visitors may get the old copy from CloudFront's caches until it completes.`;
  return `${what}: ${r.invalidation.status}; visitors may get the old copy from CloudFront's caches until it completes (--wait waits for it).`;
}
