import { ExternalError } from '../domain/errors.js';
import type { Fetched, Fetcher } from './fetcher.js';
import { sameSite } from './same-site.js';
import { resolveLink } from './urls.js';

const MAX_START_REDIRECTS = 5;

interface StartOptions {
  readonly start: URL;
  readonly fetcher: Fetcher;
  readonly allowRedirectHosts?: readonly string[] | undefined;
  readonly maintenanceUrl?: string | undefined;
}

/** Whether `url` is on the maintenance site (its host, at or below its path). */
function onMaintenanceSite(url: URL, maintenanceUrl: string | undefined): boolean {
  if (maintenanceUrl === undefined || !URL.canParse(maintenanceUrl)) return false;
  const m = new URL(maintenanceUrl);
  return url.host === m.host;
}

/**
 * Follows the start URL's redirects while they stay on the same site (http -> https, apex <-> www),
 * so the crawl knows the site's real origin. A redirect to another host is refused unless that host
 * is allowed: the copy would be of another site (an internal admin page, a login service). A
 * redirect to the maintenance site means the site is in maintenance now: refused, so the last good
 * copy is not replaced by a copy of the copy. Network failures are left to the crawl to record.
 * Returns the start URL, and its answer when that was a page (the crawl does not fetch it again).
 */
export async function resolveStart(options: StartOptions): Promise<{ url: URL; answer?: Fetched | undefined }> {
  let url = options.start;
  for (let i = 0; i < MAX_START_REDIRECTS; i++) {
    let res;
    try {
      res = await options.fetcher(url, { method: 'GET' });
    } catch {
      return { url };
    }
    if (res.status < 300 || res.status >= 400 || res.location === undefined)
      return { url, answer: res.status >= 200 && res.status < 300 ? res : undefined };
    const next = resolveLink(res.location, url);
    if (next === undefined) return { url };
    if (onMaintenanceSite(next, options.maintenanceUrl)) {
      throw new ExternalError(
        `${options.start.href} redirects to the maintenance site (${next.href}): the site is in maintenance now.`,
        {
          code: 'SourceInMaintenance',
          retryable: true,
          nextSteps:
            'Nothing was copied and the last good copy was kept. Take the snapshot again when the live site is back.',
        },
      );
    }
    if (!sameSite(url, next) && !(options.allowRedirectHosts ?? []).includes(next.host)) {
      throw new ExternalError(
        `${url.href} redirects to another host, ${next.href}: that is another site, and it was not copied.`,
        {
          code: 'StartRedirectsAway',
          retryable: false,
          nextSteps: `If ${next.host} is the site to copy, give its URL, or allow the redirect with --allow-redirect ${next.host}. Nothing was written.`,
        },
      );
    }
    url = next;
  }
  return { url };
}
