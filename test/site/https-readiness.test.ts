import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgePorts } from '../../src/aws/index.js';
import type { Edge, InvalidationInfo } from '../../src/ports/edge.js';
import type { ReadinessRequest } from '../../src/ports/site.js';
import { certificateCovers, readHttps } from '../../src/site/https-readiness.js';
import { cloudFrontFailover } from '../../src/runbook/maintenance-https.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { readinessOf } from '../../src/site/readiness.js';
import { checkTls } from '../../src/site/tls-check.js';
import { tempDir } from '../helpers/engine.js';
import { startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';

const HOST = 'maintenance.shop.test';
const request = (distribution = 'managed'): ReadinessRequest => ({
  url: `https://${HOST}/`,
  maxAgeHours: 24,
  samplePages: 0,
  edge: { host: HOST, distribution },
});

/** A CA and a server certificate for `names`, valid `days` more days, made with openssl. */
function certificate(names: readonly string[], days: number): { ca: string; cert: string; key: string } {
  const dir = tempDir('hotspare-tls-');
  const run = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '30',
    '-subj',
    '/CN=test ca',
  );
  run(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    `/CN=${names[0]}`,
  );
  const ext = join(dir, 'ext.cnf');
  execFileSync('sh', [
    '-c',
    `printf 'subjectAltName=${names.map((n) => (/^\d/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',')}\\n' > ${ext}`,
  ]);
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    String(days),
    '-extfile',
    ext,
  );
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return { ca: read('ca.pem'), cert: read('server.pem'), key: read('server.key') };
}

