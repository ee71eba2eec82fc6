import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, hotspareIn, requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';

/**
 * Credentials and AWS settings through the built CLI, with temp shared config files and no real
 * AWS: a missing profile, an expired SSO session and no credentials at all are each told apart
 * before any call; `--profile` takes the profile's endpoint_url like AWS_PROFILE; the region's
 * sources are shown when they disagree. Host-name lookups are refused in the child.
 */

beforeAll(requireBuiltCli);

const RUNBOOK = 'runbooks/emergency-mode.yaml';
const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

interface Seen {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** A stand-in AWS endpoint on 127.0.0.1 that records each request and answers an AWS-style error. */
async function recordingEndpoint(): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    res
      .writeHead(400, { 'content-type': 'text/xml' })
      .end(
        '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>recorded by the test</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

/** The region in a SigV4 Authorization header's credential scope. */
function signedRegion(headers: IncomingHttpHeaders): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(String(headers['authorization']))?.[1];
}

describe('credentials from the shared files', () => {
  let home: string;
  let endpoint: Awaited<ReturnType<typeof recordingEndpoint>>;

  beforeAll(async () => {
    home = tempDir('hotspare-creds-');
    endpoint = await recordingEndpoint();
    mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
    writeFileSync(
      join(home, '.aws', 'config'),
      [
        '[profile ops]',
        'region = eu-west-2',
        `endpoint_url = ${endpoint.url}`,
        'aws_access_key_id = AKIDOPS',
        'aws_secret_access_key = secret',
        '',
        '[profile sso-dev]',
        'sso_session = corp',
        'sso_account_id = 123456789012',
        'sso_role_name = Admin',
        '',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = us-east-1',
        '',
        '[profile sso-new]',
        'sso_start_url = https://new.awsapps.com/start',
        'sso_region = us-east-1',
        'sso_account_id = 123456789012',
        'sso_role_name = Admin',
      ].join('\n'),
    );
    writeFileSync(
      join(home, '.aws', 'sso', 'cache', `${sha1('corp')}.json`),
      JSON.stringify({
        startUrl: 'https://corp.awsapps.com/start',
        region: 'us-east-1',
        accessToken: 'old',
        expiresAt: '2020-01-01T00:00:00Z',
      }),
    );
  });

  afterAll(() => new Promise<void>((resolve) => endpoint.server.close(() => resolve())));

  const env = (extra: Record<string, string> = {}) => cleanEnv(home, extra);

  it('a profile that does not exist: its own message, the profiles there, and how to create it', async () => {
    const r = await hotspareIn({ env: env() }, 'status', RUNBOOK, '--profile', 'opz');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `hotspare: The AWS profile "opz" is not in ${join(home, '.aws', 'config')} or ${join(home, '.aws', 'credentials')}.`,
    );
    expect(r.stderr).toContain('Did you mean `--profile ops`?');
    expect(r.stderr).toContain('`aws configure sso --profile opz`');
    expect(endpoint.seen).toHaveLength(0);
  });

  it('AWS_PROFILE naming a missing profile is the same error', async () => {
    const r = await hotspareIn({ env: env({ AWS_PROFILE: 'nope' }) }, 'status', RUNBOOK, '--json');
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'ProfileNotFound' }, exitCode: 2 });
  });

  it('an SSO profile whose session expired: the exact aws sso login command', async () => {
    const r = await hotspareIn({ env: env() }, 'status', RUNBOOK, '--profile', 'sso-dev');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'hotspare: The SSO session of the AWS profile "sso-dev" expired at 2020-01-01T00:00:00.000Z.',
    );
    expect(r.stderr).toContain('next: Sign in again with `aws sso login --profile sso-dev`');
  });

  it('an SSO profile never signed in on this machine', async () => {
    const r = await hotspareIn({ env: env() }, 'plan', RUNBOOK, '--profile', 'sso-new');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'The AWS profile "sso-new" signs in with SSO, and there is no SSO session for it on this machine.',
    );
    expect(r.stderr).toContain('`aws sso login --profile sso-new`');
  });

  it('no credentials at all: its own message with the commands that sign in', async () => {
    const bare = tempDir('hotspare-nocreds-');
    const r = await hotspareIn({ env: cleanEnv(bare) }, 'status', RUNBOOK);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('hotspare: No AWS credentials were found.');
    expect(r.stderr).toContain('`aws configure sso`');
  });

  it('no credentials but profiles exist: names one', async () => {
    const r = await hotspareIn({ env: env() }, 'status', RUNBOOK);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('No AWS credentials were found.');
    expect(r.stderr).toContain('`--profile ops`');
  });

  it("--profile takes the profile's endpoint_url, as AWS_PROFILE does; the runbook's region signs the requests", async () => {
    for (const how of [['--profile', 'ops'], []]) {
      endpoint.seen.length = 0;
      const r = await hotspareIn(
        { env: env(how.length === 0 ? { AWS_PROFILE: 'ops' } : {}) },
        'status',
        RUNBOOK,
        ...how,
      );
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain('recorded by the test');
      expect(endpoint.seen.length).toBeGreaterThan(0);
      expect(signedRegion(endpoint.seen[0]!.headers)).toBe('us-east-1');
      expect(String(endpoint.seen[0]!.headers['authorization'])).toContain('Credential=AKIDOPS/');
    }
  });

  it('the region sources that disagree are shown: the header line of a headless run names them', async () => {
    const r = await hotspareIn(
      { env: env({ AWS_REGION: 'eu-west-1' }) },
      'failover',
      RUNBOOK,
      '--profile',
      'ops',
      '--dry-run',
      '--headless',
    );
    expect(r.stdout).toContain(
      'warn: Region us-east-1 (runbook; AWS_REGION eu-west-1, profile ops eu-west-2 not used).',
    );
  });

  it('--region wins over the runbook', async () => {
    endpoint.seen.length = 0;
    const r = await hotspareIn({ env: env() }, 'status', RUNBOOK, '--profile', 'ops', '--region', 'ap-south-1');
    expect(r.status).toBe(1);
    expect(signedRegion(endpoint.seen[0]!.headers)).toBe('ap-south-1');
  });

  it("without a runbook (site publish) the profile's region is used, as the AWS CLI does", async () => {
    endpoint.seen.length = 0;
    const dir = tempDir('hotspare-site-');
    writeFileSync(join(dir, 'index.html'), '<h1>hi</h1>');
    const r = await hotspareIn({ env: env() }, 'site', 'publish', dir, '--bucket', 'b', '--profile', 'ops');
    expect(r.status).not.toBe(0);
    expect(endpoint.seen.length).toBeGreaterThan(0);
    expect(signedRegion(endpoint.seen[0]!.headers)).toBe('eu-west-2');
  });
});
