import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readMaintenanceSite } from '../../src/site/readiness.js';
import { applyProvision, planProvision, provisionTarget, readProvisionState } from '../../src/site/provision.js';
import { systemClock } from '../../src/domain/clock.js';
import { checkTls } from '../../src/site/tls-check.js';
import { findMaintenanceDistribution, invalidatePublish } from '../../src/site/invalidate.js';
import { publishSite } from '../../src/site/publish.js';
import { MANIFEST_FILE } from '../../src/site/urls.js';
import { tempDir } from '../helpers/engine.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { sandboxFor, shipped, stopAll, waitFor } from './helpers.js';

const started: Sandbox[] = [];
afterEach(() => stopAll(started));

const HOST = 'maintenance.sandbox.invalid';
const BUCKET = HOST;

/** One GET to the sandbox's edge as a browser would send it: SNI and Host are the public host. */
function getFromEdge(
  sandbox: Sandbox,
  path: string,
  ca: string | undefined,
  verify: boolean,
): Promise<{ status: number; body: string }> {
  const port = Number(new URL(sandbox.edgeOrigin).port);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        servername: HOST,
        headers: { host: HOST },
        agent: false,
        ca,
        rejectUnauthorized: verify,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function readiness(sandbox: Sandbox) {
  await sandbox.maintenanceReady;
  return (await readMaintenanceSite(sandbox.runbook, sandbox.ports.site))!;
}

describe("the sandbox's edge: the https:// maintenance site as a real account has it", () => {
  it('by default was provisioned ahead: readiness shows the certificate, the Deployed distribution and the last invalidation', async () => {
    const sandbox = await sandboxFor(started);
    const r = await readiness(sandbox);
    expect(r.state).toBe('fresh');
    expect(r.https?.findings).toEqual([]);
    expect(r.https?.tls).toMatchObject({ host: HOST, authorized: true, names: [HOST] });
    const daysLeft = (Date.parse(r.https!.tls!.validTo!) - Date.now()) / 86_400_000;
    expect(daysLeft).toBeGreaterThan(300);
    expect(r.https?.distribution).toMatchObject({ status: 'Deployed', aliases: [HOST], certificateNames: [HOST] });
    expect(r.https?.invalidation).toMatchObject({ status: 'Completed' });
    expect(r.summary).toMatch(
      /HTTPS: certificate for maintenance\.sandbox\.invalid valid until \d{4}-\d\d-\d\d \(3\d\d days\), distribution E[A-Z0-9]+ Deployed, last invalidation Completed/,
    );
  });

  it("serves the copy over TLS with the certificate for the host; another host gets CloudFront's default certificate", async () => {
    const sandbox = await sandboxFor(started);
    await sandbox.maintenanceReady;
    // Verification is not turned off anywhere: a client that does not trust the sandbox's certificates refuses them.
    await expect(getFromEdge(sandbox, '/', undefined, true)).rejects.toThrow(/self[- ]signed/i);
    const home = await getFromEdge(sandbox, '/', undefined, false);
    expect(home.status).toBe(200);
    expect(home.body).toContain("We'll be right back");
    const port = Number(new URL(sandbox.edgeOrigin).port);
    const other = await checkTls(new URL('https://other.sandbox.invalid/'), {
      timeoutMs: 5000,
      address: { host: '127.0.0.1', port },
    });
    expect(other).toMatchObject({ authorized: false, names: ['*.cloudfront.net'] });
  });

  it('no-distribution: readiness is broken with the reason and what to do, until site provision makes everything', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['no-distribution'], speed: 200 });
    const before = await readiness(sandbox);
    expect(before.state).toBe('broken');
    expect(before.https?.findings.map((f) => f.code)).toEqual([
      'maintenance-certificate',
      'maintenance-no-distribution',
    ]);
    expect(before.summary).toContain('Run `hotspare site provision RUNBOOK`');
    const target = provisionTarget(await shipped('sandbox'));
    if (typeof target === 'string') throw new Error(target);
    const ports = { edge: sandbox.edge, dns: sandbox.ports.dns, clock: systemClock };
    const state = await readProvisionState(ports, target);
    expect(planProvision(target, state).map((a) => a.title)).toHaveLength(5);
    const result = await applyProvision(
      ports,
      target,
      state,
      { journal: () => undefined, progress: () => undefined, print: () => undefined },
      30_000,
    );
    expect(result.complete).toBe(true);
    expect(planProvision(target, await readProvisionState(ports, target))).toEqual([]);
    const after = await waitFor(
      () => readiness(sandbox),
      (r) => r.https?.distribution?.status === 'Deployed' && r.https.tls?.authorized === true,
    );
    expect(after.state).toBe('fresh');
    expect(after.https?.findings).toEqual([]);
  });

  it('certificate-pending: readiness names the pending certificate and its validation record', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['certificate-pending'] });
    const r = await readiness(sandbox);
    expect(r.state).toBe('broken');
    const pending = r.https?.findings.find((f) => f.message.includes('PENDING_VALIDATION'));
    expect(pending?.message).toContain('its DNS validation record is not in place');
    expect(pending?.message).toContain('hotspare site provision RUNBOOK');
  });

  it('distribution-in-progress: readiness warns that the latest change is not deployed, then it is', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['distribution-in-progress'], speed: 200 });
    const r = await readiness(sandbox);
    expect(r.https?.distribution?.status).toBe('InProgress');
    expect(r.https?.findings.map((f) => f.code)).toEqual(['maintenance-distribution-deploying']);
    expect(r.summary).toContain('(maintenance-distribution-deploying)');
    const later = await waitFor(
      () => readiness(sandbox),
      (x) => x.https?.distribution?.status === 'Deployed',
    );
    expect(later.https?.findings).toEqual([]);
  });
});

