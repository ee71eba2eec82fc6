import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ArmJournalEntry, type ArmPorts, planDisarm, readArmState } from '../../src/arm/arm.js';
import type { DnsRecord } from '../../src/ports/index.js';
import { parseRunbook } from '../../src/runbook/load.js';
import { runbookSchema } from '../../src/runbook/schema.js';

const base = parseRunbook(readFileSync('runbooks/dns-failover.yaml', 'utf8'), 'runbooks/dns-failover.yaml');
const runbook = runbookSchema.parse({
  ...base,
  site: { ...base.site, expectText: 'Add to basket' },
  armed: { healthCheck: {} },
});
const name = runbook.dns!.recordName;
const lbAlias: DnsRecord = {
  name,
  type: 'A',
  aliasTarget: {
    hostedZoneId: 'Z35SXDOTRQ7X7K',
    dnsName: 'shop-1.us-east-1.elb.amazonaws.com.',
    evaluateTargetHealth: false,
  },
};

function ports(records: readonly DnsRecord[], cname: readonly DnsRecord[] = []): ArmPorts {
  return {
    records: {
      list: async (_zone, _name, type) => (type === 'CNAME' ? cname : records),
      change: async () => {
        throw new Error('no change expected');
      },
    },
    healthChecks: {
      find: async () => undefined,
      create: async () => {
        throw new Error('no create expected');
      },
      delete: async () => false,
      status: async () => ({ healthy: true, checkers: 0, failing: 0 }),
    },
  };
}

describe('readArmState', () => {
  it('one alias record to a load balancer is unarmed; the failover pair with its health check is armed', async () => {
    expect(await readArmState(ports([lbAlias]), runbook)).toEqual({ kind: 'unarmed', original: lbAlias });
    const pair: DnsRecord[] = [
      { ...lbAlias, setIdentifier: 'hotspare-primary', failover: 'PRIMARY', healthCheckId: 'hc-1' },
      { ...lbAlias, setIdentifier: 'hotspare-secondary', failover: 'SECONDARY' },
    ];
    expect(await readArmState(ports(pair), runbook)).toMatchObject({ kind: 'armed', healthCheckId: 'hc-1' });
  });

  it('refuses, naming what it found: addresses, a weighted record of someone else, an alias elsewhere, nothing', async () => {
    const cases: [readonly DnsRecord[], string][] = [
      [[{ name, type: 'A', ttl: 300, values: ['192.0.2.10'] }], 'found A 192.0.2.10 (TTL 300)'],
      [
        [{ ...lbAlias, setIdentifier: 'blue', healthCheckId: 'x' }],
        'found A alias Z35SXDOTRQ7X7K:shop-1.us-east-1.elb.amazonaws.com (set blue)',
      ],
      [
        [
          {
            name,
            type: 'A',
            aliasTarget: { hostedZoneId: 'Z2FDTNDATAQYW2', dnsName: 'd1.cloudfront.net', evaluateTargetHealth: false },
          },
        ],
        'found A alias Z2FDTNDATAQYW2:d1.cloudfront.net',
      ],
      [[], 'found no record'],
    ];
    for (const [records, found] of cases) {
      await expect(readArmState(ports(records), runbook)).rejects.toMatchObject({ code: 'ArmUnexpectedRecord' });
      await expect(readArmState(ports(records), runbook)).rejects.toThrow(found);
    }
  });
});

describe('planDisarm', () => {
  it('an armed site without the journal of the record before is refused; with it, the pair is swapped back for it', async () => {
    const pair: DnsRecord[] = [
      { ...lbAlias, setIdentifier: 'hotspare-primary', failover: 'PRIMARY', healthCheckId: 'hc-1' },
      { ...lbAlias, setIdentifier: 'hotspare-secondary', failover: 'SECONDARY' },
    ];
    const state = await readArmState(ports(pair), runbook);
    const empty = { read: () => [], append: () => {} };
    expect(() => planDisarm(runbook, state, empty)).toThrow(expect.objectContaining({ code: 'ArmNoJournal' }));
    const entries: ArmJournalEntry[] = [{ event: 'arm-planned', original: [lbAlias], callerReference: 'r' }];
    const plan = planDisarm(runbook, state, { read: () => entries, append: () => {} });
    expect(plan.original).toEqual([lbAlias]);
    expect(plan.calls[1]).toBe('route53:DeleteHealthCheck hc-1');
  });
});
