import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HealthCheckSettings, TargetState } from '../ports/index.js';
import { DEFAULT_MATCHER, matcherAccepts } from '../redirect/config.js';

/** What the ALB's health checker sends as its user agent. */
export const HEALTH_CHECKER_AGENT = 'ELB-HealthChecker/2.0';

/** One health check's outcome, with the ELBv2 reason code a failure is reported under. */
export type CheckOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'Target.ResponseCodeMismatch' | 'Target.Timeout' | 'Target.FailedHealthChecks';
      readonly description: string;
    };

/** A registered target's health as the state machine sees it. */
export interface HealthState {
  readonly state: TargetState;
  readonly reason?: string | undefined;
  readonly description?: string | undefined;
  /** Consecutive passes / failures so far. */
  readonly passes: number;
  readonly failures: number;
}

export const REGISTERING: HealthState = {
  state: 'initial',
  reason: 'Elb.RegistrationInProgress',
  description: 'Target registration is in progress',
  passes: 0,
  failures: 0,
};

export const DRAINING: HealthState = {
  state: 'draining',
  reason: 'Target.DeregistrationInProgress',
  description: 'Target deregistration is in progress',
  passes: 0,
  failures: 0,
};

/** The state a target registered before the simulation started is in: healthy, thresholds met. */
export function alreadyHealthy(settings: HealthCheckSettings): HealthState {
  return { state: 'healthy', passes: settings.healthyThreshold, failures: 0 };
}

/**
 * Folds one check into a target's health like an ALB: a newly registered (`initial`) target is
 * healthy after one passing check ("after your target is registered, it must pass one health check
 * to be considered healthy"); an unhealthy one needs `healthyThreshold` consecutive passes;
 * `unhealthyThreshold` consecutive failures make a target unhealthy. Draining targets are not checked.
 */
export function applyCheck(current: HealthState, outcome: CheckOutcome, settings: HealthCheckSettings): HealthState {
  if (current.state === 'draining') return current;
  if (outcome.ok) {
    const passes = current.passes + 1;
    if (current.state !== 'unhealthy' || passes >= settings.healthyThreshold)
      return { state: 'healthy', passes, failures: 0 };
    return { ...current, ...stillChecking(current), passes, failures: 0 };
  }
  const failures = current.failures + 1;
  const failed = { reason: outcome.reason, description: outcome.description };
  if (failures >= settings.unhealthyThreshold) return { state: 'unhealthy', ...failed, passes: 0, failures };
  if (current.state === 'unhealthy') return { state: 'unhealthy', ...failed, passes: 0, failures };
  return { ...current, ...stillChecking(current), passes: 0, failures };
}

function stillChecking(current: HealthState): Pick<HealthState, 'reason' | 'description'> {
  if (current.state !== 'initial') return { reason: current.reason, description: current.description };
  return { reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress' };
}

/** Whether a status satisfies an ELBv2 matcher such as `200`, `200,302` or `200-299`. */
export function matches(matcher: string, status: number): boolean {
  return matcherAccepts(matcher, status);
}

/**
 * One real health check as an ALB makes it: GET of the checked path with the checker's user agent,
 * over the checked protocol (HTTPS without verifying the certificate), to `port` on 127.0.0.1 (the
 * target's local server for the checked port; undefined when it has none). Never throws.
 */
export function checkTarget(
  port: number | undefined,
  settings: HealthCheckSettings,
  timeoutMs: number,
): Promise<CheckOutcome> {
  if (port === undefined) return Promise.resolve(failed('Target.FailedHealthChecks', 'Health checks failed'));
  const https = settings.protocol.toUpperCase() === 'HTTPS';
  const request = https ? httpsRequest : httpRequest;
  const options = {
    host: '127.0.0.1',
    port,
    path: settings.path ?? '/',
    method: 'GET',
    agent: false,
    timeout: timeoutMs,
    rejectUnauthorized: false,
    headers: { 'user-agent': HEALTH_CHECKER_AGENT },
  } as const;
  return new Promise((resolve) => {
    const req = request(options, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(
        matches(settings.matcher ?? DEFAULT_MATCHER, status)
          ? { ok: true }
          : failed('Target.ResponseCodeMismatch', `Health checks failed with these codes: [${status}]`),
      );
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(failed('Target.Timeout', 'Request timed out'));
    });
    req.on('error', () => resolve(failed('Target.FailedHealthChecks', 'Health checks failed')));
    req.end();
  });
}

function failed(reason: Exclude<CheckOutcome, { ok: true }>['reason'], description: string): CheckOutcome {
  return { ok: false, reason, description };
}
