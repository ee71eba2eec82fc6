import { CreateHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDns } from '../../src/aws/route53.js';
import { createHealthChecks, reportOf } from '../../src/aws/route53-health.js';
import { failoverPair, healthCheckSpec } from '../../src/plan/armed.js';
import { runbookSchema, type Runbook } from '../../src/runbook/schema.js';
import { startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';

/**
 * The armed failover's Route 53 half on moto: the string-match health check on the live site
 * (found again by its caller reference, deleted once), and the PRIMARY/SECONDARY failover pair
 * Route 53 accepts. moto answers GetHealthCheckStatus with one checker reporting success whatever
 * the site does, so the verdict from real observations is tested on its own (reportOf).
 */

function armedRunbook(zoneId: string): Runbook {
  return runbookSchema.parse({
    name: 'armed-drill',
    region: 'us-east-1',
    site: { url: 'https://www.example.com/', expectText: 'Add to basket' },
    maintenance: { url: 'https://maintenance.example.com/', expectText: "We'll be right back" },
    loadBalancer: { targetGroup: 'web-tg' },
    webServers: { tags: { role: 'web' } },
    dns: {
      hostedZoneId: zoneId,
      recordName: 'www.example.com',
      type: 'A',
      failoverValue: 'alias:Z2FDTNDATAQYW2:d111111abcdef8.cloudfront.net',
      ttl: 60,
    },
    armed: { healthCheck: { path: '/health?deep=1', intervalSeconds: 10, failureThreshold: 2 } },
    steps: [{ type: 'verify-maintenance' }],
  });
}

describe('Route 53 health check and failover records on moto', () => {
  let moto: Moto;
  let client: Route53Client;

  beforeAll(async () => {
    useFakeAwsCredentials();
    moto = await startMoto();
    client = new Route53Client({ region: 'us-east-1', endpoint: moto.endpoint });
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it('creates the string-match check once, finds it by caller reference, reports it, deletes it once', async () => {
    const runbook = armedRunbook('Z1');
    const spec = healthCheckSpec(runbook, runbook.armed!);
    expect(spec).toEqual({
      host: 'www.example.com',
      protocol: 'HTTPS',
      port: 443,
      path: '/health?deep=1',
      searchString: 'Add to basket',
      intervalSeconds: 10,
      failureThreshold: 2,
    });
    const checks = createHealthChecks(client, moto.endpoint);
    expect(await checks.find('armed-drill:arm-1')).toBeUndefined();
    const created = await checks.create('armed-drill:arm-1', spec);
    expect(created.spec).toEqual(spec);
    expect((await checks.find('armed-drill:arm-1'))?.id).toBe(created.id);
    expect(await checks.status(created.id)).toMatchObject({ checkers: 1, failing: 0, healthy: true });
    expect(await checks.delete(created.id)).toBe(true);
    expect(await checks.delete(created.id)).toBe(false);
    expect(await checks.find('armed-drill:arm-1')).toBeUndefined();
  });

  it('Route 53 takes the failover pair: PRIMARY alias to the load balancer with the check, SECONDARY alias to the distribution', async () => {
    const zone = await client.send(
      new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: `zone-${Date.now()}` }),
    );
    const zoneId = (zone.HostedZone?.Id ?? '').replace('/hostedzone/', '');
    const runbook = armedRunbook(zoneId);
    const checks = createHealthChecks(client, moto.endpoint);
    const check = await checks.create('armed-drill:pair', healthCheckSpec(runbook, runbook.armed!));
    const lb = { dnsName: 'web-lb-123.us-east-1.elb.amazonaws.com', canonicalHostedZoneId: 'Z35SXDOTRQ7X7K' };
    const dns = createDns(client, moto.endpoint);
    for (const record of failoverPair(runbook, runbook.armed!, lb, check.id)) await dns.upsertRecord(zoneId, record);

    const out = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
    const pair = (out.ResourceRecordSets ?? []).filter((r) => r.Name === 'www.example.com.' && r.Type === 'A');
    expect(pair).toHaveLength(2);
    expect(pair.find((r) => r.Failover === 'PRIMARY')).toMatchObject({
      SetIdentifier: 'hotspare-primary',
      HealthCheckId: check.id,
      AliasTarget: { HostedZoneId: lb.canonicalHostedZoneId, DNSName: lb.dnsName, EvaluateTargetHealth: true },
    });
    expect(pair.find((r) => r.Failover === 'SECONDARY')).toMatchObject({
      SetIdentifier: 'hotspare-secondary',
      AliasTarget: { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: 'd111111abcdef8.cloudfront.net' },
    });
    expect(pair.find((r) => r.Failover === 'SECONDARY')?.HealthCheckId).toBeUndefined();
  });
});

describe('the verdict from the checkers (Route 53: healthy while more than 18% report healthy)', () => {
  const ok = 'Success: HTTP Status Code 200, OK';
  const fail = 'Failure: Resolved IP: 192.0.2.1. The response body did not contain the specified string.';

  it('healthy with 2 of 8 checkers healthy (25%), unhealthy with 1 of 8 (12.5%)', () => {
    expect(reportOf([ok, ok, ...Array(6).fill(fail)])).toEqual({
      healthy: true,
      checkers: 8,
      failing: 6,
      sample: fail,
    });
    expect(reportOf([ok, ...Array(7).fill(fail)])).toMatchObject({ healthy: false, failing: 7 });
  });

  it('no observation is no verdict of health', () => {
    expect(reportOf([])).toEqual({ healthy: false, checkers: 0, failing: 0 });
  });
});
