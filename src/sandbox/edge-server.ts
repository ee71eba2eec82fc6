import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { TlsFacts } from '../ports/site.js';
import { s3WebsiteEndpoint } from '../runbook/maintenance-https.js';
import { checkTls } from '../site/tls-check.js';
import type { SandboxBucket } from './bucket.js';
import type { SandboxEdge } from './edge.js';
import type { LocalServer } from './servers.js';
import { selfSignedCertificate, type TlsMaterial } from './tls.js';

/** The sandbox's CloudFront edge location: HTTPS on 127.0.0.1, and how to read the certificate a host presents there. */
export interface EdgeServer {
  readonly server: LocalServer;
  /** The certificate `url`'s host presents, read as a visitor's browser would reach it (the sandbox's DNS, then the edge). */
  readTls(url: URL): Promise<TlsFacts>;
}

const TLS_TIMEOUT_MS = 5000;
const DAY_MS = 86_400_000;

/**
 * Starts the edge: by SNI, a host that a deployed distribution carries as an alternate domain
 * name gets that distribution's ACM certificate (its names, its validity window) once ISSUED;
 * any other host gets CloudFront's default `*.cloudfront.net` certificate, as the real edge
 * does. Requests are answered from the distribution's origin, the sandbox bucket's website.
 * Every certificate is self-signed; `readTls` trusts them (the sandbox's own CA), nothing else does.
 */
export async function startEdgeServer(edge: SandboxEdge, bucket: SandboxBucket): Promise<EdgeServer> {
  const now = Date.now();
  const fallback = selfSignedCertificate({
    commonName: '*.cloudfront.net',
    dnsNames: ['*.cloudfront.net'],
    notBefore: now - DAY_MS,
    notAfter: now + 365 * DAY_MS,
  });
  const made = new Map<string, TlsMaterial>();
  const materialFor = (host: string): TlsMaterial => {
    const d = edge.distributions.all().find((x) => x.served?.aliases.includes(host.toLowerCase()) === true);
    if (d?.served === undefined) return fallback;
    edge.distributions.statusOf(d);
    const cert = edge.certificates.get(d.served.certificateArn);
    if (edge.certificates.statusOf(cert) !== 'ISSUED') return fallback;
    const known = made.get(cert.arn);
    if (known !== undefined) return known;
    const material = selfSignedCertificate({
      commonName: cert.domainName,
      dnsNames: cert.names,
      notBefore: cert.notBefore ?? now,
      notAfter: cert.notAfter ?? now,
    });
    made.set(cert.arn, material);
    return material;
  };
  const contexts = new Map<TlsMaterial, SecureContext>();
  const contextOf = (m: TlsMaterial): SecureContext => {
    const known = contexts.get(m) ?? createSecureContext(m);
    contexts.set(m, known);
    return known;
  };
  const server = createServer(
    { ...fallback, SNICallback: (name, cb) => cb(null, contextOf(materialFor(name))) },
    (req, res) => answer(edge, bucket, req, res),
  );
  const local = await listen(server);
  return {
    server: local,
    readTls: async (url) => {
      const host = url.hostname.toLowerCase();
      if (edge.distributionAt(host) === undefined)
        return {
          host,
          authorized: false,
          error: `ENOTFOUND: ${host} has no record pointing at a CloudFront distribution`,
          names: [],
        };
      materialFor(host);
      const ca = [fallback, ...made.values()].map((m) => m.cert).join('');
      return checkTls(url, { timeoutMs: TLS_TIMEOUT_MS, ca, address: { host: '127.0.0.1', port: local.port } });
    },
  };
}

/** CloudFront's answer: the origin's (the bucket's website) for a host a deployed distribution serves, else 403. */
function answer(edge: SandboxEdge, bucket: SandboxBucket, req: IncomingMessage, res: ServerResponse): void {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  const d = edge.distributions.all().find((x) => x.served?.aliases.includes(host) === true);
  const origin = d === undefined ? undefined : s3WebsiteEndpoint(d.spec.originDomain);
  if (origin === undefined) {
    res.writeHead(403, { 'content-type': 'text/plain' }).end('The request could not be satisfied.');
    return;
  }
  bucket.websiteHandler(origin.bucket)(req, res);
}

async function listen(server: ReturnType<typeof createServer>): Promise<LocalServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    origin: `https://127.0.0.1:${port}`,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
