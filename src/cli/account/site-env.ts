import type { Edge } from '../../ports/edge.js';
import type { SiteBucket, SiteInspector } from '../../ports/site.js';
import type { Runbook } from '../../runbook/schema.js';
import type { Sandbox } from '../../sandbox/index.js';
import { httpFetcher, type Fetcher } from '../../site/fetcher.js';
import { createSiteInspector } from '../../site/inspect.js';

/** Where the site commands run: AWS (S3, the real web) or the sandbox (its bucket and local site). */
export interface SiteEnv {
  readonly bucket: () => Promise<SiteBucket>;
  readonly fetcher: Fetcher;
  readonly inspector: SiteInspector;
  /** The runbook in effect (the sandbox's copy has local URLs and its bucket). */
  readonly runbook?: Runbook | undefined;
  /** A URL as this environment reaches it (the sandbox maps the runbook's hosts to its local servers). */
  localUrl(url: string): string;
  readonly sandbox?: Sandbox | undefined;
  /** CloudFront, ACM (us-east-1) and Route 53's zones (the sandbox's simulated ones with --sandbox). */
  readonly edge?: (() => Promise<Edge>) | undefined;
  /** The runbook's public maintenance host (to find the distribution that carries it), when a runbook is in effect. */
  readonly maintenanceHost?: string | undefined;
  close(): Promise<void>;
}

export interface AwsSiteSettings {
  readonly region: string;
  readonly profile?: string | undefined;
  readonly endpointUrl?: string | undefined;
  /** Checks the credentials and prepares the SDK's environment, before the first client (see `aws-setup.ts`). */
  readonly prepare?: (() => void) | undefined;
}

/** The real thing: S3 through the SDK (imported only when a bucket is needed), Node's fetch. */
export function awsSiteEnv(settings: AwsSiteSettings, fetchTimeoutMs: number | undefined, runbook?: Runbook): SiteEnv {
  let bucket: Promise<SiteBucket> | undefined;
  let edge: Promise<Edge> | undefined;
  return {
    edge: () =>
      (edge ??= Promise.resolve()
        .then(() => settings.prepare?.())
        .then(() => import('../../aws/index.js'))
        .then(({ createEdgePorts }) => createEdgePorts(settings))),
    bucket: () =>
      (bucket ??= Promise.resolve()
        .then(() => settings.prepare?.())
        .then(() => import('../../aws/s3.js'))
        .then(({ createSiteBucket }) => createSiteBucket(settings))),
    fetcher: httpFetcher({ timeoutMs: fetchTimeoutMs, userAgent: 'hotspare-site' }),
    inspector: createSiteInspector(),
    runbook,
    maintenanceHost: runbook === undefined ? undefined : new URL(runbook.maintenance.url).hostname,
    localUrl: (url) => url,
    close: () => Promise.resolve(),
  };
}

/**
 * The sandbox: a simulated account built for `runbook`, its bucket, and its local site. URLs on
 * the runbook's site, source or maintenance hosts are sent to the matching local server.
 */
export async function sandboxSiteEnv(runbook: Runbook, fetchTimeoutMs: number | undefined): Promise<SiteEnv> {
  const { startSandbox } = await import('../../sandbox/index.js');
  const sandbox = await startSandbox(runbook);
  await sandbox.maintenanceReady;
  const local = sandbox.runbook;
  const hosts = new Map<string, string>([
    [new URL(runbook.site.url).host, new URL(local.site.url).origin],
    [new URL(runbook.maintenance.sourceUrl ?? runbook.site.url).host, new URL(local.site.url).origin],
    [new URL(runbook.maintenance.url).host, new URL(local.maintenance.url).origin],
  ]);
  const localUrl = (url: string): string => {
    const parsed = new URL(url);
    const origin = hosts.get(parsed.host);
    return origin === undefined ? url : `${origin}${parsed.pathname}${parsed.search}`;
  };
  return {
    bucket: () => Promise.resolve(sandbox.bucket),
    fetcher: httpFetcher({ timeoutMs: fetchTimeoutMs, userAgent: 'hotspare-site' }),
    inspector: createSiteInspector(),
    runbook: local,
    maintenanceHost: new URL(runbook.maintenance.url).hostname,
    edge: () => Promise.resolve(sandbox.edge),
    localUrl,
    sandbox,
    close: () => sandbox.stop(),
  };
}
