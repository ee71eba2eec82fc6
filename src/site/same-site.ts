/**
 * The same site under another address: `http://` and `https://`, the apex and `www.`. A crawl
 * follows such a change of its start URL without asking, treats links to any of them as links on
 * the site, and counts references to any of them as references to the origin. Any other host is
 * another site.
 */

function bareHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^www\./, '');
}

function defaultPort(url: URL): boolean {
  return url.port === '';
}

/** Whether `b` is the same site as `a`: same origin, or only the scheme (default ports) or a `www.` differs. */
export function sameSite(a: URL, b: URL): boolean {
  if (a.origin === b.origin) return true;
  if (bareHost(a.hostname) !== bareHost(b.hostname)) return false;
  if (a.protocol === b.protocol) return a.port === b.port;
  return defaultPort(a) && defaultPort(b);
}

/** `url` moved onto `origin` when it is the same site (so one page has one address), else unchanged. */
export function onSite(url: URL, origin: URL): URL {
  if (url.origin === origin.origin || !sameSite(origin, url)) return url;
  const moved = new URL(`${url.pathname}${url.search}`, origin);
  return moved;
}

/** Every origin that is the same site as `origin` (itself first). */
export function siteOrigins(origin: URL): string[] {
  const host = bareHost(origin.hostname);
  const port = origin.port === '' ? '' : `:${origin.port}`;
  const hosts = /^[\d.]+$|^\[/.test(host) || host === 'localhost' ? [host] : [host, `www.${host}`];
  const schemes = origin.port === '' ? ['http:', 'https:'] : [origin.protocol];
  const all = schemes.flatMap((s) => hosts.map((h) => `${s}//${h}${port}`));
  return [origin.origin, ...all.filter((o) => o !== origin.origin)];
}
