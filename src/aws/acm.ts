import {
  type ACMClient,
  DescribeCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
  RequestCertificateCommand,
  type CertificateDetail,
} from '@aws-sdk/client-acm';
import { BugError } from '../domain/errors.js';
import type { CertificateInfo, Certificates, CertificateSummary, ValidationRecord } from '../ports/edge.js';
import { callAws } from './errors.js';
import { receiptOf } from './receipt.js';

type Call = <T>(operation: string, resource: string, send: () => Promise<T>) => Promise<T>;

/**
 * The Certificates port over ACM. The clients are made for us-east-1 by the caller: CloudFront
 * takes certificates from there only. Mutating calls go through `writer`, which never retries.
 */
export function createCertificates(client: ACMClient, endpoint?: string, writer: ACMClient = client): Certificates {
  const call: Call = (operation, resource, send) => callAws({ service: 'acm', operation, resource, endpoint }, send);
  return {
    listCertificates: () => listCertificates(client, call),
    describeCertificate: async (arn) => {
      const [described, tagged] = await Promise.all([
        call('DescribeCertificate', arn, () => client.send(new DescribeCertificateCommand({ CertificateArn: arn }))),
        call('ListTagsForCertificate', arn, () =>
          client.send(new ListTagsForCertificateCommand({ CertificateArn: arn })),
        ),
      ]);
      const detail = described.Certificate;
      if (detail === undefined)
        throw new BugError('ACM DescribeCertificate returned nothing.', { code: 'EmptyAnswer' });
      return fromDetail(detail, Object.fromEntries((tagged.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])));
    },
    requestCertificate: async (request) => {
      const input = {
        DomainName: request.domainName,
        ValidationMethod: 'DNS' as const,
        ...(request.subjectAlternativeNames.length === 0
          ? {}
          : { SubjectAlternativeNames: [request.domainName, ...request.subjectAlternativeNames] }),
        IdempotencyToken: request.idempotencyToken,
        Tags: Object.entries(request.tags).map(([Key, Value]) => ({ Key, Value })),
      };
      const out = await call('RequestCertificate', request.domainName, () =>
        writer.send(new RequestCertificateCommand(input)),
      );
      if (out.CertificateArn === undefined)
        throw new BugError('ACM RequestCertificate returned no ARN.', { code: 'EmptyAnswer' });
      return { ...receiptOf(out), arn: out.CertificateArn };
    },
  };
}

async function listCertificates(client: ACMClient, call: Call): Promise<CertificateSummary[]> {
  const out: CertificateSummary[] = [];
  let token: string | undefined;
  do {
    const input = { CertificateStatuses: ['PENDING_VALIDATION' as const, 'ISSUED' as const], NextToken: token };
    const page = await call('ListCertificates', '*', () => client.send(new ListCertificatesCommand(input)));
    for (const c of page.CertificateSummaryList ?? [])
      out.push({
        arn: c.CertificateArn ?? '',
        domainName: (c.DomainName ?? '').toLowerCase(),
        status: c.Status ?? 'PENDING_VALIDATION',
      });
    token = page.NextToken;
  } while (token !== undefined && token !== '');
  return out;
}

function iso(date: Date | undefined): string | undefined {
  return date === undefined ? undefined : date.toISOString();
}

function fromDetail(c: CertificateDetail, tags: Record<string, string>): CertificateInfo {
  const domainName = (c.DomainName ?? '').toLowerCase();
  const validation: ValidationRecord[] = (c.DomainValidationOptions ?? []).flatMap((o) =>
    o.ResourceRecord?.Name === undefined
      ? []
      : [
          {
            domainName: (o.DomainName ?? '').toLowerCase(),
            name: o.ResourceRecord.Name,
            type: o.ResourceRecord.Type ?? 'CNAME',
            value: o.ResourceRecord.Value ?? '',
            status: o.ValidationStatus,
          },
        ],
  );
  const names = new Set([domainName, ...(c.SubjectAlternativeNames ?? []).map((n) => n.toLowerCase())]);
  return {
    arn: c.CertificateArn ?? '',
    domainName,
    status: c.Status ?? 'PENDING_VALIDATION',
    subjectAlternativeNames: [...names],
    notAfter: iso(c.NotAfter),
    validation,
    tags,
    inUseBy: c.InUseBy ?? [],
  };
}
