import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { redirectLocation } from '../../src/sandbox/front.js';
import { get, sandboxFor, stopAll, targetGroupArn, waitFor, webIds } from './helpers.js';

const started: Sandbox[] = [];
afterEach(() => stopAll(started));

function listenerArn(sandbox: Sandbox): string {
  return sandbox.runbook.loadBalancer.listener!;
}

describe('the load-balancer front', () => {
  it('serves 200 from the healthy web servers, round robin', async () => {
    const sandbox = await sandboxFor(started);
    const servedBy = new Set<string>();
    for (let i = 0; i < 6; i += 1) {
      const answer = await get(sandbox.runbook.site.url);
      expect(answer.status).toBe(200);
      servedBy.add(/Served by ([\w-]+)/.exec(answer.body)?.[1] ?? '?');
    }
    expect([...servedBy].sort()).toEqual(['web-1', 'web-2', 'web-3']);
  });

  it('answers 503 once every target is draining (no new requests to draining targets)', async () => {
    const sandbox = await sandboxFor(started);
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    await sandbox.ports.lb.deregisterTargets(
      arn,
      (await webIds(sandbox)).map((id) => ({ id })),
    );
    expect((await get(sandbox.runbook.site.url)).status).toBe(503);
  });

  it('sends nothing to a web server that went unhealthy while others are healthy', async () => {
    const sandbox = await sandboxFor(started);
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    const [bad] = await webIds(sandbox);
    sandbox.origins.setMode(bad!, 'error');
    await waitFor(
      () => sandbox.ports.lb.describeTargetHealth(arn),
      (all) => all.find((t) => t.id === bad)?.state === 'unhealthy',
    );
    for (let i = 0; i < 6; i += 1) expect((await get(sandbox.runbook.site.url)).status).toBe(200);
  });

  it('fails open to every target when all registered targets are unhealthy', async () => {
    const sandbox = await sandboxFor(started);
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    sandbox.origins.setMode('all', 'error');
    await waitFor(
      () => sandbox.ports.lb.describeTargetHealth(arn),
      (all) => all.every((t) => t.state === 'unhealthy'),
    );
    expect((await get(sandbox.runbook.site.url)).status).toBe(500);
    sandbox.origins.setMode('all', 'dead');
    expect((await get(sandbox.runbook.site.url)).status).toBe(502);
  });

  it('applies a listener redirect and a fixed response at once, and reads back the actions as written', async () => {
    const sandbox = await sandboxFor(started);
    const maintenance = new URL(sandbox.runbook.maintenance.url);
    const redirect = [
      {
        Type: 'redirect',
        Order: 1,
        RedirectConfig: {
          Protocol: 'HTTP',
          Host: maintenance.hostname,
          Port: maintenance.port,
          Path: '/#{path}',
          Query: '#{query}',
          StatusCode: 'HTTP_302',
        },
      },
    ];
    await sandbox.ports.lb.setListenerDefaultActions(listenerArn(sandbox), redirect);
    expect((await sandbox.ports.lb.describeListener(listenerArn(sandbox))).defaultActions).toEqual(redirect);
    const answer = await get(`${sandbox.runbook.site.url}cart?id=7`);
    expect(answer).toMatchObject({ status: 302, location: `http://${maintenance.host}/cart?id=7` });

    const fixed = [
      {
        Type: 'fixed-response',
        FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'Back soon' },
      },
    ];
    await sandbox.ports.lb.setListenerDefaultActions(listenerArn(sandbox), fixed);
    expect(await get(sandbox.runbook.site.url)).toMatchObject({ status: 503, body: 'Back soon' });
  });

  it('restores the original forward action byte for byte', async () => {
    const sandbox = await sandboxFor(started);
    const original = (await sandbox.ports.lb.describeListener(listenerArn(sandbox))).defaultActions;
    await sandbox.ports.lb.setListenerDefaultActions(listenerArn(sandbox), [
      { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } },
    ]);
    await sandbox.ports.lb.setListenerDefaultActions(listenerArn(sandbox), original);
    expect((await sandbox.ports.lb.describeListener(listenerArn(sandbox))).defaultActions).toEqual(original);
    expect((await get(sandbox.runbook.site.url)).status).toBe(200);
  });

  it('refuses a forward to a target group that does not exist', async () => {
    const sandbox = await sandboxFor(started);
    const bogus = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/nope/0000000000000000';
    await expect(
      sandbox.ports.lb.setListenerDefaultActions(listenerArn(sandbox), [{ Type: 'forward', TargetGroupArn: bogus }]),
    ).rejects.toMatchObject({ code: 'TargetGroupNotFound' });
  });
});

describe('redirectLocation', () => {
  const parts = { protocol: 'http', host: 'www.example.com', port: '80', path: 'a/b', query: 'x=1' };

  it('defaults every field to the request and leaves out default ports', () => {
    expect(redirectLocation({}, parts)).toBe('http://www.example.com/a/b?x=1');
  });

  it('replaces placeholders, keeps non-default ports and drops an empty query', () => {
    const config = { Protocol: 'HTTPS', Host: 'maint.#{host}', Port: '8443', Path: '/down/#{path}', Query: '' };
    expect(redirectLocation(config, parts)).toBe('https://maint.www.example.com:8443/down/a/b');
    expect(redirectLocation({ Protocol: 'HTTPS', Port: '443', Path: '/' }, parts)).toBe('https://www.example.com/?x=1');
  });
});
