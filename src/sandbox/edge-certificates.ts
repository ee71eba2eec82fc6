import { randomUUID } from 'node:crypto';
import { normalizeDnsName } from '../domain/dns-name.js';
import { notFound } from '../domain/failures.js';
import type {
  CertificateInfo,
  CertificateRequest,
  Certificates,
  CertificateStatus,
  CertificateSummary,
  ValidationRecord,
} from '../ports/edge.js';
import type { DnsRecord } from '../ports/index.js';
import { REALISTIC } from './timing.js';
import { randomHex, type World } from './world.js';

/** ACM's certificates last 395 days (13 months); they are renewed well before. */
const VALIDITY_DAYS = 395;
const DAY_MS = 86_400_000;

/** One certificate of the simulated ACM; its status is worked out from the clock and the sandbox's DNS when read. */
export interface SimCertificate {
  readonly arn: string;
  readonly domainName: string;
  readonly names: readonly string[];
  readonly tags: Record<string, string>;
  readonly requestedAt: number;
  /** One CNAME per name, known from `requestedAt + validationRecordsSeconds`. */
  readonly validation: readonly { readonly domainName: string; readonly name: string; readonly value: string }[];
  /** When every validation record was first seen resolving; ISSUED `certificateIssueSeconds` later. */
  validatedAt?: number | undefined;
  notBefore?: number | undefined;
  notAfter?: number | undefined;
  readonly inUseBy: string[];
}

/** What a resolver sees: the sandbox's published DNS. */
export type Resolve = (name: string, type: string) => DnsRecord | undefined;

/**
 * ACM in us-east-1, in memory, shaped like the real one: a requested certificate names its DNS
 * validation records a few seconds after the request, stays PENDING_VALIDATION until every record
 * resolves with its value in the sandbox's DNS, and is ISSUED `certificateIssueSeconds` (÷ speed)
 * after that, valid for 395 days. The same idempotency token gives the same certificate.
 */
export class SandboxCertificates implements Certificates {
  readonly #world: World;
  readonly #resolve: Resolve;
  readonly #certificates = new Map<string, SimCertificate>();
  readonly #tokens = new Map<string, string>();

  constructor(world: World, resolve: Resolve) {
    this.#world = world;
    this.#resolve = resolve;
  }

  async listCertificates(): Promise<readonly CertificateSummary[]> {
    this.#world.faults.describeCall('ListCertificates');
    return [...this.#certificates.values()]
      .filter((c) => ['PENDING_VALIDATION', 'ISSUED'].includes(this.statusOf(c)))
      .map((c) => ({ arn: c.arn, domainName: c.domainName, status: this.statusOf(c) }));
  }

  async describeCertificate(arn: string): Promise<CertificateInfo> {
    this.#world.faults.describeCall('DescribeCertificate');
    const c = this.get(arn);
    const status = this.statusOf(c);
    const known = Date.now() >= c.requestedAt + this.#world.timing.ms(REALISTIC.validationRecordsSeconds);
    const validation: ValidationRecord[] = known
      ? c.validation.map((v) => ({
          ...v,
          type: 'CNAME',
          status: status === 'ISSUED' ? 'SUCCESS' : 'PENDING_VALIDATION',
        }))
      : [];
    return {
      arn: c.arn,
      domainName: c.domainName,
      status,
      subjectAlternativeNames: [...c.names],
      ...(c.notAfter === undefined ? {} : { notAfter: new Date(c.notAfter).toISOString() }),
      validation,
      tags: { ...c.tags },
      inUseBy: [...c.inUseBy],
    };
  }

  async requestCertificate(request: CertificateRequest): Promise<{ requestId: string; arn: string }> {
    const known = this.#tokens.get(request.idempotencyToken);
    if (known !== undefined) return { requestId: randomUUID(), arn: known };
    const arn = `arn:aws:acm:us-east-1:${this.#world.ids.account}:certificate/${randomUUID()}`;
    const names = [...new Set([request.domainName, ...request.subjectAlternativeNames].map(normalizeDnsName))];
    this.#certificates.set(arn, {
      arn,
      domainName: normalizeDnsName(request.domainName),
      names,
      tags: { ...request.tags },
      requestedAt: Date.now(),
      validation: names.map((n) => ({
        domainName: n,
        name: `_${randomHex(32)}.${n}.`,
        value: `_${randomHex(32)}.${randomHex(10)}.acm-validations.aws.`,
      })),
      inUseBy: [],
    });
    this.#tokens.set(request.idempotencyToken, arn);
    return { requestId: randomUUID(), arn };
  }

  /** The certificate, or a NotFound error as ACM's ResourceNotFoundException is translated. */
  get(arn: string): SimCertificate {
    const c = this.#certificates.get(arn);
    if (c === undefined) throw notFound('ACM Certificate', arn);
    return c;
  }

  /** A certificate issued `issuedDaysAgo` days ago (the world before the drill); `validated: false` keeps it pending. */
  seed(domainName: string, tags: Record<string, string>, issuedDaysAgo: number, validated = true): SimCertificate {
    const now = Date.now();
    const at = now - issuedDaysAgo * DAY_MS;
    const name = normalizeDnsName(domainName);
    const arn = `arn:aws:acm:us-east-1:${this.#world.ids.account}:certificate/${randomUUID()}`;
    const cert: SimCertificate = {
      arn,
      domainName: name,
      names: [name],
      tags: { ...tags },
      requestedAt: at,
      validation: [
        { domainName: name, name: `_${randomHex(32)}.${name}.`, value: `_${randomHex(32)}.acm-validations.aws.` },
      ],
      ...(validated ? { validatedAt: at, notBefore: at, notAfter: at + VALIDITY_DAYS * DAY_MS } : {}),
      inUseBy: [],
    };
    this.#certificates.set(arn, cert);
    return cert;
  }

  /** PENDING_VALIDATION until every validation record resolves with its value, then ISSUED after the issue delay. */
  statusOf(c: SimCertificate): CertificateStatus {
    const now = Date.now();
    if (c.validatedAt === undefined && this.#validated(c)) c.validatedAt = now;
    if (c.validatedAt === undefined) return 'PENDING_VALIDATION';
    const issuedAt = c.validatedAt + this.#world.timing.ms(REALISTIC.certificateIssueSeconds);
    if (now < issuedAt && c.notAfter === undefined) return 'PENDING_VALIDATION';
    if (c.notAfter === undefined) {
      c.notBefore = issuedAt;
      c.notAfter = issuedAt + VALIDITY_DAYS * DAY_MS;
    }
    return now >= c.notAfter ? 'EXPIRED' : 'ISSUED';
  }

  #validated(c: SimCertificate): boolean {
    return c.validation.every((v) => {
      const record = this.#resolve(v.name, 'CNAME');
      return (record?.values ?? []).some((value) => normalizeDnsName(value) === normalizeDnsName(v.value));
    });
  }
}
