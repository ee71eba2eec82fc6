import { createHash } from 'node:crypto';
import { UsageError } from '../domain/errors.js';
import type { RedirectConfig, RedirectListener, RedirectServerKind, TargetGroupInfo } from '../ports/index.js';
import { appendProblem, assertSafeRedirectUrl, normalizeRedirectUrl } from './url.js';

/** What the runbook says about the redirect server's answers. */
export interface RedirectChoice {
  readonly server: RedirectServerKind;
  readonly targetUrl: string;
  readonly statusCode: 301 | 302;
  readonly keepPath?: boolean | undefined;
  readonly keepQuery?: boolean | undefined;
  readonly preinstalled?: boolean | undefined;
}

/** ELBv2's default matcher for HTTP and HTTPS health checks. */
export const DEFAULT_MATCHER = '200';

/** The user agent the ALB's health checker sends (`ELB-HealthChecker/2.0`); matched by this prefix. */
export const HEALTH_CHECKER_AGENT_PREFIX = 'ELB-HealthChecker/';

/**
 * Statuses every server (nginx, Apache, builtin) answers the checker the same way, best first:
 * 200 with a body, the redirects (with the maintenance URL as Location), then errors without one.
 */
const SERVABLE_HEALTH_STATUSES = [200, 302, 301, 307, 308, 303, 404, 403, 410, 400] as const;

const HEALTH_PATH_CHARS = /^\/[A-Za-z0-9\-._~/]*$/;

/** Whether a status satisfies an ELBv2 matcher such as `200`, `200,302` or `200-299`. */
export function matcherAccepts(matcher: string, status: number): boolean {
  return matcher.split(',').some((part) => {
    const [low, high, extra] = part
      .trim()
      .split('-')
      .map((n) => (/^\d+$/.test(n) ? Number(n) : NaN));
    if (low === undefined || Number.isNaN(low) || extra !== undefined) return false;
    if (high === undefined) return status === low;
    return !Number.isNaN(high) && status >= low && status <= high;
  });
}

/**
 * The status the redirect server answers the health checker with: 200 when the matcher accepts it,
 * else the runbook's redirect status, else the first other servable status it accepts. Throws a
 * UsageError when it accepts none (a matcher of `201` or `204` only, or a gRPC code).
 */
export function healthStatusFor(matcher: string | undefined, statusCode: 301 | 302): number {
  const m = matcher ?? DEFAULT_MATCHER;
  const preferred = [200, statusCode, ...SERVABLE_HEALTH_STATUSES];
  const status = preferred.find((s) => matcherAccepts(m, s));
  if (status !== undefined) return status;
  throw new UsageError(
    `The target group's health-check matcher "${m}" accepts no status the redirect server can answer.`,
    {
      code: 'UnservableMatcher',
      nextSteps: `Let the matcher accept one of ${SERVABLE_HEALTH_STATUSES.join(', ')} (for example 200-399), or use a listener strategy.`,
    },
  );
}

function protocolOf(value: string, what: string): 'HTTP' | 'HTTPS' {
  const upper = value.toUpperCase();
  if (upper === 'HTTP' || upper === 'HTTPS') return upper;
  throw new UsageError(`The target group's ${what} is ${value}: a redirect server answers HTTP or HTTPS only.`, {
    code: 'UnsupportedProtocol',
    nextSteps: 'Use a listener strategy (set-listener-redirect) or dns-failover for this target group.',
  });
}

function portOf(value: number | string, what: string): number {
  const port = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return port;
  throw new UsageError(`The target group's ${what} ${String(value)} is not a TCP port.`, { code: 'InvalidPort' });
}

/** The health-check path, refused unless it is plain (no query, no quotes, no `..`). */
export function checkedHealthPath(path: string | undefined): string {
  const p = path ?? '/';
  if (HEALTH_PATH_CHARS.test(p) && !p.includes('..')) return p;
  throw new UsageError(`The health-check path ${JSON.stringify(p)} is not allowed.`, {
    code: 'UnsafeHealthCheckPath',
    nextSteps: 'Use a plain path such as / or /health (letters, digits, - . _ ~ /) in the target group.',
  });
}

