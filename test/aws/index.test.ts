import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsPorts } from '../../src/aws/index.js';
import { startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';
import { buildFixture, fixtureClients, FIXTURE_REGION, type Fixture } from './fixture.js';

describe('createAwsPorts client configuration (against moto)', () => {
  let moto: Moto;
  let fixture: Fixture;
  let dir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    useFakeAwsCredentials();
    moto = await startMoto();
    fixture = await buildFixture(fixtureClients(moto.endpoint));
    dir = mkdtempSync(join(tmpdir(), 'hotspare-aws-config-'));
  });

  afterEach(() => {
    process.env = { ...saved };
    useFakeAwsCredentials();
  });

  afterAll(async () => {
    await moto?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to resolve real AWS host names in tests', async () => {
    const ports = createAwsPorts({ region: FIXTURE_REGION, maxAttempts: 1 });
    await expect(ports.lb.describeTargetGroup('web')).rejects.toMatchObject({
      code: 'NetworkError',
      cause: { message: expect.stringContaining('test guard') },
    });
  });

  it('lets the SDK take the endpoint from AWS_ENDPOINT_URL when none is passed', async () => {
    process.env['AWS_ENDPOINT_URL'] = moto.endpoint;
    const ports = createAwsPorts({ region: FIXTURE_REGION, maxAttempts: 1 });
    expect((await ports.lb.describeTargetGroup(fixture.targetGroupArn)).arn).toBe(fixture.targetGroupArn);
  });

  it('an explicit endpointUrl wins over AWS_ENDPOINT_URL', async () => {
    process.env['AWS_ENDPOINT_URL'] = 'http://127.0.0.1:9';
    const ports = createAwsPorts({ region: FIXTURE_REGION, endpointUrl: moto.endpoint, maxAttempts: 1 });
    expect(await ports.dns.hasHostedZone(fixture.hostedZoneId)).toBe(true);
  });

  it('reads credentials from the named profile', async () => {
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete process.env[key];
    writeFileSync(join(dir, 'config'), `[profile drill]\nregion = ${FIXTURE_REGION}\n`);
    writeFileSync(join(dir, 'credentials'), '[drill]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
    Object.assign(process.env, {
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    // The client's `profile` option selects credentials; it does not make the SDK read that profile's
    // endpoint_url (only AWS_PROFILE does), so the endpoint is passed explicitly.
    const ports = createAwsPorts({
      region: FIXTURE_REGION,
      profile: 'drill',
      endpointUrl: moto.endpoint,
      maxAttempts: 1,
    });
    const web = await ports.compute.describeInstances({ tags: { role: 'web' } });
    expect(web.map((i) => i.id).sort()).toEqual([...fixture.webInstanceIds].sort());
  });

  it('a failed call is retried at most maxAttempts times', async () => {
    const ports = createAwsPorts({ region: FIXTURE_REGION, endpointUrl: 'http://127.0.0.1:9', maxAttempts: 2 });
    const error = (await ports.compute.describeInstances({}).catch((e: unknown) => e)) as {
      cause?: { $metadata?: { attempts?: number } };
    };
    expect(error).toMatchObject({ code: 'NetworkError' });
    expect(error.cause?.$metadata?.attempts).toBe(2);
  });
});
