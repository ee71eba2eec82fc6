import { ExternalError, HotspareError } from '../domain/errors.js';
import {
  accessDenied,
  expiredCredentials,
  incorrectInstanceState,
  insufficientCapacity,
  invalidTarget,
  noCredentials,
  ssoSessionExpired,
  notFound,
  throttled,
  unreachable,
} from '../domain/failures.js';
import type { NotFoundKind } from '../domain/failures.js';

/**
 * The one place where AWS SDK exceptions become hotspare's operator-facing errors. Errors are
 * matched by their literal `name` (the AWS error code) first, then by `$metadata.httpStatusCode`;
 * the words come from `domain/failures.ts`, so the sandbox and AWS say the same thing.
 */

export type AwsService = 'elbv2' | 'ec2' | 'route53' | 's3' | 'autoscaling' | 'ssm' | 'cloudfront' | 'acm';

/** What was being attempted when an error happened. */
export interface CallContext {
  readonly service: AwsService;
  /** The API operation, e.g. `RegisterTargets`. */
  readonly operation: string;
  /** The resource the call was about (an ARN, an id, a name), for not-found messages. */
  readonly resource?: string | undefined;
  /** For RunInstances: the instance type and subnet, for capacity messages. */
  readonly instanceType?: string | undefined;
  readonly where?: string | undefined;
  /** The endpoint, for network errors. */
  readonly endpoint?: string | undefined;
}

const IAM_PREFIX: Readonly<Record<AwsService, string>> = {
  elbv2: 'elasticloadbalancing',
  ec2: 'ec2',
  route53: 'route53',
  s3: 's3',
  autoscaling: 'autoscaling',
  ssm: 'ssm',
  cloudfront: 'cloudfront',
  acm: 'acm',
};

/** The IAM action an operation needs, e.g. `elbv2` + `RegisterTargets` -> `elasticloadbalancing:RegisterTargets`. */
export function iamActionFor(service: AwsService, operation: string): string {
  return `${IAM_PREFIX[service]}:${operation}`;
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Forbidden']);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'PriorRequestNotComplete',
  'PriorRequestNotCompleteException',
]);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired']);
const BAD_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AuthFailure',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** AWS error codes for resources that do not exist, and what to call the resource. */
const NOT_FOUND: Readonly<Record<string, NotFoundKind>> = {
  TargetGroupNotFound: 'Target Group',
  TargetGroupNotFoundException: 'Target Group',
  ListenerNotFound: 'Listener',
  ListenerNotFoundException: 'Listener',
  LoadBalancerNotFound: 'Load Balancer',
  LoadBalancerNotFoundException: 'Load Balancer',
  'InvalidInstanceID.NotFound': 'Instance',
  'InvalidInstanceID.Malformed': 'Instance',
  'InvalidAMIID.NotFound': 'AMI',
  'InvalidAMIID.Malformed': 'AMI',
  'InvalidAMIID.Unavailable': 'AMI',
  'InvalidSubnetID.NotFound': 'Subnet',
  'InvalidSubnet.NotFound': 'Subnet',
  'InvalidGroup.NotFound': 'Security Group',
  'InvalidSecurityGroupID.NotFound': 'Security Group',
  'InvalidKeyPair.NotFound': 'Key Pair',
  NoSuchHostedZone: 'Hosted Zone',
  HostedZoneNotFound: 'Hosted Zone',
  NoSuchChange: 'Change',
  NoSuchHealthCheck: 'Health Check',
  NoSuchBucket: 'Bucket',
  ParameterNotFound: 'SSM Parameter',
  InvalidInstanceType: 'Instance Type',
  NoSuchDistribution: 'CloudFront Distribution',
  NoSuchInvalidation: 'CloudFront Invalidation',
};

/** Errors whose name says "not found" for any service: what it means depends on the service. */
const NOT_FOUND_BY_SERVICE: Partial<Record<AwsService, NotFoundKind>> = { acm: 'ACM Certificate' };

interface SdkErrorShape {
  /** The exception's name: the SDK's modeled class (`TargetGroupNotFoundException`) or the AWS code. */
  readonly name: string;
  /** The code AWS sent (`TargetGroupNotFound`), when the SDK kept it apart from the name. */
  readonly awsCode?: string | undefined;
  /** A Node system error code (`ECONNREFUSED`). */
  readonly systemCode?: string | undefined;
  readonly message: string;
  readonly status?: number | undefined;
  readonly retryable: boolean;
}

function shapeOf(error: unknown): SdkErrorShape {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), retryable: false };
  const e = error as Error & {
    code?: unknown;
    Code?: unknown;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  return {
    name: e.name,
    awsCode: typeof e.Code === 'string' ? e.Code : undefined,
    systemCode: typeof e.code === 'string' ? e.code : undefined,
    message: e.message,
    status: e.$metadata?.httpStatusCode,
    retryable: e.$retryable !== undefined && e.$retryable !== null,
  };
}

/** Whether the error's name or its AWS code is one of `names`. */
function isOneOf(e: SdkErrorShape, names: ReadonlySet<string>): boolean {
  return names.has(e.name) || (e.awsCode !== undefined && names.has(e.awsCode));
}

function notFoundKind(e: SdkErrorShape, ctx: CallContext): NotFoundKind | undefined {
  const generic =
    e.name === 'ResourceNotFoundException' || e.awsCode === 'ResourceNotFoundException'
      ? NOT_FOUND_BY_SERVICE[ctx.service]
      : undefined;
  return NOT_FOUND[e.name] ?? (e.awsCode === undefined ? undefined : NOT_FOUND[e.awsCode]) ?? generic;
}

