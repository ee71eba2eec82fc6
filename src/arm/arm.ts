import { randomBytes } from 'node:crypto';
import { normalizeDnsName } from '../domain/dns-name.js';
import { RefusedError } from '../domain/errors.js';
import type { ArmedRecords, HealthChecks, RecordChange, SiteHealthCheck } from '../ports/armed.js';
import type { Distributions } from '../ports/edge.js';
import type { DnsRecord } from '../ports/index.js';
import { armedEstimateText, failoverPair, healthCheckSpec, PRIMARY_ID, SECONDARY_ID } from '../plan/armed.js';
import { parseFailoverValue } from '../runbook/formats.js';
import type { Runbook } from '../runbook/schema.js';

/**
 * `hotspare arm` / `hotspare disarm` (issue 23): read what Route 53 has for dns.recordName, plan,
 * and apply with every call journaled before and after it is sent. Arm replaces the single alias
 * record to the load balancer with hotspare's PRIMARY/SECONDARY pair (one change batch, all or
 * nothing) after creating the health check; disarm puts the record back exactly as the journal has
 * it and deletes the health check.
 */

export interface ArmPorts {
  readonly records: ArmedRecords;
  readonly healthChecks: HealthChecks;
  /** CloudFront, to check that an https:// site's secondary can serve HTTPS for its host. */
  readonly distributions?: Distributions | undefined;
}

/** One journal line (the command adds the time). */
export type ArmJournalEntry =
  | { readonly event: 'arm-planned'; readonly original: readonly DnsRecord[]; readonly callerReference: string }
  | { readonly event: 'before' | 'after'; readonly call: string; readonly params: unknown; readonly result?: unknown }
  | { readonly event: 'armed' | 'disarmed'; readonly healthCheckId?: string | undefined };

export interface ArmJournal {
  read(): readonly ArmJournalEntry[];
  append(entry: ArmJournalEntry): void;
}

type Armed = NonNullable<Runbook['armed']>;

export type ArmState =
  | { readonly kind: 'unarmed'; readonly original: DnsRecord }
  | { readonly kind: 'armed'; readonly pair: readonly DnsRecord[]; readonly healthCheckId: string };

function armedOf(runbook: Runbook): Armed {
  if (runbook.armed === undefined || runbook.dns === undefined)
    throw new RefusedError('The runbook has no armed section (and a dns section): nothing to arm.', {
      code: 'ArmUnexpectedRecord',
      nextSteps: 'Add an armed section to the runbook (see the README, "Armed failover").',
    });
  return runbook.armed;
}

const isLoadBalancerAlias = (r: DnsRecord): boolean =>
  r.aliasTarget !== undefined && /\.elb\.amazonaws\.com$/i.test(normalizeDnsName(r.aliasTarget.dnsName));

function describeRecord(r: DnsRecord): string {
  const role =
    r.setIdentifier === undefined
      ? ''
      : ` (set ${r.setIdentifier}${r.failover === undefined ? '' : `, ${r.failover}`})`;
  const value =
    r.aliasTarget !== undefined
      ? `alias ${r.aliasTarget.hostedZoneId}:${normalizeDnsName(r.aliasTarget.dnsName)}`
      : `${(r.values ?? []).join(', ')} (TTL ${r.ttl ?? '?'})`;
  return `${r.type} ${value}${role}`;
}

