/**
 * The small string formats a runbook writes in one field, parsed here once: the runbook schema
 * refuses a malformed one (so `validate` names its file:line), and every user reads the parsed
 * form from these functions instead of slicing the string again. No zod: the AWS adapters and the
 * sandbox import this without the schema.
 */

const SSM = 'resolve:ssm:';

/** An image reference: an AMI id, or an SSM parameter EC2 resolves at launch (`resolve:ssm:NAME[:VERSION]`). */
export type ImageRef =
  | { readonly kind: 'ami'; readonly id: string }
  | { readonly kind: 'ssm'; readonly parameter: string; readonly name: string };

export function parseImageRef(ref: string): ImageRef {
  if (!ref.startsWith(SSM)) return { kind: 'ami', id: ref };
  const parameter = ref.slice(SSM.length);
  return { kind: 'ssm', parameter, name: parameter.replace(/:[^/:]+$/, '') };
}

/** `resolve:ssm:NAME[:VERSION]` -> NAME[:VERSION] as written; undefined for an AMI id. */
export function ssmParameterOf(ref: string): string | undefined {
  const image = parseImageRef(ref);
  return image.kind === 'ssm' ? image.parameter : undefined;
}

/** An SSM image reference for `parameter`. */
export function ssmImageRef(parameter: string): string {
  return `${SSM}${parameter}`;
}

/** What dns.failoverValue points the record at: an alias target, or values (a host name, addresses). */
export type FailoverValue =
  | { readonly kind: 'alias'; readonly hostedZoneId: string; readonly dnsName: string }
  | { readonly kind: 'values'; readonly values: readonly string[] };

const ALIAS = /^alias:([A-Z0-9]+):(.+)$/;

export const ALIAS_EXPECTED =
  'an alias like alias:Z2FDTNDATAQYW2:d111111abcdef8.cloudfront.net (alias:ZONE-ID:DNS-NAME, the zone id in capitals and digits)';

/** The failover value, or a problem (in the schema's words) when it is not one. */
export function parseFailoverValue(
  value: string,
): FailoverValue | { readonly kind: 'problem'; readonly expected: string } {
  if (value.startsWith('alias:')) {
    const alias = ALIAS.exec(value);
    return alias === null
      ? { kind: 'problem', expected: ALIAS_EXPECTED }
      : { kind: 'alias', hostedZoneId: alias[1]!, dnsName: alias[2]! };
  }
  const values = value.split(',').map((v) => v.trim());
  return values.some((v) => v === '')
    ? { kind: 'problem', expected: 'a host name, or addresses separated by commas (none empty)' }
    : { kind: 'values', values };
}

/** A source CIDR block as ALB's `source-ip` condition takes it: IPv4 or IPv6, with its prefix length. */
export type Cidr = { readonly kind: 'cidr'; readonly family: 4 | 6; readonly address: string; readonly prefix: number };

export const CIDR_EXPECTED = 'a CIDR block such as 203.0.113.0/24 or 2001:db8::/32';

/**
 * A CIDR block, or a problem (in the schema's words). An IPv4 block with host bits set
 * (203.0.113.7/24) is refused with the network address it probably meant.
 */
export function parseCidr(value: string): Cidr | { readonly kind: 'problem'; readonly expected: string } {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(value);
  if (match === null) return { kind: 'problem', expected: CIDR_EXPECTED };
  const address = match[1]!;
  const prefix = Number(match[2]);
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4 !== null) {
    const octets = v4.slice(1).map(Number);
    if (octets.some((o) => o > 255) || prefix > 32) return { kind: 'problem', expected: CIDR_EXPECTED };
    const bits = octets.reduce((n, o) => n * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    const network = bits - (bits % size);
    if (network !== bits) {
      const text = [24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.');
      return { kind: 'problem', expected: `the block's network address, ${text}/${prefix} (host bits are set)` };
    }
    return { kind: 'cidr', family: 4, address, prefix };
  }
  if (!/^[0-9A-Fa-f:.]+$/.test(address) || !address.includes(':') || prefix > 128 || !validIpv6(address))
    return { kind: 'problem', expected: CIDR_EXPECTED };
  return { kind: 'cidr', family: 6, address, prefix };
}

function validIpv6(address: string): boolean {
  try {
    return new URL(`http://[${address}]/`).hostname !== '';
  } catch {
    return false;
  }
}
