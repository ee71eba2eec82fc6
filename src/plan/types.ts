import type { StepSpec, StepType } from '../runbook/schema.js';
import type { ApiCall } from '../domain/types.js';
import type { HttpsFindingCode } from '../ports/site.js';

/** One step of a plan, with the exact calls it will make and how it is undone. */
export interface PlannedStep {
  readonly id: string;
  readonly type: StepType;
  readonly title: string;
  readonly spec: StepSpec;
  readonly mutating: boolean;
  readonly calls: readonly ApiCall[];
  /** Calls rollback makes; undefined = cannot be undone; [] = nothing to undo. */
  readonly undo: readonly ApiCall[] | undefined;
  /** Expected duration in seconds from the environment's settings. */
  readonly expectedSeconds: number;
}

export type HazardCode =
  | 'zero-healthy-window'
  | 'site-left-without-targets'
  | 'no-undo'
  | 'orphan-instance'
  | 'unverified'
  | 'defaults-assumed'
  | 'long-dns-ttl'
  | 'single-web-target'
  | 'maintenance-stale'
  | 'maintenance-missing'
  | 'maintenance-broken'
  | 'maintenance-http'
  | HttpsFindingCode
  | 'scaling-unsuspended'
  | 'scaling-suspended'
  | 'scaling-unknown'
  | 'rules-left-forwarding'
  | 'rules-covered'
  | 'staff-bypass'
  | 'staff-bypass-unavailable'
  | 'redirect-unservable'
  | 'redirect-image'
  | 'no-way-out'
  | 'needs-way-out'
  | 'spare'
  | 'run-in-effect';

/** Something the operator must know before running the plan. */
export interface Hazard {
  readonly code: HazardCode;
  readonly severity: 'danger' | 'warning' | 'info';
  readonly message: string;
  readonly stepId?: string | undefined;
  /** For windows: expected length in seconds. */
  readonly expectedSeconds?: number | undefined;
}

/** How one strategy fares in this environment, for choosing in the moment. */
export interface StrategySummary {
  readonly strategy: 'redirect-instance' | 'listener-redirect' | 'listener-fixed-response' | 'dns-failover';
  readonly title: string;
  /** Expected seconds from the first call to visitors seeing the maintenance site. */
  readonly timeToMitigationSeconds: number;
  readonly dependsOnLoadBalancer: boolean;
  readonly cost: string;
  readonly rollback: string;
  /** Whether this runbook uses the strategy. */
  readonly used: boolean;
}

export interface Plan {
  readonly runbook: string;
  readonly steps: readonly PlannedStep[];
  readonly hazards: readonly Hazard[];
  readonly strategies: readonly StrategySummary[];
  /** Expected seconds for the whole failover. */
  readonly expectedSeconds: number;
}