/** What Route 53 has now, or a refusal naming what was found. */
export async function readArmState(ports: ArmPorts, runbook: Runbook): Promise<ArmState> {
  armedOf(runbook);
  const dns = runbook.dns!;
  const type = dns.type === 'AAAA' ? 'AAAA' : 'A';
  const found = await ports.records.list(dns.hostedZoneId, dns.recordName, type);
  const ours = found.filter((r) => r.setIdentifier === PRIMARY_ID || r.setIdentifier === SECONDARY_ID);
  const primary = found.find((r) => r.setIdentifier === PRIMARY_ID && r.failover === 'PRIMARY');
  if (ours.length === 2 && found.length === 2 && primary?.healthCheckId !== undefined)
    return { kind: 'armed', pair: found, healthCheckId: primary.healthCheckId };
  const only = found[0];
  if (found.length === 1 && only !== undefined && only.setIdentifier === undefined && isLoadBalancerAlias(only))
    return { kind: 'unarmed', original: only };
  const others = found.length === 0 ? await ports.records.list(dns.hostedZoneId, dns.recordName, 'CNAME') : [];
  const what = [...found, ...others].map(describeRecord);
  throw new RefusedError(
    `${normalizeDnsName(dns.recordName)} in zone ${dns.hostedZoneId} is not what hotspare arm expects (one ${type} alias record to the load balancer, or hotspare's failover pair): found ${what.length === 0 ? 'no record' : what.join('; ')}. Nothing was changed.`,
    {
      code: 'ArmUnexpectedRecord',
      nextSteps: `Point ${normalizeDnsName(dns.recordName)} at the load balancer with a single ${type} alias record, or fix dns.recordName/dns.type in the runbook, then run hotspare arm again.`,
    },
  );
}

/** Refuses a secondary that cannot serve HTTPS for an https:// site's host. */
export async function checkSecondaryServesHttps(ports: ArmPorts, runbook: Runbook): Promise<string | undefined> {
  const armed = armedOf(runbook);
  const site = new URL(runbook.site.url);
  if (site.protocol !== 'https:') return undefined;
  const host = site.hostname.toLowerCase();
  const secondary = parseFailoverValue(armed.secondary ?? runbook.dns!.failoverValue);
  const refuse = (why: string): never => {
    throw new RefusedError(`The armed secondary cannot serve HTTPS for ${host}: ${why}. Nothing was changed.`, {
      code: 'ArmSecondaryCannotServeHttps',
      nextSteps:
        "Run `hotspare site provision RUNBOOK` (it puts the site's host on the maintenance distribution with a certificate for it), and point armed.secondary (or dns.failoverValue) at that distribution.",
    });
  };
  if (secondary.kind !== 'alias') return refuse('it is not an alias');
  if (secondary.hostedZoneId !== 'Z2FDTNDATAQYW2' || ports.distributions === undefined)
    return refuse(
      `it aliases ${secondary.dnsName}, which is not a CloudFront distribution (an S3 website endpoint serves HTTP only)`,
    );
  const wanted = normalizeDnsName(secondary.dnsName).toLowerCase();
  const all = await ports.distributions.listDistributions();
  const found = all.find((d) => normalizeDnsName(d.domainName).toLowerCase() === wanted);
  if (found === undefined) return refuse(`no CloudFront distribution in this account has the domain ${wanted}`);
  if (!found.aliases.includes(host))
    return refuse(`distribution ${found.id} (${found.domainName}) does not carry ${host} as an alternate domain name`);
  return `distribution ${found.id} (${found.domainName}) carries ${host}`;
}

export interface ArmPlan {
  readonly state: ArmState;
  readonly estimate: string;
  readonly healthCheck: ReturnType<typeof healthCheckSpec>;
  /** Empty when arming changes nothing. */
  readonly calls: readonly string[];
}

