import { randomUUID } from 'node:crypto';
import type { ChangeStatus, Dns, DnsChange, DnsRecord } from '../ports/index.js';
import { bareHostedZoneId, normalizeDnsName } from '../domain/dns-name.js';
import { notFound } from '../domain/failures.js';
import { REALISTIC } from './timing.js';
import { randomHex, type World } from './world.js';

interface Change {
  status: ChangeStatus;
  /** What resolvers see once the change is INSYNC. */
  readonly apply: () => void;
}

/**
 * Route 53 in memory. A change is visible to the API at once and `PENDING` for the propagation
 * time (10 s ÷ speed), then `INSYNC`; resolvers (`resolve`) see it only from INSYNC on.
 */
export class SandboxDns implements Dns {
  readonly #world: World;
  /** zone -> key(name, type) -> record, as the API returns it. */
  readonly #zones = new Map<string, Map<string, DnsRecord>>();
  /** key(name, type) -> record, as resolvers see it. */
  readonly #published = new Map<string, DnsRecord>();
  readonly #changes = new Map<string, Change>();
  /** zone id -> its name (no trailing dot). */
  readonly #names = new Map<string, string>();

  constructor(world: World) {
    this.#world = world;
  }

  /** Creates a zone (or adds to one) with its records already published (the state before the simulation starts); `name` for zone look-ups by host. */
  addZone(hostedZoneId: string, records: readonly DnsRecord[], name?: string): void {
    if (name !== undefined) this.#names.set(bareHostedZoneId(hostedZoneId), normalizeDnsName(name));
    const zone = this.#zones.get(bareHostedZoneId(hostedZoneId)) ?? new Map<string, DnsRecord>();
    for (const record of records) {
      zone.set(keyOf(record.name, record.type), structuredClone(record));
      this.#published.set(keyOf(record.name, record.type), structuredClone(record));
    }
    this.#zones.set(bareHostedZoneId(hostedZoneId), zone);
  }

  async getRecord(hostedZoneId: string, name: string, type: string): Promise<DnsRecord | undefined> {
    const record = this.#zone(hostedZoneId).get(keyOf(name, type));
    return record === undefined ? undefined : structuredClone(record);
  }

  async upsertRecord(hostedZoneId: string, record: DnsRecord): Promise<DnsChange> {
    const zone = this.#zone(hostedZoneId);
    const key = keyOf(record.name, record.type);
    const copy = structuredClone(record);
    zone.set(key, copy);
    return this.#change(() => this.#published.set(key, copy));
  }

  async deleteRecord(hostedZoneId: string, record: DnsRecord): Promise<DnsChange> {
    const zone = this.#zone(hostedZoneId);
    const key = keyOf(record.name, record.type);
    if (!zone.has(key)) throw notFound('DNS record', `${normalizeDnsName(record.name)} ${record.type}`);
    zone.delete(key);
    return this.#change(() => this.#published.delete(key));
  }

  async getChange(changeId: string): Promise<ChangeStatus> {
    const change = this.#changes.get(bareChangeId(changeId));
    if (change === undefined) throw notFound('Change', changeId);
    return change.status;
  }

  async hasHostedZone(hostedZoneId: string): Promise<boolean> {
    return this.#zones.has(bareHostedZoneId(hostedZoneId));
  }

  /** The named zone that holds `host` (the longest matching name), or undefined. */
  zoneFor(host: string): { readonly id: string; readonly name: string } | undefined {
    const h = normalizeDnsName(host);
    const matches = [...this.#names].filter(([, n]) => h === n || h.endsWith(`.${n}`));
    const [id, name] = matches.sort((a, b) => b[1].length - a[1].length)[0] ?? [];
    return id === undefined || name === undefined ? undefined : { id, name };
  }

  /** What a resolver gets for `name` now (any type; the first match), or undefined (NXDOMAIN). */
  resolve(name: string, type?: string): DnsRecord | undefined {
    if (type !== undefined) return structuredClone(this.#published.get(keyOf(name, type)));
    const match = [...this.#published.values()].find((r) => normalizeDnsName(r.name) === normalizeDnsName(name));
    return match === undefined ? undefined : structuredClone(match);
  }

  #zone(hostedZoneId: string): Map<string, DnsRecord> {
    const zone = this.#zones.get(bareHostedZoneId(hostedZoneId));
    if (zone === undefined) throw notFound('Hosted Zone', hostedZoneId);
    return zone;
  }

  #change(apply: () => void): DnsChange {
    const changeId = `C${randomHex(20).toUpperCase()}`;
    const change: Change = { status: 'PENDING', apply };
    this.#changes.set(changeId, change);
    this.#world.timers.after(this.#world.timing.ms(REALISTIC.dnsPropagationSeconds), () => {
      change.status = 'INSYNC';
      change.apply();
    });
    return { changeId, status: 'PENDING', requestId: randomUUID() };
  }
}

function keyOf(name: string, type: string): string {
  return `${normalizeDnsName(name)} ${type.toUpperCase()}`;
}

function bareChangeId(id: string): string {
  return id.replace(/^\/change\//, '');
}
