import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { buildPlan } from '../../src/plan/build.js';
import { assumedEnvironment } from '../../src/plan/environment.js';
import { loadRunbook, parseRunbook, RunbookError } from '../../src/runbook/load.js';
import {
  dnsFailoverProblem,
  httpMaintenanceWarning,
  httpsUrlProblem,
  runbookWarnings,
  s3WebsiteEndpoint,
} from '../../src/runbook/maintenance-https.js';
import { tempDir } from '../helpers/engine.js';
import { writeFileSync } from 'node:fs';

/** A runbook's text with the given maintenance block lines, dns lines and steps. */
function runbookText(o: {
  site?: string;
  maintenance: readonly string[];
  dns?: readonly string[];
  steps?: string;
}): string {
  return [
    'name: https-rules',
    'region: eu-west-1',
    `site: { url: "${o.site ?? 'https://www.example.com/'}" }`,
    'maintenance:',
    ...o.maintenance.map((l) => `  ${l}`),
    'loadBalancer: { targetGroup: tg }',
    'webServers: { tags: { role: web } }',
    ...(o.dns === undefined ? [] : ['dns:', ...o.dns.map((l) => `  ${l}`)]),
    `steps: ${o.steps ?? '[verify-maintenance]'}`,
  ].join('\n');
}

