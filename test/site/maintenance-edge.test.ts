import { describe, expect, it } from 'vitest';
import type { Distributions, DistributionSummary, Edge } from '../../src/ports/edge.js';
import { readHttps } from '../../src/site/https-readiness.js';
import { findMaintenanceDistribution } from '../../src/site/maintenance-edge.js';

const HOST = 'maintenance.shop.test';
const MINE = { 'hotspare:site': 'shop', 'hotspare:managed-by': 'hotspare' };

function summary(id: string, aliases: string[]): DistributionSummary {
  return {
    id,
    arn: `arn:aws:cloudfront::123456789012:distribution/${id}`,
    domainName: `${id.toLowerCase()}.cloudfront.net`,
    status: 'Deployed',
    aliases,
    enabled: true,
  };
}

/** Only what finding reads: the list and the tags. */
function fake(list: { d: DistributionSummary; tags?: Record<string, string> }[]): Distributions {
  const fail = (): never => {
    throw new Error('not read when finding');
  };
  return {
    listDistributions: () => Promise.resolve(list.map((x) => x.d)),
    tagsOf: (arn) => Promise.resolve(list.find((x) => x.d.arn === arn)?.tags ?? {}),
    getDistribution: fail,
    createDistribution: fail,
    updateDistribution: fail,
    createInvalidation: fail,
    listInvalidations: fail,
    getInvalidation: fail,
  };
}

describe('findMaintenanceDistribution', () => {
  it('the one tagged for the runbook, before an untagged one that carries the host', async () => {
    const ports = fake([{ d: summary('EUNTAGGED1', [HOST]) }, { d: summary('ETAGGED111', [HOST]), tags: MINE }]);
    expect(await findMaintenanceDistribution(ports, { host: HOST, site: 'shop' })).toMatchObject({
      summary: { id: 'ETAGGED111' },
      by: 'tag',
      tagged: true,
    });
  });

  it('no tagged one: the untagged one carrying the host, to adopt; tags of another runbook do not count', async () => {
    const ports = fake([
      { d: summary('EOTHERSITE', ['other.shop.test']), tags: { ...MINE, 'hotspare:site': 'other' } },
      { d: summary('EUNTAGGED1', [HOST]) },
    ]);
    expect(await findMaintenanceDistribution(ports, { host: HOST, site: 'shop' })).toMatchObject({
      summary: { id: 'EUNTAGGED1' },
      by: 'alias',
      tagged: false,
    });
    expect(await findMaintenanceDistribution(ports, { host: 'nowhere.shop.test', site: 'shop' })).toBeUndefined();
  });

  it('an id in the runbook: that one, whatever its tags', async () => {
    const ports = fake([{ d: summary('ETAGGED111', [HOST]), tags: MINE }, { d: summary('EBYID11111', []) }]);
    expect(
      await findMaintenanceDistribution(ports, { host: HOST, site: 'shop', configured: 'EBYID11111' }),
    ).toMatchObject({ summary: { id: 'EBYID11111' }, by: 'id', tagged: false });
  });

  it('two tagged, or a tagged one without the host: refused, both named', async () => {
    const two = fake([
      { d: summary('ETAGGED111', [HOST]), tags: MINE },
      { d: summary('ETAGGED222', []), tags: MINE },
    ]);
    await expect(findMaintenanceDistribution(two, { host: HOST, site: 'shop' })).rejects.toMatchObject({
      code: 'MaintenanceEdgeConflict',
      kind: 'refused',
      message: expect.stringMatching(/ETAGGED111 .* and ETAGGED222 .*are both tagged hotspare:site=shop/),
    });
    const astray = fake([
      { d: summary('ETAGGED222', ['old.shop.test']), tags: MINE },
      { d: summary('EHOST11111', [HOST]) },
    ]);
    await expect(findMaintenanceDistribution(astray, { host: HOST, site: 'shop' })).rejects.toMatchObject({
      code: 'MaintenanceEdgeConflict',
      message: expect.stringMatching(/ETAGGED222 .*does not carry maintenance\.shop\.test; distribution EHOST11111/),
    });
  });

  it('readiness turns the conflict into a danger finding that names both', async () => {
    const edge = {
      distributions: fake([
        { d: summary('ETAGGED111', [HOST]), tags: MINE },
        { d: summary('ETAGGED222', []), tags: MINE },
      ]),
    } as unknown as Edge;
    const https = await readHttps(
      {
        url: `https://${HOST}/`,
        maxAgeHours: 24,
        samplePages: 0,
        edge: { host: HOST, distribution: 'managed', site: 'shop' },
      },
      { edge: () => Promise.resolve(edge), now: Date.now() },
    );
    expect(https?.findings).toEqual([
      expect.objectContaining({
        code: 'maintenance-distribution-config',
        severity: 'danger',
        message: expect.stringContaining('ETAGGED111'),
      }),
    ]);
    expect(https?.findings[0]?.message).toContain('ETAGGED222');
  });
});
