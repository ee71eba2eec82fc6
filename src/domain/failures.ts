import type { ErrorCodeOf } from './error-codes.js';
import { ExternalError, UsageError } from './errors.js';

/**
 * The operator-facing failures every port implementation raises, so AWS (through `aws/errors.ts`)
 * and the sandbox say the same thing in the same words. `code` is stable and tested.
 */

/** The principal lacks an IAM action. */
export function accessDenied(action: string, resource?: string, cause?: unknown): ExternalError {
  return new ExternalError(
    `Access denied: the credentials in use may not call ${action}${resource ? ` on ${resource}` : ''}.`,
    {
      code: 'AccessDenied',
      retryable: false,
      nextSteps: `Grant ${action} to this role or user (\`hotspare iam-policy RUNBOOK\` prints the whole policy), then retry the step.`,
      cause,
    },
  );
}

/** AWS is rate-limiting us; the SDK's own retries were not enough. */
export function throttled(operation: string, cause?: unknown): ExternalError {
  return new ExternalError(`AWS is throttling ${operation} requests (rate exceeded).`, {
    code: 'Throttling',
    retryable: true,
    nextSteps: 'Wait a few seconds and retry; other tools polling the same account share this limit.',
    cause,
  });
}

/** No capacity for the instance type in the subnet's Availability Zone. */
export function insufficientCapacity(instanceType: string, where?: string, cause?: unknown): ExternalError {
  return new ExternalError(`AWS has no capacity for ${instanceType}${where ? ` in ${where}` : ''} right now.`, {
    code: 'InsufficientInstanceCapacity',
    retryable: true,
    nextSteps:
      'Add fallbackInstanceTypes to redirectServer in the runbook, or use a subnet in another Availability Zone, then retry.',
    cause,
  });
}

/** The kinds of resource `notFound` names, and the code each is reported with. */
const NOT_FOUND_CODES = {
  'Target Group': 'TargetGroupNotFound',
  Listener: 'ListenerNotFound',
  'Load Balancer': 'LoadBalancerNotFound',
  Rule: 'RuleNotFound',
  Instance: 'InstanceNotFound',
  'Instance Type': 'InstanceTypeNotFound',
  AMI: 'AMINotFound',
  'SSM Parameter': 'SSMParameterNotFound',
  Subnet: 'SubnetNotFound',
  'Security Group': 'SecurityGroupNotFound',
  'Key Pair': 'KeyPairNotFound',
  'Hosted Zone': 'HostedZoneNotFound',
  'DNS record': 'DnsRecordNotFound',
  Change: 'ChangeNotFound',
  'Health Check': 'HealthCheckNotFound',
  Bucket: 'BucketNotFound',
  'Auto Scaling Group': 'AutoScalingGroupNotFound',
  'CloudFront Distribution': 'DistributionNotFound',
  'CloudFront Invalidation': 'InvalidationNotFound',
  'ACM Certificate': 'CertificateNotFound',
} as const satisfies Record<string, ErrorCodeOf<'external'>>;

export type NotFoundKind = keyof typeof NOT_FOUND_CODES;

/** A resource the runbook names does not exist (in this account and region). */
export function notFound(kind: NotFoundKind, id: string, cause?: unknown): ExternalError {
  return new ExternalError(`${kind} ${id} was not found in this account and region.`, {
    code: NOT_FOUND_CODES[kind],
    retryable: false,
    nextSteps: `Check the ${kind} in the runbook, the --region and the account your credentials belong to.`,
    cause,
  });
}

/** A target the load balancer will not accept (wrong VPC, terminated, not running). */
export function invalidTarget(detail: string, cause?: unknown): ExternalError {
  return new ExternalError(`The load balancer rejected the target: ${detail}`, {
    code: 'InvalidTarget',
    retryable: false,
    nextSteps: "Check that the instance is running and in the target group's VPC, then retry.",
    cause,
  });
}

/** Credentials have expired (SSO session, assumed role). */
export function expiredCredentials(cause?: unknown): ExternalError {
  return new ExternalError('The AWS credentials have expired.', {
    code: 'ExpiredToken',
    retryable: false,
    nextSteps: 'Refresh them (e.g. `aws sso login --profile NAME`) and run `hotspare resume RUNBOOK`.',
    cause,
  });
}

/** No credentials at all. */
export function noCredentials(cause?: unknown, nextSteps?: string): UsageError {
  return new UsageError('No AWS credentials were found.', {
    code: 'NoCredentials',
    retryable: false,
    nextSteps:
      nextSteps ??
      'Sign in with `aws configure sso` (IAM Identity Center) or `aws configure` (access keys), then pass --profile NAME (or set AWS_PROFILE); for a drill without AWS use --sandbox.',
    cause,
  });
}

/**
 * The SSO session a profile signs in with has expired, or was never started on this machine. With
 * the profile's name the next step is the exact command.
 */
export function ssoSessionExpired(detail: string, profile?: string, cause?: unknown): UsageError {
  const login =
    profile === undefined
      ? '`aws sso login --profile NAME` (the profile in use: --profile or AWS_PROFILE)'
      : `\`aws sso login --profile ${profile}\``;
  return new UsageError(detail, {
    code: 'SsoSessionExpired',
    retryable: false,
    nextSteps: `Sign in again with ${login}, then run the command again (a run in progress: \`hotspare resume RUNBOOK\`).`,
    cause,
  });
}

/** The network or endpoint did not answer. */
export function unreachable(endpoint: string, cause?: unknown): ExternalError {
  return new ExternalError(`Could not reach ${endpoint}.`, {
    code: 'NetworkError',
    retryable: true,
    outcomeUnknown: true,
    nextSteps: 'Check the network, proxy and --endpoint-url, then retry.',
    cause,
  });
}

/** A wait ran out of time. */
export function timedOut(what: string, seconds: number): ExternalError {
  return new ExternalError(`Timed out after ${seconds} s waiting for ${what}.`, {
    code: 'Timeout',
    retryable: true,
    nextSteps: "Look at the target's health reason on the dashboard; retry to wait longer, or roll back.",
  });
}

/**
 * The redirect instance stopped by itself: its user data powers it off when the server cannot start
 * (see `redirect/boot-script.ts`), so the failover fails now instead of waiting out the health check.
 */
export function redirectBootFailed(instanceId: string, state: string): ExternalError {
  return new ExternalError(
    `The redirect instance ${instanceId} is ${state}: its boot script could not start the redirect server and powered it off.`,
    {
      code: 'RedirectBootFailed',
      retryable: false,
      nextSteps: `Its console says why: \`aws ec2 get-console-output --instance-id ${instanceId} --latest --output text\`. Fix the cause (the image, the subnet's way out, the server), then \`hotspare rollback RUNBOOK\` (it terminates the instance) and fail over again.`,
    },
  );
}

/** An instance is not in a state the call can act on (e.g. starting an instance that is still stopping). */
export function incorrectInstanceState(instanceId: string, state: string, cause?: unknown): ExternalError {
  return new ExternalError(`The instance ${instanceId} is ${state}, not in a state this call can act on.`, {
    code: 'IncorrectInstanceState',
    retryable: true,
    nextSteps: 'Wait until the instance has finished changing state, then retry.',
    cause,
  });
}