function healthListener(tg: TargetGroupInfo, traffic: RedirectListener): RedirectListener {
  const hc = tg.healthCheck;
  const protocol = protocolOf(hc.protocol, 'health-check protocol');
  const port = hc.port === 'traffic-port' ? traffic.port : portOf(hc.port, 'health-check port');
  if (port === traffic.port && protocol !== traffic.protocol) {
    throw new UsageError(
      `The target group checks port ${port} over ${protocol}, but its targets speak ${traffic.protocol} there.`,
      {
        code: 'MixedProtocols',
        nextSteps: "Set the health-check protocol to the target group's protocol, or check another port.",
      },
    );
  }
  return { port, protocol };
}

/**
 * The redirect server for a target group: it listens on the group's port with its protocol, and on
 * the health-check port; the health checker gets a status the matcher accepts on exactly the
 * checked path, everyone else the redirect. Throws a UsageError for anything no server could serve.
 */
export function redirectConfigFor(tg: TargetGroupInfo, choice: RedirectChoice): RedirectConfig {
  assertSafeRedirectUrl(choice.targetUrl);
  const keepPath = choice.keepPath ?? false;
  const keepQuery = choice.keepQuery ?? false;
  const problem = appendProblem(choice.targetUrl, keepPath, keepQuery);
  if (problem !== undefined)
    throw new UsageError(`The redirect URL ${JSON.stringify(choice.targetUrl)} is not allowed: ${problem}.`, {
      code: 'UnsafeRedirectUrl',
    });
  const traffic: RedirectListener = { port: portOf(tg.port, 'port'), protocol: protocolOf(tg.protocol, 'protocol') };
  return {
    server: choice.server,
    targetUrl: normalizeRedirectUrl(choice.targetUrl),
    statusCode: choice.statusCode,
    keepPath,
    keepQuery,
    traffic,
    healthCheck: {
      ...healthListener(tg, traffic),
      path: checkedHealthPath(tg.healthCheck.path),
      status: healthStatusFor(tg.healthCheck.matcher, choice.statusCode),
    },
    preinstalled: choice.preinstalled ?? false,
  };
}

/** The ports the server listens on, each with its protocol, health-check port included. */
export function listenersOf(config: RedirectConfig): RedirectListener[] {
  const { traffic, healthCheck } = config;
  const health = { port: healthCheck.port, protocol: healthCheck.protocol };
  return health.port === traffic.port ? [traffic] : [traffic, health];
}

/** Whether any listener speaks HTTPS (the server needs a certificate). */
export function needsTls(config: RedirectConfig): boolean {
  return listenersOf(config).some((l) => l.protocol === 'HTTPS');
}

/**
 * Re-checks a config that did not come from `redirectConfigFor` (a journal, a test): URL, path,
 * ports, statuses. Throws the same UsageErrors.
 */
export function assertServableConfig(config: RedirectConfig): void {
  assertSafeRedirectUrl(config.targetUrl);
  const problem = appendProblem(config.targetUrl, config.keepPath, config.keepQuery);
  if (problem !== undefined)
    throw new UsageError(`The redirect URL ${JSON.stringify(config.targetUrl)} is not allowed: ${problem}.`, {
      code: 'UnsafeRedirectUrl',
    });
  checkedHealthPath(config.healthCheck.path);
  for (const l of listenersOf(config)) portOf(l.port, 'port');
  if (config.statusCode !== 301 && config.statusCode !== 302) {
    throw new UsageError(`The redirect status ${String(config.statusCode)} must be 301 or 302.`, {
      code: 'InvalidStatusCode',
    });
  }
  if (!(SERVABLE_HEALTH_STATUSES as readonly number[]).includes(config.healthCheck.status)) {
    throw new UsageError(`The health-check status ${config.healthCheck.status} is not one the servers answer.`, {
      code: 'UnservableMatcher',
    });
  }
}

/**
 * A short digest of everything the server's answers depend on, tagged on a prepared spare: a spare
 * whose digest differs was made for another target group or URL and is not used.
 */
export function configDigest(config: RedirectConfig): string {
  const { server, targetUrl, statusCode, keepPath, keepQuery, traffic, healthCheck, preinstalled } = config;
  const canonical = JSON.stringify([
    server,
    targetUrl,
    statusCode,
    keepPath,
    keepQuery,
    [traffic.port, traffic.protocol],
    [healthCheck.port, healthCheck.protocol, healthCheck.path, healthCheck.status],
    preinstalled,
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
