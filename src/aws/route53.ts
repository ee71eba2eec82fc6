import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHealthCheckStatusCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type ChangeAction,
  type ResourceRecordSet,
  type RRType,
} from '@aws-sdk/client-route-53';
import type { ChangeStatus, Dns, DnsChange, DnsRecord } from '../ports/index.js';
import { normalizeDnsName } from './dns-name.js';
import { receiptOf } from './receipt.js';
import { awsErrorName, callAws, translateAwsError, type CallContext } from './errors.js';

/** One Route 53 checker's view of a health check. */
export interface HealthCheckObservation {
  readonly region?: string | undefined;
  readonly ipAddress?: string | undefined;
  /** The checker's status line, e.g. `Success: HTTP Status Code 200, OK`. */
  readonly status?: string | undefined;
}

/** The Dns port, plus Route 53 health-check status for the dashboard. */
export { normalizeDnsName };

export interface AwsDns extends Dns {
  getHealthCheckStatus(healthCheckId: string): Promise<readonly HealthCheckObservation[]>;
}

/**
 * The Dns port over Route 53. Changes are single-record batches; `upsertRecord` and `deleteRecord`
 * return the change id to poll with `getChange` until INSYNC.
 */
export function createDns(client: Route53Client, endpoint?: string): AwsDns {
  const ctx = (operation: string, resource?: string): CallContext => ({ service: 'route53', operation, resource, endpoint });

  const change = async (zoneId: string, action: ChangeAction, record: DnsRecord): Promise<DnsChange> => {
    const out = await callAws(ctx('ChangeResourceRecordSets', zoneId), () =>
      client.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: { Comment: 'hotspare', Changes: [{ Action: action, ResourceRecordSet: toRecordSet(record) }] },
        }),
      ),
    );
    const info = out.ChangeInfo;
    const result: DnsChange = {
      changeId: stripPrefix(info?.Id ?? '', '/change/'),
      status: info?.Status === 'INSYNC' ? 'INSYNC' : 'PENDING',
    };
    return { ...result, ...receiptOf(out) };
  };

  return {
    async getRecord(hostedZoneId, name, type) {
      const wanted = normalizeDnsName(name);
      const out = await callAws(ctx('ListResourceRecordSets', hostedZoneId), () =>
        client.send(
          new ListResourceRecordSetsCommand({
            HostedZoneId: hostedZoneId,
            StartRecordName: name,
            StartRecordType: type as RRType,
            MaxItems: 10,
          }),
        ),
      );
      const match = (out.ResourceRecordSets ?? []).find((r) => normalizeDnsName(r.Name ?? '') === wanted && r.Type === type);
      return match === undefined ? undefined : fromRecordSet(match);
    },

    upsertRecord: (hostedZoneId, record) => change(hostedZoneId, 'UPSERT', record),
    deleteRecord: (hostedZoneId, record) => change(hostedZoneId, 'DELETE', record),

    async getChange(changeId) {
      const out = await callAws(ctx('GetChange', changeId), () => client.send(new GetChangeCommand({ Id: changeId })));
      const status: ChangeStatus = out.ChangeInfo?.Status === 'INSYNC' ? 'INSYNC' : 'PENDING';
      return status;
    },

    async hasHostedZone(hostedZoneId) {
      try {
        await client.send(new GetHostedZoneCommand({ Id: hostedZoneId }));
        return true;
      } catch (error) {
        if (awsErrorName(error) === 'NoSuchHostedZone') return false;
        throw translateAwsError(error, ctx('GetHostedZone', hostedZoneId));
      }
    },

    async getHealthCheckStatus(healthCheckId) {
      const out = await callAws(ctx('GetHealthCheckStatus', healthCheckId), () =>
        client.send(new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId })),
      );
      return (out.HealthCheckObservations ?? []).map((o) => ({
        region: o.Region,
        ipAddress: o.IPAddress,
        status: o.StatusReport?.Status,
      }));
    },
  };
}

function stripPrefix(value: string, prefix: string): string {
  return value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

function toRecordSet(record: DnsRecord): ResourceRecordSet {
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
  };
}

function fromRecordSet(r: ResourceRecordSet): DnsRecord {
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
  };
}
