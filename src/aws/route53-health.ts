import {
  CreateHealthCheckCommand,
  DeleteHealthCheckCommand,
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  ListHealthChecksCommand,
  type HealthCheck,
  type HealthCheckConfig,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { BugError } from '../domain/errors.js';
import { HEALTHY_CHECKER_SHARE } from '../domain/failover-timing.js';
import type { HealthCheckReport, HealthChecks, SiteHealthCheck, SiteHealthCheckSpec } from '../ports/armed.js';
import { awsErrorName, callAws, translateAwsError, type CallContext } from './errors.js';
import { receiptOf } from './receipt.js';

/**
 * The HealthChecks port over Route 53: string-match checks on the live site. Writes go through
 * `writer` (no SDK retry); a health check is found again by its caller reference.
 */
export function createHealthChecks(
  client: Route53Client,
  endpoint?: string,
  writer: Route53Client = client,
): HealthChecks {
  const ctx = (operation: string, resource: string): CallContext => ({
    service: 'route53',
    operation,
    resource,
    endpoint,
  });
  return {
    find: async (callerReference) => {
      let Marker: string | undefined;
      do {
        const out = await callAws(ctx('ListHealthChecks', callerReference), () =>
          client.send(new ListHealthChecksCommand({ Marker })),
        );
        const found = (out.HealthChecks ?? []).find((h) => h.CallerReference === callerReference);
        if (found !== undefined) return fromHealthCheck(found);
        Marker = out.IsTruncated === true ? out.NextMarker : undefined;
      } while (Marker !== undefined && Marker !== '');
      return undefined;
    },
    create: async (callerReference, spec) => {
      const out = await callAws(ctx('CreateHealthCheck', spec.host), () =>
        writer.send(
          new CreateHealthCheckCommand({ CallerReference: callerReference, HealthCheckConfig: toConfig(spec) }),
        ),
      );
      if (out.HealthCheck === undefined)
        throw new BugError('CreateHealthCheck returned no health check.', { code: 'NoHealthCheckReturned' });
      return { ...fromHealthCheck(out.HealthCheck), ...receiptOf(out) };
    },
    // Reads first (moto deletes a missing id without an error; AWS answers NoSuchHealthCheck).
    delete: async (id) => {
      try {
        await client.send(new GetHealthCheckCommand({ HealthCheckId: id }));
        await writer.send(new DeleteHealthCheckCommand({ HealthCheckId: id }));
        return true;
      } catch (error) {
        if (awsErrorName(error) === 'NoSuchHealthCheck') return false;
        throw translateAwsError(error, ctx('DeleteHealthCheck', id));
      }
    },
    status: async (id) => {
      const out = await callAws(ctx('GetHealthCheckStatus', id), () =>
        client.send(new GetHealthCheckStatusCommand({ HealthCheckId: id })),
      );
      return reportOf((out.HealthCheckObservations ?? []).map((o) => o.StatusReport?.Status ?? ''));
    },
  };
}

/** Each checker's last status line (`Success: HTTP Status Code 200...` / `Failure: ...`), summed up as Route 53 does. */
export function reportOf(statuses: readonly string[]): HealthCheckReport {
  const failing = statuses.filter((s) => !s.startsWith('Success'));
  const healthyShare = statuses.length === 0 ? 0 : (statuses.length - failing.length) / statuses.length;
  return {
    healthy: healthyShare > HEALTHY_CHECKER_SHARE,
    checkers: statuses.length,
    failing: failing.length,
    ...(failing[0] === undefined ? {} : { sample: failing[0] }),
  };
}

function toConfig(spec: SiteHealthCheckSpec): HealthCheckConfig {
  return {
    Type: spec.protocol === 'HTTPS' ? 'HTTPS_STR_MATCH' : 'HTTP_STR_MATCH',
    FullyQualifiedDomainName: spec.host,
    Port: spec.port,
    ResourcePath: spec.path,
    SearchString: spec.searchString,
    RequestInterval: spec.intervalSeconds,
    FailureThreshold: spec.failureThreshold,
    ...(spec.protocol === 'HTTPS' ? { EnableSNI: true } : {}),
  };
}

function fromHealthCheck(h: HealthCheck): SiteHealthCheck {
  const c = h.HealthCheckConfig;
  return {
    id: h.Id ?? '',
    callerReference: h.CallerReference ?? '',
    spec: {
      host: c?.FullyQualifiedDomainName ?? '',
      protocol: c?.Type?.startsWith('HTTPS') === true ? 'HTTPS' : 'HTTP',
      port: c?.Port ?? (c?.Type?.startsWith('HTTPS') === true ? 443 : 80),
      path: c?.ResourcePath ?? '/',
      searchString: c?.SearchString ?? '',
      intervalSeconds: c?.RequestInterval === 10 ? 10 : 30,
      failureThreshold: c?.FailureThreshold ?? 3,
    },
  };
}
