/**
 * A DNS name as Route 53 compares it (and as IAM's `route53:ChangeResourceRecordSetsNormalizedRecordNames`
 * expects it): octal escapes such as `\052` decoded, lower-case, no trailing dot.
 */
export function normalizeDnsName(name: string): string {
  const decoded = name.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return decoded.toLowerCase().replace(/\.$/, '');
}

/** A hosted zone id without the `/hostedzone/` prefix the API sometimes adds. */
export function bareHostedZoneId(id: string): string {
  return id.replace(/^\/hostedzone\//, '');
}
