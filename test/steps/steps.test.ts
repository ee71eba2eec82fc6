import { describe, expect, it } from 'vitest';
import { clientToken } from '../../src/steps/launch-redirect.js';
import { sameDnsRecord as sameRecord } from '../../src/domain/dns-name.js';
import { apiRecordSet, failoverRecord } from '../../src/steps/dns-failover.js';
import { fixedResponseAction, redirectAction } from '../../src/steps/listener.js';
import { fakeRunbook } from '../helpers/fake-ports.js';

describe('clientToken', () => {
  it('is at most 64 characters and differs per instance type, even for a long step id', () => {
    const step = 'launch-the-redirect-instance-for-the-main-shop';
    const a = clientToken('20261121T084100Z-3f9a', step, 't3.micro');
    const b = clientToken('20261121T084100Z-3f9a', step, 't3a.micro');
    expect(a.length).toBeLessThanOrEqual(64);
    expect(b.length).toBeLessThanOrEqual(64);
    expect(a).not.toBe(b);
    expect(a.endsWith('-t3.micro')).toBe(true);
    expect(clientToken('20261121T084100Z-3f9a', step, 't3.micro')).toBe(a);
  });
});

describe('listener actions', () => {
  const rb = fakeRunbook([]);
  it('redirect to the maintenance host, root path by default, path kept when asked', () => {
    expect(redirectAction(rb, { type: 'set-listener-redirect' })).toEqual({
      Type: 'redirect',
      RedirectConfig: {
        Protocol: 'HTTPS',
        Host: 'maintenance.example.com',
        Port: '443',
        Path: '/',
        StatusCode: 'HTTP_302',
      },
    });
    const kept = redirectAction(rb, { type: 'set-listener-redirect', keepPath: true, statusCode: 'HTTP_301' });
    expect(kept['RedirectConfig']).toMatchObject({ Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' });
  });
  it('fixed response carries the marker text, HTML-escaped', () => {
    const action = fixedResponseAction(
      { ...rb, maintenance: { ...rb.maintenance, expectText: 'Back <soon>' } },
      { type: 'set-listener-fixed-response' },
    );
    expect(action['FixedResponseConfig']).toMatchObject({ StatusCode: '503', ContentType: 'text/html' });
    expect(JSON.stringify(action)).toContain('Back &#60;soon&#62;');
  });
});

describe('DNS records', () => {
  it('a CNAME failover record and its API shape', () => {
    const rec = failoverRecord(fakeRunbook([]));
    expect(rec).toEqual({ name: 'www.example.com', type: 'CNAME', ttl: 60, values: ['maintenance.example.com'] });
    expect(apiRecordSet(rec)).toMatchObject({
      Name: 'www.example.com',
      Type: 'CNAME',
      TTL: 60,
      ResourceRecords: [{ Value: 'maintenance.example.com' }],
    });
  });
  it('an alias failover record', () => {
    const rb = fakeRunbook([]);
    const rec = failoverRecord({
      ...rb,
      dns: { ...rb.dns!, type: 'A', failoverValue: 'alias:Z2FDTNDATAQYW2:d111111abcdef8.cloudfront.net' },
    });
    expect(rec.aliasTarget).toEqual({
      hostedZoneId: 'Z2FDTNDATAQYW2',
      dnsName: 'd111111abcdef8.cloudfront.net',
      evaluateTargetHealth: false,
    });
    expect(apiRecordSet(rec)).toMatchObject({ AliasTarget: { DNSName: 'd111111abcdef8.cloudfront.net' } });
  });
  it('compares records ignoring the trailing dot and case', () => {
    expect(
      sameRecord(
        { name: 'WWW.example.com.', type: 'CNAME', ttl: 60, values: ['a'] },
        { name: 'www.example.com', type: 'CNAME', ttl: 60, values: ['a'] },
      ),
    ).toBe(true);
    expect(
      sameRecord(
        { name: 'www.example.com', type: 'CNAME', ttl: 60, values: ['a'] },
        { name: 'www.example.com', type: 'CNAME', ttl: 300, values: ['a'] },
      ),
    ).toBe(false);
  });
});
