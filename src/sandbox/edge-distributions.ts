import { randomUUID } from 'node:crypto';
import { ExternalError } from '../domain/errors.js';
import { notFound } from '../domain/failures.js';
import type {
  DistributionInfo,
  Distributions,
  DistributionSpec,
  DistributionStatus,
  DistributionSummary,
  InvalidationInfo,
} from '../ports/edge.js';
import { certificateCovers } from '../site/https-readiness.js';
import type { SandboxCertificates } from './edge-certificates.js';
import { REALISTIC } from './timing.js';
import { randomHex, type World } from './world.js';

/** One distribution of the simulated CloudFront. */
export interface SimDistribution {
  readonly id: string;
  readonly arn: string;
  readonly domainName: string;
  spec: DistributionSpec;
  readonly tags: Record<string, string>;
  /** InProgress until then (ms since the epoch), Deployed after. */
  deployedAt: number;
  /** The aliases and certificate the edge locations serve: the spec as last deployed (none before the first deployment). */
  served?: { readonly aliases: readonly string[]; readonly certificateArn: string } | undefined;
  readonly invalidations: SimInvalidation[];
}

export interface SimInvalidation {
  readonly id: string;
  readonly paths: readonly string[];
  readonly callerReference: string;
  readonly createdAt: number;
  readonly completedAt: number;
}

const upperHex = (n: number): string => randomHex(n).toUpperCase();

/**
 * CloudFront in memory, shaped like the real one: a created or updated distribution is InProgress
 * for `distributionDeploySeconds` (÷ speed), then Deployed (the edge serves its aliases from then
 * on); an invalidation is InProgress for `invalidationSeconds`, then Completed. An alternate
 * domain name belongs to one distribution only, and the certificate must be ISSUED and cover it.
 */
export class SandboxDistributions implements Distributions {
  readonly #world: World;
  readonly #certificates: SandboxCertificates;
  readonly #distributions = new Map<string, SimDistribution>();
  readonly #references = new Map<string, string>();

  constructor(world: World, certificates: SandboxCertificates) {
    this.#world = world;
    this.#certificates = certificates;
  }