describe("a publish's invalidation on the sandbox's distribution", () => {
  it('one changed page: one invalidation listing that page (and the manifest), InProgress, then Completed in the readiness', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { speed: 200 });
    await sandbox.maintenanceReady;
    // The copy in the bucket, as a snapshot folder (the manifest stays in the bucket: it is what a publish compares with).
    const dir = tempDir('hotspare-edge-publish-');
    for (const object of await sandbox.bucket.list(BUCKET)) {
      if (object.key === MANIFEST_FILE) continue;
      const body = (await sandbox.bucket.get(BUCKET, object.key))!;
      mkdirSync(dirname(join(dir, object.key)), { recursive: true });
      writeFileSync(join(dir, object.key), body);
    }
    const page = join(dir, 'products', 'kettle', 'index.html');
    writeFileSync(page, readFileSync(page, 'utf8').replace('A fine kettle.', 'A fine kettle, back soon.'));
    const report = await publishSite({ dir, bucket: BUCKET, region: 'us-east-1', port: sandbox.bucket });
    expect(report.plan.uploads.map((u) => u.key)).toEqual(['products/kettle/index.html', MANIFEST_FILE]);
    const found = (await findMaintenanceDistribution(sandbox.edge.distributions, { host: HOST, configured: 'managed' }))
      ?.summary;
    const made = await invalidatePublish({
      distributions: sandbox.edge.distributions,
      distributionId: found!.id,
      plan: report.plan,
      clock: systemClock,
    });
    expect(made?.invalidation.paths).toEqual(['/products/kettle/', '/products/kettle/index.html', `/${MANIFEST_FILE}`]);
    expect(await sandbox.edge.distributions.listInvalidations(found!.id)).toHaveLength(2);
    const during = await readiness(sandbox);
    expect(during.https?.invalidation).toMatchObject({ id: made!.invalidation.id, status: 'InProgress' });
    expect(during.https?.findings.map((f) => f.code)).toEqual(['maintenance-invalidation-pending']);
    const after = await waitFor(
      () => readiness(sandbox),
      (r) => r.https?.invalidation?.status === 'Completed',
    );
    expect(after.https?.findings).toEqual([]);
  });
});
