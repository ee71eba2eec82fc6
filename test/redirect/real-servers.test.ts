import { afterEach, describe, expect, it } from 'vitest';
import type { RedirectServerKind, TargetGroupInfo } from '../../src/ports/index.js';
import { awsDefaultTargetGroup } from './target-groups.js';
import { matcherAccepts, redirectConfigFor, type RedirectChoice } from '../../src/redirect/config.js';
import { decide } from '../../src/redirect/decision.js';
import { renderUserData } from '../../src/redirect/user-data.js';
import { runUserData, send, startRealServer, type RealServer } from './real-server.js';

/**
 * The user data hotspare renders, run for real: Debian's nginx and Apache and the image's python3
 * serve the config it writes on 127.0.0.1, and real HTTP requests check every answer a visitor and
 * the ALB's health checker get, for target groups shaped as AWS makes them.
 */

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHECKER = 'ELB-HealthChecker/2.0';
const DEEP = '/shop/item/42?color=red&size=m';

interface Case {
  readonly name: string;
  readonly tg: TargetGroupInfo;
  readonly choice?: Partial<RedirectChoice>;
}

const CASES: readonly Case[] = [
  { name: 'AWS defaults: HTTP:80, GET / with matcher 200', tg: awsDefaultTargetGroup() },
  { name: '/health with matcher 200-399', tg: awsDefaultTargetGroup({ healthCheck: { path: '/health', matcher: '200-399' } }) },
  { name: 'HTTPS:443, GET / with matcher 200', tg: awsDefaultTargetGroup({ protocol: 'HTTPS', port: 443 }) },
  { name: 'a custom health-check port (8081, /health)', tg: awsDefaultTargetGroup({ healthCheck: { port: '8081', path: '/health' } }) },
  { name: 'HTTPS:443 checked over HTTPS on 8443, matcher 200-399', tg: awsDefaultTargetGroup({ protocol: 'HTTPS', port: 443, healthCheck: { port: '8443', matcher: '200-399' } }) },
  { name: 'HTTP:8080, matcher 301,302 on /', tg: awsDefaultTargetGroup({ port: 8080, healthCheck: { matcher: '301,302' } }) },
  { name: 'matcher 404 only', tg: awsDefaultTargetGroup({ healthCheck: { path: '/status', matcher: '404' } }) },
  { name: 'keep path and query, to http://[::1]:8080/', tg: awsDefaultTargetGroup(), choice: { keepPath: true, keepQuery: true, targetUrl: 'http://[::1]:8080/' } },
  { name: 'keep the query only, 301', tg: awsDefaultTargetGroup({ healthCheck: { path: '/health' } }), choice: { keepQuery: true, statusCode: 301 } },
];

const SERVERS: readonly RedirectServerKind[] = ['nginx', 'apache', 'builtin'];

describe.each(SERVERS)('the %s redirect server, for real', (server) => {
  let running: RealServer | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it.each(CASES)('$name', async ({ tg, choice }) => {
    const config = redirectConfigFor(tg, { server, targetUrl: 'https://maintenance.example.com/', statusCode: 302, ...choice });
    const run = runUserData(renderUserData(config));
    running = await startRealServer(run, server);
    const local = (port: number): number => running!.ports.get(port)!;
    const traffic = config.traffic;
    const health = config.healthCheck;
    const root = config.targetUrl.replace(/\/$/, '');
    const expectedLocation = (path: string, query: string): string =>
      `${config.keepPath ? root + path : config.targetUrl}${config.keepQuery && query !== '' ? `?${query}` : ''}`;

    const ask = async (method: string, target: string, userAgent: string, at = traffic, body?: string) => {
      const answer = await send({ protocol: at.protocol, port: local(at.port), method, target, userAgent, body });
      const decided = decide(config, { method, target, userAgent, port: at.port });
      expect({ status: answer.status, location: answer.headers.location }, `${method} ${target} (${userAgent}) on ${at.port}`).toEqual({
        status: decided.status,
        location: decided.location,
      });
      return answer;
    };

    // Visitors get the redirect everywhere: the home page, a deep path with a query, a POST, a HEAD.
    for (const [method, target, path, query] of [
      ['GET', '/', '/', ''],
      ['GET', DEEP, '/shop/item/42', 'color=red&size=m'],
      ['POST', '/checkout?step=2', '/checkout', 'step=2'],
      ['HEAD', '/a/b.html', '/a/b.html', ''],
    ] as const) {
      const answer = await ask(method, target, BROWSER, traffic, method === 'POST' ? 'card=1234' : undefined);
      expect(answer.status).toBe(config.statusCode);
      expect(answer.headers.location).toBe(expectedLocation(path, query));
    }
    // The checked path is a page like any other for a visitor (the home page is not "ok").
    const visitorOnHealthPath = await ask('GET', health.path, BROWSER, health);
    expect(visitorOnHealthPath.status).toBe(config.statusCode);

    // The ALB's health checker gets a status the target group's matcher accepts, on exactly its path and port.
    const check = await ask('GET', health.path, CHECKER, health);
    expect(matcherAccepts(tg.healthCheck.matcher ?? '200', check.status), `status ${check.status} vs matcher ${tg.healthCheck.matcher}`).toBe(true);
    if (check.status === 200) expect(check.body).toBe('ok\n');
    expect((await ask('POST', health.path, CHECKER, health)).status).toBe(config.statusCode);
    if (health.port !== traffic.port) expect((await ask('GET', health.path, CHECKER, traffic)).status).toBe(config.statusCode);
    if (health.path !== '/') expect((await ask('GET', '/', CHECKER, health)).status).toBe(config.statusCode);
  });
});
