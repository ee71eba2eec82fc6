import {
  ListHostedZonesByNameCommand,
  type Route53Client,
  type ListHostedZonesByNameCommandOutput,
} from '@aws-sdk/client-route-53';
import { bareHostedZoneId, normalizeDnsName } from '../domain/dns-name.js';
import type { HostedZoneRef, Zones } from '../ports/edge.js';
import { callAws } from './errors.js';

/** Zones at most this many pages of ListHostedZonesByName are read for one name. */
const MAX_PAGES = 10;

/**
 * The Zones port over Route 53: for a host name, the public hosted zone of this account whose name
 * is the longest suffix of it (`maintenance.shop.example.com` in `shop.example.com` rather than
 * `example.com`). ListHostedZonesByName lists zones in name order from the name asked, so each
 * candidate (the host, then each parent) is asked for directly.
 */
export function createZones(client: Route53Client, endpoint?: string): Zones {
  return {
    findZoneFor: async (host) => {
      const labels = normalizeDnsName(host).split('.');
      for (let i = 0; i < labels.length - 1; i++) {
        const candidate = labels.slice(i).join('.');
        const found = await zoneNamed(client, endpoint, candidate);
        if (found !== undefined) return found;
      }
      return undefined;
    },
  };
}

async function zoneNamed(
  client: Route53Client,
  endpoint: string | undefined,
  name: string,
): Promise<HostedZoneRef | undefined> {
  let start: string | undefined = name;
  let zoneId: string | undefined;
  for (let page = 0; page < MAX_PAGES && start !== undefined; page++) {
    const input = { DNSName: start, HostedZoneId: zoneId, MaxItems: 10 };
    const out: ListHostedZonesByNameCommandOutput = await callAws(
      { service: 'route53', operation: 'ListHostedZonesByName', resource: name, endpoint },
      () => client.send(new ListHostedZonesByNameCommand(input)),
    );
    for (const zone of out.HostedZones ?? []) {
      const zoneName = normalizeDnsName(zone.Name ?? '');
      // Listed in name order from `name`: past the zones of that name, there is none.
      if (zoneName !== name) return undefined;
      if (zone.Config?.PrivateZone !== true) return { id: bareHostedZoneId(zone.Id ?? ''), name: zoneName };
    }
    start = out.IsTruncated === true ? out.NextDNSName : undefined;
    zoneId = out.NextHostedZoneId;
  }
  return undefined;
}
