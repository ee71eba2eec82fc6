import type { Clock, Compute, LoadBalancer, Ports, Probe } from '../../src/ports/index.js';

/** The reads the dashboard monitor makes; every other port method throws if called. */
export interface MonitorReads {
  readonly describeTargetHealth: LoadBalancer['describeTargetHealth'];
  readonly describeListener: LoadBalancer['describeListener'];
  readonly describeInstances: Compute['describeInstances'];
  readonly check: Probe['check'];
  readonly clock: Clock;
}

/** Ports for a monitor test: the four reads given, nothing else usable. */
export function monitorPorts(reads: MonitorReads): Ports {
  const unused = (): never => {
    throw new Error('not used by the monitor');
  };
  return {
    lb: {
      describeTargetGroup: unused,
      describeTargetHealth: reads.describeTargetHealth,
      registerTargets: unused,
      deregisterTargets: unused,
      describeListener: reads.describeListener,
      setListenerDefaultActions: unused,
      describeRules: unused,
      createRule: unused,
      deleteRule: unused,
      setRuleActions: unused,
    },
    compute: {
      describeInstances: reads.describeInstances,
      runInstance: unused,
      checkLaunch: unused,
      terminateInstances: unused,
      describeImage: unused,
      describeInstanceType: unused,
      describeSubnetNetwork: unused,
      startInstances: unused,
      stopInstances: unused,
      tagInstances: unused,
    },
    scaling: { describeGroups: unused, suspendProcesses: unused, resumeProcesses: unused },
    dns: { getRecord: unused, upsertRecord: unused, deleteRecord: unused, getChange: unused, hasHostedZone: unused },
    probe: { check: reads.check },
    clock: reads.clock,
  };
}
