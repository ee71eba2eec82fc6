import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createEdgePorts } from '../../src/aws/index.js';
import { buildFixture, fixtureClients } from '../aws/fixture.js';
import { BIN, requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';

/**
 * Issue 22 through the built CLI on moto: `plan` on a runbook whose https:// maintenance host has
 * no distribution names the hazard; once the certificate is issued and the distribution carries
 * the host, the hazard is gone and plan reports the distribution.
 */

const HOST = 'maintenance.shop.test';

interface PlanJson {
  plan: { hazards: { code: string; severity: string; message: string }[] };
  environment: {
    maintenanceSite?: {
      state: string;
      https?: { distribution?: { id: string; status: string }; findings: { code: string }[] };
    };
  };
}

describe('plan over HTTPS on moto', () => {
  let moto: Moto;
  let runbook: string;
  const plan = (): Promise<PlanJson> =>
    new Promise((resolve, reject) =>
      execFile(
        process.execPath,
        [BIN, 'plan', runbook, '--endpoint-url', moto.endpoint, '--json'],
        { encoding: 'utf8', env: motoChildEnv(), timeout: 60_000 },
        (error, stdout, stderr) =>
          error === null ? resolve(JSON.parse(stdout) as PlanJson) : reject(new Error(`${error.message}\n${stderr}`)),
      ),
    );

  beforeAll(async () => {
    requireBuiltCli();
    useFakeAwsCredentials();
    process.env['MOTO_ACM_VALIDATION_WAIT'] = '1';
    moto = await startMoto();
    const fixture = await buildFixture(fixtureClients(moto.endpoint), { maintenanceUrl: `https://${HOST}/` });
    runbook = join(tempDir('hotspare-https-plan-'), 'shop.yaml');
    writeFileSync(
      runbook,
      stringify({ ...fixture.runbook, maintenance: { ...fixture.runbook.maintenance, bucket: HOST } }),
    );
  }, 60_000);
  afterAll(() => moto?.stop());

  it('no distribution for the maintenance host: a danger naming site provision', async () => {
    const out = await plan();
    const hazard = out.plan.hazards.find((h) => h.code === 'maintenance-no-distribution');
    expect(hazard).toMatchObject({ severity: 'danger', message: expect.stringContaining('hotspare site provision') });
  }, 90_000);

  it('a distribution with the host and an issued certificate: that hazard is gone, the distribution is reported', async () => {
    const edge = createEdgePorts({ region: 'us-east-1', endpointUrl: moto.endpoint });
    const cert = await edge.certificates.requestCertificate({
      domainName: HOST,
      subjectAlternativeNames: [],
      idempotencyToken: 'plan',
      tags: {},
    });
    const made = await edge.distributions.createDistribution(
      {
        comment: 'test',
        aliases: [HOST],
        originDomain: `${HOST}.s3-website-us-east-1.amazonaws.com`,
        certificateArn: cert.arn,
        priceClass: 'PriceClass_100',
        defaultRootObject: 'index.html',
        errorResponses: [],
      },
      'plan-1',
      {},
    );
    await new Promise((r) => setTimeout(r, 1500));
    const out = await plan();
    const codes = out.plan.hazards.map((h) => h.code);
    expect(codes).not.toContain('maintenance-no-distribution');
    expect(out.environment.maintenanceSite?.https?.distribution?.id).toBe(made.distribution.id);
    expect(out.environment.maintenanceSite?.https?.findings.map((f) => f.code)).not.toContain(
      'maintenance-distribution-config',
    );
  }, 90_000);
});
