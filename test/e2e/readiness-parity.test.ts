import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { openContext, type CliContext } from '../../src/cli/session/context.js';
import { buildPlan } from '../../src/plan/build.js';
import { discoverEnvironment } from '../../src/plan/environment.js';
import { verifyMaintenance } from '../../src/steps/verify-maintenance.js';
import { MANIFEST_FILE } from '../../src/site/urls.js';
import { buildFixture, fixtureClients, type Fixture } from '../aws/fixture.js';
import { BIN, requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';

/**
 * Issue 20 item 1: the maintenance site's readiness on a real account is read as in the sandbox.
 * The same scenarios (a fresh copy, no manifest, a stale manifest, a missing asset, a missing home
 * page) are applied to the sandbox's bucket and to an S3 bucket on moto served by a local website
 * endpoint; each context is opened the way the CLI opens it (`openContext`), and plan's hazards,
 * the readiness state and verify-maintenance's verdict must be the same on both.
 */

/** A published copy, as the tests change it: key -> bytes. */
type Objects = Map<string, Buffer>;

/** Where a scenario is applied: the sandbox's simulated bucket or moto's. */
interface Backend {
  readonly name: string;
  readonly ctx: CliContext;
  /** Replace the whole published copy with `objects`. */
  publish(objects: Objects): Promise<void>;
}

interface Scenario {
  readonly name: string;
  readonly change: (copy: Objects) => void;
  readonly state: 'fresh' | 'stale' | 'missing' | 'broken';
  /** The maintenance hazard plan reports, if any. */
  readonly hazard?: { readonly code: string; readonly severity: 'danger' | 'warning' };
  /** Whether verify-maintenance holds (pages and assets answer; its age is not its business). */
  readonly verifies: boolean;
}

function setManifest(copy: Objects, change: (m: Record<string, unknown>) => void): void {
  const manifest = JSON.parse(copy.get(MANIFEST_FILE)!.toString('utf8')) as Record<string, unknown>;
  change(manifest);
  copy.set(MANIFEST_FILE, Buffer.from(JSON.stringify(manifest)));
}

/** The stylesheet the home page links to. */
const cssKey = (copy: Objects): string =>
  /href="(assets\/[^"]+\.css)"/.exec(copy.get('index.html')!.toString('utf8'))![1]!;

const SCENARIOS: readonly Scenario[] = [
  { name: 'a fresh copy', change: () => undefined, state: 'fresh', verifies: true },
  {
    name: 'no manifest',
    change: (c) => c.delete(MANIFEST_FILE),
    state: 'missing',
    hazard: { code: 'maintenance-missing', severity: 'warning' },
    verifies: true,
  },
  {
    name: 'a copy 3 days old',
    change: (c) => setManifest(c, (m) => (m['createdAt'] = new Date(Date.now() - 72 * 3_600_000).toISOString())),
    state: 'stale',
    hazard: { code: 'maintenance-stale', severity: 'warning' },
    verifies: true,
  },
  {
    name: 'its stylesheet missing',
    change: (c) => c.delete(cssKey(c)),
    state: 'broken',
    hazard: { code: 'maintenance-broken', severity: 'danger' },
    verifies: false,
  },
  {
    name: 'its home page missing',
    change: (c) => c.delete('index.html'),
    state: 'broken',
    hazard: { code: 'maintenance-broken', severity: 'danger' },
    verifies: false,
  },
];

