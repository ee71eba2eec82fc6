import pLimit from 'p-limit';
import type { HttpsReadiness, PageCheck, ReadinessRequest, SiteInspector } from '../ports/site.js';
import { httpFetcher, type Fetched, type Fetcher } from './fetcher.js';
import { ageHours, parseManifest, type Manifest } from './manifest.js';
import { MANIFEST_FILE, resolveLink, urlOfKey } from './urls.js';
import { readinessOf } from './readiness.js';
import type { HttpsReadOptions } from './https-readiness.js';

const DEFAULT_TIMEOUT_MS = 5000;
const MAX_REDIRECTS = 3;
const ASSET_CONCURRENCY = 4;

type ManifestRead = {
  readonly manifest?: Manifest | undefined;
  readonly problem?: string | undefined;
  readonly unreachable?: boolean | undefined;
};

/**
 * The SiteInspector over HTTP: reads the manifest published beside the maintenance site, then
 * fetches a few of its pages (the home page first, then pages from the manifest) and every
 * same-origin asset they use. `fetcherFor` exists for tests; production uses Node's fetch.
 */
export function createSiteInspector(
  fetcherFor: (timeoutMs: number) => Fetcher = (timeoutMs) => httpFetcher({ timeoutMs }),
  https?: Omit<HttpsReadOptions, 'now'>,
): SiteInspector {
  return {
    readiness: async (request) => {
      const fetcher = fetcherFor(request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const base = new URL(request.url);
      // The certificate and the distribution are read beside the pages, not after them.
      const edge =
        https === undefined
          ? Promise.resolve(undefined)
          : import('./https-readiness.js').then(({ readHttps }) => readHttps(request, { ...https, now: Date.now() }));
      const read = await readManifest(fetcher, base);
      const pages =
        read.unreachable === true || request.samplePages <= 0
          ? []
          : await checkPages(fetcher, samplePages(base, read.manifest, request.samplePages), request.expectText);
      const age = read.manifest === undefined ? undefined : ageHours(read.manifest, Date.now());
      const httpsRead = await withServedManifest(await edge, request, read.manifest, https?.bucketManifest);
      return readinessOf({
        request,
        manifest: read.manifest,
        manifestProblem: read.problem,
        ageHours: age,
        pages,
        at: Date.now(),
        https: httpsRead,
      });
    },
  };
}

/** The HTTPS readiness with the served manifest compared with the bucket's (a read that fails compares nothing). */
async function withServedManifest(
  https: HttpsReadiness | undefined,
  request: ReadinessRequest,
  served: Manifest | undefined,
  bucketManifest: HttpsReadOptions['bucketManifest'],
): Promise<HttpsReadiness | undefined> {
  if (https === undefined || request.bucket === undefined || bucketManifest === undefined) return https;
  let published: string | undefined;
  try {
    published = (await bucketManifest(request.bucket))?.publishedAt;
  } catch {
    return https;
  }
  const { manifestBehind } = await import('./https-readiness.js');
  const behind = manifestBehind(served?.publishedAt, published, https.invalidation);
  return {
    ...https,
    servedPublishedAt: served?.publishedAt,
    findings: behind === undefined ? https.findings : [...https.findings, behind],
  };
}

async function readManifest(fetcher: Fetcher, base: URL): Promise<ManifestRead> {
  const url = new URL(MANIFEST_FILE, base);
  let res: Fetched;
  try {
    res = await fetcher(url);
  } catch (error) {
    return {
      problem: `${base.href} does not answer: ${error instanceof Error ? error.message : String(error)}`,
      unreachable: true,
    };
  }
  if (res.status >= 500) return { problem: `${url.href} answered ${res.status}` };
  // 404/403, or a server that answers every path with its page: no manifest was published there.
  return { manifest: res.status >= 200 && res.status < 300 ? parseManifest(res.body.toString('utf8')) : undefined };
}

/** The home page, then up to `count - 1` more pages from the manifest (in key order, so checks repeat). */
function samplePages(base: URL, manifest: Manifest | undefined, count: number): URL[] {
  const keys = Object.entries(manifest?.files ?? {})
    .filter(([key, f]) => f.kind === 'page' && key !== 'index.html')
    .map(([key]) => key)
    .sort();
  const step = Math.max(1, Math.floor(keys.length / Math.max(1, count - 1)));
  const picked = keys.filter((_, i) => i % step === 0).slice(0, count - 1);
  return [base, ...picked.map((key) => urlOfKey(key, new URL('./', base)))];
}

async function follow(fetcher: Fetcher, url: URL): Promise<{ res?: Fetched; url: URL; error?: string }> {
  let at = url;
  for (let hop = 0; ; hop++) {
    let res: Fetched;
    try {
      res = await fetcher(at);
    } catch (error) {
      return { url: at, error: error instanceof Error ? error.message : String(error) };
    }
    const next =
      res.status >= 300 && res.status < 400 && res.location !== undefined ? resolveLink(res.location, at) : undefined;
    if (next === undefined || next.origin !== url.origin || hop >= MAX_REDIRECTS) return { res, url: at };
    at = next;
  }
}

const ok = (status: number | undefined): boolean => status !== undefined && status >= 200 && status < 300;

async function checkPages(
  fetcher: Fetcher,
  pages: readonly URL[],
  expectText: string | undefined,
): Promise<PageCheck[]> {
  const limit = pLimit(ASSET_CONCURRENCY);
  const assets = new Map<string, Promise<string | undefined>>();
  const assetProblem = (url: URL): Promise<string | undefined> => {
    const known = assets.get(url.href);
    if (known !== undefined) return known;
    const checking = limit(() => follow(fetcher, url)).then((r) =>
      ok(r.res?.status) ? undefined : `${url.pathname} ${r.error ?? r.res?.status ?? '?'}`,
    );
    assets.set(url.href, checking);
    return checking;
  };
  return Promise.all(pages.map((page, i) => checkPage(fetcher, page, i === 0 ? expectText : undefined, assetProblem)));
}

async function checkPage(
  fetcher: Fetcher,
  page: URL,
  expectText: string | undefined,
  assetProblem: (url: URL) => Promise<string | undefined>,
): Promise<PageCheck> {
  const { res, url, error } = await follow(fetcher, page);
  if (res === undefined || !ok(res.status))
    return { url: page.href, status: res?.status, error, failedAssets: [], assets: 0 };
  // The parser loads only when pages are checked: the dashboard reads the manifest alone.
  const [{ documentBase, scanHtml, references }, { decodeText, sniffCharset }] = await Promise.all([
    import('./html.js'),
    import('./charset.js'),
  ]);
  const html = decodeText(res.body, sniffCharset(res.body, 'html', res.charset)).text;
  const markerMissing =
    expectText !== undefined && !html.includes(expectText) && !res.body.toString('utf8').includes(expectText)
      ? `marker text "${expectText}" missing`
      : undefined;
  const scan = scanHtml(html);
  const base = documentBase(scan, url);
  const targets = references(scan)
    .filter((r) => r.role === 'asset')
    .flatMap((r) => resolveLink(r.raw, base) ?? [])
    .filter((u) => u.origin === page.origin);
  const unique = [...new Map(targets.map((u) => [u.href, u])).values()];
  const failedAssets = (await Promise.all(unique.map(assetProblem))).filter((p): p is string => p !== undefined);
  return { url: page.href, status: res.status, error: markerMissing, failedAssets, assets: unique.length };
}
