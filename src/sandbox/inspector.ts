import type { TlsFacts, SiteInspector } from '../ports/site.js';
import { runbookDistribution } from '../runbook/maintenance-https.js';
import type { Runbook } from '../runbook/schema.js';
import { createSiteInspector } from '../site/inspect.js';
import type { SandboxEdge } from './edge.js';

/**
 * The sandbox's site inspector: the same one a real account uses, reading the copy at the local
 * bucket's website, with the HTTPS readiness of the runbook's public maintenance host: the
 * certificate the sandbox's edge presents for it (trusting the sandbox's own certificates only)
 * and its distribution and latest invalidation in the sandbox's CloudFront.
 */
export function sandboxInspector(
  runbook: Runbook,
  local: Runbook,
  edge: SandboxEdge,
  readTls: (url: URL) => Promise<TlsFacts>,
): SiteInspector {
  const { host, distribution } = runbookDistribution(runbook);
  const inner = createSiteInspector(undefined, { edge: () => Promise.resolve(edge), tls: readTls });
  const localOrigin = new URL(local.maintenance.url).origin;
  return {
    readiness: (request) =>
      inner.readiness(
        host !== undefined &&
          distribution !== undefined &&
          request.edge === undefined &&
          new URL(request.url).origin === localOrigin
          ? { ...request, edge: { host, distribution } }
          : request,
      ),
  };
}
