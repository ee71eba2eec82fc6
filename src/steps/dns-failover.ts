import { sameDnsRecord } from '../domain/dns-name.js';
import { ExternalError, UsageError } from '../domain/errors.js';
import { notFound } from '../domain/failures.js';
import type { DnsRecord } from '../ports/index.js';
import { parseFailoverValue } from '../runbook/formats.js';
import type { Runbook, StepSpecOf } from '../runbook/schema.js';
import { pollUntil } from './poll.js';
import type { ApiCall, Json, StepOutputs } from '../domain/types.js';
import type { StepContext, StepDefinition } from './types.js';
import { dnsFailoverJournal } from './dns-failover.journal.js';
import { stateOf } from './journal-contract.js';

type Spec = StepSpecOf<'dns-failover'>;

function dnsOf(runbook: Runbook): NonNullable<Runbook['dns']> {
  if (runbook.dns === undefined)
    throw new UsageError('dns-failover needs a dns section in the runbook.', { code: 'NoDnsSection' });
  return runbook.dns;
}

/** The record that points the name at the static site: a CNAME, an alias (`alias:ZONE:dns-name`) or addresses. */
export function failoverRecord(runbook: Runbook): DnsRecord {
  const dns = dnsOf(runbook);
  const value = parseFailoverValue(dns.failoverValue);
  if (value.kind === 'alias')
    return {
      name: dns.recordName,
      type: dns.type,
      aliasTarget: { hostedZoneId: value.hostedZoneId, dnsName: value.dnsName, evaluateTargetHealth: false },
    };
  if (value.kind === 'values') return { name: dns.recordName, type: dns.type, ttl: dns.ttl, values: value.values };
  throw new UsageError(`dns.failoverValue: expected ${value.expected}.`, { code: 'InvalidRunbook' });
}

/** A record in the Route 53 API's own shape, as the call will send it. */
export function apiRecordSet(record: DnsRecord): Json {
  return {
    Name: record.name,
    Type: record.type,
    SetIdentifier: record.setIdentifier,
    TTL: record.aliasTarget === undefined ? record.ttl : undefined,
    ResourceRecords: record.values?.map((Value) => ({ Value })),
    AliasTarget: record.aliasTarget && {
      HostedZoneId: record.aliasTarget.hostedZoneId,
      DNSName: record.aliasTarget.dnsName,
      EvaluateTargetHealth: record.aliasTarget.evaluateTargetHealth,
    },
    HealthCheckId: record.healthCheckId,
  };
}

function changeCall(zone: string, action: 'UPSERT' | 'DELETE', record: DnsRecord | string): ApiCall {
  return {
    service: 'route53',
    operation: 'ChangeResourceRecordSets',
    params: {
      HostedZoneId: zone,
      Changes: [{ Action: action, ResourceRecordSet: typeof record === 'string' ? record : apiRecordSet(record) }],
    },
  };
}

async function waitInSync(ctx: StepContext, changeId: string): Promise<void> {
  await pollUntil(ctx, {
    what: `Route 53 change ${changeId} to be INSYNC`,
    read: () => ctx.ports.dns.getChange(changeId),
    check: (status) => (status === 'INSYNC' ? true : `change ${changeId}: ${status}`),
    timeoutMs: ctx.healthyTimeoutMs,
  });
}

function changedSince(name: string, current: DnsRecord | undefined): ExternalError {
  const now =
    current === undefined
      ? 'it no longer exists'
      : `it now answers ${JSON.stringify(current.values ?? current.aliasTarget ?? null)}`;
  return new ExternalError(`The record ${name} changed since the failover (${now}): rollback leaves it alone.`, {
    code: 'ChangedSinceFailover',
    nextSteps:
      'Someone else changed it. Decide what it should be, set it by hand, then run the rollback again (or `hotspare abandon RUNBOOK`).',
  });
}

function deleteRecord(ctx: StepContext, zone: string, record: DnsRecord) {
  return ctx.mutate(changeCall(zone, 'DELETE', record), () => ctx.ports.dns.deleteRecord(zone, record));
}