function problemOf(text: string): { line: number; path: string; message: string } {
  try {
    parseRunbook(text, 'r.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(RunbookError);
    const problems = (error as RunbookError).problems;
    expect(problems).toHaveLength(1);
    return problems[0]!;
  }
  return expect.unreachable('the runbook should not load');
}

const DNS = (type: string, value: string): string[] => [
  'hostedZoneId: Z0123456789ABCDEFGHIJ',
  'recordName: www.example.com',
  `type: ${type}`,
  `failoverValue: "${value}"`,
  'ttl: 60',
];

describe('rule: an https:// maintenance URL cannot be served straight from an S3 website endpoint', () => {
  it('recognises website endpoints in both spellings, and nothing else', () => {
    expect(s3WebsiteEndpoint('maintenance.example.com.s3-website-us-east-1.amazonaws.com')).toEqual({
      bucket: 'maintenance.example.com',
      region: 'us-east-1',
    });
    expect(s3WebsiteEndpoint('b.s3-website.eu-central-1.amazonaws.com')).toEqual({
      bucket: 'b',
      region: 'eu-central-1',
    });
    expect(s3WebsiteEndpoint('maintenance.example.com')).toBeUndefined();
    expect(s3WebsiteEndpoint('d111111abcdef8.cloudfront.net')).toBeUndefined();
  });

  it('is an error at maintenance.url, naming the line and what is expected', () => {
    const p = problemOf(
      runbookText({
        maintenance: ['expectText: Back soon', 'url: https://m.example.com.s3-website-eu-west-1.amazonaws.com/'],
      }),
    );
    expect(p).toMatchObject({ line: 6, path: 'maintenance.url' });
    expect(p.message).toContain('is an S3 website endpoint, which serves HTTP only');
    expect(p.message).toContain('Expected the https:// URL of your maintenance host served by CloudFront');
  });

  it('accepts the same endpoint over http:// (with a warning) and an https:// host of yours', () => {
    expect(httpsUrlProblem('http://m.example.com.s3-website-eu-west-1.amazonaws.com/')).toBeUndefined();
    expect(httpsUrlProblem('https://maintenance.example.com/')).toBeUndefined();
  });
});

describe("rule: an http:// maintenance URL gets Chrome's warning", () => {
  it('warns with the Chrome version and date, and says what to do', () => {
    const w = httpMaintenanceWarning('http://maintenance.example.com/');
    expect(w).toContain('Chrome 154 (October 2026)');
    expect(w).toContain('full-page warning');
    expect(w).toContain('hotspare site provision');
    expect(httpMaintenanceWarning('https://maintenance.example.com/')).toBeUndefined();
  });

  it('names the bucket of an S3 website endpoint in the fix', () => {
    expect(httpMaintenanceWarning('http://m.example.com.s3-website-eu-west-1.amazonaws.com/')).toContain(
      'maintenance.bucket: m.example.com',
    );
  });

  it('does not warn for a loopback address (a local test or sandbox server no visitor reaches)', () => {
    expect(httpMaintenanceWarning('http://127.0.0.1:8080/')).toBeUndefined();
    expect(httpMaintenanceWarning('http://localhost/')).toBeUndefined();
  });

  it('loads (a warning is no error), located at maintenance.url', async () => {
    const file = join(tempDir('hotspare-https-rules-'), 'http.yaml');
    writeFileSync(
      file,
      runbookText({ maintenance: ['expectText: Back soon', 'url: http://maintenance.example.com/'] }),
    );
    const loaded = await loadRunbook(file);
    expect(loaded.warnings).toEqual([expect.objectContaining({ file, line: 6, column: 8, path: 'maintenance.url' })]);
    expect(runbookWarnings(loaded.runbook)).toHaveLength(1);
  });

  it('validate prints it with file:line and exits 0; plan names it as a hazard', async () => {
    const file = join(tempDir('hotspare-https-rules-'), 'http.yaml');
    writeFileSync(
      file,
      runbookText({ maintenance: ['expectText: Back soon', 'url: http://maintenance.example.com/'] }),
    );
    const out: string[] = [];
    const err: string[] = [];
    const code = await validateCommand([file], {
      out: (s: string) => out.push(s),
      err: (s: string) => err.push(s),
    } as never);
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('1 warning(s)');
    expect(err.join('\n')).toMatch(
      new RegExp(
        `^warning: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:8: maintenance\\.url: http://maintenance\\.example\\.com/ is plain HTTP`,
      ),
    );
    const { runbook } = await loadRunbook(file);
    const plan = buildPlan(runbook, assumedEnvironment(runbook));
    expect(plan.hazards.find((h) => h.code === 'maintenance-http')).toMatchObject({
      severity: 'warning',
      message: expect.stringContaining('Chrome 154 (October 2026)'),
    });
  });

  it('an https:// maintenance URL has no such hazard', async () => {
    const runbook = parseRunbook(
      runbookText({
        maintenance: [
          'expectText: Back soon',
          'url: https://maintenance.example.com/',
          'bucket: maintenance.example.com',
        ],
      }),
      'r.yaml',
    );
    expect(buildPlan(runbook, assumedEnvironment(runbook)).hazards.map((h) => h.code)).not.toContain(
      'maintenance-http',
    );
  });
});

describe('rule: a DNS failover of an HTTPS site needs a target that can present a certificate for its host', () => {
  const m = ['expectText: Back soon', 'url: https://maintenance.example.com/'];

  it('refuses a CNAME to an S3 website endpoint, at dns.failoverValue', () => {
    const p = problemOf(
      runbookText({
        maintenance: m,
        dns: DNS('CNAME', 'maintenance.example.com.s3-website-eu-west-1.amazonaws.com'),
        steps: '[dns-failover, verify-maintenance]',
      }),
    );
    expect(p).toMatchObject({ path: 'dns.failoverValue', line: 13 });
    expect(p.message).toContain('cannot present a certificate for www.example.com');
    expect(p.message).toContain("Expected an alias to the maintenance site's CloudFront distribution");
  });

  it('refuses an alias to an S3 website endpoint, and a CNAME to an S3 REST endpoint', () => {
    expect(
      dnsFailoverProblem('https://www.example.com/', 'alias:Z1BKCTXD74EZPE:s3-website-eu-west-1.amazonaws.com'),
    ).toContain('S3 website endpoint');
    expect(
      dnsFailoverProblem(
        'https://www.example.com/',
        'alias:Z1BKCTXD74EZPE:m.example.com.s3-website-eu-west-1.amazonaws.com',
      ),
    ).toContain('S3 website endpoint');
    expect(dnsFailoverProblem('https://www.example.com/', 'maintenance-bucket.s3.eu-west-1.amazonaws.com')).toContain(
      "the certificate it presents is Amazon's",
    );
  });

  it('accepts CloudFront, other hosts, and any target of an http:// site', () => {
    expect(
      dnsFailoverProblem('https://www.example.com/', 'alias:Z2FDTNDATAQYW2:d111111abcdef8.cloudfront.net'),
    ).toBeUndefined();
    expect(dnsFailoverProblem('https://www.example.com/', 'static.example.net')).toBeUndefined();
    expect(
      dnsFailoverProblem('http://www.example.com/', 'maintenance.example.com.s3-website-eu-west-1.amazonaws.com'),
    ).toBeUndefined();
  });

  it('only applies when the runbook has a dns-failover step', () => {
    expect(() =>
      parseRunbook(
        runbookText({
          maintenance: m,
          dns: DNS('CNAME', 'maintenance.example.com.s3-website-eu-west-1.amazonaws.com'),
        }),
        'r.yaml',
      ),
    ).not.toThrow();
  });
});

describe('the shipped runbooks work over HTTPS', () => {
  const files = readdirSync('runbooks').filter((f) => f.endsWith('.yaml'));
  it.each(files)('%s: valid, an https:// maintenance URL, no warning', async (name) => {
    const loaded = await loadRunbook(join('runbooks', name));
    expect(loaded.runbook.maintenance.url.startsWith('https://')).toBe(true);
    expect(loaded.warnings).toEqual([]);
    if (loaded.runbook.dns !== undefined)
      expect(dnsFailoverProblem(loaded.runbook.site.url, loaded.runbook.dns.failoverValue)).toBeUndefined();
  });
});

describe('maintenance.cloudfront: the distribution and certificate, all optional', () => {
  it('takes managed or a distribution id, and an ACM certificate in us-east-1', () => {
    const runbook = parseRunbook(
      runbookText({
        maintenance: [
          'expectText: Back soon',
          'url: https://maintenance.example.com/',
          'cloudfront:',
          '  distribution: E1A2B3C4D5E6F7',
          '  certificate: arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
        ],
      }),
      'r.yaml',
    );
    expect(runbook.maintenance.cloudfront).toEqual({
      distribution: 'E1A2B3C4D5E6F7',
      certificate: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
    });
    expect(
      parseRunbook(
        runbookText({
          maintenance: ['expectText: x', 'url: https://m.example.com/', 'cloudfront: { distribution: managed }'],
        }),
        'r.yaml',
      ).maintenance.cloudfront,
    ).toEqual({ distribution: 'managed' });
  });

  it('refuses a certificate outside us-east-1, naming the line and why', () => {
    const p = problemOf(
      runbookText({
        maintenance: [
          'expectText: x',
          'url: https://m.example.com/',
          'cloudfront:',
          '  certificate: arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d',
        ],
      }),
    );
    expect(p).toMatchObject({ line: 8, path: 'maintenance.cloudfront.certificate' });
    expect(p.message).toContain('CloudFront takes certificates from us-east-1 only');
  });

  it('refuses a distribution that is neither managed nor an id', () => {
    const p = problemOf(
      runbookText({
        maintenance: [
          'expectText: x',
          'url: https://m.example.com/',
          'cloudfront: { distribution: d111.cloudfront.net }',
        ],
      }),
    );
    expect(p).toMatchObject({ line: 7, path: 'maintenance.cloudfront.distribution' });
    expect(p.message).toContain('managed (the distribution `hotspare site provision` makes), or a distribution id');
  });
});
