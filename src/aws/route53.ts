import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  type Route53Client,
  type ChangeAction,
  type ResourceRecordSet,
  type RRType,
} from '@aws-sdk/client-route-53';
import type { ChangeStatus, Dns, DnsChange, DnsRecord } from '../ports/index.js';
import { normalizeDnsName } from '../domain/dns-name.js';
import { receiptOf } from './receipt.js';
import { awsErrorName, callAws, translateAwsError, type CallContext } from './errors.js';

type Call = <T>(operation: string, resource: string, send: () => Promise<T>) => Promise<T>;

/**
 * The Dns port over Route 53. Changes are single-record batches; `upsertRecord` and `deleteRecord`
 * return the change id to poll with `getChange` until INSYNC.
 */
export function createDns(client: Route53Client, endpoint?: string, writer: Route53Client = client): Dns {
  const ctx = (operation: string, resource: string): CallContext => ({
    service: 'route53',
    operation,
    resource,
    endpoint,
  });
  const call: Call = (operation, resource, send) => callAws(ctx(operation, resource), send);
  return {
    getRecord: (zoneId, name, type) => getRecord(client, call, zoneId, name, type),
    upsertRecord: (zoneId, record) => changeRecord(writer, call, zoneId, 'UPSERT', record),
    deleteRecord: (zoneId, record) => changeRecord(writer, call, zoneId, 'DELETE', record),
    getChange: async (changeId) => {
      const out = await call('GetChange', changeId, () => client.send(new GetChangeCommand({ Id: changeId })));
      return statusOf(out.ChangeInfo?.Status);
    },
    hasHostedZone: async (zoneId) => {
      try {
        await client.send(new GetHostedZoneCommand({ Id: zoneId }));
        return true;
      } catch (error) {
        if (awsErrorName(error) === 'NoSuchHostedZone') return false;
        throw translateAwsError(error, ctx('GetHostedZone', zoneId));
      }
    },
  };
}

function statusOf(status: string | undefined): ChangeStatus {
  return status === 'INSYNC' ? 'INSYNC' : 'PENDING';
}

async function getRecord(
  client: Route53Client,
  call: Call,
  zoneId: string,
  name: string,
  type: string,
): Promise<DnsRecord | undefined> {
  const wanted = normalizeDnsName(name);
  const input = { HostedZoneId: zoneId, StartRecordName: name, StartRecordType: type as RRType, MaxItems: 10 };
  const out = await call('ListResourceRecordSets', zoneId, () => client.send(new ListResourceRecordSetsCommand(input)));
  const match = (out.ResourceRecordSets ?? []).find(
    (r) => normalizeDnsName(r.Name ?? '') === wanted && r.Type === type,
  );
  return match === undefined ? undefined : fromRecordSet(match);
}

async function changeRecord(
  client: Route53Client,
  call: Call,
  zoneId: string,
  action: ChangeAction,
  record: DnsRecord,
): Promise<DnsChange> {
  const input = {
    HostedZoneId: zoneId,
    ChangeBatch: { Comment: 'hotspare', Changes: [{ Action: action, ResourceRecordSet: toRecordSet(record) }] },
  };
  const out = await call('ChangeResourceRecordSets', zoneId, () =>
    client.send(new ChangeResourceRecordSetsCommand(input)),
  );
  return {
    changeId: stripPrefix(out.ChangeInfo?.Id ?? '', '/change/'),
    status: statusOf(out.ChangeInfo?.Status),
    ...receiptOf(out),
  };
}

function stripPrefix(value: string, prefix: string): string {
  return value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

export function toRecordSet(record: DnsRecord): ResourceRecordSet {
  return {
    Name: record.name,
    Type: record.type as RRType,
    ...(record.ttl === undefined ? {} : { TTL: record.ttl }),
    ...(record.values === undefined ? {} : { ResourceRecords: record.values.map((Value) => ({ Value })) }),
    ...(record.aliasTarget === undefined
      ? {}
      : {
          AliasTarget: {
            HostedZoneId: record.aliasTarget.hostedZoneId,
            DNSName: record.aliasTarget.dnsName,
            EvaluateTargetHealth: record.aliasTarget.evaluateTargetHealth,
          },
        }),
    ...(record.setIdentifier === undefined ? {} : { SetIdentifier: record.setIdentifier }),
    ...(record.healthCheckId === undefined ? {} : { HealthCheckId: record.healthCheckId }),
    ...(record.failover === undefined ? {} : { Failover: record.failover }),
  };
}

export function fromRecordSet(r: ResourceRecordSet): DnsRecord {
  const alias = r.AliasTarget;
  return {
    name: normalizeDnsName(r.Name ?? ''),
    type: r.Type ?? '',
    ...(r.TTL === undefined ? {} : { ttl: r.TTL }),
    ...(r.ResourceRecords === undefined ? {} : { values: r.ResourceRecords.map((v) => v.Value ?? '') }),
    ...(alias === undefined
      ? {}
      : {
          aliasTarget: {
            hostedZoneId: alias.HostedZoneId ?? '',
            dnsName: alias.DNSName ?? '',
            evaluateTargetHealth: alias.EvaluateTargetHealth ?? false,
          },
        }),
    ...(r.SetIdentifier === undefined ? {} : { setIdentifier: r.SetIdentifier }),
    ...(r.HealthCheckId === undefined ? {} : { healthCheckId: r.HealthCheckId }),
    ...(r.Failover === undefined ? {} : { failover: r.Failover }),
  };
}
