/**
 * Armed failover (issue 23): a Route 53 health check on the live site, read and written through
 * this port. Types only.
 */

/** What the health check probes: the live site's host, with a marker only the live site carries. */
export interface SiteHealthCheckSpec {
  /** The host the checkers resolve and ask for (the site's public name). */
  readonly host: string;
  readonly protocol: 'HTTP' | 'HTTPS';
  readonly port: number;
  /** The path asked for, with its query. */
  readonly path: string;
  /** Text the response's first 5,120 bytes must contain (a string-match check). */
  readonly searchString: string;
  readonly intervalSeconds: 10 | 30;
  readonly failureThreshold: number;
}

/** One health check as Route 53 has it. */
export interface SiteHealthCheck {
  readonly id: string;
  readonly callerReference: string;
  readonly spec: SiteHealthCheckSpec;
}

/** The health check's status as Route 53's checkers report it. */
export interface HealthCheckReport {
  /** Route 53 calls it healthy while more than 18% of its checkers report healthy. */
  readonly healthy: boolean;
  /** How many checkers reported. */
  readonly checkers: number;
  /** How many of them report it unhealthy (disagree with a healthy verdict, or agree with an unhealthy one). */
  readonly failing: number;
  /** The first failing checker's report, e.g. `Failure: ... did not contain the specified string`. */
  readonly sample?: string | undefined;
}

export interface HealthChecks {
  /** The health check created with this caller reference, or undefined (a retry finds its own first). */
  find(callerReference: string): Promise<SiteHealthCheck | undefined>;
  /**
   * CreateHealthCheck (never retried by the SDK). The caller reference makes a second identical
   * request return the same health check on AWS; call `find` first anyway.
   */
  create(
    callerReference: string,
    spec: SiteHealthCheckSpec,
  ): Promise<SiteHealthCheck & { readonly requestId?: string | undefined }>;
  /** GetHealthCheck, then DeleteHealthCheck; false when it was already gone. */
  delete(id: string): Promise<boolean>;
  /** GetHealthCheckStatus, summed up. */
  status(id: string): Promise<HealthCheckReport>;
}

/** One change of a batch sent to Route 53 at once (all or nothing). */
export interface RecordChange {
  readonly action: 'CREATE' | 'DELETE';
  readonly record: import('./index.js').DnsRecord;
}

/** The record sets of one name and type, failover pairs included, and batched changes to them. */
export interface ArmedRecords {
  /** Every record set with exactly this name and type (a failover pair is two). */
  list(hostedZoneId: string, name: string, type: string): Promise<readonly import('./index.js').DnsRecord[]>;
  /** ChangeResourceRecordSets with these changes in one batch (never retried by the SDK). */
  change(hostedZoneId: string, changes: readonly RecordChange[]): Promise<import('./index.js').DnsChange>;
}