export const dnsFailover: StepDefinition<Spec> = {
  type: 'dns-failover',
  journal: dnsFailoverJournal,
  mutating: true,
  title: (_s, ctx) => `Point ${dnsOf(ctx.runbook).recordName} at the static site (${dnsOf(ctx.runbook).failoverValue})`,
  describe: (_s, ctx) => {
    const dns = dnsOf(ctx.runbook);
    return [
      {
        service: 'route53',
        operation: 'ListResourceRecordSets',
        params: { HostedZoneId: dns.hostedZoneId, StartRecordName: dns.recordName, StartRecordType: dns.type },
        note: 'journal the current record for undo',
      },
      changeCall(dns.hostedZoneId, 'UPSERT', failoverRecord(ctx.runbook)),
      {
        service: 'route53',
        operation: 'GetChange',
        params: { Id: '<change id>' },
        note: 'every few seconds until INSYNC',
      },
    ];
  },
  describeUndo: (_s, ctx) => [changeCall(dnsOf(ctx.runbook).hostedZoneId, 'UPSERT', '<the journaled previous record>')],
  preflight: (ctx) => {
    const dns = dnsOf(ctx.runbook);
    return [
      {
        name: 'hosted zone and record',
        run: async () => {
          if (!(await ctx.ports.dns.hasHostedZone(dns.hostedZoneId))) throw notFound('Hosted Zone', dns.hostedZoneId);
          const record = await ctx.ports.dns.getRecord(dns.hostedZoneId, dns.recordName, dns.type);
          return record === undefined
            ? `${dns.recordName} ${dns.type} does not exist yet (rollback deletes it)`
            : `${dns.recordName} ${dns.type} exists`;
        },
      },
    ];
  },
  async run(ctx) {
    const dns = dnsOf(ctx.runbook);
    const record = failoverRecord(ctx.runbook);
    const previous = await ctx.read(() => ctx.ports.dns.getRecord(dns.hostedZoneId, dns.recordName, dns.type));
    if (previous?.ttl !== undefined && previous.ttl > 60) {
      ctx.progress(`resolvers may keep the old answer for up to ${previous.ttl} s (the current record's TTL)`);
    }
    // The record as it is: the compensation state. The engine keeps the first attempt's, so a retry
    // that reads the static site already in place never replaces it.
    const change = await ctx.mutate(
      changeCall(dns.hostedZoneId, 'UPSERT', record),
      () => ctx.ports.dns.upsertRecord(dns.hostedZoneId, record),
      {
        before: { hostedZoneId: dns.hostedZoneId, previous: (previous ?? null) as unknown as Json },
        outputs: (c) => ({ changeId: c.changeId }),
      },
    );
    await waitInSync(ctx, change.changeId);
    return { hostedZoneId: dns.hostedZoneId, record: record as unknown as Json, changeId: change.changeId };
  },
  async verify(ctx) {
    const dns = dnsOf(ctx.runbook);
    const current = await ctx.ports.dns.getRecord(dns.hostedZoneId, dns.recordName, dns.type);
    const ok = sameDnsRecord(current, failoverRecord(ctx.runbook));
    return {
      holds: ok,
      detail: `${dns.recordName} ${dns.type} -> ${JSON.stringify(current?.values ?? current?.aliasTarget ?? null)}`,
    };
  },
  /**
   * Writes the journaled record back (or deletes ours when there was none), after reading the record:
   * already restored is done; a record that is neither ours nor the original (someone changed it
   * since) is left alone and reported.
   */
  async undo(ctx, outputs: StepOutputs) {
    const dns = dnsOf(ctx.runbook);
    const state = stateOf(dnsFailoverJournal, outputs);
    const zone = state.hostedZoneId ?? dns.hostedZoneId;
    if (state.previous === undefined) return 'the record was not changed';
    const previous: DnsRecord | undefined = state.previous ?? undefined;
    const ours: DnsRecord = state.record ?? failoverRecord(ctx.runbook);
    const current = await ctx.read(() => ctx.ports.dns.getRecord(zone, dns.recordName, dns.type));
    if (sameDnsRecord(current, previous)) return 'the record already has its original answer';
    if (!sameDnsRecord(current, ours)) throw changedSince(dns.recordName, current);
    const change = previous
      ? await ctx.mutate(changeCall(zone, 'UPSERT', previous), () => ctx.ports.dns.upsertRecord(zone, previous))
      : await deleteRecord(ctx, zone, ours);
    await waitInSync(ctx, change.changeId);
    return undefined;
  },
};