/** The resource id an EC2 not-found message names, e.g. "The image id '[ami-0abc]' does not exist". */
function idInMessage(message: string): string | undefined {
  return /\b(?:ami|subnet|sg|i|key)-[0-9a-zA-Z]+\b/.exec(message)?.[0];
}

/** The action an IAM denial message names ("... not authorized to perform: ec2:RunInstances on resource: ..."). */
function deniedActionIn(message: string): { action?: string; resource?: string } {
  const match = /perform:\s*([a-z0-9-]+:[A-Za-z0-9]+)(?:\s+on resource:\s*(\S+))?/.exec(message);
  return { action: match?.[1], resource: match?.[2] };
}

/**
 * Translate anything an SDK call threw into a HotspareError. HotspareErrors pass through unchanged;
 * unknown AWS errors become an ExternalError carrying the AWS code and message (never a stack).
 */
export function translateAwsError(error: unknown, ctx: CallContext): HotspareError {
  if (error instanceof HotspareError) return error;
  const e = shapeOf(error);
  return byName(error, e, ctx) ?? byStatus(error, e, ctx) ?? unknownError(error, e, ctx);
}

const CAPACITY = new Set(['InsufficientInstanceCapacity']);
const INVALID_TARGET = new Set(['InvalidTarget', 'InvalidTargetException']);
const INCORRECT_STATE = new Set(['IncorrectInstanceState', 'IncorrectState']);
const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'TokenProviderError']);
const ALIAS_TAKEN = new Set(['CNAMEAlreadyExists', 'CNAMEAlreadyExistsException']);

/** CloudFront allows an alternate domain name on one distribution only, in any account. */
function aliasTaken(message: string, cause: unknown): HotspareError {
  return new ExternalError(
    `CloudFront refused the alternate domain name: it is already on another distribution (${message}).`,
    {
      code: 'CNAMEAlreadyExists',
      retryable: false,
      nextSteps:
        'Find the distribution that carries it (aws cloudfront list-conflicting-aliases), remove the name from it or name that distribution in maintenance.cloudfront.distribution, then run `hotspare site provision RUNBOOK` again.',
      cause,
    },
  );
}

function byName(cause: unknown, e: SdkErrorShape, ctx: CallContext): HotspareError | undefined {
  if (isOneOf(e, ACCESS_DENIED)) {
    const named = deniedActionIn(e.message);
    return accessDenied(
      named.action ?? iamActionFor(ctx.service, ctx.operation),
      named.resource ?? ctx.resource,
      cause,
    );
  }
  if (isOneOf(e, THROTTLED)) return throttled(ctx.operation, cause);
  if (isOneOf(e, EXPIRED)) return expiredCredentials(cause);
  // The SDK's SSO providers say "SSO" in every message (an expired session, a token it cannot refresh).
  if (isOneOf(e, NO_CREDENTIALS) && /\bSSO\b/.test(e.message))
    return ssoSessionExpired('The SSO session of the AWS profile in use has expired.', undefined, cause);
  if (isOneOf(e, NO_CREDENTIALS)) return noCredentials(cause);
  if (isOneOf(e, BAD_CREDENTIALS)) return badCredentials(cause, e);
  if (isOneOf(e, CAPACITY)) return insufficientCapacity(ctx.instanceType ?? 'this instance type', ctx.where, cause);
  if (isOneOf(e, INVALID_TARGET)) return invalidTarget(e.message, cause);
  if (isOneOf(e, ALIAS_TAKEN)) return aliasTaken(e.message, cause);
  if (isOneOf(e, INCORRECT_STATE))
    return incorrectInstanceState(
      idInMessage(e.message) ?? ctx.resource ?? 'named in the request',
      'changing state',
      cause,
    );
  const kind = notFoundKind(e, ctx);
  if (kind !== undefined)
    return notFound(kind, idInMessage(e.message) ?? ctx.resource ?? 'named in the request', cause);
  if ((e.systemCode !== undefined && NETWORK_CODES.has(e.systemCode)) || e.name === 'TimeoutError') {
    return unreachable(ctx.endpoint ?? `the AWS ${ctx.service} endpoint`, cause);
  }
  return undefined;
}

function byStatus(cause: unknown, e: SdkErrorShape, ctx: CallContext): HotspareError | undefined {
  if (e.status === 429) return throttled(ctx.operation, cause);
  if (e.status === 403) return accessDenied(iamActionFor(ctx.service, ctx.operation), ctx.resource, cause);
  return undefined;
}

function badCredentials(cause: unknown, e: SdkErrorShape): HotspareError {
  return new ExternalError(`AWS rejected the credentials: ${e.message}`, {
    code: 'BadCredentials',
    awsCode: e.awsCode ?? e.name,
    retryable: false,
    nextSteps:
      'Check which profile or access key is in use (--profile, AWS_PROFILE) and that it belongs to this account.',
    cause,
  });
}

function unknownError(cause: unknown, e: SdkErrorShape, ctx: CallContext): HotspareError {
  const serverSide = e.status !== undefined && e.status >= 500;
  const awsCode = e.awsCode ?? e.name;
  return new ExternalError(`AWS ${ctx.operation} failed: ${e.message} (${awsCode})`, {
    code: 'AwsError',
    awsCode,
    retryable: serverSide || e.retryable,
    // A server-side error does not say whether the change was made.
    outcomeUnknown: serverSide,
    nextSteps: serverSide
      ? 'AWS had an internal error; retry the step.'
      : `Read the AWS message above; the ${ctx.operation} call was rejected as sent.`,
    cause,
  });
}

/** Run one SDK call, translating whatever it throws. */
export async function callAws<T>(ctx: CallContext, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw translateAwsError(error, ctx);
  }
}

/** The literal AWS error name of an SDK exception (before translation), if any. */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
