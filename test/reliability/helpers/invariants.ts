import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeListenersCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { readJournal } from '../../../src/engine/journal.js';
import { summarize, type RunSummary } from '../../../src/engine/run-summary.js';
import type { Ports } from '../../../src/ports/index.js';
import type { Runbook } from '../../../src/runbook/schema.js';
import type { Fixture, FixtureClients } from '../../aws/fixture.js';

/** EC2 states of an instance that still exists (and costs money, and may still be registered). */
const ALIVE = new Set(['pending', 'running', 'stopping', 'stopped']);
/** A registered target the load balancer sends to, or will once its first check passes. */
const SERVING = new Set(['healthy', 'initial']);

/** What the invariants read from an account: moto through the SDK, or the sandbox through its ports. */
export interface AccountView {
  /** Every target registered in the site's target group, draining ones included. */
  targets(): Promise<readonly { readonly id: string; readonly state: string }[]>;
  /** Instances tagged `hotspare:run` that are alive, with their run id. */
  runInstances(): Promise<readonly { readonly id: string; readonly runId: string }[]>;
  listenerActions(): Promise<unknown>;
  dnsRecord(): Promise<unknown>;
}

/** The account before any trial touched it. */
export interface Original {
  readonly webIds: readonly string[];
  readonly listener: unknown;
  readonly record: unknown;
}

export async function snapshotOriginal(view: AccountView, webIds: readonly string[]): Promise<Original> {
  return { webIds: [...webIds].sort(), listener: await view.listenerActions(), record: await view.dnsRecord() };
}

/**
 * Every journal in `dir` parses (`readJournal`) and folds into a run; returns the runs, newest last,
 * and the problems found.
 */
export function journalsIn(dir: string): { runs: RunSummary[]; problems: string[] } {
  const runs: RunSummary[] = [];
  const problems: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.jsonl'))
      .sort();
  } catch {
    return { runs, problems };
  }
  for (const name of names) {
    try {
      const read = readJournal(join(dir, name));
      if (read.tornBytes > 0)
        problems.push(`${name}: a torn last line (${read.tornBytes} bytes) after a kill between fsyncs`);
      runs.push(summarize(read.records));
    } catch (error) {
      problems.push(`${name} does not parse: ${(error as Error).message}`);
    }
  }
  return { runs, problems };
}

/** The sequence number of the latest run's last record (0 when there is none). */
export function lastSeq(dir: string): number {
  let names: string[] = [];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.jsonl'))
      .sort();
  } catch {
    return 0;
  }
  const latest = names.at(-1);
  return latest === undefined ? 0 : (readJournal(join(dir, latest)).records.at(-1)?.seq ?? 0);
}

/** At most one live instance per run (a second one is a double launch). */
export async function doubleLaunches(view: AccountView): Promise<string[]> {
  const byRun = new Map<string, string[]>();
  for (const i of await view.runInstances()) byRun.set(i.runId, [...(byRun.get(i.runId) ?? []), i.id]);
  return [...byRun]
    .filter(([, ids]) => ids.length > 1)
    .map(([runId, ids]) => `run ${runId} has ${ids.length} live instances: ${ids.join(', ')}`);
}

/**
 * How the account differs from its original state: a web target not registered (or neither
 * healthy nor initial), any other target still serving, a live instance of any run, a listener or
 * DNS record that is not byte for byte the original. Empty when the account is as it was.
 */