export function planArm(runbook: Runbook, state: ArmState): ArmPlan {
  const armed = armedOf(runbook);
  const spec = healthCheckSpec(runbook, armed);
  const dns = runbook.dns!;
  const calls =
    state.kind === 'armed'
      ? []
      : [
          `route53:CreateHealthCheck ${spec.protocol === 'HTTPS' ? 'HTTPS_STR_MATCH' : 'HTTP_STR_MATCH'} ${spec.protocol.toLowerCase()}://${spec.host}:${spec.port}${spec.path} contains "${spec.searchString}", every ${spec.intervalSeconds} s, ${spec.failureThreshold} failures`,
          `route53:ChangeResourceRecordSets ${dns.hostedZoneId} (one batch): DELETE ${describeRecord(state.original)}; CREATE PRIMARY alias to ${normalizeDnsName(state.original.aliasTarget!.dnsName)} (evaluate target health, the health check); CREATE SECONDARY alias to ${parseFailoverValue(armed.secondary ?? dns.failoverValue).kind === 'alias' ? (armed.secondary ?? dns.failoverValue) : '?'}`,
        ];
  return { state, estimate: armedEstimateText(spec), healthCheck: spec, calls };
}

/** The caller reference of an arm journaled but not finished (a rerun finds its health check), else a new one. */
function callerReferenceFor(journal: ArmJournal, runbook: Runbook): string {
  const entries = journal.read();
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.event === 'armed' || e.event === 'disarmed') break;
    if (e.event === 'arm-planned') return e.callerReference;
  }
  return `hotspare-${runbook.name}-${randomBytes(6).toString('hex')}`.slice(0, 64);
}

/** Arms: the health check (found first by its caller reference), then the pair in one batch. */
export async function applyArm(
  ports: ArmPorts,
  runbook: Runbook,
  plan: ArmPlan,
  journal: ArmJournal,
): Promise<{ readonly healthCheckId: string; readonly changeId?: string | undefined; readonly changed: boolean }> {
  const state = plan.state;
  if (state.kind === 'armed') return { healthCheckId: state.healthCheckId, changed: false };
  const armed = armedOf(runbook);
  const dns = runbook.dns!;
  const callerReference = callerReferenceFor(journal, runbook);
  journal.append({ event: 'arm-planned', original: [state.original], callerReference });
  let check: SiteHealthCheck | undefined = await ports.healthChecks.find(callerReference);
  if (check === undefined) {
    journal.append({ event: 'before', call: 'CreateHealthCheck', params: { callerReference, spec: plan.healthCheck } });
    check = await ports.healthChecks.create(callerReference, plan.healthCheck);
    journal.append({
      event: 'after',
      call: 'CreateHealthCheck',
      params: { callerReference },
      result: { id: check.id },
    });
  }
  const target = state.original.aliasTarget!;
  const [primary, secondary] = failoverPair(
    runbook,
    armed,
    { dnsName: target.dnsName, canonicalHostedZoneId: target.hostedZoneId },
    check.id,
  );
  const changes: RecordChange[] = [
    { action: 'DELETE', record: state.original },
    { action: 'CREATE', record: primary },
    { action: 'CREATE', record: secondary },
  ];
  journal.append({ event: 'before', call: 'ChangeResourceRecordSets', params: { zone: dns.hostedZoneId, changes } });
  const change = await ports.records.change(dns.hostedZoneId, changes);
  journal.append({
    event: 'after',
    call: 'ChangeResourceRecordSets',
    params: { zone: dns.hostedZoneId },
    result: change,
  });
  journal.append({ event: 'armed', healthCheckId: check.id });
  return { healthCheckId: check.id, changeId: change.changeId, changed: true };
}

/** The records as they were before the last arm changed them, from the journal. */
export function originalFromJournal(journal: ArmJournal): readonly DnsRecord[] | undefined {
  const entries = journal.read();
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.event === 'arm-planned') return e.original;
  }
  return undefined;
}

export interface DisarmPlan {
  readonly state: ArmState;
  /** A health check arm created that outlived its records (an interrupted arm or disarm, or records restored by hand). */
  readonly leftoverHealthCheckId?: string | undefined;
  readonly original?: readonly DnsRecord[] | undefined;
  readonly calls: readonly string[];
}

