import type {
  HttpsReadiness,
  PageCheck,
  ReadinessRequest,
  SiteInspector,
  SiteReadiness,
  SiteReadinessState,
} from '../ports/site.js';
import { cloudFrontFailover, runbookDistribution } from '../runbook/maintenance-https.js';
import type { Runbook } from '../runbook/schema.js';
import type { Manifest } from './manifest.js';

/** `maintenance.maxAgeHours` when the runbook does not say. */
export const DEFAULT_MAX_AGE_HOURS = 24;
/** Pages `verify-maintenance`, preflight and `plan` fetch (with their assets). */
export const SAMPLE_PAGES = 3;

export interface ReadinessFacts {
  readonly request: ReadinessRequest;
  readonly manifest?: Manifest | undefined;
  /** Why the manifest could not be read, when it exists but is unusable, or the site does not answer. */
  readonly manifestProblem?: string | undefined;
  readonly ageHours?: number | undefined;
  readonly pages: readonly PageCheck[];
  readonly at: number;
  /** The certificate, distribution and latest invalidation, for an https:// URL (see https-readiness.ts). */
  readonly https?: HttpsReadiness | undefined;
}

/** `3.2 h`, `45 min`, `2.1 days`. */
export function formatAge(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

function pageProblems(pages: readonly PageCheck[]): string[] {
  return pages.flatMap((p) => {
    const path = new URL(p.url).pathname;
    const out: string[] = [];
    if (p.status === undefined || p.status < 200 || p.status >= 300)
      out.push(`${path} ${p.error ?? `answers ${p.status ?? '?'}`}`);
    else if (p.error !== undefined) out.push(`${path}: ${p.error}`);
    if (p.failedAssets.length > 0)
      out.push(
        `${path} assets failing: ${p.failedAssets.slice(0, 3).join(', ')}${p.failedAssets.length > 3 ? ', …' : ''}`,
      );
    return out;
  });
}

/** What keeps visitors from the site over HTTPS (a refused certificate, no distribution): as broken as a missing page. */
function httpsDangers(facts: ReadinessFacts): string[] {
  return (facts.https?.findings ?? []).filter((f) => f.severity === 'danger').map((f) => f.message.replace(/\.$/, ''));
}

function stateOf(facts: ReadinessFacts, problems: readonly string[], maxAge: number): SiteReadinessState {
  if (problems.length > 0 || facts.manifestProblem !== undefined || httpsDangers(facts).length > 0) return 'broken';
  if (facts.manifest === undefined) return 'missing';
  return facts.ageHours !== undefined && facts.ageHours > maxAge ? 'stale' : 'fresh';
}

function summaryOf(
  state: SiteReadinessState,
  facts: ReadinessFacts,
  problems: readonly string[],
  maxAge: number,
): string {
  const age = facts.ageHours === undefined ? 'of unknown age' : `${formatAge(facts.ageHours)} old`;
  const checked =
    facts.pages.length === 0
      ? ''
      : `; ${facts.pages.length} page(s) and ${facts.pages.reduce((n, p) => n + p.assets, 0)} asset(s) answer`;
  switch (state) {
    case 'fresh':
      return `snapshot ${age} (max ${maxAge} h)${checked}`;
    case 'stale':
      return `snapshot ${age}, older than maxAgeHours ${maxAge}: run \`hotspare site refresh RUNBOOK\``;
    case 'missing':
      return `no hotspare manifest beside ${facts.request.url}: the maintenance site's age is unknown${checked}; publish it with \`hotspare site refresh RUNBOOK\``;
    case 'broken':
      return `maintenance site broken: ${[facts.manifestProblem, ...problems, ...httpsDangers(facts)].filter((p) => p !== undefined).join('; ')}`;
  }
}

/** Judges what the inspector found. Pure. */
export function readinessOf(facts: ReadinessFacts): SiteReadiness {
  const maxAge = facts.request.maxAgeHours;
  const problems = pageProblems(facts.pages);
  const state = stateOf(facts, problems, maxAge);
  const warnings = (facts.https?.findings ?? []).filter((f) => f.severity !== 'danger');
  const https =
    facts.https === undefined || state === 'broken'
      ? ''
      : `; HTTPS: ${facts.https.summary}${warnings.length === 0 ? '' : ` (${warnings.map((w) => w.code).join(', ')})`}`;
  return {
    state,
    summary: `${summaryOf(state, facts, problems, maxAge)}${https}`,
    ...(facts.https === undefined ? {} : { https: facts.https }),
    createdAt: facts.manifest?.createdAt,
    ageHours: facts.ageHours,
    maxAgeHours: maxAge,
    pages: facts.pages,
    at: facts.at,
  };
}

/** What to ask the inspector about the runbook's maintenance site. */
export function readinessRequest(runbook: Runbook, samplePages = SAMPLE_PAGES): ReadinessRequest {
  const m = runbook.maintenance;
  const edge = runbookDistribution(runbook);
  const failover = cloudFrontFailover(runbook);
  return {
    ...(failover === undefined ? {} : { failover }),
    url: m.url,
    maxAgeHours: m.maxAgeHours ?? DEFAULT_MAX_AGE_HOURS,
    samplePages,
    expectText: samplePages > 0 ? m.expectText : undefined,
    ...(edge.distribution === undefined || edge.host === undefined
      ? {}
      : { edge: { host: edge.host, distribution: edge.distribution, site: edge.site } }),
    ...(edge.distribution === undefined || m.bucket === undefined ? {} : { bucket: m.bucket }),
  };
}

/** The runbook's maintenance site as the inspector finds it; undefined without an inspector. Never throws. */
export async function readMaintenanceSite(
  runbook: Runbook,
  site: SiteInspector | undefined,
  samplePages = SAMPLE_PAGES,
): Promise<SiteReadiness | undefined> {
  if (site === undefined) return undefined;
  try {
    return await site.readiness(readinessRequest(runbook, samplePages));
  } catch (error) {
    // The port promises never to throw; a broken implementation must not stop a failover.
    const request = readinessRequest(runbook, samplePages);
    return readinessOf({
      request,
      manifestProblem: error instanceof Error ? error.message : String(error),
      pages: [],
      at: Date.now(),
    });
  }
}