/** S3 website hosting over local HTTP for a bucket on moto (moto has no website endpoint): index documents, 404s. */
async function websiteEndpoint(s3: S3Client, bucket: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\//, '');
      const key = path === '' || path.endsWith('/') ? `${path}index.html` : path;
      try {
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const body = Buffer.from(await got.Body!.transformToByteArray());
        res.writeHead(200, { 'content-type': got.ContentType ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>404 Not Found</h1>');
      }
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

async function judge(
  backend: Backend,
): Promise<{ state?: string; hazards: { code: string; severity: string }[]; verifies: boolean; summary?: string }> {
  const { ctx } = backend;
  const environment = await discoverEnvironment(ctx.runbook, ctx.ports, { maintenanceSite: true });
  const plan = buildPlan(ctx.runbook, environment);
  const verdict = await verifyMaintenance.verify!(
    { runbook: ctx.runbook, ports: ctx.ports } as never,
    { type: 'verify-maintenance', expectSiteRedirect: false },
    undefined,
  );
  return {
    state: environment.maintenanceSite?.state,
    summary: environment.maintenanceSite?.summary,
    hazards: plan.hazards
      .filter((h) => h.code.startsWith('maintenance-'))
      .map((h) => ({ code: h.code, severity: h.severity })),
    verifies: verdict.holds,
  };
}

describe('the maintenance site readiness: the same checks in the sandbox and on a real account (moto + a local website endpoint)', () => {
  let moto: Moto;
  let s3: S3Client;
  let fixture: Fixture;
  let site: Server;
  let dir: string;
  let motoRunbook: string;
  const backends: Backend[] = [];
  let seed: Objects;
  const BUCKET = 'maintenance.parity.test';

  beforeAll(async () => {
    requireBuiltCli();
    useFakeAwsCredentials();
    moto = await startMoto();
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const endpoint = await websiteEndpoint(s3, BUCKET);
    site = endpoint.server;

    const sandbox = await openContext({ sandbox: true, faults: [] }, process.env, undefined);
    await sandbox.sandbox!.maintenanceReady;
    const sandboxBucket = sandbox.sandbox!.bucket;
    const sandboxName = sandbox.runbook.maintenance.bucket!;
    // The sandbox's seeded copy of its shop is the copy both start from.
    seed = new Map();
    for (const o of await sandboxBucket.list(sandboxName))
      seed.set(o.key, Buffer.from((await sandboxBucket.get(sandboxName, o.key))!));
    expect(seed.has('index.html') && seed.has(MANIFEST_FILE)).toBe(true);

    fixture = await buildFixture(fixtureClients(moto.endpoint), {
      maintenanceUrl: endpoint.url,
      expectText: sandbox.runbook.maintenance.expectText,
    });
    dir = tempDir('hotspare-parity-');
    motoRunbook = join(dir, 'parity.yaml');
    writeFileSync(
      motoRunbook,
      stringify({ ...fixture.runbook, maintenance: { ...fixture.runbook.maintenance, bucket: BUCKET } }),
    );
    const live = await openContext(
      { sandbox: false, endpointUrl: moto.endpoint, faults: [] },
      motoChildEnv(),
      motoRunbook,
    );

    backends.push(
      {
        name: 'sandbox',
        ctx: sandbox,
        publish: async (objects) => {
          const old = (await sandboxBucket.list(sandboxName)).map((o) => o.key);
          await sandboxBucket.delete(sandboxName, old);
          for (const [key, body] of objects)
            await sandboxBucket.put(sandboxName, {
              key,
              body,
              contentType: contentType(key),
              cacheControl: 'no-cache',
              sha256: createHash('sha256').update(body).digest('hex'),
            });
        },
      },
      {
        name: 'moto',
        ctx: live,
        publish: async (objects) => {
          const old = ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key!);
          for (const key of old) await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
          for (const [key, body] of objects)
            await s3.send(
              new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: contentType(key) }),
            );
        },
      },
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(backends.map((b) => b.ctx.close()));
    site?.close();
    s3?.destroy();
    await moto?.stop();
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: ${scenario.state}${scenario.hazard === undefined ? ', no hazard' : `, hazard ${scenario.hazard.code}`}, on both`, async () => {
      const results = [];
      for (const backend of backends) {
        const copy: Objects = new Map(seed);
        // The copy was just published: its age counts from now.
        setManifest(copy, (m) => (m['createdAt'] = new Date().toISOString()));
        scenario.change(copy);
        await backend.publish(copy);
        results.push({ backend: backend.name, ...(await judge(backend)) });
      }
      for (const r of results) {
        expect(r, `${r.backend}: ${r.summary}`).toMatchObject({
          state: scenario.state,
          hazards: scenario.hazard === undefined ? [] : [scenario.hazard],
          verifies: scenario.verifies,
        });
      }
    }, 60_000);
  }

  it('the built CLI: plan on moto names the hazard of a copy without a manifest, as --sandbox would', async () => {
    const copy: Objects = new Map(seed);
    copy.delete(MANIFEST_FILE);
    await backends[1]!.publish(copy);
    const ran = await new Promise<{ status: number | null; stdout: string }>((resolve) =>
      execFile(
        process.execPath,
        [BIN, 'plan', motoRunbook, '--endpoint-url', moto.endpoint, '--json'],
        { encoding: 'utf8', env: motoChildEnv(), timeout: 60_000 },
        (error, stdout) =>
          resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout }),
      ),
    );
    expect(ran.status).toBe(0);
    const out = JSON.parse(ran.stdout) as {
      plan: { hazards: { code: string }[] };
      environment: { maintenanceSite?: { state: string } };
    };
    expect(out.environment.maintenanceSite?.state).toBe('missing');
    expect(out.plan.hazards.map((h) => h.code)).toContain('maintenance-missing');
  }, 90_000);
});

function contentType(key: string): string {
  if (key.endsWith('.html')) return 'text/html; charset=utf-8';
  if (key.endsWith('.css')) return 'text/css';
  if (key.endsWith('.json')) return 'application/json';
  if (key.endsWith('.js')) return 'text/javascript';
  return 'application/octet-stream';
}