  async listDistributions(): Promise<readonly DistributionSummary[]> {
    this.#world.faults.describeCall('ListDistributions');
    return [...this.#distributions.values()].map((d) => summaryOf(d, this.statusOf(d)));
  }

  async getDistribution(id: string): Promise<DistributionInfo> {
    this.#world.faults.describeCall('GetDistribution');
    return this.#info(this.get(id));
  }

  async tagsOf(arn: string): Promise<Readonly<Record<string, string>>> {
    const d = [...this.#distributions.values()].find((x) => x.arn === arn);
    if (d === undefined) throw notFound('CloudFront Distribution', arn);
    return { ...d.tags };
  }

  async createDistribution(spec: DistributionSpec, callerReference: string, tags: Readonly<Record<string, string>>) {
    const same = this.#references.get(callerReference);
    if (same !== undefined) return { requestId: randomUUID(), distribution: this.#info(this.get(same)) };
    this.#check(spec, undefined);
    const id = `E${upperHex(13)}`;
    const d: SimDistribution = {
      id,
      arn: `arn:aws:cloudfront::${this.#world.ids.account}:distribution/${id}`,
      domainName: `d${randomHex(13)}.cloudfront.net`,
      spec: structuredClone(spec),
      tags: { ...tags },
      deployedAt: Date.now() + this.#world.timing.ms(REALISTIC.distributionDeploySeconds),
      invalidations: [],
    };
    this.#distributions.set(id, d);
    this.#references.set(callerReference, id);
    this.#certificates.get(spec.certificateArn).inUseBy.push(d.arn);
    return { requestId: randomUUID(), distribution: this.#info(d) };
  }

  async updateDistribution(id: string, spec: DistributionSpec) {
    const d = this.get(id);
    this.#check(spec, id);
    this.statusOf(d);
    d.spec = structuredClone(spec);
    d.deployedAt = Date.now() + this.#world.timing.ms(REALISTIC.distributionDeploySeconds);
    return { requestId: randomUUID(), distribution: this.#info(d) };
  }

  async createInvalidation(distributionId: string, paths: readonly string[], callerReference: string) {
    const d = this.get(distributionId);
    const known = d.invalidations.find((i) => i.callerReference === callerReference);
    const now = Date.now();
    const invalidation = known ?? {
      id: `I${upperHex(13)}`,
      paths: [...paths],
      callerReference,
      createdAt: now,
      completedAt: now + this.#world.timing.ms(REALISTIC.invalidationSeconds),
    };
    if (known === undefined) d.invalidations.unshift(invalidation);
    return { requestId: randomUUID(), invalidation: invalidationInfo(invalidation, true) };
  }

  async listInvalidations(distributionId: string): Promise<readonly InvalidationInfo[]> {
    this.#world.faults.describeCall('ListInvalidations');
    return this.get(distributionId).invalidations.map((i) => invalidationInfo(i, false));
  }

  async getInvalidation(distributionId: string, invalidationId: string): Promise<InvalidationInfo> {
    this.#world.faults.describeCall('GetInvalidation');
    const found = this.get(distributionId).invalidations.find((i) => i.id === invalidationId);
    if (found === undefined) throw notFound('CloudFront Invalidation', invalidationId);
    return invalidationInfo(found, true);
  }

  /** The distribution, or a NotFound error as CloudFront's NoSuchDistribution is translated. */
  get(id: string): SimDistribution {
    const d = this.#distributions.get(id);
    if (d === undefined) throw notFound('CloudFront Distribution', id);
    return d;
  }

  /** Every distribution (the edge server looks up the one that serves a host). */
  all(): readonly SimDistribution[] {
    return [...this.#distributions.values()];
  }

  /** InProgress until its latest change is deployed; once Deployed, the edge serves what it says. */
  statusOf(d: SimDistribution): DistributionStatus {
    if (Date.now() < d.deployedAt) return 'InProgress';
    d.served = { aliases: d.spec.aliases.map((a) => a.toLowerCase()), certificateArn: d.spec.certificateArn };
    return 'Deployed';
  }

  /** A distribution created earlier (the world before the drill), served as `spec` says and InProgress for `deployingMs` more. */
  seed(
    spec: DistributionSpec,
    tags: Record<string, string>,
    deployingMs: number,
    id = `E${upperHex(13)}`,
  ): SimDistribution {
    const d: SimDistribution = {
      id,
      arn: `arn:aws:cloudfront::${this.#world.ids.account}:distribution/${id}`,
      domainName: `d${randomHex(13)}.cloudfront.net`,
      spec: structuredClone(spec),
      tags: { ...tags },
      deployedAt: Date.now() + deployingMs,
      served: { aliases: spec.aliases.map((a) => a.toLowerCase()), certificateArn: spec.certificateArn },
      invalidations: [],
    };
    this.#distributions.set(id, d);
    this.#certificates.get(spec.certificateArn).inUseBy.push(d.arn);
    return d;
  }

  #check(spec: DistributionSpec, self: string | undefined): void {
    for (const alias of spec.aliases) {
      const other = this.all().find((d) => d.id !== self && d.spec.aliases.includes(alias.toLowerCase()));
      if (other !== undefined)
        throw new ExternalError(
          `CloudFront refused the alternate domain name: it is already on another distribution (${alias} is on ${other.id}).`,
          {
            code: 'CNAMEAlreadyExists',
            retryable: false,
            nextSteps: `Remove ${alias} from distribution ${other.id} or name it in maintenance.cloudfront.distribution, then run \`hotspare site provision RUNBOOK\` again.`,
          },
        );
    }
    const cert = this.#certificates.get(spec.certificateArn);
    const status = this.#certificates.statusOf(cert);
    const uncovered = spec.aliases.filter((a) => !certificateCovers(cert.names, a));
    if (status !== 'ISSUED' || uncovered.length > 0)
      throw new ExternalError(
        `CloudFront refused the certificate ${cert.arn}: it is ${status}${uncovered.length > 0 ? ` and does not cover ${uncovered.join(', ')}` : ''} (InvalidViewerCertificate).`,
        {
          code: 'AwsError',
          retryable: false,
          nextSteps: 'Wait until the certificate is ISSUED for every alternate domain name, then run it again.',
        },
      );
  }

  #info(d: SimDistribution): DistributionInfo {
    return {
      ...summaryOf(d, this.statusOf(d)),
      originDomains: [d.spec.originDomain],
      certificateArn: d.spec.certificateArn,
      viewerProtocolPolicy: 'redirect-to-https',
      priceClass: d.spec.priceClass,
      defaultRootObject: d.spec.defaultRootObject,
      errorResponses: structuredClone([...d.spec.errorResponses]),
    };
  }
}

function summaryOf(d: SimDistribution, status: DistributionStatus): DistributionSummary {
  return {
    id: d.id,
    arn: d.arn,
    domainName: d.domainName,
    status,
    aliases: d.spec.aliases.map((a) => a.toLowerCase()),
    enabled: true,
    comment: d.spec.comment,
  };
}

function invalidationInfo(i: SimInvalidation, withPaths: boolean): InvalidationInfo {
  return {
    id: i.id,
    status: Date.now() >= i.completedAt ? 'Completed' : 'InProgress',
    createTime: new Date(i.createdAt).toISOString(),
    ...(withPaths ? { paths: [...i.paths], callerReference: i.callerReference } : {}),
  };
}