export function planDisarm(runbook: Runbook, state: ArmState, journal: ArmJournal): DisarmPlan {
  const dns = runbook.dns!;
  if (state.kind === 'unarmed') return { state, calls: [] };
  const original = originalFromJournal(journal);
  if (original === undefined)
    throw new RefusedError(
      `${normalizeDnsName(dns.recordName)} is armed, but there is no journal of the record as it was before (armed/${runbook.name}.jsonl in the state directory): hotspare cannot restore it exactly. Nothing was changed.`,
      {
        code: 'ArmNoJournal',
        nextSteps: `Restore the record by hand (delete the ${PRIMARY_ID}/${SECONDARY_ID} pair, recreate the record), then delete health check ${state.healthCheckId}; or pass --state-dir where the arm was journaled.`,
      },
    );
  return {
    state,
    original,
    calls: [
      `route53:ChangeResourceRecordSets ${dns.hostedZoneId} (one batch): ${[...state.pair.map((r) => `DELETE ${describeRecord(r)}`), ...original.map((r) => `CREATE ${describeRecord(r)}`)].join('; ')}`,
      `route53:DeleteHealthCheck ${state.healthCheckId}`,
    ],
  };
}

/**
 * With the records not armed: the health check of the last arm the journal has not seen disarmed,
 * if Route 53 still has it (found by its caller reference, so one created before an interruption
 * is found too).
 */
export async function leftoverHealthCheck(ports: ArmPorts, journal: ArmJournal): Promise<string | undefined> {
  const entries = journal.read();
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.event === 'disarmed') return undefined;
    if (e.event === 'arm-planned') return (await ports.healthChecks.find(e.callerReference))?.id;
  }
  return undefined;
}

/** The plan of a disarm that finds the records as they were but arm's health check still there. */
export function planLeftover(plan: DisarmPlan, id: string | undefined): DisarmPlan {
  if (id === undefined || plan.state.kind !== 'unarmed') return plan;
  return {
    ...plan,
    leftoverHealthCheckId: id,
    calls: [`route53:DeleteHealthCheck ${id} (arm's, left without its records)`],
  };
}

/** Disarms: the pair back to the journaled record in one batch, then the health check (read first). */
export async function applyDisarm(
  ports: ArmPorts,
  runbook: Runbook,
  plan: DisarmPlan,
  journal: ArmJournal,
): Promise<{ readonly changed: boolean; readonly healthCheckDeleted: boolean }> {
  if (plan.leftoverHealthCheckId !== undefined) {
    const id = plan.leftoverHealthCheckId;
    journal.append({ event: 'before', call: 'DeleteHealthCheck', params: { id } });
    const deleted = await ports.healthChecks.delete(id);
    journal.append({ event: 'after', call: 'DeleteHealthCheck', params: { id }, result: { deleted } });
    journal.append({ event: 'disarmed', healthCheckId: id });
    return { changed: deleted, healthCheckDeleted: deleted };
  }
  if (plan.state.kind !== 'armed' || plan.original === undefined) return { changed: false, healthCheckDeleted: false };
  const dns = runbook.dns!;
  const changes: RecordChange[] = [
    ...plan.state.pair.map((record) => ({ action: 'DELETE' as const, record })),
    ...plan.original.map((record) => ({ action: 'CREATE' as const, record })),
  ];
  journal.append({ event: 'before', call: 'ChangeResourceRecordSets', params: { zone: dns.hostedZoneId, changes } });
  const change = await ports.records.change(dns.hostedZoneId, changes);
  journal.append({
    event: 'after',
    call: 'ChangeResourceRecordSets',
    params: { zone: dns.hostedZoneId },
    result: change,
  });
  const id = plan.state.healthCheckId;
  journal.append({ event: 'before', call: 'DeleteHealthCheck', params: { id } });
  const deleted = await ports.healthChecks.delete(id);
  journal.append({ event: 'after', call: 'DeleteHealthCheck', params: { id }, result: { deleted } });
  journal.append({ event: 'disarmed', healthCheckId: id });
  return { changed: true, healthCheckDeleted: deleted };
}
