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
