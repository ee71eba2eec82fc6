import { afterEach, describe, expect, it } from 'vitest';
import type { Runbook } from '../../src/runbook/schema.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get, launchRunning, sandboxFor, shipped, stopAll, waitFor } from './helpers.js';

const started: Sandbox[] = [];
afterEach(() => stopAll(started));

describe('a world built from a runbook', () => {
  it('classic-order: its target group by name, three tagged web servers registered and healthy', async () => {
    const sandbox = await sandboxFor(started, 'classic-order');
    const { lb, compute } = sandbox.ports;
    const tg = await lb.describeTargetGroup('example-web-tg');
    expect(tg).toMatchObject({
      name: 'example-web-tg',
      protocol: 'HTTP',
      port: 80,
      targetType: 'instance',
      deregistrationDelaySeconds: 300,
    });
    expect(tg.arn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:\d{12}:targetgroup\/example-web-tg\/[0-9a-f]{16}$/);
    // What CreateTargetGroup gives by default: GET / on the traffic port, matcher 200.
    expect(tg.healthCheck).toMatchObject({
      protocol: 'HTTP',
      path: '/',
      port: 'traffic-port',
      matcher: '200',
      intervalSeconds: 10,
      healthyThreshold: 3,
      unhealthyThreshold: 2,
    });
    expect(await lb.describeTargetGroup(tg.arn)).toEqual(tg);
    const web = await compute.describeInstances({ tags: { role: 'web' } });
    expect(web.map((i) => i.tags['Name']).sort()).toEqual(['web-1', 'web-2', 'web-3']);
    expect(web.every((i) => i.state === 'running' && /^i-[0-9a-f]{17}$/.test(i.id))).toBe(true);
    const health = await lb.describeTargetHealth(tg.arn);
    expect(health.map((t) => t.id).sort()).toEqual(web.map((i) => i.id).sort());
    expect(health.every((t) => t.state === 'healthy' && t.port === 80 && t.availabilityZone === 'us-east-1a')).toBe(
      true,
    );
    await expect(lb.describeTargetGroup('other-tg')).rejects.toMatchObject({ code: 'TargetGroupNotFound' });
    expect(sandbox.runbook.loadBalancer.listener).toBeUndefined();
  });

  it('emergency-mode: its listener ARN forwards to the target group; its AMI launches', async () => {
    const sandbox = await sandboxFor(started, 'emergency-mode', { webServers: 2 });
    const listenerArn = sandbox.runbook.loadBalancer.listener!;
    const listener = await sandbox.ports.lb.describeListener(listenerArn);
    const tg = await sandbox.ports.lb.describeTargetGroup('example-web-tg');
    expect(listener).toMatchObject({
      arn: listenerArn,
      loadBalancerArn:
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/example-alb/0123456789abcdef',
      port: 443,
      protocol: 'HTTPS',
      defaultActions: [{ Type: 'forward', TargetGroupArn: tg.arn }],
    });
    expect(tg.arn).toContain(':123456789012:');
    expect(tg.loadBalancerArns).toEqual([listener.loadBalancerArn]);
    expect((await sandbox.ports.lb.describeTargetHealth(tg.arn)).length).toBe(2);
    await expect(launchRunning(sandbox)).resolves.toMatch(/^i-/);
    await expect(sandbox.ports.lb.describeListener(`${listenerArn}0`)).rejects.toMatchObject({
      code: 'ListenerNotFound',
    });
  });

  it('uses the instance ids the runbook names, and the target group ARN it names', async () => {
    const base = await shipped('classic-order');
    const tgArn = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/named-tg/00112233aabbccdd';
    const runbook: Runbook = {
      ...base,
      region: 'eu-west-1',
      loadBalancer: { targetGroup: tgArn },
      webServers: { instanceIds: ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2'] },
    };
    const sandbox = await startSandbox(runbook, { speed: 100 });
    started.push(sandbox);
    const tg = await sandbox.ports.lb.describeTargetGroup(tgArn);
    expect(tg).toMatchObject({ arn: tgArn, name: 'named-tg' });
    const health = await sandbox.ports.lb.describeTargetHealth(tgArn);
    expect(health.map((t) => [t.id, t.state, t.availabilityZone])).toEqual([
      ['i-0aaaaaaaaaaaaaaa1', 'healthy', 'eu-west-1a'],
      ['i-0aaaaaaaaaaaaaaa2', 'healthy', 'eu-west-1a'],
    ]);
    const described = await sandbox.ports.compute.describeInstances({ ids: ['i-0aaaaaaaaaaaaaaa2'] });
    expect(described[0]?.tags['Name']).toBe('web-2');
  });

  it('rewrites the site and maintenance URLs to the local servers, keeping paths', async () => {
    const base = await shipped('sandbox');
    const runbook: Runbook = {
      ...base,
      site: { url: 'https://www.example.com/shop/?a=1' },
      maintenance: { ...base.maintenance, url: 'https://m.example.com/down.html' },
    };
    const sandbox = await startSandbox(runbook, { speed: 100 });
    started.push(sandbox);
    expect(sandbox.runbook.site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/shop\/\?a=1$/);
    expect(sandbox.runbook.maintenance.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/down\.html$/);
    expect(runbook.site.url).toBe('https://www.example.com/shop/?a=1');
    expect(sandbox.runbook.steps).toEqual(runbook.steps);
    expect((await get(sandbox.runbook.site.url)).status).toBe(200);
    const probe = await sandbox.ports.probe.check({
      url: sandbox.runbook.maintenance.url,
      expectText: runbook.maintenance.expectText,
    });
    expect(probe).toMatchObject({ status: 200, markerFound: true });
  });

  it('has the hosted zone and record the runbook names, pointing at the ALB', async () => {
    const dns = {
      hostedZoneId: '/hostedzone/Z0123456789ABCDEFGHIJ',
      recordName: 'www.example.com',
      type: 'A' as const,
      failoverValue: 'alias:Z2FDTNDATAQYW2:d111111abcdef8.cloudfront.net',
      ttl: 60,
    };
    const sandbox = await sandboxFor(started, 'sandbox', { runbookPatch: { dns } });
    const { dns: port } = sandbox.ports;
    expect(await port.hasHostedZone('Z0123456789ABCDEFGHIJ')).toBe(true);
    expect(await port.hasHostedZone('Z999')).toBe(false);
    const record = await port.getRecord('Z0123456789ABCDEFGHIJ', 'www.example.com.', 'A');
    expect(record?.aliasTarget?.dnsName).toMatch(/^sandbox-alb-\d+\.us-east-1\.elb\.amazonaws\.com$/);
    expect(sandbox.resolver.resolve('www.example.com')).toEqual(record);
    const upsert = await port.upsertRecord('Z0123456789ABCDEFGHIJ', {
      name: 'www.example.com',
      type: 'A',
      values: ['192.0.2.1'],
      ttl: 60,
    });
    expect(await port.getRecord('Z0123456789ABCDEFGHIJ', 'www.example.com', 'A')).toMatchObject({
      values: ['192.0.2.1'],
    });
    expect(sandbox.resolver.resolve('www.example.com')).toEqual(record);
    await waitFor(
      () => port.getChange(upsert.changeId),
      (s) => s === 'INSYNC',
    );
    expect(sandbox.resolver.resolve('www.example.com')?.values).toEqual(['192.0.2.1']);
    await expect(port.getRecord('Z999', 'www.example.com', 'A')).rejects.toMatchObject({ code: 'HostedZoneNotFound' });
    await expect(port.getChange('CNOPE')).rejects.toMatchObject({ code: 'ChangeNotFound' });
  });

  it('scales poll interval and timeouts by speed', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { speed: 50 });
    expect(sandbox.pollIntervalMs).toBe(20);
    expect(sandbox.healthyTimeoutMs).toBe(6000);
    expect(sandbox.speed).toBe(50);
    await expect(startSandbox(await shipped('sandbox'), { speed: 0 })).rejects.toThrow(RangeError);
  });
});
