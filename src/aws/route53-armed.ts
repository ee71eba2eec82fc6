import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  type Route53Client,
  type RRType,
} from '@aws-sdk/client-route-53';
import { normalizeDnsName } from '../domain/dns-name.js';
import type { ArmedRecords } from '../ports/armed.js';
import { callAws, type CallContext } from './errors.js';
import { receiptOf } from './receipt.js';
import { fromRecordSet, toRecordSet } from './route53.js';

/** The ArmedRecords port over Route 53: every set of a name and type, and one-batch changes (sent once). */
export function createArmedRecords(
  client: Route53Client,
  endpoint?: string,
  writer: Route53Client = client,
): ArmedRecords {
  const ctx = (operation: string, resource: string): CallContext => ({
    service: 'route53',
    operation,
    resource,
    endpoint,
  });
  return {
    list: async (zoneId, name, type) => {
      const wanted = normalizeDnsName(name);
      const out = await callAws(ctx('ListResourceRecordSets', zoneId), () =>
        client.send(
          new ListResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            StartRecordName: name,
            StartRecordType: type as RRType,
            MaxItems: 100,
          }),
        ),
      );
      return (out.ResourceRecordSets ?? [])
        .filter((r) => normalizeDnsName(r.Name ?? '') === wanted && r.Type === type)
        .map(fromRecordSet);
    },
    change: async (zoneId, changes) => {
      const out = await callAws(ctx('ChangeResourceRecordSets', zoneId), () =>
        writer.send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            ChangeBatch: {
              Comment: 'hotspare arm',
              Changes: changes.map((c) => ({ Action: c.action, ResourceRecordSet: toRecordSet(c.record) })),
            },
          }),
        ),
      );
      const id = out.ChangeInfo?.Id ?? '';
      return {
        changeId: id.startsWith('/change/') ? id.slice('/change/'.length) : id,
        status: out.ChangeInfo?.Status === 'INSYNC' ? 'INSYNC' : 'PENDING',
        ...receiptOf(out),
      };
    },
  };
}
