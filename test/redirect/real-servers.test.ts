import { afterEach, describe, it } from 'vitest';
import type { RedirectServerKind, TargetGroupInfo } from '../../src/ports/index.js';
import { awsDefaultTargetGroup } from './target-groups.js';
import { redirectConfigFor, type RedirectChoice } from '../../src/redirect/config.js';
import { renderUserData } from '../../src/redirect/user-data.js';
import { expectRedirectServerAnswers, runUserData, startRealServer, type RealServer } from './real-server.js';

/**
 * The user data hotspare renders, run for real: Debian's nginx and Apache and the image's python3
 * serve the config it writes on 127.0.0.1, and real HTTP requests check every answer a visitor and
 * the ALB's health checker get, for target groups shaped as AWS makes them.
 */

interface Case {
  readonly name: string;
  readonly tg: TargetGroupInfo;
  readonly choice?: Partial<RedirectChoice>;
}

const CASES: readonly Case[] = [
  { name: 'AWS defaults: HTTP:80, GET / with matcher 200', tg: awsDefaultTargetGroup() },
  {
    name: '/health with matcher 200-399',
    tg: awsDefaultTargetGroup({ healthCheck: { path: '/health', matcher: '200-399' } }),
  },
  { name: 'HTTPS:443, GET / with matcher 200', tg: awsDefaultTargetGroup({ protocol: 'HTTPS', port: 443 }) },
  {
    name: 'a custom health-check port (8081, /health)',
    tg: awsDefaultTargetGroup({ healthCheck: { port: '8081', path: '/health' } }),
  },
  {
    name: 'HTTPS:443 checked over HTTPS on 8443, matcher 200-399',
    tg: awsDefaultTargetGroup({ protocol: 'HTTPS', port: 443, healthCheck: { port: '8443', matcher: '200-399' } }),
  },
  {
    name: 'HTTP:8080, matcher 301,302 on /',
    tg: awsDefaultTargetGroup({ port: 8080, healthCheck: { matcher: '301,302' } }),
  },
  { name: 'matcher 404 only', tg: awsDefaultTargetGroup({ healthCheck: { path: '/status', matcher: '404' } }) },
  {
    name: 'keep path and query, to http://[::1]:8080/',
    tg: awsDefaultTargetGroup(),
    choice: { keepPath: true, keepQuery: true, targetUrl: 'http://[::1]:8080/' },
  },
  {
    name: 'keep the query only, 301',
    tg: awsDefaultTargetGroup({ healthCheck: { path: '/health' } }),
    choice: { keepQuery: true, statusCode: 301 },
  },
];

const SERVERS: readonly RedirectServerKind[] = ['nginx', 'apache', 'builtin'];

describe.each(SERVERS)('the %s redirect server, for real', (server) => {
  let running: RealServer | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it.each(CASES)('$name', async ({ tg, choice }) => {
    const config = redirectConfigFor(tg, {
      server,
      targetUrl: 'https://maintenance.example.com/',
      statusCode: 302,
      ...choice,
    });
    const run = runUserData(renderUserData(config));
    running = await startRealServer(run, server);
    await expectRedirectServerAnswers(running, config, tg.healthCheck.matcher ?? '200');
  });
});