async function tlsServer(material: { cert: string; key: string }): Promise<{ url: URL; close: () => void }> {
  const server = createServer({ cert: material.cert, key: material.key }, (_, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`), close: () => server.close() };
}

describe('certificate names', () => {
  it('an exact name or a one-label wildcard covers the host', () => {
    expect(certificateCovers(['maintenance.shop.test'], HOST)).toBe(true);
    expect(certificateCovers(['*.shop.test'], HOST)).toBe(true);
    expect(certificateCovers(['*.test'], HOST)).toBe(false);
    expect(certificateCovers(['www.shop.test'], HOST)).toBe(false);
  });
});

describe('the certificate the maintenance host presents (a TLS handshake)', () => {
  it('valid for the host and far from expiry: no finding', async () => {
    const m = certificate(['127.0.0.1'], 60);
    const server = await tlsServer(m);
    try {
      const https = await readHttps(
        { url: server.url.href, maxAgeHours: 24, samplePages: 0 },
        { tls: (url) => checkTls(url, { timeoutMs: 5000, ca: m.ca }), now: Date.now() },
      );
      expect(https?.tls).toMatchObject({ authorized: true });
      expect(https?.findings).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('expiring within 14 days: a warning with the date', async () => {
    const m = certificate(['127.0.0.1'], 5);
    const server = await tlsServer(m);
    try {
      const https = await readHttps(
        { url: server.url.href, maxAgeHours: 24, samplePages: 0 },
        { tls: (url) => checkTls(url, { timeoutMs: 5000, ca: m.ca }), now: Date.now() },
      );
      expect(https?.findings).toEqual([
        expect.objectContaining({ code: 'maintenance-certificate-expiring', severity: 'warning' }),
      ]);
    } finally {
      server.close();
    }
  });

  it('for another host: a danger, and the readiness is broken', async () => {
    const m = certificate(['other.example.com'], 60);
    const server = await tlsServer(m);
    try {
      const req = { url: server.url.href, maxAgeHours: 24, samplePages: 0 };
      const https = await readHttps(req, {
        tls: (url) => checkTls(url, { timeoutMs: 5000, ca: m.ca }),
        now: Date.now(),
      });
      expect(https?.findings).toEqual([
        expect.objectContaining({
          code: 'maintenance-certificate',
          severity: 'danger',
          message: expect.stringContaining('ERR_TLS_CERT_ALTNAME_INVALID'),
        }),
      ]);
      expect(readinessOf({ request: req, pages: [], at: Date.now(), https }).state).toBe('broken');
    } finally {
      server.close();
    }
  });

  it('untrusted (no CA given): a danger', async () => {
    const m = certificate(['127.0.0.1'], 60);
    const server = await tlsServer(m);
    try {
      const facts = await checkTls(server.url, { timeoutMs: 5000 });
      expect(facts.authorized).toBe(false);
    } finally {
      server.close();
    }
  });
});

describe('the distribution, its certificate and the latest invalidation (CloudFront and ACM on moto)', () => {
  let moto: Moto;
  let edge: Edge;
  beforeAll(async () => {
    useFakeAwsCredentials();
    process.env['MOTO_ACM_VALIDATION_WAIT'] = '2';
    moto = await startMoto();
    edge = createEdgePorts({ region: 'eu-west-1', endpointUrl: moto.endpoint });
  });
  afterAll(() => moto?.stop());
  const read = (r: ReadinessRequest = request()) =>
    readHttps(r, { edge: () => Promise.resolve(edge), now: Date.now() });
  const spec = (aliases: string[], certificateArn: string) => ({
    comment: 'test',
    aliases,
    originDomain: `${HOST}.s3-website-us-east-1.amazonaws.com`,
    certificateArn,
    priceClass: 'PriceClass_100',
    defaultRootObject: 'index.html',
    errorResponses: [],
  });

  it('no distribution: a danger naming site provision', async () => {
    const r = await read();
    expect(r?.findings).toEqual([
      expect.objectContaining({
        code: 'maintenance-no-distribution',
        severity: 'danger',
        message: expect.stringContaining('hotspare site provision'),
      }),
    ]);
    const named = await read(request('E0000000000000'));
    expect(named?.findings[0]?.message).toContain('No CloudFront distribution E0000000000000');
  });

  it('a certificate pending validation: a danger; once issued, none; a distribution found by its alternate domain name', async () => {
    const cert = await edge.certificates.requestCertificate({
      domainName: HOST,
      subjectAlternativeNames: [],
      idempotencyToken: 'readiness',
      tags: {},
    });
    const made = await edge.distributions.createDistribution(spec([HOST], cert.arn), 'readiness-1', {});
    const pending = await read();
    expect(pending?.distribution?.id).toBe(made.distribution.id);
    expect(pending?.findings.map((f) => f.code)).toContain('maintenance-certificate');
    expect(pending?.findings.find((f) => f.code === 'maintenance-certificate')?.message).toContain(
      'PENDING_VALIDATION',
    );
    await new Promise((r) => setTimeout(r, 2500));
    const issued = await read();
    expect(issued?.findings.filter((f) => f.code !== 'maintenance-distribution-deploying')).toEqual([]);
    expect(issued?.summary).toContain(`distribution ${made.distribution.id}`);
  });

  it('a distribution named by id without the host as an alternate domain name: a danger', async () => {
    const cert = await edge.certificates.requestCertificate({
      domainName: 'other.shop.test',
      subjectAlternativeNames: [],
      idempotencyToken: 'other',
      tags: {},
    });
    const made = await edge.distributions.createDistribution(spec(['other.shop.test'], cert.arn), 'readiness-2', {});
    await new Promise((r) => setTimeout(r, 2500));
    const r = await read(request(made.distribution.id));
    expect(r?.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['maintenance-distribution-config', 'maintenance-certificate']),
    );
  });
  it('a DNS failover of the HTTPS site to a distribution: a danger unless it carries the site host with a certificate for it', async () => {
    const only = await edge.certificates.requestCertificate({
      domainName: 'm2.shop.test',
      subjectAlternativeNames: [],
      idempotencyToken: 'failover1',
      tags: {},
    });
    const without = await edge.distributions.createDistribution(spec(['m2.shop.test'], only.arn), 'failover-1', {});
    const both = await edge.certificates.requestCertificate({
      domainName: 'm3.shop.test',
      subjectAlternativeNames: ['www.shop.test'],
      idempotencyToken: 'failover2',
      tags: {},
    });
    const withSite = await edge.distributions.createDistribution(
      spec(['m3.shop.test', 'www.shop.test'], both.arn),
      'failover-2',
      {},
    );
    await new Promise((r) => setTimeout(r, 2500));
    const ask = (domainName: string) =>
      readHttps(
        {
          url: 'http://127.0.0.1:9/',
          maxAgeHours: 24,
          samplePages: 0,
          failover: { host: 'www.shop.test', domainName },
        },
        { edge: () => Promise.resolve(edge), now: Date.now() },
      );
    expect((await ask(without.distribution.domainName))?.findings).toEqual([
      expect.objectContaining({
        code: 'dns-failover-certificate',
        severity: 'danger',
        message: expect.stringContaining('does not carry www.shop.test'),
      }),
    ]);
    // What fixes it is named: provision adds the site host with a certificate for both hosts.
    expect((await ask(without.distribution.domainName))?.findings[0]?.message).toContain(
      'Run `hotspare site provision RUNBOOK`: for a dns-failover runbook it adds www.shop.test',
    );
    const missing = (await ask('d0000000000000.cloudfront.net'))?.findings[0]?.message;
    expect(missing).toContain('No CloudFront distribution of this account is d0000000000000.cloudfront.net');
    expect(missing).toContain('Point dns.failoverValue at the maintenance distribution (alias:Z2FDTNDATAQYW2:');
    expect((await ask(withSite.distribution.domainName))?.findings).toEqual([]);
  });
});

describe('a DNS failover to a distribution whose certificate does not cover the site host', () => {
  const info = {
    id: 'E1',
    arn: 'arn:aws:cloudfront::123456789012:distribution/E1',
    domainName: 'd1.cloudfront.net',
    status: 'Deployed' as const,
    aliases: [HOST, 'www.shop.test'],
    enabled: true,
    originDomains: [],
    certificateArn: 'arn:cert',
    viewerProtocolPolicy: 'redirect-to-https',
    priceClass: 'PriceClass_100',
    defaultRootObject: 'index.html',
    errorResponses: [],
  };
  const edgeWith = (names: string[], status = 'ISSUED', aliases = info.aliases): Edge =>
    ({
      distributions: {
        listDistributions: () => Promise.resolve([{ ...info, aliases }]),
        getDistribution: () => Promise.resolve({ ...info, aliases }),
        listInvalidations: () => Promise.resolve([]),
        tagsOf: () => Promise.resolve({}),
      },
      certificates: {
        describeCertificate: (arn: string) =>
          Promise.resolve({
            arn,
            domainName: names[0]!,
            status,
            subjectAlternativeNames: names,
            validation: [],
            tags: {},
            inUseBy: [],
          }),
      },
    }) as unknown as Edge;
  const ask = (edge: Edge, maintenanceHost?: string) =>
    readHttps(
      {
        url: 'http://127.0.0.1:9/',
        maxAgeHours: 24,
        samplePages: 0,
        failover: { host: 'www.shop.test', domainName: 'd1.cloudfront.net' },
        ...(maintenanceHost === undefined ? {} : { edge: { host: maintenanceHost, distribution: 'E1' } }),
      },
      { edge: () => Promise.resolve(edge), now: Date.now() },
    );

  it('is a danger naming the names it covers and site provision', async () => {
    const r = await ask(edgeWith([HOST]));
    expect(r?.findings).toEqual([expect.objectContaining({ code: 'dns-failover-certificate', severity: 'danger' })]);
    expect(r?.findings[0]?.message).toContain(`covers ${HOST}, not www.shop.test`);
    expect(r?.findings[0]?.message).toContain('hotspare site provision RUNBOOK');
  });
  it('a pending certificate for both hosts: a danger naming the validation records', async () => {
    const r = await ask(edgeWith([HOST, 'www.shop.test'], 'PENDING_VALIDATION'));
    expect(r?.findings[0]?.message).toContain('is PENDING_VALIDATION, not ISSUED');
    expect(r?.findings[0]?.message).toContain('DNS validation records');
  });
  it('a wildcard covering both: no danger', async () => {
    expect((await ask(edgeWith(['*.shop.test'])))?.findings).toEqual([]);
  });
  it("a distribution that is not the maintenance site's: says to point failoverValue at the maintenance one", async () => {
    const r = await ask(edgeWith(['other.test'], 'ISSUED', ['other.test']), HOST);
    const failover = r?.findings.find((f) => f.code === 'dns-failover-certificate');
    expect(failover?.message).toContain(`Distribution E1 is not the maintenance site's (it does not carry ${HOST})`);
    expect(failover?.message).toContain('Point dns.failoverValue at the maintenance distribution');
  });
});

