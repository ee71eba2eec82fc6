import { throttled } from '../domain/failures.js';

/**
 * Faults a drill can inject:
 * - `throttle`: every 3rd call of each Describe* operation throws `throttled(operation)`;
 * - `capacity`: RunInstances for the runbook's primary instance type throws `insufficientCapacity`
 *   (fallback types work);
 * - `access-denied`: RegisterTargets throws `accessDenied('elasticloadbalancing:RegisterTargets', arn)`;
 * - `redirect-unhealthy`: redirect servers answer their health-check path with 500;
 * - `origin-500`: the web servers answer 500 from the start;
 * - `scale-out`: the web servers' Auto Scaling group launches a web server every 30 s and registers
 *   it into the target group, unless its processes are suspended (see `suspend-scaling`);
 * - `listener-rules`: the listener has a rule forwarding `/api/*` to the target group, ahead of its
 *   default action (a listener strategy must cover it, see `set-listener-redirect`'s `rules`).
 *
 * And shapes of the account that a real one may have (see `account-shape.ts`):
 * - `https-target-group`: the target group is HTTPS:443, checked over HTTPS;
 * - `health-check-port`: the target group checks `/health` on port 8081, not the traffic port;
 * - `matcher-3xx`: the target group checks `/health` and accepts only 301 and 302;
 * - `no-route-out`: the redirect subnet has no route out (no NAT, no internet gateway);
 * - `ubuntu-image`: the runbook's image is Ubuntu (apt, www-data, /etc/apache2);
 * - `windows-image`: the runbook's image is Windows, which no redirect server runs on.
 *
 * And shapes of the https:// maintenance site's edge (see `edge.ts`; without one, `site provision`
 * made everything months ago):
 * - `no-distribution`: the maintenance host's zone exists, nothing else (no certificate, no
 *   distribution, no alias): `hotspare site provision RUNBOOK --sandbox` makes them;
 * - `certificate-pending`: a certificate was requested but its DNS validation record is not in
 *   the zone, so it stays PENDING_VALIDATION and there is no distribution yet;
 * - `distribution-in-progress`: the distribution's latest change is InProgress (Deployed after
 *   300 s ÷ speed).
 */
export type SandboxFault =
  | 'throttle'
  | 'capacity'
  | 'access-denied'
  | 'redirect-unhealthy'
  | 'origin-500'
  | 'scale-out'
  | 'listener-rules'
  | 'https-target-group'
  | 'health-check-port'
  | 'matcher-3xx'
  | 'no-route-out'
  | 'ubuntu-image'
  | 'windows-image'
  | 'no-distribution'
  | 'certificate-pending'
  | 'distribution-in-progress';

export const SANDBOX_FAULTS: readonly SandboxFault[] = [
  'throttle',
  'capacity',
  'access-denied',
  'redirect-unhealthy',
  'origin-500',
  'scale-out',
  'listener-rules',
  'https-target-group',
  'health-check-port',
  'matcher-3xx',
  'no-route-out',
  'ubuntu-image',
  'windows-image',
  'no-distribution',
  'certificate-pending',
  'distribution-in-progress',
];

/** Every how many Describe* calls one is throttled under the `throttle` fault. */
export const THROTTLE_EVERY = 3;

export class Faults {
  readonly #active: ReadonlySet<SandboxFault>;
  readonly #describeCalls = new Map<string, number>();

  constructor(faults: readonly SandboxFault[]) {
    this.#active = new Set(faults);
  }

  has(fault: SandboxFault): boolean {
    return this.#active.has(fault);
  }

  /**
   * Call at the start of every Describe* operation; throws when the `throttle` fault says so: every
   * 3rd call of each operation, as a per-API rate limit does (so a retry of it goes through).
   */
  describeCall(operation: string): void {
    if (!this.#active.has('throttle')) return;
    const count = (this.#describeCalls.get(operation) ?? 0) + 1;
    this.#describeCalls.set(operation, count);
    if (count % THROTTLE_EVERY === 0) throw throttled(operation);
  }
}
