import { describe, expect, it } from 'vitest';
import type { RedirectConfig } from '../../src/ports/index.js';
import { sampleRedirect } from '../helpers/redirect-config.js';
import { healthStatusFor, matcherAccepts, redirectConfigFor } from '../../src/redirect/config.js';
import { decide, locationFor } from '../../src/redirect/decision.js';
import { awsDefaultTargetGroup } from './target-groups.js';

const config: RedirectConfig = sampleRedirect();
const CHECKER = 'ELB-HealthChecker/2.0';
const BROWSER = 'Mozilla/5.0';

describe('decide', () => {
  it('tells the health checker apart on /: the checker gets 200, a visitor the redirect', () => {
    expect(decide(config, { method: 'GET', target: '/', userAgent: CHECKER, port: 80 })).toEqual({
      kind: 'health',
      status: 200,
      body: 'ok\n',
    });
    expect(decide(config, { method: 'GET', target: '/', userAgent: BROWSER, port: 80 })).toEqual({
      kind: 'redirect',
      status: 302,
      location: 'https://maintenance.example.com/',
    });
    expect(decide(config, { method: 'GET', target: '/', port: 80 }).kind).toBe('redirect');
  });

  it('answers the checker only on the checked path and port, for GET and HEAD', () => {
    const hc = { ...config, healthCheck: { ...config.healthCheck, port: 8081, path: '/health' } };
    expect(decide(hc, { method: 'HEAD', target: '/health', userAgent: CHECKER, port: 8081 }).kind).toBe('health');
    expect(decide(hc, { method: 'GET', target: '/health?x=1', userAgent: CHECKER, port: 8081 }).kind).toBe('health');
    expect(decide(hc, { method: 'GET', target: '/health', userAgent: CHECKER, port: 80 }).kind).toBe('redirect');
    expect(decide(hc, { method: 'GET', target: '/healthz', userAgent: CHECKER, port: 8081 }).kind).toBe('redirect');
    expect(decide(hc, { method: 'POST', target: '/health', userAgent: CHECKER, port: 8081 }).kind).toBe('redirect');
    expect(decide(hc, { method: 'GET', target: '/health', userAgent: `x ${CHECKER}`, port: 8081 }).kind).toBe(
      'redirect',
    );
  });

  it('answers a 3xx health status with the maintenance URL as Location', () => {
    const redirecting = { ...config, healthCheck: { ...config.healthCheck, status: 301 } };
    expect(decide(redirecting, { method: 'GET', target: '/', userAgent: CHECKER, port: 80 })).toEqual({
      kind: 'health',
      status: 301,
      location: 'https://maintenance.example.com/',
    });
  });

  it('drops path and query unless asked; keeps them raw when asked', () => {
    expect(locationFor(config, '/a/b?q=1')).toBe('https://maintenance.example.com/');
    expect(locationFor({ ...config, keepPath: true }, '/a%20b/c?q=1')).toBe('https://maintenance.example.com/a%20b/c');
    expect(locationFor({ ...config, keepQuery: true }, '/a?q=1&r=%2F')).toBe(
      'https://maintenance.example.com/?q=1&r=%2F',
    );
    expect(locationFor({ ...config, keepQuery: true }, '/a?')).toBe('https://maintenance.example.com/');
    expect(
      locationFor({ ...config, keepPath: true, keepQuery: true, targetUrl: 'http://[::1]:8080/down/' }, '/x?y'),
    ).toBe('http://[::1]:8080/down/x?y');
    expect(locationFor({ ...config, keepPath: true }, 'http://other/x')).toBe('https://maintenance.example.com/');
  });
});

describe('the health status from the matcher', () => {
  it('reads matchers as ELBv2 does', () => {
    expect(matcherAccepts('200', 200)).toBe(true);
    expect(matcherAccepts('200,302', 302)).toBe(true);
    expect(matcherAccepts('200-399', 301)).toBe(true);
    expect(matcherAccepts('200-399', 404)).toBe(false);
    expect(matcherAccepts(' 301 , 302 ', 302)).toBe(true);
    expect(matcherAccepts('abc', 200)).toBe(false);
  });

  it("prefers 200, then the runbook's redirect status, then what the matcher allows", () => {
    expect(healthStatusFor(undefined, 302)).toBe(200);
    expect(healthStatusFor('200-399', 302)).toBe(200);
    expect(healthStatusFor('301,302', 301)).toBe(301);
    expect(healthStatusFor('301,302', 302)).toBe(302);
    expect(healthStatusFor('307', 302)).toBe(307);
    expect(healthStatusFor('404', 302)).toBe(404);
  });

  it('refuses a matcher no server can satisfy', () => {
    expect(() => healthStatusFor('201', 302)).toThrow(expect.objectContaining({ code: 'UnservableMatcher' }));
    expect(() => healthStatusFor('12', 302)).toThrow(expect.objectContaining({ code: 'UnservableMatcher' }));
  });
});

describe('redirectConfigFor a target group', () => {
  const choice = { server: 'nginx' as const, targetUrl: 'HTTPS://Maintenance.example.com', statusCode: 302 as const };

  it('takes protocol, port, health path, port and matcher from the target group', () => {
    const tg = awsDefaultTargetGroup({
      protocol: 'HTTPS',
      port: 443,
      healthCheck: { port: '8443', path: '/health', matcher: '200-299' },
    });
    expect(redirectConfigFor(tg, choice)).toEqual({
      server: 'nginx',
      targetUrl: 'https://maintenance.example.com/',
      statusCode: 302,
      keepPath: false,
      keepQuery: false,
      traffic: { port: 443, protocol: 'HTTPS' },
      healthCheck: { port: 8443, protocol: 'HTTPS', path: '/health', status: 200 },
      preinstalled: false,
    });
  });

  it('refuses what no redirect server can serve', () => {
    expect(() => redirectConfigFor(awsDefaultTargetGroup({ protocol: 'TCP' }), choice)).toThrow(
      expect.objectContaining({ code: 'UnsupportedProtocol' }),
    );
    expect(() =>
      redirectConfigFor(
        awsDefaultTargetGroup({ protocol: 'HTTPS', port: 443, healthCheck: { protocol: 'HTTP' } }),
        choice,
      ),
    ).toThrow(expect.objectContaining({ code: 'MixedProtocols' }));
    expect(() =>
      redirectConfigFor(awsDefaultTargetGroup(), {
        ...choice,
        targetUrl: 'https://m.example.com/down.html',
        keepPath: true,
      }),
    ).toThrow(expect.objectContaining({ code: 'UnsafeRedirectUrl' }));
    expect(() =>
      redirectConfigFor(awsDefaultTargetGroup(), {
        ...choice,
        targetUrl: 'https://m.example.com/?a=1',
        keepQuery: true,
      }),
    ).toThrow(expect.objectContaining({ code: 'UnsafeRedirectUrl' }));
  });
});