describe('a publish is not visible until its invalidation has completed', () => {
  function fakeEdge(status: InvalidationInfo['status'], distribution: 'InProgress' | 'Deployed' = 'Deployed'): Edge {
    const info = {
      id: 'E1',
      arn: 'arn',
      domainName: 'd1.cloudfront.net',
      status: distribution,
      aliases: [HOST],
      enabled: true,
      originDomains: [],
      certificateArn: 'arn:cert',
      viewerProtocolPolicy: 'redirect-to-https',
      priceClass: 'PriceClass_100',
      defaultRootObject: 'index.html',
      errorResponses: [],
    };
    return {
      distributions: {
        listDistributions: () => Promise.resolve([info]),
        getDistribution: () => Promise.resolve(info),
        listInvalidations: () =>
          Promise.resolve([
            { id: 'I2', status, createTime: '2026-12-03T10:00:00.000Z' },
            { id: 'I1', status: 'Completed', createTime: '2026-12-02T10:00:00.000Z' },
          ]),
      },
      certificates: {
        describeCertificate: () =>
          Promise.resolve({
            arn: 'arn:cert',
            domainName: HOST,
            status: 'ISSUED',
            subjectAlternativeNames: [HOST],
            notAfter: new Date(Date.now() + 300 * 86_400_000).toISOString(),
            validation: [],
            tags: {},
            inUseBy: [],
          }),
      },
    } as unknown as Edge;
  }

  it('the latest invalidation InProgress: a warning, named in the summary; Completed: nothing', async () => {
    const pending = await readHttps(request(), {
      edge: () => Promise.resolve(fakeEdge('InProgress')),
      now: Date.now(),
    });
    expect(pending?.findings).toEqual([
      expect.objectContaining({
        code: 'maintenance-invalidation-pending',
        severity: 'warning',
        message: expect.stringContaining('not visible everywhere yet: invalidation I2'),
      }),
    ]);
    const r = readinessOf({
      request: request(),
      pages: [],
      at: Date.now(),
      https: pending,
      manifest: { createdAt: new Date().toISOString() } as never,
      ageHours: 0,
    });
    expect(r.summary).toContain('maintenance-invalidation-pending');
    const done = await readHttps(request(), { edge: () => Promise.resolve(fakeEdge('Completed')), now: Date.now() });
    expect(done?.findings).toEqual([]);
    expect(done?.summary).toBe('distribution E1 Deployed, last invalidation Completed');
  });

  it('a distribution still InProgress: a warning', async () => {
    const r = await readHttps(request(), {
      edge: () => Promise.resolve(fakeEdge('Completed', 'InProgress')),
      now: Date.now(),
    });
    expect(r?.findings).toEqual([
      expect.objectContaining({ code: 'maintenance-distribution-deploying', severity: 'warning' }),
    ]);
  });
});

describe('the DNS failover the readiness checks', () => {
  it('is the shipped dns-failover runbook alias to a distribution, for the HTTPS site host', async () => {
    const { runbook } = await loadRunbook('runbooks/dns-failover.yaml');
    expect(cloudFrontFailover(runbook)).toEqual({
      host: 'www.example.com',
      domainName: 'd111111abcdef8.cloudfront.net',
    });
    const { runbook: emergency } = await loadRunbook('runbooks/emergency-mode.yaml');
    expect(cloudFrontFailover(emergency)).toBeUndefined();
  });
});
