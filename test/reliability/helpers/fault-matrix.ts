import { FAULT_KINDS, type FaultKind } from './fault-proxy.js';
import { FULL } from './matrix.js';
import { RECOVERIES, type FaultCase, type Recovery } from './trials.js';

/** The runbooks the fault trials attack, and the operations of each that faults are injected into. */
export interface FaultVariant {
  readonly steps?: readonly string[] | undefined;
  readonly failoverOps: readonly string[];
  readonly rollbackOps: readonly string[];
}

export const FAULT_VARIANTS: Readonly<Record<string, FaultVariant>> = {
  'redirect instance': {
    failoverOps: [
      'RunInstances',
      'RegisterTargets',
      'DeregisterTargets',
      'DescribeTargetHealth',
      'DescribeInstances',
      'DescribeTargetGroups',
    ],
    rollbackOps: [
      'RegisterTargets',
      'DeregisterTargets',
      'TerminateInstances',
      'DescribeTargetHealth',
      'DescribeInstances',
    ],
  },
  'DNS failover': {
    steps: ['dns-failover', 'verify-maintenance'],
    failoverOps: ['ChangeResourceRecordSets', 'GetChange', 'ListResourceRecordSets', 'GetHostedZone'],
    rollbackOps: ['ChangeResourceRecordSets', 'GetChange', 'ListResourceRecordSets'],
  },
  'listener redirect': {
    steps: ['set-listener-redirect', 'verify-maintenance'],
    failoverOps: ['ModifyListener', 'DescribeListeners'],
    rollbackOps: ['ModifyListener', 'DescribeListeners'],
  },
};

export interface PlannedFault {
  readonly fault: FaultCase;
  readonly recovery: Recovery;
}

const f = (
  during: FaultCase['during'],
  operation: string,
  kind: FaultKind,
  recovery: Recovery = 'rollback alone',
  times?: number,
): PlannedFault => ({
  fault: { during, operation, kind, times },
  recovery,
});
const RESUME: Recovery = 'resume, then rollback';

/**
 * What CI injects: every kind of fault at least once, on every mutating call of the redirect
 * runbook, during failover and during rollback, and the DNS and listener strategies' own calls.
 */
const CI_FAULTS: Readonly<Record<string, readonly PlannedFault[]>> = {
  'redirect instance': [
    f('failover', 'RunInstances', 'lost-response'),
    f('failover', 'RunInstances', 'capacity', RESUME),
    f('failover', 'RunInstances', 'throttle'),
    f('failover', 'RegisterTargets', 'reset', RESUME),
    f('failover', 'RegisterTargets', 'access-denied'),
    f('failover', 'DeregisterTargets', 'lost-response', RESUME),
    f('failover', 'DeregisterTargets', '503'),
    f('failover', 'DescribeTargetHealth', 'throttle', RESUME, 6),
    f('failover', 'DescribeInstances', 'slow'),
    f('failover', 'DescribeTargetGroups', '500', RESUME),
    f('rollback', 'RegisterTargets', 'lost-response'),
    f('rollback', 'DeregisterTargets', 'reset'),
    f('rollback', 'DeregisterTargets', 'lost-response'),
    f('rollback', 'TerminateInstances', '503'),
    f('rollback', 'DescribeTargetHealth', 'access-denied'),
  ],
  'DNS failover': [
    f('failover', 'ChangeResourceRecordSets', 'lost-response'),
    f('failover', 'GetChange', '500', RESUME),
    f('rollback', 'ChangeResourceRecordSets', 'throttle'),
  ],
  'listener redirect': [
    f('failover', 'ModifyListener', 'lost-response', RESUME),
    f('rollback', 'ModifyListener', 'reset'),
  ],
};

/** Every operation with every fault (capacity on RunInstances only), failover faults recovered both ways. */
function fullFaults(variant: FaultVariant): PlannedFault[] {
  const kinds = (op: string): FaultKind[] => FAULT_KINDS.filter((k) => k !== 'capacity' || op === 'RunInstances');
  return [
    ...variant.failoverOps.flatMap((op) =>
      kinds(op).flatMap((kind) => RECOVERIES.map((recovery) => f('failover', op, kind, recovery))),
    ),
    ...variant.rollbackOps.flatMap((op) => kinds(op).map((kind) => f('rollback', op, kind))),
  ];
}

/** The faults to inject for a variant: the CI list, or every combination with `HOTSPARE_RELIABILITY=full`. */
export function faultsFor(name: string): PlannedFault[] {
  const variant = FAULT_VARIANTS[name];
  if (variant === undefined) throw new Error(`no fault variant ${name}`);
  return FULL ? fullFaults(variant) : [...(CI_FAULTS[name] ?? [])];
}
