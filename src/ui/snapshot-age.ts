import type { SiteReadiness } from '../ports/site.js';
import { formatAge } from '../site/readiness.js';

/** What the maintenance probe row says about the published copy, and in which colour. */
export function snapshotBadge(
  site: SiteReadiness | undefined,
): { readonly text: string; readonly color: string } | undefined {
  if (site === undefined) return undefined;
  const age = site.ageHours === undefined ? undefined : formatAge(site.ageHours);
  switch (site.state) {
    case 'fresh':
      return { text: `snapshot ${age ?? '?'} old`, color: 'green' };
    case 'stale':
      return { text: `⚠ snapshot ${age ?? '?'} old > ${site.maxAgeHours} h`, color: 'yellow' };
    case 'missing':
      return { text: '⚠ no manifest: age unknown', color: 'yellow' };
    case 'broken':
      return { text: '✗ maintenance site broken', color: 'red' };
  }
}
