import type { RedirectConfig, SubnetNetwork } from '../ports/index.js';
import type { ImageOs } from './image.js';
import { reposOnS3 } from './image.js';

/** How an instance in a subnet could reach package repositories. */
export type WayOut =
  | { readonly kind: 'internet'; readonly via: string }
  | { readonly kind: 'nat'; readonly via: string }
  | { readonly kind: 's3-endpoint'; readonly via: string }
  | { readonly kind: 'other'; readonly via: string }
  | { readonly kind: 'none'; readonly why: string };

const IPV4_DEFAULT = '0.0.0.0/0';

/**
 * The subnet's way out, read from its route table: a default route to an internet gateway (only
 * with public IPs on launch: hotspare asks for none), to a NAT gateway, to something else (transit
 * gateway, peering, a NAT instance: assumed to lead out, said so), or an S3 gateway endpoint
 * (Amazon Linux's repositories are in S3). IPv6-only egress is not counted. Pure.
 */
export function wayOut(network: SubnetNetwork, region: string, os: ImageOs): WayOut {
  const active = network.routes.filter((r) => r.destination === IPV4_DEFAULT && (r.state ?? 'active') === 'active');
  const nat = active.find((r) => r.target.startsWith('nat-'));
  if (nat !== undefined) return { kind: 'nat', via: nat.target };
  const igw = active.find((r) => r.target.startsWith('igw-'));
  if (igw !== undefined && network.mapPublicIpOnLaunch)
    return { kind: 'internet', via: `${igw.target} with a public IP` };
  const other = active.find((r) => !r.target.startsWith('igw-') && r.target !== 'local');
  if (other !== undefined) return { kind: 'other', via: other.target };
  const s3 = network.gatewayEndpoints.find((e) => e === `com.amazonaws.${region}.s3` || e.endsWith(`.${region}.s3`));
  if (s3 !== undefined && reposOnS3(os)) return { kind: 's3-endpoint', via: `the S3 gateway endpoint (${s3})` };
  const table = network.routeTableId ?? 'its route table';
  if (igw !== undefined)
    return {
      kind: 'none',
      why: `${network.subnetId} routes 0.0.0.0/0 to ${igw.target}, but gives instances no public IP (MapPublicIpOnLaunch is off)`,
    };
  const endpointNote = s3 !== undefined ? ' (its S3 gateway endpoint serves only Amazon Linux repositories)' : '';
  return {
    kind: 'none',
    why: `${network.subnetId} has no route out: ${table} has no 0.0.0.0/0 route to a NAT or internet gateway${endpointNote}`,
  };
}

/** Whether the redirect server installs packages at boot (and so needs a way out). */
export function installsAtBoot(config: Pick<RedirectConfig, 'server' | 'preinstalled'>): boolean {
  return config.server !== 'builtin' && !config.preinstalled;
}

/** One line about the way out for preflight and plan. */
export function wayOutText(way: WayOut): string {
  switch (way.kind) {
    case 'internet':
      return `a way out through ${way.via}`;
    case 'nat':
      return `a way out through ${way.via}`;
    case 's3-endpoint':
      return `a way out to the package repositories through ${way.via}`;
    case 'other':
      return `a default route to ${way.via}, assumed to lead out (hotspare cannot see past it)`;
    case 'none':
      return way.why;
  }
}
