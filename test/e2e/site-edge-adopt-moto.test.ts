import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudFrontClient,
  CreateDistributionCommand,
  CreateDistributionWithTagsCommand,
  type DistributionConfig,
  GetDistributionCommand,
  ListDistributionsCommand,
  ListTagsForResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudfront';
import { CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, requireBuiltCli, type Ran } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';

/**
 * Issue 22: the managed distribution is found by hotspare's tags; an untagged one that carries the
 * maintenance host is adopted (shown, updated with its ETag, tagged); a rerun changes nothing; two
 * tagged candidates, or a tagged one without the host, are refused with both named. On moto, through
 * the built CLI.
 */

const HOST = 'maintenance.adopt.test';

function foreignConfig(reference: string, alias: string): DistributionConfig {
  return {
    CallerReference: reference,
    Comment: 'made by hand',
    Enabled: true,
    Aliases: { Quantity: 1, Items: [alias] },
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: 'old',
          DomainName: 'old-origin.example.net',
          CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'http-only' },
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: 'old',
      ViewerProtocolPolicy: 'allow-all',
      ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } },
      MinTTL: 0,
    },
    PriceClass: 'PriceClass_All',
  };
}

describe('site provision adopts and updates an existing distribution; managed means tagged (moto, built CLI)', () => {
  let moto: Moto;
  let dir: string;
  let runbook: string;
  let cloudfront: CloudFrontClient;
  let route53: Route53Client;
  let adoptedId = '';
  let adoptedArn = '';
  const hotspare = (...args: string[]): Promise<Ran> =>
    new Promise((resolve) =>
      execFile(
        process.execPath,
        [
          BIN,
          'site',
          'provision',
          runbook,
          '--endpoint-url',
          moto.endpoint,
          '--journal-dir',
          join(dir, 'state'),
          ...args,
        ],
        { encoding: 'utf8', env: motoChildEnv({ AWS_REGION: 'eu-west-1' }), timeout: 90_000 },
        (error, stdout, stderr) =>
          resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
      ),
    );
  const tagsOf = async (arn: string) =>
    (await cloudfront.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items ?? [];

  beforeAll(async () => {
    requireBuiltCli();
    useFakeAwsCredentials();
    process.env['MOTO_ACM_VALIDATION_WAIT'] = '1';
    moto = await startMoto();
    cloudfront = new CloudFrontClient({ region: 'us-east-1', endpoint: moto.endpoint });
    route53 = new Route53Client({ region: 'us-east-1', endpoint: moto.endpoint });
    await route53.send(new CreateHostedZoneCommand({ Name: 'adopt.test', CallerReference: 'adopt' }));
    const made = await cloudfront.send(
      new CreateDistributionCommand({ DistributionConfig: foreignConfig('by-hand', HOST) }),
    );
    adoptedId = made.Distribution?.Id ?? '';
    adoptedArn = made.Distribution?.ARN ?? '';
    dir = tempDir('hotspare-adopt-');
    runbook = join(dir, 'adopt.yaml');
    writeFileSync(
      runbook,
      `name: adopt
region: eu-west-1
site: { url: "https://www.adopt.test/" }
maintenance:
  url: https://${HOST}/
  expectText: Back soon
  bucket: ${HOST}
  cloudfront: { priceClass: PriceClass_200 }
loadBalancer: { targetGroup: adopt-tg }
webServers: { tags: { role: web } }
steps: [verify-maintenance]
`,
    );
  }, 60_000);
  afterAll(async () => {
    cloudfront?.destroy();
    route53?.destroy();
    await moto?.stop();
  });

  it('--dry-run: the untagged distribution carrying the host is adopted: every difference shown, the update and the tags planned', async () => {
    const r = await hotspare('--dry-run');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`distribution ${adoptedId}`);
    expect(r.stdout).toContain(`Update distribution ${adoptedId}`);
    expect(r.stdout).toContain(`change origin: old-origin.example.net -> ${HOST}.s3-website-eu-west-1.amazonaws.com`);
    expect(r.stdout).toContain('change certificate: CloudFront default (*.cloudfront.net) -> (the new certificate)');
    expect(r.stdout).toContain('change viewer protocol: allow-all -> redirect-to-https');
    expect(r.stdout).toContain('change default root object: none -> index.html');
    expect(r.stdout).toContain('change price class: PriceClass_All -> PriceClass_200');
    expect(r.stdout).toContain('change error pages: none -> 403->/index.html 404 (60 s), 404->/index.html 404 (60 s)');
    expect(r.stdout).toContain('will call: cloudfront UpdateDistribution');
    expect(r.stdout).toContain(`Tag distribution ${adoptedId} as the maintenance site's (adopted`);
    expect(r.stdout).not.toContain('Create a CloudFront distribution');
    expect(await tagsOf(adoptedArn)).toEqual([]);
  });

  it('--yes: updates it (certificate, HTTPS, origin, root object, error pages, price class) and tags it; no second distribution; journaled', async () => {
    const r = await hotspare('--yes', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { distributionId: string; certificateArn: string; journal: string };
    expect(out.distributionId).toBe(adoptedId);
    const c = (await cloudfront.send(new GetDistributionCommand({ Id: adoptedId }))).Distribution?.DistributionConfig;
    expect(c?.ViewerCertificate?.ACMCertificateArn).toBe(out.certificateArn);
    expect(c?.DefaultCacheBehavior?.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(c?.Origins?.Items?.map((o) => o.DomainName)).toEqual([`${HOST}.s3-website-eu-west-1.amazonaws.com`]);
    expect(c?.DefaultRootObject).toBe('index.html');
    expect(c?.PriceClass).toBe('PriceClass_200');
    expect(c?.Aliases?.Items).toEqual([HOST]);
    expect(c?.CustomErrorResponses?.Items?.map((e) => e.ErrorCode)).toEqual([403, 404]);
    expect(await tagsOf(adoptedArn)).toEqual(
      expect.arrayContaining([
        { Key: 'hotspare:site', Value: 'adopt' },
        { Key: 'hotspare:managed-by', Value: 'hotspare' },
      ]),
    );
    expect((await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items).toHaveLength(1);
    const journal = readFileSync(out.journal, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { phase: string; call: string });
    for (const call of [`cloudfront UpdateDistribution ${adoptedId}`, `cloudfront TagResource ${adoptedId}`])
      expect(journal.filter((e) => e.call === call).map((e) => e.phase)).toEqual(['sending', 'sent']);
  });

  it('a rerun finds it by its tags and changes nothing', async () => {
    const r = await hotspare('--yes');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Nothing to change: everything is in place.');
  });

  it('two distributions tagged for the runbook: refused (exit 3), both named, nothing changed', async () => {
    const second = await cloudfront.send(
      new CreateDistributionWithTagsCommand({
        DistributionConfigWithTags: {
          DistributionConfig: foreignConfig('second', 'other.adopt.test'),
          Tags: {
            Items: [
              { Key: 'hotspare:site', Value: 'adopt' },
              { Key: 'hotspare:managed-by', Value: 'hotspare' },
            ],
          },
        },
      }),
    );
    const secondId = second.Distribution?.Id ?? '';
    const r = await hotspare('--yes');
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(adoptedId);
    expect(r.stderr).toContain(secondId);
    expect(r.stderr).toContain('are both tagged hotspare:site=adopt');
    expect(r.stderr).toContain('maintenance.cloudfront.distribution: ID');

    // The right one untagged: the one left tagged does not carry the host, and is refused with the one that does.
    await cloudfront.send(
      new UntagResourceCommand({
        Resource: adoptedArn,
        TagKeys: { Items: ['hotspare:site', 'hotspare:managed-by'] },
      }),
    );
    const mismatch = await hotspare('--dry-run');
    expect(mismatch.status).toBe(3);
    expect(mismatch.stderr).toContain(`${secondId} (`);
    expect(mismatch.stderr).toContain(`is tagged hotspare:site=adopt but does not carry ${HOST}`);
    expect(mismatch.stderr).toContain(`distribution ${adoptedId} (`);
    const c = (await cloudfront.send(new GetDistributionCommand({ Id: secondId }))).Distribution?.DistributionConfig;
    expect(c?.Aliases?.Items).toEqual(['other.adopt.test']);
  });
});