export async function differencesFromOriginal(view: AccountView, original: Original): Promise<string[]> {
  const problems: string[] = [];
  const targets = await view.targets();
  for (const id of original.webIds) {
    const t = targets.find((x) => x.id === id);
    if (t === undefined) problems.push(`web target ${id} is not registered`);
    else if (!SERVING.has(t.state)) problems.push(`web target ${id} is ${t.state}`);
  }
  for (const t of targets) {
    if (!original.webIds.includes(t.id) && t.state !== 'draining')
      problems.push(`target ${t.id} (not a web server) is still ${t.state}`);
  }
  for (const i of await view.runInstances()) problems.push(`instance ${i.id} of run ${i.runId} is alive`);
  const listener = await view.listenerActions();
  if (JSON.stringify(listener) !== JSON.stringify(original.listener))
    problems.push(`listener actions changed: ${JSON.stringify(listener)}`);
  const record = await view.dnsRecord();
  if (JSON.stringify(record) !== JSON.stringify(original.record))
    problems.push(`DNS record changed: ${JSON.stringify(record)}`);
  return problems;
}

/**
 * How the account differs from a finished failover of the redirect-instance runbook: exactly one
 * live instance of a run, registered and serving, and no web target serving. Empty when it holds.
 */
export async function failedOverProblems(view: AccountView, original: Original): Promise<string[]> {
  const problems: string[] = [];
  const targets = await view.targets();
  const instances = await view.runInstances();
  if (instances.length !== 1)
    problems.push(`${instances.length} live redirect instances (${instances.map((i) => i.id).join(', ')}), not 1`);
  for (const i of instances) {
    const t = targets.find((x) => x.id === i.id);
    if (t === undefined || !SERVING.has(t.state))
      problems.push(`redirect instance ${i.id} is ${t?.state ?? 'not registered'}`);
  }
  for (const id of original.webIds) {
    const t = targets.find((x) => x.id === id);
    if (t !== undefined && t.state !== 'draining') problems.push(`web target ${id} is still ${t.state}`);
  }
  return problems;
}

/** moto, read with the SDK directly (not through hotspare's adapters). */
export function motoView(clients: FixtureClients, fixture: Fixture): AccountView {
  return {
    async targets() {
      const out = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: fixture.targetGroupArn }));
      return (out.TargetHealthDescriptions ?? []).map((d) => ({
        id: d.Target?.Id ?? '',
        state: d.TargetHealth?.State ?? 'unknown',
      }));
    },
    async runInstances() {
      const out = await clients.ec2.send(
        new DescribeInstancesCommand({ Filters: [{ Name: 'tag-key', Values: ['hotspare:run'] }] }),
      );
      return (out.Reservations ?? [])
        .flatMap((r) => r.Instances ?? [])
        .filter((i) => ALIVE.has(i.State?.Name ?? ''))
        .map((i) => ({ id: i.InstanceId ?? '', runId: i.Tags?.find((t) => t.Key === 'hotspare:run')?.Value ?? '' }));
    },
    async listenerActions() {
      const out = await clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [fixture.listenerArn] }));
      return out.Listeners?.[0]?.DefaultActions;
    },
    async dnsRecord() {
      const out = await clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: fixture.hostedZoneId }));
      return out.ResourceRecordSets?.find((r) => r.Name?.replace(/\.$/, '') === fixture.recordName);
    },
  };
}

/** The sandbox, read through its own ports (the ones the engine uses, not the dead ones of a killed session). */
export function sandboxView(ports: Ports, runbook: Runbook, targetGroupArn: string): AccountView {
  return {
    async targets() {
      return (await ports.lb.describeTargetHealth(targetGroupArn)).map((t) => ({ id: t.id, state: t.state }));
    },
    async runInstances() {
      const all = await ports.compute.describeInstances({ liveOnly: true });
      return all
        .filter((i) => i.tags['hotspare:run'] !== undefined && ALIVE.has(i.state))
        .map((i) => ({ id: i.id, runId: i.tags['hotspare:run'] ?? '' }));
    },
    async listenerActions() {
      return runbook.loadBalancer.listener === undefined
        ? undefined
        : (await ports.lb.describeListener(runbook.loadBalancer.listener)).defaultActions;
    },
    async dnsRecord() {
      const dns = runbook.dns;
      return dns === undefined ? undefined : ports.dns.getRecord(dns.hostedZoneId, dns.recordName, dns.type);
    },
  };
}
