import type { HttpsFinding, SiteReadiness } from '../ports/site.js';

const DAY_MS = 86_400_000;

/** A finding in a few words, for the maintenance row (the event log and `plan` carry the whole message). */
function short(f: HttpsFinding): string {
  switch (f.code) {
    case 'maintenance-no-distribution':
      return 'no distribution';
    case 'maintenance-certificate':
      return f.message.includes('PENDING_VALIDATION') ? 'certificate pending' : 'certificate refused';
    case 'maintenance-certificate-expiring':
      return 'certificate expiring';
    case 'maintenance-distribution-deploying':
      return 'distribution InProgress';
    case 'maintenance-invalidation-pending':
      return 'invalidation InProgress';
    case 'maintenance-distribution-config':
      return 'host not on distribution';
    default:
      return f.code;
  }
}

/**
 * What the maintenance row says about HTTPS, when the readiness read it: the certificate's days
 * left and the distribution's state, or the first thing that keeps visitors from it. Pure.
 */
export function httpsBadge(
  site: SiteReadiness | undefined,
  now: number,
): { readonly text: string; readonly color: string } | undefined {
  const https = site?.https;
  if (https === undefined) return undefined;
  const dangers = https.findings.filter((f) => f.severity === 'danger');
  if (dangers.length > 0) return { text: `HTTPS ✗ ${[...new Set(dangers.map(short))].join(', ')}`, color: 'red' };
  const warnings = https.findings.map(short);
  const validTo = https.tls?.validTo === undefined ? NaN : Date.parse(https.tls.validTo);
  const parts = [
    Number.isNaN(validTo) ? undefined : `cert ${Math.floor((validTo - now) / DAY_MS)} d`,
    https.distribution === undefined ? undefined : https.distribution.status,
    ...warnings.filter((w) => !w.startsWith('distribution')),
  ].filter((p): p is string => p !== undefined);
  return {
    text: `HTTPS ${warnings.length > 0 ? '⚠' : '✓'} ${parts.join(', ')}`,
    color: warnings.length > 0 ? 'yellow' : 'green',
  };
}
